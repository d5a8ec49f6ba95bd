// Removing names on tmpfs: unlink and rmdir, and the checks rename shares (Linux's
// may_delete). Twin of gVisor's tmpfs UnlinkAt/RmdirAt
// (pkg/sentry/fsimpl/tmpfs/filesystem.go); the order of checks is Linux's (fs/namei.c
// do_unlinkat/do_rmdir, vfs_unlink/vfs_rmdir, may_delete): EROFS comes right after the
// `.`/`..` checks, before the name is even looked up.
import { S_ISVTX, SysError, type Timespec } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import {
  MAY_EXEC,
  MAY_WRITE,
  RESTART,
  checkDeleteSticky,
  clockFrom,
  exceedsNameMax,
  mountNamespaceFromContext,
  type Context,
  type ResolvingPath,
  type Restart,
} from "@vfskit/vfs";
import type { DirectoryInode } from "./directory.js";
import { BOGO_INODE_SIZE, type TmpfsFilesystem } from "./filesystem.js";
import { InodeKind, type Inode, type TmpfsDentry } from "./inode.js";
import { startOf, walkParentDir } from "./walk.js";

/**
 * rmdir(2) (Linux's do_rmdir, vfs_rmdir, shmem_rmdir).
 * @throws EACCES - the parent is not searchable.
 * @throws EINVAL - the last component is `.`.
 * @throws ENOTEMPTY - the last component is `..`.
 * @throws EROFS - a read-only mount.
 * @throws ENAMETOOLONG - the name is over 255 bytes.
 * @throws ENOENT - no such entry.
 * @throws EACCES - the parent is not writable.
 * @throws EPERM - the sticky rule.
 * @throws ENOTDIR - not a directory.
 * @throws ENOENT - the parent was removed.
 * @throws EBUSY - a mount point in the caller's namespace.
 * @throws ENOTEMPTY - the directory has entries.
 */
export function rmdirAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  const creds = rp.credentials();
  const dir = parent.inode as DirectoryInode;
  dir.checkPermissions(creds, MAY_EXEC);
  if (rp.isDot()) throw new SysError("EINVAL", { syscall: "rmdir" });
  if (rp.isDotDot()) throw new SysError("ENOTEMPTY", { syscall: "rmdir" });
  const mount = rp.mount();
  mount.checkBeginWrite();
  try {
    const child = lookupVictim(rp, dir);
    mayDelete(creds, parent, child, true);
    const ticket = fs.vfsfs.vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
    const childDir = child.inode as DirectoryInode;
    if (childDir.size() !== 0) {
      ticket.abort();
      throw new SysError("ENOTEMPTY", { syscall: "rmdir" });
    }
    const now = clockFrom(ctx).now();
    dir.removeChild(child);
    dir.touchCMtime(now);
    childDir.touchCtime(now);
    childDir.decLinks(ctx); // "."
    dir.decLinks(ctx); // the child's ".."
    ticket.commit(ctx);
    childDir.decLinks(ctx); // the entry (last: it may release the directory)
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/**
 * unlink(2) (Linux's do_unlinkat, vfs_unlink, shmem_unlink).
 * @throws EACCES - the parent is not searchable.
 * @throws EISDIR - the last component is `.` or `..`.
 * @throws EROFS - a read-only mount.
 * @throws ENAMETOOLONG - the name is over 255 bytes.
 * @throws ENOENT - no such entry.
 * @throws EISDIR, ENOTDIR - a trailing slash: EISDIR on a directory, ENOTDIR otherwise.
 * @throws EACCES - the parent is not writable.
 * @throws EPERM - the sticky rule.
 * @throws EISDIR - a directory.
 * @throws ENOENT - the parent was removed.
 * @throws EBUSY - a mount point in the caller's namespace.
 */
export function unlinkAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  const creds = rp.credentials();
  const dir = parent.inode as DirectoryInode;
  dir.checkPermissions(creds, MAY_EXEC);
  if (rp.isDot() || rp.isDotDot()) throw new SysError("EISDIR", { syscall: "unlink" });
  const mount = rp.mount();
  mount.checkBeginWrite();
  try {
    const child = lookupVictim(rp, dir);
    if (rp.mustBeDir()) throw new SysError(child.inode.kind === InodeKind.Directory ? "EISDIR" : "ENOTDIR", { syscall: "unlink" });
    mayDelete(creds, parent, child, false);
    const ticket = fs.vfsfs.vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
    const now = clockFrom(ctx).now();
    removeNonDirectory(fs, dir, child, now);
    ticket.commit(ctx);
    child.inode.decLinks(ctx);
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/** The name of the last component of `rp` in `dir`: ENAMETOOLONG, then ENOENT. */
function lookupVictim(rp: ResolvingPath, dir: DirectoryInode): TmpfsDentry {
  const name = rp.component();
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  const child = dir.lookup(name);
  if (child === undefined) throw new SysError("ENOENT");
  return child;
}

/**
 * Linux's `may_delete` for removing (or renaming, or replacing) `child` of `parent`:
 * write permission on the parent (EACCES), the sticky rule (EPERM), the type (ENOTDIR
 * when a directory is expected, EISDIR when not), the parent still existing (ENOENT).
 * @internal
 */
export function mayDelete(creds: Credentials, parent: TmpfsDentry, child: TmpfsDentry, isDir: boolean): void {
  const dir = parent.inode;
  dir.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
  const inode = child.inode;
  checkSticky(creds, dir, inode);
  if (isDir) {
    if (inode.kind !== InodeKind.Directory) throw new SysError("ENOTDIR");
  } else if (inode.kind === InodeKind.Directory) {
    throw new SysError("EISDIR");
  }
  if (parent.vfsd.isDead()) throw new SysError("ENOENT", { detail: "the directory was removed" });
}

/**
 * Removes the entry `child` (not a directory) from `dir` (Linux's shmem_unlink): its
 * extra hard link gives back its `nr_inodes` slot, the inode's ctime and the
 * directory's mtime and ctime change. The caller drops the link (`decLinks`) after
 * committing the VFS ticket.
 * @internal
 */
export function removeNonDirectory(fs: TmpfsFilesystem, dir: DirectoryInode, child: TmpfsDentry, now: Timespec): void {
  const inode = child.inode;
  if (inode.nlink > 1) fs.unreserveSpace(BOGO_INODE_SIZE);
  dir.removeChild(child);
  dir.touchCMtime(now);
  inode.touchCtime(now);
}

/** Linux's `check_sticky`. */
function checkSticky(creds: Credentials, dir: Inode, child: Inode): void {
  if ((dir.mode & S_ISVTX) === 0) return;
  checkDeleteSticky(creds, dir.mode, dir.uid, child.uid, child.gid);
}
