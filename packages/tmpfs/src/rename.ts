// rename(2) and renameat2(2) on tmpfs: the rules kernfs leaves to filesystems. The order
// of checks is Linux's (fs/namei.c do_renameat2 → vfs_rename → may_delete/may_create,
// then mm/shmem.c shmem_rename2 and fs/libfs.c simple_rename_exchange); gVisor's tmpfs
// RenameAt has the same checks in a slightly different order and no RENAME_EXCHANGE or
// RENAME_WHITEOUT.
import {
  Capability,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  SysError,
} from "@vfskit/abi";
import {
  MAY_EXEC,
  MAY_WRITE,
  RESTART,
  clockFrom,
  exceedsNameMax,
  mountNamespaceFromContext,
  type Context,
  type RenameOptions,
  type ResolvingPath,
  type Restart,
  type VirtualDentry,
} from "@vfskit/vfs";
import type { DirectoryInode } from "./directory.js";
import { insertEntry, newWhiteout } from "./filesystem-create.js";
import { mayDelete, removeNonDirectory } from "./filesystem-delete.js";
import type { TmpfsFilesystem } from "./filesystem.js";
import { InodeKind, type Inode, type TmpfsDentry } from "./inode.js";
import { startOf, walkParentDir } from "./walk.js";

const SUPPORTED_FLAGS = RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT;

/** Reports whether `ancestor` is `d` or one of its ancestors. */
function isAncestorOrSelf(ancestor: TmpfsDentry, d: TmpfsDentry): boolean {
  for (let p: TmpfsDentry | null = d; p !== null; p = p.parent) if (p === ancestor) return true;
  return false;
}

/**
 * Implements {@link TmpfsFilesystem.renameAt}: renames `oldName` of `oldParentVD` to the
 * last component of `rp`.
 *
 * @remarks
 * Errors in Linux's order (the earliest applicable wins):
 * search permission on the old and new parents (EACCES); RENAME_WHITEOUT without
 * CAP_MKNOD (EPERM); EXDEV; a new name of `.`/`..` (EEXIST with RENAME_NOREPLACE, else
 * EBUSY); EROFS; the names' lengths (ENAMETOOLONG) and the source's existence (ENOENT);
 * RENAME_NOREPLACE onto an existing name (EEXIST); RENAME_EXCHANGE onto a missing name
 * (ENOENT) or a trailing slash on a non-directory target (ENOTDIR); a trailing slash on a
 * non-directory source (ENOTDIR); a directory into itself or a descendant (EINVAL); a
 * target that is an ancestor of the source (ENOTEMPTY, or EINVAL with RENAME_EXCHANGE);
 * then the two names of one file: success, nothing changes; then Linux's `may_delete`
 * on the source (EACCES, the sticky rule's EPERM, ENOENT for a removed parent),
 * `may_create` or `may_delete` on the target (ENOENT, EACCES, EPERM, ENOTDIR for a
 * directory over a non-directory, EISDIR for the reverse), write permission on a
 * directory that changes parent (EACCES), mount points (EBUSY), a non-empty directory
 * target (ENOTEMPTY), and room for a whiteout (ENOSPC).
 *
 * Link counts: a directory moving to another parent moves one link (its `..`) from the
 * old parent to the new; a replaced directory loses both of its links; an exchange of a
 * directory and a non-directory across parents moves a link the other way too. A
 * directory also moves its reference on its parent. Timestamps: both parents' mtime and
 * ctime, the ctime of the moved file(s) and of a replaced file.
 * @internal
 */
