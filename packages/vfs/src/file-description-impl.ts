// The contract between the VFS's FileDescription and a filesystem's open-file object
// (gVisor's vfs.FileDescriptionImpl). Default implementations live in
// file-description-impl-util.ts.
import type { Dirent, Statfs, Statx } from "@vfskit/abi";
import type { Context } from "./context.js";
import type { FileDescription } from "./file-description.js";
import type { FileLocks } from "./lock.js";
import type {
  GetXattrOptions,
  ReadOptions,
  SetStatOptions,
  SetXattrOptions,
  StatOptions,
  WriteOptions,
} from "./options.js";
import type { Waiter } from "./waiter.js";

/**
 * Receives directory entries from `iterDirents`. Return `false` to stop (the entry was not
 * consumed and will be delivered again by the next call), `true` to continue.
 * @public
 */
export type IterDirentsCallback = (dirent: Dirent) => boolean;

/**
 * What a filesystem implements for an open file (gVisor's `FileDescriptionImpl`).
 *
 * @remarks
 * The VFS's {@link FileDescription} wraps it and enforces the generic rules first
 * (EBADF for the wrong access mode, ESPIPE for positional I/O where denied). Methods
 * throw `SysError`. Start from `FileDescriptionDefaultImpl`, which supplies Linux's
 * answer for everything an implementation does not support.
 * @public
 */
export interface FileDescriptionImpl {
  /** The FileDescription wrapping this impl; set by `FileDescription.init`. */
  vfsfd: FileDescription;
  /** The last reference is gone: free resources. */
  release(ctx: Context): void;
  /** close(2) was called on one file descriptor of this description. */
  onClose(ctx: Context): void;
  /** fstat. */
  stat(ctx: Context, opts: StatOptions): Statx;
  /** fchmod, fchown, futimens, ftruncate. */
  setStat(ctx: Context, opts: SetStatOptions): void;
  /** fstatfs. */
  statFS(ctx: Context): Statfs;
  /** fallocate. */
  allocate(ctx: Context, mode: number, offset: number, length: number): void;
  /** The subset of `mask` that is ready now. */
  readiness(mask: number): number;
  /** Registers a waiter for readiness events. */
  eventRegister(waiter: Waiter, mask: number): void;
  /** Unregisters a waiter. */
  eventUnregister(waiter: Waiter): void;
  /** True if epoll may watch this file. */
  epollable(): boolean;
  /** Reads at `offset` without moving the file offset; returns bytes read (0 = EOF). */
  pread(ctx: Context, dst: Uint8Array, offset: number, opts: ReadOptions): number;
  /** Reads at the file offset and advances it. */
  read(ctx: Context, dst: Uint8Array, opts: ReadOptions): number;
  /** Writes at `offset` (ignored with O_APPEND); returns bytes written. */
  pwrite(ctx: Context, src: Uint8Array, offset: number, opts: WriteOptions): number;
  /** Writes at the file offset (or the end with O_APPEND) and advances it. */
  write(ctx: Context, src: Uint8Array, opts: WriteOptions): number;
  /** Delivers directory entries from the current position until `cb` returns false or the end. */
  iterDirents(ctx: Context, cb: IterDirentsCallback): void;
  /** lseek; returns the new offset. */
  seek(ctx: Context, offset: number, whence: number): number;
  /** fsync / fdatasync. */
  sync(ctx: Context): void;
  /** ioctl; returns the syscall's return value. */
  ioctl(ctx: Context, request: number, arg: unknown): number;
  /** Attribute names visible to the caller; `size` as listxattr(2). */
  listXattr(ctx: Context, size: number): string[];
  /** An attribute's value. */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array;
  /** Sets an attribute. */
  setXattr(ctx: Context, opts: SetXattrOptions): void;
  /** Removes an attribute. */
  removeXattr(ctx: Context, name: string): void;
  /**
   * The file's lock sets (flock and fcntl locks), usually one per inode; omit it (or
   * return `undefined`) if the file cannot be locked, and lock calls fail with ENOLCK.
   */
  fileLocks?(): FileLocks | undefined;
}
