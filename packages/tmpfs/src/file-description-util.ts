// Pieces shared by tmpfs's file descriptions (gVisor's tmpfs `fileDescription`).
import { STATX_SIZE, SysError } from "@vfskit/abi";
import { FileLocks, type Context, type FileDescription, type SetStatOptions } from "@vfskit/vfs";
import { InodeKind, type Inode } from "./inode.js";

/**
 * The inode's lock table, created on first use.
 * @internal
 */
export function fileLocksOf(inode: Inode): FileLocks {
  return (inode.locks ??= new FileLocks());
}

/**
 * Forgets the inode's lock table once no lock is left, when a description goes (the VFS
 * asks every closing description for its table, which would otherwise keep one per file
 * ever opened).
 * @internal
 */
export function releaseFileLocks(inode: Inode): void {
  if (inode.locks?.isEmpty() === true) inode.locks = undefined;
}

/**
 * fchmod, fchown, futimens and ftruncate on a tmpfs description.
 *
 * @remarks
 * ftruncate needs a regular file open for writing (Linux's `do_sys_ftruncate`, EINVAL
 * otherwise, before any permission check); every change needs a writable mount.
 * @throws EINVAL - a negative size; a size change on a non-regular file or through a
 * description not open for writing.
 * @throws EROFS - the mount is read-only.
 * @throws EPERM, EACCES, EFBIG - from the permission checks.
 * @internal
 */
export function setStatThroughFD(ctx: Context, fd: FileDescription, inode: Inode, opts: SetStatOptions): void {
  const stat = opts.stat;
  if ((stat.mask & STATX_SIZE) !== 0) {
    if (stat.size === undefined || stat.size < 0) throw new SysError("EINVAL", { syscall: "ftruncate", detail: "negative size" });
    if (inode.kind !== InodeKind.Regular || !fd.isWritable()) throw new SysError("EINVAL", { syscall: "ftruncate" });
  }
  const mount = fd.mount();
  mount.checkBeginWrite();
  try {
    inode.setStat(ctx, ctx.credentials, opts);
  } finally {
    mount.endWrite();
  }
}