export function renameAt(
  fs: TmpfsFilesystem,
  ctx: Context,
  rp: ResolvingPath,
  oldParentVD: VirtualDentry,
  oldName: string,
  opts: RenameOptions,
): Restart | undefined {
  const creds = rp.credentials();
  const flags = opts.flags;
  const oldParent = oldParentVD.dentry.impl as TmpfsDentry;
  // Linux resolves the old path first, and its walk checks that the old parent is
  // searchable before it looks the last component up.
  if (oldParent.inode.fs === fs) oldParent.inode.checkPermissions(creds, MAY_EXEC);
  const newParent = walkParentDir(ctx, rp, startOf(rp));
  if (newParent === RESTART) return RESTART;
  newParent.inode.checkPermissions(creds, MAY_EXEC);
  if ((flags & ~SUPPORTED_FLAGS) !== 0) throw new SysError("EINVAL", { syscall: "renameat2" });
  if ((flags & RENAME_WHITEOUT) !== 0 && !creds.hasRootCapability(Capability.CAP_MKNOD)) {
    throw new SysError("EPERM", { syscall: "renameat2", detail: "RENAME_WHITEOUT needs CAP_MKNOD" });
  }
  const mount = rp.mount();
  if (mount !== oldParentVD.mount) throw new SysError("EXDEV", { syscall: "rename" });
  if (rp.isDot() || rp.isDotDot()) {
    throw new SysError((flags & RENAME_NOREPLACE) !== 0 ? "EEXIST" : "EBUSY", { syscall: "rename" });
  }
  mount.checkBeginWrite();
  try {
    const oldDir = oldParent.inode as DirectoryInode;
    const newDir = newParent.inode as DirectoryInode;
    if (exceedsNameMax(oldName)) throw new SysError("ENAMETOOLONG", { syscall: "rename" });
    const renamed = oldDir.lookup(oldName);
    if (renamed === undefined) throw new SysError("ENOENT", { syscall: "rename" });
    const newName = rp.component();
    if (exceedsNameMax(newName)) throw new SysError("ENAMETOOLONG", { syscall: "rename" });
    const replaced = newDir.lookup(newName);
    const exchange = (flags & RENAME_EXCHANGE) !== 0;
    if ((flags & RENAME_NOREPLACE) !== 0 && replaced !== undefined) throw new SysError("EEXIST", { syscall: "renameat2" });
    const renamedIsDir = renamed.inode.kind === InodeKind.Directory;
    const replacedIsDir = replaced !== undefined && replaced.inode.kind === InodeKind.Directory;
    if (exchange) {
      if (replaced === undefined) throw new SysError("ENOENT", { syscall: "renameat2" });
      if (!replacedIsDir && rp.mustBeDir()) throw new SysError("ENOTDIR", { syscall: "renameat2" });
    }
    if (!renamedIsDir) {
      if (opts.mustBeDir === true) throw new SysError("ENOTDIR", { syscall: "rename" });
      if (!exchange && rp.mustBeDir()) throw new SysError("ENOTDIR", { syscall: "rename" });
    }
    if (oldParent !== newParent) {
      // lock_rename's trap: the source must not be an ancestor of the target's parent,
      // nor the target one of the source's parent.
      if (renamedIsDir && isAncestorOrSelf(renamed, newParent)) {
        throw new SysError("EINVAL", { syscall: "rename", detail: "directory into itself" });
      }
      if (replacedIsDir && isAncestorOrSelf(replaced, oldParent)) {
        throw new SysError(exchange ? "EINVAL" : "ENOTEMPTY", { syscall: "rename" });
      }
    }
    // vfs_rename: two names of one file (hard links, or the same name): nothing to do.
    if (replaced !== undefined && replaced.inode === renamed.inode) return undefined;

    mayDelete(creds, oldParent, renamed, renamedIsDir);
    if (replaced === undefined) {
      if (newParent.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "rename", detail: "the directory was removed" });
      newDir.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
    } else {
      mayDelete(creds, newParent, replaced, exchange ? replacedIsDir : renamedIsDir);
    }
    if (oldParent !== newParent) {
      // A directory changing parent rewrites its "..": it must be writable.
      if (renamedIsDir) renamed.inode.checkPermissions(creds, MAY_WRITE);
      if (exchange && replacedIsDir) replaced.inode.checkPermissions(creds, MAY_WRITE);
    }
    const vfs = fs.vfsfs.vfs;
    const ticket = vfs.prepareRenameDentry(mountNamespaceFromContext(ctx), renamed.vfsd, replaced?.vfsd);
    const now = clockFrom(ctx).now();
    if (exchange) {
      exchangeEntries(ctx, oldDir, renamed, newDir, replaced as TmpfsDentry);
      touchRename(oldDir, newDir, renamed.inode, (replaced as TmpfsDentry).inode, now);
      ticket.commitExchange();
      return undefined;
    }
    if (replacedIsDir && (replaced.inode as DirectoryInode).size() !== 0) {
      ticket.abort();
      throw new SysError("ENOTEMPTY", { syscall: "rename" });
    }
    let whiteout: Inode | undefined;
    if ((flags & RENAME_WHITEOUT) !== 0) {
      try {
        whiteout = newWhiteout(fs, creds, oldDir, now);
      } catch (error) {
        ticket.abort();
        throw error;
      }
    }
    if (replaced !== undefined) {
      if (replacedIsDir) {
        newDir.removeChild(replaced);
        replaced.inode.decLinks(ctx); // its "."
        newDir.decLinks(ctx); // its ".."
      } else {
        removeNonDirectory(fs, newDir, replaced, now);
      }
    }
    oldDir.removeChild(renamed);
    newDir.insertChild(renamed, newName);
    if (renamedIsDir && oldDir !== newDir) {
      newDir.incLinks();
      oldDir.decLinks(ctx);
      newDir.incRef();
      oldDir.decRef(ctx);
    }
    if (whiteout !== undefined) insertEntry(oldDir, whiteout, oldName, now);
    touchRename(oldDir, newDir, renamed.inode, replaced?.inode, now);
    ticket.commitReplace(ctx);
    // The replaced file loses its entry last: this may release it.
    if (replaced !== undefined) replaced.inode.decLinks(ctx);
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/**
 * RENAME_EXCHANGE: the two entries swap places, keeping their directory positions
 * (Linux's stable offsets swap too).
 */
function exchangeEntries(ctx: Context, oldDir: DirectoryInode, a: TmpfsDentry, newDir: DirectoryInode, b: TmpfsDentry): void {
  const aName = a.name;
  const bName = b.name;
  const aSerial = a.serial;
  (oldDir.children as Map<string, TmpfsDentry>).set(aName, b);
  (newDir.children as Map<string, TmpfsDentry>).set(bName, a);
  a.parent = newDir.dentry;
  a.name = bName;
  a.serial = b.serial;
  b.parent = oldDir.dentry;
  b.name = aName;
  b.serial = aSerial;
  if (oldDir === newDir) return;
  const aIsDir = a.inode.kind === InodeKind.Directory;
  const bIsDir = b.inode.kind === InodeKind.Directory;
  // simple_rename_exchange: a directory's ".." link follows it to its new parent.
  if (aIsDir !== bIsDir) {
    if (aIsDir) {
      newDir.incLinks();
      oldDir.decLinks(ctx);
    } else {
      oldDir.incLinks();
      newDir.decLinks(ctx);
    }
  }
  // A directory holds a reference on its parent: move it along.
  if (aIsDir) {
    newDir.incRef();
    oldDir.decRef(ctx);
  }
  if (bIsDir) {
    oldDir.incRef();
    newDir.decRef(ctx);
  }
}

/** Linux's simple_rename_timestamp. */
function touchRename(oldDir: Inode, newDir: Inode, renamed: Inode, replaced: Inode | undefined, now: { sec: number; nsec: number }): void {
  oldDir.touchCMtime(now);
  if (newDir !== oldDir) newDir.touchCMtime(now);
  renamed.touchCtime(now);
  replaced?.touchCtime(now);
}
