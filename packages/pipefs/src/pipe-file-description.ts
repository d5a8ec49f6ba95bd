// A pipe end as the VFS's FileDescriptionImpl (gVisor's VFSPipeFD): what an open file
// description of a pipe or FIFO delegates to. The FileDescription wrapping it must be
// initialised with `denyPRead`, `denyPWrite`, `useDentryMetadata` and `specialFile`
// (PIPE_FILE_DESCRIPTION_OPTIONS), so pread/pwrite fail with ESPIPE and the access mode
// is checked (EBADF) before these methods run.
import { FIONREAD, SysError } from "@vfskit/abi";
import {
  DentryMetadataFileDescriptionImpl,
  type Context,
  type FileDescriptionOptions,
  type ReadOptions,
  type Waiter,
  type WriteOptions,
} from "@vfskit/vfs";
import type { PipeEnd } from "./pipe-end.js";
import type { Pipe } from "./pipe.js";

/**
 * The options a FileDescription of a pipe end is initialised with: no positional I/O
 * (ESPIPE), metadata from the dentry (the pipefs or FIFO inode), and a special file
 * (opening a FIFO for writing works on a read-only mount).
 * @public
 */
export const PIPE_FILE_DESCRIPTION_OPTIONS: FileDescriptionOptions = {
  denyPRead: true,
  denyPWrite: true,
  useDentryMetadata: true,
  specialFile: true,
};

/**
 * The {@link @vfskit/vfs#FileDescriptionImpl} of a pipe or FIFO end (gVisor's
 * `VFSPipeFD`).
 *
 * @remarks
 * Owns one reference on its {@link PipeEnd}, dropped by `release`. Reads and writes never
 * block: EAGAIN means "wait for readiness and retry", which the kernel's async variants
 * do unless the description is O_NONBLOCK. A write refused with EPIPE owes the calling
 * task a SIGPIPE; delivering it is the kernel's part (as SIGXFSZ is for EFBIG).
 *
 * Initialise the wrapping FileDescription with {@link PIPE_FILE_DESCRIPTION_OPTIONS}.
 * @public
 */
export class PipeFileDescriptionImpl extends DentryMetadataFileDescriptionImpl {
  /** The end this description reads and writes. */
  readonly end: PipeEnd;

  /**
   * @param end - The end; this description takes over the caller's reference.
   */
  constructor(end: PipeEnd) {
    super();
    this.end = end;
  }

  /** The pipe, for fcntl F_GETPIPE_SZ / F_SETPIPE_SZ. */
  get pipe(): Pipe {
    return this.end.pipe;
  }

  /** Closes the end (drops this description's reference on it). */
  release(_ctx: Context): void {
    this.end.decRef();
  }

  /** The end's readiness; see {@link PipeEnd.readiness}. */
  override readiness(mask: number): number {
    return this.end.readiness(mask);
  }

  /** Registers `waiter` with the pipe; see {@link PipeEnd.eventRegister}. */
  override eventRegister(waiter: Waiter, mask: number): void {
    this.end.eventRegister(waiter, mask);
  }

  /** Unregisters `waiter`. */
  override eventUnregister(waiter: Waiter): void {
    this.end.eventUnregister(waiter);
  }

  /** True: pipes can be watched by epoll. */
  override epollable(): boolean {
    return true;
  }

  /**
   * Reads queued bytes; see {@link PipeEnd.read}.
   *
   * @throws EBADF - The end is not open for reading.
   * @throws EAGAIN - Nothing is queued and a writer exists.
   */
  override read(_ctx: Context, dst: Uint8Array, _opts: ReadOptions): number {
    return this.end.read(dst);
  }

  /**
   * Queues bytes; see {@link PipeEnd.write}.
   *
   * @throws EBADF - The end is not open for writing.
   * @throws EPIPE - The pipe has no reader (the kernel sends SIGPIPE).
   * @throws EAGAIN - Nothing could be queued.
   */
  override write(_ctx: Context, src: Uint8Array, _opts: WriteOptions): number {
    return this.end.write(src);
  }

  /**
   * pread(2): pipes have no file position (the FileDescription refuses first).
   * @throws ESPIPE - Always.
   */
  override pread(_ctx: Context, _dst: Uint8Array, _offset: number, _opts: ReadOptions): number {
    throw new SysError("ESPIPE", { syscall: "pread64" });
  }

  /**
   * pwrite(2): pipes have no file position (the FileDescription refuses first).
   * @throws ESPIPE - Always.
   */
  override pwrite(_ctx: Context, _src: Uint8Array, _offset: number, _opts: WriteOptions): number {
    throw new SysError("ESPIPE", { syscall: "pwrite64" });
  }

  /**
   * fallocate(2): not on a pipe (Linux's `vfs_fallocate` checks for a FIFO first).
   * @throws ESPIPE - Always.
   */
  override allocate(_ctx: Context, _mode: number, _offset: number, _length: number): void {
    throw new SysError("ESPIPE", { syscall: "fallocate" });
  }

  /**
   * ioctl(2): FIONREAD stores the number of queued bytes (clamped to INT32_MAX) in
   * `arg[0]` and returns 0.
   *
   * Other requests get the default answers of `FileDescriptionDefaultImpl`.
   *
   * @param arg - For FIONREAD, an `Int32Array` standing for the caller's `int *`.
   * @throws EFAULT - FIONREAD with an `arg` that is not a non-empty Int32Array.
   * @throws EOPNOTSUPP - FICLONE, FICLONERANGE, FIDEDUPERANGE (the default).
   * @throws ENOTTY - Any other request.
   */
  override ioctl(ctx: Context, request: number, arg: unknown): number {
    if (request !== FIONREAD) return super.ioctl(ctx, request, arg);
    if (!(arg instanceof Int32Array) || arg.length < 1) throw new SysError("EFAULT", { syscall: "ioctl" });
    arg[0] = this.end.ioctl(FIONREAD);
    return 0;
  }
}
