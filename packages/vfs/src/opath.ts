// O_PATH file descriptions (gVisor's vfs/opath.go): a location without I/O. Linux gives
// such a file empty file_operations and fdget() refuses it for everything but fstat,
// fstatfs, fchdir, *at() lookups and a few fcntls.
import {
  AT_STATX_SYNC_AS_STAT,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  S_IFDIR,
  S_IFMT,
  STATX_TYPE,
  SysError,
  type Statfs,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import type { Context } from "./context.js";
import { FileDescription } from "./file-description.js";
import type { IterDirentsCallback } from "./file-description-impl.js";
import { DentryMetadataFileDescriptionImpl } from "./file-description-impl-util.js";
import type {
  GetXattrOptions,
  ReadOptions,
  SetStatOptions,
  SetXattrOptions,
  WriteOptions,
} from "./options.js";
import type { VirtualDentry } from "./virtual-dentry.js";

/** The open flags an O_PATH description keeps (Linux's O_PATH_FLAGS, minus the FD flag O_CLOEXEC). */
const OPATH_KEPT_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH;

function badf(syscall: string): SysError {
  return new SysError("EBADF", { syscall, detail: "O_PATH descriptor" });
}

/**
 * The impl behind every O_PATH description (gVisor's `opathFD`): every operation fails
 * with EBADF except `stat` and `statFS`, which the {@link FileDescription} answers from
 * the dentry's filesystem (the description is initialised with `useDentryMetadata`).
 *
 * @remarks
 * `FileDescription` already refuses O_PATH descriptions before reaching the impl; these
 * overrides keep the impl safe when called directly.
 * @public
 */
export class OPathFileDescriptionImpl extends DentryMetadataFileDescriptionImpl {
  /** Nothing to free. */
  release(_ctx: Context): void {}

  /** @throws EBADF - Always. */
  override setStat(_ctx: Context, _opts: SetStatOptions): void {
    throw badf("setStat");
  }

  /** @throws EBADF - Always. */
  override allocate(_ctx: Context, _mode: number, _offset: number, _length: number): void {
    throw badf("fallocate");
  }

  /** @throws EBADF - Always. */
  override pread(_ctx: Context, _dst: Uint8Array, _offset: number, _opts: ReadOptions): number {
    throw badf("pread64");
  }

  /** @throws EBADF - Always. */
  override read(_ctx: Context, _dst: Uint8Array, _opts: ReadOptions): number {
    throw badf("read");
  }

  /** @throws EBADF - Always. */
  override pwrite(_ctx: Context, _src: Uint8Array, _offset: number, _opts: WriteOptions): number {
    throw badf("pwrite64");
  }

  /** @throws EBADF - Always. */
  override write(_ctx: Context, _src: Uint8Array, _opts: WriteOptions): number {
    throw badf("write");
  }

  /** @throws EBADF - Always. */
  override ioctl(_ctx: Context, _request: number, _arg: unknown): number {
    throw badf("ioctl");
  }

  /** @throws EBADF - Always. */
  override iterDirents(_ctx: Context, _cb: IterDirentsCallback): void {
    throw badf("getdents64");
  }

  /** @throws EBADF - Always. */
  override seek(_ctx: Context, _offset: number, _whence: number): number {
    throw badf("lseek");
  }

  /** @throws EBADF - Always. */
  override sync(_ctx: Context): void {
    throw badf("fsync");
  }

  /** @throws EBADF - Always. */
  override listXattr(_ctx: Context, _size: number): string[] {
    throw badf("flistxattr");
  }

  /** @throws EBADF - Always. */
  override getXattr(_ctx: Context, _opts: GetXattrOptions): Uint8Array {
    throw badf("fgetxattr");
  }

  /** @throws EBADF - Always. */
  override setXattr(_ctx: Context, _opts: SetXattrOptions): void {
    throw badf("fsetxattr");
  }

  /** @throws EBADF - Always. */
  override removeXattr(_ctx: Context, _name: string): void {
    throw badf("fremovexattr");
  }

  /** @throws EBADF - Never reached in practice (statfs goes to the dentry's filesystem). */
  override statFS(_ctx: Context): Statfs {
    throw badf("fstatfs");
  }
}

/**
 * Creates an O_PATH description for a location the caller already resolved (the last
 * step of `openAt` with O_PATH; gVisor's `openOPathFD` after its `GetDentryAt`).
 *
 * @remarks
 * No permission on the file itself is checked (O_PATH on a mode-000 file works). The
 * status flags keep only O_PATH, O_DIRECTORY and O_NOFOLLOW, as Linux's F_GETFL shows.
 * The description is neither readable nor writable, takes no write count on the mount,
 * and answers only stat and statfs (through the dentry's filesystem); every other
 * operation fails with EBADF.
 *
 * @param ctx - The opener's context (its credentials are kept).
 * @param vd - The resolved location; borrowed — the description takes its own references.
 * @param flags - The open(2) flags.
 * @returns A new description with one reference, owned by the caller.
 * @throws ENOTDIR - `flags` has O_DIRECTORY and `vd` is not a directory.
 * @public
 */
export function newOPathFileDescription(ctx: Context, vd: VirtualDentry, flags: number): FileDescription {
  if ((flags & O_DIRECTORY) !== 0) {
    const stat = vd.mount.vfs.statAt(
      ctx,
      { root: vd, start: vd, path: parse(""), followFinalSymlink: false },
      { mask: STATX_TYPE, sync: AT_STATX_SYNC_AS_STAT },
    );
    if ((stat.mode & S_IFMT) !== S_IFDIR) throw new SysError("ENOTDIR", { syscall: "open" });
  }
  const fd = new FileDescription();
  fd.init(ctx, new OPathFileDescriptionImpl(), (flags & OPATH_KEPT_FLAGS) | O_PATH, vd, { useDentryMetadata: true });
  return fd;
}
