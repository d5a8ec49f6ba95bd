// kernfs operations that remove or move files: rename, rmdir, unlink. Twin of the matching
// methods of gVisor's pkg/sentry/fsimpl/kernfs/filesystem.go; the order of checks is
// Linux's (fs/namei.c: do_renameat2, vfs_rename, do_rmdir, vfs_rmdir, do_unlinkat,
// may_delete), which differs from gVisor's where noted (DESIGN.md D1).
import { RENAME_NOREPLACE, SysError } from "@vfskit/abi";
import {
  MAY_WRITE,
  RESTART,
  exceedsNameMax,
  mountNamespaceFromContext,
  type Context,
  type RenameOptions,
  type ResolvingPath,
  type Restart,
  type VirtualDentry,
} from "@vfskit/vfs";
import {
  type Dentry,
  beginOp,
  dentryState,
  deferDecRef,
  dropFromTree,
  endOp,
  pendingDecRefs,
  revalidateChild,
  type FsState,
} from "./kernfs.js";
import {
  checkDelete,
  checkSearchable,
  isAncestorOrSelf,
  kernfsDentry,
  mayCreate,
  startOf,
  walkParentDir,
} from "./walk.js";
import { InotifyMask, inotifyRemoveChild, inotifyRename } from "./watches.js";

/**
 * Looks up the entry a delete operation removes (Linux's `lookup_one_qstr_excl`).
 * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
 * @throws ENOENT - no such entry.
 */
function lookupExisting(st: FsState, ctx: Context, parent: Dentry, name: string): Dentry {
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  if (parent.vfsd.isDead()) throw new SysError("ENOENT");
  const child = revalidateChild(st, ctx, parent, name);
  if (child === undefined) throw new SysError("ENOENT");
  return child;
}

/**
 * rmdir(2) in this filesystem.
 *
 * @remarks
 * Linux's order: the parent must be searchable; `.` → EINVAL and `..` → ENOTEMPTY before
 * EROFS (gVisor: EROFS first); then the lookup (ENOENT); `may_delete` (EACCES, sticky
 * EPERM); not a directory → ENOTDIR; a mount point → EBUSY before a non-empty directory →
 * ENOTEMPTY (gVisor: ENOTEMPTY first; Linux checks `is_local_mountpoint` before calling
 * the filesystem).
 *
 * The parent's IN_DELETE|IN_ISDIR is sent now; the directory's own IN_DELETE_SELF and
 * IN_IGNORED are sent before it when nothing else references the dentry, and otherwise when
 * its last reference (an open file) goes.
 * @throws EACCES, EINVAL, ENOTEMPTY, EROFS, ENAMETOOLONG, ENOENT, EBUSY, EPERM, ENOTDIR
 * @internal
 */
