// Default FileDescriptionImpl behaviour for filesystem implementers (gVisor's
// vfs/file_description_impl_util.go): each default is what Linux answers when a file's
// file_operations lack the operation.
import {
  EPOLLERR,
  EPOLLPRI,
  READABLE_EVENTS,
  SEEK_CUR,
  SEEK_SET,
  SysError,
  WRITABLE_EVENTS,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import { InternalError } from "./assert.js";
import { ByteSink } from "./byte-sink.js";
import type { Context } from "./context.js";
import type { FileDescription } from "./file-description.js";
import type { FileDescriptionImpl, IterDirentsCallback } from "./file-description-impl.js";
import type { FileLocks } from "./lock.js";
import type {
  GetXattrOptions,
  ReadOptions,
  SetStatOptions,
  SetXattrOptions,
  StatOptions,
  WriteOptions,
} from "./options.js";
import { checkLimit } from "./permissions.js";
import { WaiterQueue, type Waiter } from "./waiter.js";

/** ioctl FICLONE (include/uapi/linux/fs.h). */
const FICLONE = 0x40049409;
/** ioctl FICLONERANGE. */
const FICLONERANGE = 0x4020940d;
/** ioctl FIDEDUPERANGE (as an unsigned 32-bit request). */
const FIDEDUPERANGE = 0xc0189436;

/** pwritev2 flags a dynamic file accepts (include/uapi/linux/fs.h RWF_HIPRI|RWF_DSYNC|RWF_SYNC). */
const RWF_HIPRI = 0x1;
const RWF_DSYNC = 0x2;
const RWF_SYNC = 0x4;

/** Linux's DEFAULT_POLLMASK: a file without a poll method is always readable and writable. */
const DEFAULT_POLL_MASK = READABLE_EVENTS | WRITABLE_EVENTS;

/**
 * The base of most {@link FileDescriptionImpl}s: every operation answers as Linux does for
 * a file whose `file_operations` lack it (gVisor's `FileDescriptionDefaultImpl`).
 *
 * @remarks
 * Subclasses must implement `release`, `stat` and `setStat`, and override what their file
 * supports. The defaults:
 *
 * - `onClose`: nothing; `eventRegister` / `eventUnregister`: nothing; `epollable`: false;
 *
 * - `readiness`: readable and writable (Linux's DEFAULT_POLLMASK), masked by the request;
 *
 * - `read`, `pread`, `write`, `pwrite`: EINVAL (no read/write method);
 *
 * - `iterDirents`: ENOTDIR; `seek`: ESPIPE; `sync`: EINVAL; `statFS`: ENOSYS;
 *
 * - `allocate`: ENODEV (Linux's answer for files that are neither regular nor block
 *   devices; a regular file without fallocate gets EOPNOTSUPP there, so regular-file
 *   impls override it);
 *
 * - `ioctl`: ENOTTY, except FICLONE, FICLONERANGE and FIDEDUPERANGE: EOPNOTSUPP (the VFS
 *   handles those itself in Linux and says the filesystem cannot);
 *
 * - the four xattr methods: EOPNOTSUPP (no xattr handlers). `FileDescription.listXattr`
 *   turns that into an empty list;
 *
 * - `fileLocks`: none, so locking fails with ENOLCK (override it to return the inode's
 *   `FileLocks`).
 *
 * @public
 */
export abstract class FileDescriptionDefaultImpl implements FileDescriptionImpl {
  #vfsfd: FileDescription | undefined;

  /** The FileDescription wrapping this impl (set by `FileDescription.init`). */
  get vfsfd(): FileDescription {
    const fd = this.#vfsfd;
    if (fd === undefined) throw new InternalError(`${this.constructor.name}.vfsfd read before FileDescription.init`);
    return fd;
  }

  set vfsfd(fd: FileDescription) {
    this.#vfsfd = fd;
  }

  /** The last reference to the description is gone: free resources. */
  abstract release(ctx: Context): void;

  /** fstat. */
  abstract stat(ctx: Context, opts: StatOptions): Statx;

  /** fchmod, fchown, futimens, ftruncate; check permissions with `checkSetStat`. */
  abstract setStat(ctx: Context, opts: SetStatOptions): void;

  /** Does nothing. */
  onClose(_ctx: Context): void {}

  /** @throws ENOSYS - Always (no statfs for this file). */
  statFS(_ctx: Context): Statfs {
    throw new SysError("ENOSYS", { syscall: "fstatfs" });
  }

  /** @throws ENODEV - Always (allocation not supported). */
  allocate(_ctx: Context, _mode: number, _offset: number, _length: number): void {
    throw new SysError("ENODEV", { syscall: "fallocate" });
  }

  /** Readable and writable, always (Linux's DEFAULT_POLLMASK), masked by `mask`. */
  readiness(mask: number): number {
    return mask & DEFAULT_POLL_MASK;
  }

  /** Does nothing: readiness never changes. */
  eventRegister(_waiter: Waiter, _mask: number): void {}

  /** Does nothing. */
  eventUnregister(_waiter: Waiter): void {}

  /** False: epoll cannot watch this file. */
  epollable(): boolean {
    return false;
  }

  /** @throws EINVAL - Always (no read method). */
  pread(_ctx: Context, _dst: Uint8Array, _offset: number, _opts: ReadOptions): number {
    throw new SysError("EINVAL", { syscall: "pread64" });
  }

  /** @throws EINVAL - Always (no read method). */
  read(_ctx: Context, _dst: Uint8Array, _opts: ReadOptions): number {
    throw new SysError("EINVAL", { syscall: "read" });
  }

  /** @throws EINVAL - Always (no write method). */
  pwrite(_ctx: Context, _src: Uint8Array, _offset: number, _opts: WriteOptions): number {
    throw new SysError("EINVAL", { syscall: "pwrite64" });
  }

  /** @throws EINVAL - Always (no write method). */
  write(_ctx: Context, _src: Uint8Array, _opts: WriteOptions): number {
    throw new SysError("EINVAL", { syscall: "write" });
  }

  /** @throws ENOTDIR - Always (not a directory). */
  iterDirents(_ctx: Context, _cb: IterDirentsCallback): void {
    throw new SysError("ENOTDIR", { syscall: "getdents64" });
  }

  /** @throws ESPIPE - Always (not seekable). */
  seek(_ctx: Context, _offset: number, _whence: number): number {
    throw new SysError("ESPIPE", { syscall: "lseek" });
  }

  /** @throws EINVAL - Always (no fsync method). */
  sync(_ctx: Context): void {
    throw new SysError("EINVAL", { syscall: "fsync" });
  }

  /**
   * @throws EOPNOTSUPP - For FICLONE, FICLONERANGE and FIDEDUPERANGE.
   * @throws ENOTTY - For every other request.
   */
  ioctl(_ctx: Context, request: number, _arg: unknown): number {
    switch (request >>> 0) {
      case FICLONE:
      case FICLONERANGE:
      case FIDEDUPERANGE:
        throw new SysError("EOPNOTSUPP", { syscall: "ioctl" });
      default:
        throw new SysError("ENOTTY", { syscall: "ioctl" });
    }
  }

  /** @throws EOPNOTSUPP - Always (no extended attributes). */
  listXattr(_ctx: Context, _size: number): string[] {
    throw new SysError("EOPNOTSUPP", { syscall: "flistxattr" });
  }

  /** @throws EOPNOTSUPP - Always (no extended attributes). */
  getXattr(_ctx: Context, _opts: GetXattrOptions): Uint8Array {
    throw new SysError("EOPNOTSUPP", { syscall: "fgetxattr" });
  }

  /** @throws EOPNOTSUPP - Always (no extended attributes). */
  setXattr(_ctx: Context, _opts: SetXattrOptions): void {
    throw new SysError("EOPNOTSUPP", { syscall: "fsetxattr" });
  }

  /** @throws EOPNOTSUPP - Always (no extended attributes). */
  removeXattr(_ctx: Context, _name: string): void {
    throw new SysError("EOPNOTSUPP", { syscall: "fremovexattr" });
  }

  /** No lock support: flock and fcntl locks fail with ENOLCK (gVisor's `NoLockFD`). */
  fileLocks(): FileLocks | undefined {
    return undefined;
  }
}

/**
 * The base for directory descriptions: like {@link FileDescriptionDefaultImpl}, but data
 * I/O and allocation fail with EISDIR (gVisor's `DirectoryFileDescriptionDefaultImpl`).
 *
 * @remarks
 * Subclasses implement `iterDirents` and usually `seek` (SEEK_SET to 0 rewinds).
 * @public
 */
export abstract class DirectoryFileDescriptionDefaultImpl extends FileDescriptionDefaultImpl {
  /** @throws EISDIR - Always. */
  override allocate(_ctx: Context, _mode: number, _offset: number, _length: number): void {
    throw new SysError("EISDIR", { syscall: "fallocate" });
  }

  /** @throws EISDIR - Always. */
  override pread(_ctx: Context, _dst: Uint8Array, _offset: number, _opts: ReadOptions): number {
    throw new SysError("EISDIR", { syscall: "pread64" });
  }

  /** @throws EISDIR - Always. */
  override read(_ctx: Context, _dst: Uint8Array, _opts: ReadOptions): number {
    throw new SysError("EISDIR", { syscall: "read" });
  }

  /** @throws EISDIR - Always. */
  override pwrite(_ctx: Context, _src: Uint8Array, _offset: number, _opts: WriteOptions): number {
    throw new SysError("EISDIR", { syscall: "pwrite64" });
  }

  /** @throws EISDIR - Always. */
  override write(_ctx: Context, _src: Uint8Array, _opts: WriteOptions): number {
    throw new SysError("EISDIR", { syscall: "write" });
  }
}

/**
 * The base for descriptions initialised with `useDentryMetadata` (pipes, sockets, device
 * files, epoll and inotify instances): their metadata lives with the dentry's filesystem,
 * so `stat` and `setStat` here must never be reached (gVisor's
 * `DentryMetadataFileDescriptionImpl`).
 *
 * @public
 */
export abstract class DentryMetadataFileDescriptionImpl extends FileDescriptionDefaultImpl {
  /** @throws InternalError - Always: the FileDescription should have asked the filesystem. */
  stat(_ctx: Context, _opts: StatOptions): Statx {
    throw new InternalError(`${this.constructor.name}.stat called: the description must use useDentryMetadata`);
  }

  /** @throws InternalError - Always: the FileDescription should have asked the filesystem. */
  setStat(_ctx: Context, _opts: SetStatOptions): void {
    throw new InternalError(`${this.constructor.name}.setStat called: the description must use useDentryMetadata`);
  }
}

/**
 * Produces the contents of a dynamic file (gVisor's `DynamicBytesSource`; Linux's
 * seq_file `show`).
 * @public
 */
export interface DynamicBytesSource {
  /**
   * Prints the whole file into `buf`.
   * @remarks `buf` is empty when called. Throw a SysError to fail the read or seek that asked.
   */
  generate(ctx: Context, buf: ByteSink): void;
}

/**
 * A {@link DynamicBytesSource} that also accepts writes (a writable /proc or /sys file).
 * @public
 */
export interface WritableDynamicBytesSource extends DynamicBytesSource {
  /**
   * Handles a write of `src` at `offset` through `fd`.
   * @returns The number of bytes consumed.
   */
  write(ctx: Context, fd: FileDescription, src: Uint8Array, offset: number): number;
}

/**
 * True if `source` accepts writes.
 * @public
 */
export function isWritableDynamicBytesSource(source: DynamicBytesSource): source is WritableDynamicBytesSource {
  return typeof (source as Partial<WritableDynamicBytesSource>).write === "function";
}

/**
 * A {@link DynamicBytesSource} with a fixed content (gVisor's `StaticData`).
 * @public
 */
export class StaticData implements DynamicBytesSource {
  /**
   * @param data - The file's content.
   */
  constructor(readonly data: string) {}

  /** Prints the fixed content. */
  generate(_ctx: Context, buf: ByteSink): void {
    buf.write(this.data);
  }
}

/**
 * The extra events a {@link DynamicBytesPoller} signals besides readability: EPOLLPRI |
 * EPOLLERR, as Linux's /proc/[pid]/mounts does when the mount table changes.
 * @public
 */
export const DYNAMIC_BYTES_POLL_EVENTS = EPOLLPRI | EPOLLERR;

/**
 * Change notification for a dynamic file whose content changes at known moments
 * (/proc/[pid]/mounts and mountinfo after a mount change, the hostname). gVisor's
 * `DynamicBytesPoller`.
 *
 * @remarks
 * A reader remembers {@link DynamicBytesPoller.seq} when it reads and registers a waiter;
 * {@link DynamicBytesPoller.notify} bumps the sequence and wakes waiters with readable |
 * EPOLLPRI | EPOLLERR.
 * @public
 */
export class DynamicBytesPoller {
  readonly #queue = new WaiterQueue();
  #seq = 0;

  /** Records a change and wakes every waiter. */
  notify(): void {
    this.#seq++;
    this.#queue.notify(READABLE_EVENTS | DYNAMIC_BYTES_POLL_EVENTS);
  }

  /** Registers `waiter` for `mask`. */
  eventRegister(waiter: Waiter, mask: number): void {
    this.#queue.register(waiter, mask);
  }

  /** Unregisters `waiter`. */
  eventUnregister(waiter: Waiter): void {
    this.#queue.unregister(waiter);
  }

  /** The number of changes so far. */
  seq(): number {
    return this.#seq;
  }
}

/**
 * A {@link DynamicBytesSource} whose changes can be polled.
 * @public
 */
export interface PollableDynamicBytesSource extends DynamicBytesSource {
  /** The poller signalled when the content changes. */
  getDynamicBytesPoller(ctx: Context): DynamicBytesPoller;
}

/**
 * A description whose content is generated on demand, seq_file style (gVisor's
 * `DynamicBytesFileDescriptionImpl`, Linux's seq_file): the base of every /proc and /sys
 * text file.
 *
 * @remarks
 * The content is generated whole into a buffer and then served from it. It is generated
 * again when the buffer is empty or when a read starts at an offset other than where the
 * last read or seek ended, so reading a file from start to end sees one consistent
 * snapshot, and seeking back (or pread at another offset) sees fresh data. A read at or
 * past the end returns 0. If generation fails the buffer is dropped and the error
 * returned.
 *
 * `seek` takes SEEK_SET and SEEK_CUR only (EINVAL otherwise, and for a negative result,
 * as seq_lseek does); seeking to a new offset regenerates at once. Writes go to a
 * {@link WritableDynamicBytesSource} and drop the buffer; other sources fail with EIO.
 *
 * Subclasses implement `release`, `stat` and `setStat` (kernfs supplies them).
 * @public
 */
export abstract class DynamicBytesFileDescriptionImpl extends FileDescriptionDefaultImpl {
  readonly #data: DynamicBytesSource;
  readonly #buf = new ByteSink();
  #off = 0;
  /** The offset at which the last read, pread or seek ended. */
  #lastRead = 0;

  /**
   * @param data - Generates the content.
   */
  constructor(data: DynamicBytesSource) {
    super();
    this.#data = data;
  }

  /** The source that generates the content. */
  get source(): DynamicBytesSource {
    return this.#data;
  }

  /** The current file offset. */
  offset(): number {
    return this.#off;
  }

  /**
   * Reads at `offset`, regenerating the content if needed.
   *
   * @returns Bytes read; 0 at or past the end.
   * @throws EINVAL - `offset` is negative.
   * @throws Whatever the source's `generate` throws.
   */
  override pread(ctx: Context, dst: Uint8Array, offset: number, _opts: ReadOptions): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pread64" });
    return this.#readAt(ctx, dst, offset);
  }

  /**
   * Reads at the file offset and advances it.
   *
   * @returns Bytes read; 0 at or past the end.
   * @throws Whatever the source's `generate` throws.
   */
  override read(ctx: Context, dst: Uint8Array, _opts: ReadOptions): number {
    const n = this.#readAt(ctx, dst, this.#off);
    this.#off += n;
    return n;
  }

  /**
   * lseek with SEEK_SET or SEEK_CUR; a new offset regenerates the content at once.
   *
   * @returns The new offset.
   * @throws EINVAL - `whence` is neither SEEK_SET nor SEEK_CUR.
   * @throws EINVAL - The resulting offset is negative.
   * @throws Whatever the source's `generate` throws (the offset is then reset to 0).
   */
  override seek(ctx: Context, offset: number, whence: number): number {
    switch (whence) {
      case SEEK_SET:
        break;
      case SEEK_CUR:
        offset += this.#off;
        break;
      default:
        throw new SysError("EINVAL", { syscall: "lseek" });
    }
    if (offset < 0) throw new SysError("EINVAL", { syscall: "lseek" });
    if (offset !== this.#lastRead) {
      this.#buf.reset();
      try {
        this.#data.generate(ctx, this.#buf);
      } catch (error) {
        this.#buf.reset();
        this.#off = 0;
        this.#lastRead = 0;
        throw error;
      }
      this.#lastRead = offset;
    }
    this.#off = offset;
    return offset;
  }

  /**
   * Writes to a writable source at `offset`.
   *
   * @returns Bytes written.
   * @throws EOPNOTSUPP - `opts.flags` has bits other than RWF_HIPRI, RWF_DSYNC and RWF_SYNC.
   * @throws EFBIG - `offset` is at or beyond the file-size limit in `ctx` (see `FileSizeLimitKey`).
   * @throws EIO - The source does not accept writes.
   * @throws Whatever the source's `write` throws.
   */
  override pwrite(ctx: Context, src: Uint8Array, offset: number, opts: WriteOptions): number {
    return this.#writeAt(ctx, src, offset, opts);
  }

  /**
   * Writes to a writable source at the file offset and advances it.
   *
   * @returns Bytes written.
   * @throws EOPNOTSUPP - `opts.flags` has bits other than RWF_HIPRI, RWF_DSYNC and RWF_SYNC.
   * @throws EFBIG - The offset is at or beyond the file-size limit in `ctx`.
   * @throws EIO - The source does not accept writes.
   * @throws Whatever the source's `write` throws.
   */
  override write(ctx: Context, src: Uint8Array, opts: WriteOptions): number {
    const n = this.#writeAt(ctx, src, this.#off, opts);
    this.#off += n;
    return n;
  }

  #readAt(ctx: Context, dst: Uint8Array, offset: number): number {
    if (offset !== this.#lastRead) this.#buf.reset();
    if (this.#buf.length === 0) {
      try {
        this.#data.generate(ctx, this.#buf);
      } catch (error) {
        this.#buf.reset();
        this.#lastRead = 0;
        throw error;
      }
    }
    const content = this.#buf.bytes();
    if (offset >= content.length) return 0;
    const n = Math.min(dst.length, content.length - offset);
    dst.set(content.subarray(offset, offset + n));
    this.#lastRead = offset + n;
    return n;
  }

  #writeAt(ctx: Context, src: Uint8Array, offset: number, opts: WriteOptions): number {
    if ((opts.flags & ~(RWF_HIPRI | RWF_DSYNC | RWF_SYNC)) !== 0) throw new SysError("EOPNOTSUPP", { syscall: "pwritev2" });
    const limit = checkLimit(ctx, offset, src.length);
    const data = this.#data;
    if (!isWritableDynamicBytesSource(data)) throw new SysError("EIO", { syscall: "write", detail: "file is not writable" });
    const n = data.write(ctx, this.vfsfd, limit < src.length ? src.subarray(0, limit) : src, offset);
    this.#buf.reset();
    return n;
  }
}