export function rmdirAt(st: FsState, ctx: Context, rp: ResolvingPath): Restart | undefined {
  beginOp(st);
  try {
    const parent = walkParentDir(st, ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    checkSearchable(ctx, rp, parent);
    const name = rp.component();
    if (name === ".") throw new SysError("EINVAL");
    if (name === "..") throw new SysError("ENOTEMPTY");
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      const child = lookupExisting(st, ctx, parent, name);
      checkDelete(ctx, rp, child);
      if (!child.isDir()) throw new SysError("ENOTDIR");
      const vfs = st.vfs;
      const ticket = vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
      const childInode = child.inode();
      const parentInode = parent.inode();
      try {
        if (childInode.hasChildren()) throw new SysError("ENOTEMPTY");
        parentInode.rmDir(ctx, name, childInode);
      } catch (error) {
        ticket.abort();
        throw error;
      }
      removeChild(st, parent, child);
      dentryState(child).deleted = true;
      // Linux sends the child's IN_DELETE_SELF/IN_IGNORED when its last reference goes;
      // when only this operation still holds it, that is now, before the parent's event.
      if (child.refCount - pendingDecRefs(st, child) === 0) childInode.watches().handleDeletion(ctx);
      parentInode.watches().notify(ctx, name, InotifyMask.IN_DELETE | InotifyMask.IN_ISDIR, 0, true);
      ticket.commit(ctx);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/**
 * unlink(2) in this filesystem.
 *
 * @remarks
 * Linux's order (`do_unlinkat`): the parent must be searchable; `.` or `..` → EISDIR; EROFS;
 * the lookup (ENOENT); a trailing slash → EISDIR for a directory, ENOTDIR otherwise;
 * `may_delete` (EBUSY for a root, EACCES, sticky EPERM); a directory → EISDIR; a mount
 * point → EBUSY. (gVisor walks to the file first, so a missing file on a read-only mount
 * is ENOENT there and EROFS in Linux.)
 * @throws EACCES, EISDIR, EROFS, ENAMETOOLONG, ENOENT, ENOTDIR, EBUSY, EINVAL, EPERM
 * @internal
 */
export function unlinkAt(st: FsState, ctx: Context, rp: ResolvingPath): Restart | undefined {
  beginOp(st);
  try {
    const parent = walkParentDir(st, ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    checkSearchable(ctx, rp, parent);
    const name = rp.component();
    if (name === "." || name === "..") throw new SysError("EISDIR");
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      const child = lookupExisting(st, ctx, parent, name);
      if (rp.mustBeDir()) throw new SysError(child.isDir() ? "EISDIR" : "ENOTDIR");
      checkDelete(ctx, rp, child);
      if (child.isDir()) throw new SysError("EISDIR");
      const ticket = st.vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
      const parentInode = parent.inode();
      const childInode = child.inode();
      try {
        parentInode.unlink(ctx, name, childInode);
      } catch (error) {
        ticket.abort();
        throw error;
      }
      removeChild(st, parent, child);
      dentryState(child).deleted = true;
      inotifyRemoveChild(ctx, childInode.watches(), parentInode.watches(), name);
      ticket.commit(ctx);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/** Removes `child` from `parent`'s entries and gives up the tree's hold on it. */
function removeChild(st: FsState, parent: Dentry, child: Dentry): void {
  const children = dentryState(parent).children;
  if (children?.get(child.name()) === child) children.delete(child.name());
  dropFromTree(st, child);
}

/**
 * rename(2) in this filesystem: moves entry `oldName` of `oldParentVD` to `rp`.
 *
 * @remarks
 * kernfs supports RENAME_NOREPLACE only (RENAME_EXCHANGE and RENAME_WHITEOUT → EINVAL, as
 * gVisor). The order is Linux's `do_renameat2` + `vfs_rename`: both parents searchable;
 * flags; EXDEV; a new name `.`/`..` → EEXIST with RENAME_NOREPLACE, else EBUSY; EROFS; the
 * source lookup (ENOENT — gVisor checks the parents' write permission first and reports
 * EACCES); the target lookup; RENAME_NOREPLACE over an existing file → EEXIST; a trailing
 * slash on a non-directory source → ENOTDIR; a directory moved below itself → EINVAL; a
 * target that is an ancestor of the source → ENOTEMPTY; source and target the same inode →
 * success without change; `may_delete` on the source (EACCES, EPERM); `may_create` or
 * `may_delete` on the target (ENOENT, EACCES, EPERM, ENOTDIR, EISDIR); a directory changing
 * parent must itself be writable (EACCES); mount points → EBUSY; a non-empty target
 * directory → ENOTEMPTY; then the inode's `rename` (EPERM for read-only directories).
 * gVisor's kernfs leaves the type, emptiness and ancestry checks to its inodes; Linux's VFS
 * makes them, so kernfs does here.
 * @throws EACCES, EINVAL, EXDEV, EEXIST, EBUSY, EROFS, ENAMETOOLONG, ENOENT, ENOTDIR,
 * ENOTEMPTY, EPERM, EISDIR
 * @internal
 */
export function renameAt(
  st: FsState,
  ctx: Context,
  rp: ResolvingPath,
  oldParentVD: VirtualDentry,
  oldName: string,
  opts: RenameOptions,
): Restart | undefined {
  beginOp(st);
  try {
    const dstDir = walkParentDir(st, ctx, rp, startOf(rp));
    if (dstDir === RESTART) return RESTART;
    const mount = rp.mount();
    const sameMount = oldParentVD.mount === mount;
    if (sameMount) checkSearchable(ctx, rp, kernfsDentry(oldParentVD.dentry));
    checkSearchable(ctx, rp, dstDir);
    if ((opts.flags & ~RENAME_NOREPLACE) !== 0) throw new SysError("EINVAL", { detail: "kernfs supports RENAME_NOREPLACE only" });
    const noReplace = (opts.flags & RENAME_NOREPLACE) !== 0;
    if (!sameMount) throw new SysError("EXDEV");
    const srcDir = kernfsDentry(oldParentVD.dentry);
    const newName = rp.component();
    if (newName === "." || newName === "..") throw new SysError(noReplace ? "EEXIST" : "EBUSY");
    mount.checkBeginWrite();
    try {
      const src = lookupExisting(st, ctx, srcDir, oldName);
      if (exceedsNameMax(newName)) throw new SysError("ENAMETOOLONG");
      const dst = dstDir.vfsd.isDead() ? undefined : revalidateChild(st, ctx, dstDir, newName);
      if (noReplace && dst !== undefined) throw new SysError("EEXIST");
      const srcIsDir = src.isDir();
      if (!srcIsDir && (opts.mustBeDir === true || rp.mustBeDir())) throw new SysError("ENOTDIR");
      if (srcIsDir && isAncestorOrSelf(src, dstDir)) throw new SysError("EINVAL");
      if (dst !== undefined && isAncestorOrSelf(dst, srcDir)) throw new SysError("ENOTEMPTY");
      // Two names of the same inode: rename(2) succeeds and does nothing.
      if (dst !== undefined && dst.inode() === src.inode()) return undefined;
      checkDelete(ctx, rp, src);
      if (dst === undefined) {
        mayCreate(ctx, rp, dstDir);
      } else {
        checkDelete(ctx, rp, dst);
        if (srcIsDir && !dst.isDir()) throw new SysError("ENOTDIR");
        if (!srcIsDir && dst.isDir()) throw new SysError("EISDIR");
      }
      if (srcIsDir && srcDir !== dstDir) {
        // `..` of the moved directory changes: Linux wants write permission on it.
        src.inode().checkPermissions(ctx, rp.credentials(), MAY_WRITE);
      }
      const ticket = st.vfs.prepareRenameDentry(mountNamespaceFromContext(ctx), src.vfsd, dst?.vfsd);
      try {
        if (dst !== undefined && dst.isDir() && dst.inode().hasChildren()) throw new SysError("ENOTEMPTY");
        srcDir.inode().rename(ctx, oldName, newName, src.inode(), dstDir.inode());
      } catch (error) {
        ticket.abort();
        throw error;
      }
      moveDentry(st, src, dstDir, newName, dst);
      inotifyRename(ctx, src.inode().watches(), srcDir.inode().watches(), dstDir.inode().watches(), { oldName, newName }, srcIsDir);
      ticket.commitReplace(ctx);
      return undefined;
    } finally {
      mount.endWrite();
    }
  } finally {
    endOp(st, ctx);
  }
}

/** Moves `src` to entry `newName` of `dstDir` in the dentry tree, replacing `replaced`. */
function moveDentry(st: FsState, src: Dentry, dstDir: Dentry, newName: string, replaced: Dentry | undefined): void {
  const s = dentryState(src);
  const srcDir = s.parent as Dentry;
  const srcChildren = dentryState(srcDir).children;
  if (srcChildren?.get(s.name) === src) srcChildren.delete(s.name);
  if (srcDir !== dstDir) {
    deferDecRef(st, srcDir); // the child's reference on its old parent
    dstDir.incRef(); // and on the new one
    s.parent = dstDir;
  }
  s.name = newName;
  const dstChildren = (dentryState(dstDir).children ??= new Map());
  dstChildren.set(newName, src);
  if (replaced !== undefined) {
    dentryState(replaced).deleted = true;
    dropFromTree(st, replaced);
  }
}
