// One open end of a pipe: what an open file description of a pipe or FIFO does with it
// (gVisor's VFSPipeFD in kernel/pipe/vfs.go; Linux's pipefifo_fops). The VFS wrapper is
// PipeFileDescriptionImpl; this class has no VFS dependencies beyond the waiter types.
import {
  FIONREAD,
  O_ACCMODE,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  SysError,
} from "@vfskit/abi";
import { InternalError, RefCounted, type Waitable, type Waiter } from "@vfskit/vfs";
import type { Pipe, SigpipeHandler } from "./pipe.js";

/**
 * Options of the {@link PipeEnd} constructor.
 * @public
 */
export interface PipeEndOptions {
  /**
   * For a read end: the pipe's {@link Pipe.totalWriters} at open, when the open found no
   * writer and did not wait for one (a FIFO opened O_RDONLY | O_NONBLOCK). The end then
   * reports no EPOLLHUP until a writer has opened since (Linux's `f_pipe` cookie). Omit
   * otherwise.
   */
  readonly writersSeen?: number;
}

/**
 * One open end of a {@link Pipe}: read-only, write-only or both, as an open file
 * description of a pipe or FIFO sees it.
 *
 * @remarks
 * Creating an end counts a reader, a writer or both on the pipe; the last
 * {@link PipeEnd.decRef} uncounts them (Linux's `pipe_release`), which wakes the other
 * side. Ends are reference counted (DESIGN.md D3) and registered with the leak checker.
 *
 * Errors follow Linux's order for pipes: positional I/O and seeking fail with ESPIPE
 * whatever the access mode; reading a write-only end or writing a read-only end fails
 * with EBADF. Readiness is the union of the sides the end has, so an O_RDWR end is
 * readable while data is queued and writable while there is room.
 *
 * Everything completes synchronously. A read that would block throws EAGAIN; to wait,
 * register a waiter (or use `waitForReadiness` from `@vfskit/vfs`) and retry.
 * @public
 */
export class PipeEnd extends RefCounted implements Waitable {
  /** The pipe this end belongs to (for F_GETPIPE_SZ / F_SETPIPE_SZ and the counts). */
  readonly pipe: Pipe;
  readonly #readable: boolean;
  readonly #writable: boolean;
  readonly #writersSeen: number;

  /**
   * Opens an end of `pipe` and counts it as a reader, a writer or both.
   *
   * @param pipe - The pipe.
   * @param flags - Open flags; only the access mode (O_RDONLY, O_WRONLY, O_RDWR) is used.
   * @param options - See {@link PipeEndOptions}.
   * @throws InternalError - The access mode is neither read nor write (callers check for
   * EINVAL first, as `VFSPipe.open` does).
   */
  constructor(pipe: Pipe, flags: number, options: PipeEndOptions = {}) {
    super("pipefs.PipeEnd");
    const access = flags & O_ACCMODE;
    if (access !== O_RDONLY && access !== O_WRONLY && access !== O_RDWR) {
      this.dropRef();
      throw new InternalError("PipeEnd: the access mode must allow reading or writing");
    }
    this.pipe = pipe;
    this.#readable = access !== O_WRONLY;
    this.#writable = access !== O_RDONLY;
    this.#writersSeen = options.writersSeen ?? 0;
    if (this.#readable) pipe.rOpen();
    if (this.#writable) pipe.wOpen();
  }

  /** True if this end may be read (O_RDONLY or O_RDWR). */
  isReadable(): boolean {
    return this.#readable;
  }

  /** True if this end may be written (O_WRONLY or O_RDWR). */
  isWritable(): boolean {
    return this.#writable;
  }

  /**
   * Drops a reference; the last one closes this end: the pipe loses a reader and/or a
   * writer, and the other side is notified.
   *
   * @throws InternalError - The end was already released.
   */
  decRef(): void {
    if (!this.dropRef()) return;
    if (this.#readable) this.pipe.rClose();
    if (this.#writable) this.pipe.wClose();
  }

  /**
   * read(2) on this end; see {@link Pipe.read}.
   *
   * @param dst - Where to put the bytes.
   * @returns The number of bytes read; 0 at end of file (or for an empty `dst`).
   * @throws EBADF - The end is not open for reading.
   * @throws EAGAIN - Nothing is queued and a writer exists.
   */
  read(dst: Uint8Array): number {
    const n = this.tryRead(dst);
    if (n < 0) throw new SysError("EAGAIN", { syscall: "read" });
    return n;
  }

  /**
   * Like {@link PipeEnd.read}, but returns -1 where it would throw EAGAIN.
   *
   * @param dst - Where to put the bytes.
   * @returns The number of bytes read, 0 at end of file, or -1 if the read would block.
   * @throws EBADF - The end is not open for reading.
   */
  tryRead(dst: Uint8Array): number {
    this.#checkLive();
    if (!this.#readable) throw new SysError("EBADF", { syscall: "read" });
    return this.pipe.tryRead(dst);
  }

  /**
   * write(2) on this end; see {@link Pipe.write}.
   *
   * @param src - The bytes to write (copied; reusable at once).
   * @param onSigpipe - Called once, before EPIPE is thrown: the caller owes its task a SIGPIPE.
   * @returns The number of bytes written; 0 for an empty `src`.
   * @throws EBADF - The end is not open for writing.
   * @throws EPIPE - The pipe has no reader.
   * @throws EAGAIN - Nothing could be queued (full, or an atomic write that does not fit).
   */
  write(src: Uint8Array, onSigpipe?: SigpipeHandler): number {
    const n = this.tryWrite(src, onSigpipe);
    if (n < 0) throw new SysError("EAGAIN", { syscall: "write" });
    return n;
  }

  /**
   * Like {@link PipeEnd.write}, but returns -1 where it would throw EAGAIN.
   *
   * @param src - The bytes to write.
   * @param onSigpipe - Called once, before EPIPE is thrown.
   * @returns The number of bytes written, or -1 if nothing could be queued.
   * @throws EBADF - The end is not open for writing.
   * @throws EPIPE - The pipe has no reader.
   */
  tryWrite(src: Uint8Array, onSigpipe?: SigpipeHandler): number {
    this.#checkLive();
    if (!this.#writable) throw new SysError("EBADF", { syscall: "write" });
    return this.pipe.tryWrite(src, onSigpipe);
  }

  /**
   * pread(2): pipes have no file position.
   *
   * @param _dst - Unused.
   * @param _offset - Unused.
   * @throws ESPIPE - Always (before any access-mode check, as in Linux).
   */
  pread(_dst: Uint8Array, _offset: number): number {
    throw new SysError("ESPIPE", { syscall: "pread64" });
  }

  /**
   * pwrite(2): pipes have no file position.
   *
   * @param _src - Unused.
   * @param _offset - Unused.
   * @throws ESPIPE - Always (before any access-mode check, as in Linux).
   */
  pwrite(_src: Uint8Array, _offset: number): number {
    throw new SysError("ESPIPE", { syscall: "pwrite64" });
  }

  /**
   * lseek(2): pipes have no file position.
   *
   * @param _offset - Unused.
   * @param _whence - Unused.
   * @throws ESPIPE - Always, for every whence and offset.
   */
  seek(_offset: number, _whence: number): number {
    throw new SysError("ESPIPE", { syscall: "lseek" });
  }

  /**
   * ioctl(2) on this end.
   *
   * @remarks
   * Only FIONREAD is known: it answers the number of queued bytes (clamped to
   * INT32_MAX), on either end. This returns that number, which Linux stores through the
   * argument pointer (the syscall itself returns 0).
   *
   * @param request - The ioctl request.
   * @returns For FIONREAD, the number of queued bytes.
   * @throws ENOTTY - Any other request.
   */
  ioctl(request: number): number {
    if (request === FIONREAD) return this.pipe.queued();
    throw new SysError("ENOTTY", { syscall: "ioctl" });
  }

  /**
   * The subset of `mask` that is ready: the read side's readiness if readable, the write
   * side's if writable, both for O_RDWR (see {@link Pipe.readerReadiness} and
   * {@link Pipe.writerReadiness}).
   *
   * @param mask - The events of interest.
   */
  readiness(mask: number): number {
    let ready = 0;
    if (this.#readable) ready |= this.pipe.readerReadiness(mask, this.#writersSeen);
    if (this.#writable) ready |= this.pipe.writerReadiness(mask);
    return ready;
  }

  /**
   * Registers `waiter` on the pipe's queue for `mask`, then, if any of `mask` is ready
   * already, notifies it at once with those events (as gVisor's pipe does, so that a new
   * epoll interest sees the current state).
   *
   * @param waiter - The waiter.
   * @param mask - The events of interest.
   */
  eventRegister(waiter: Waiter, mask: number): void {
    this.pipe.queue.register(waiter, mask);
    const ready = this.readiness(mask);
    if (ready !== 0) waiter.notify(ready);
  }

  /**
   * Unregisters `waiter` from the pipe's queue.
   *
   * @param waiter - The waiter.
   */
  eventUnregister(waiter: Waiter): void {
    this.pipe.queue.unregister(waiter);
  }

  #checkLive(): void {
    if (this.refCount <= 0) throw new InternalError("PipeEnd used after its last decRef");
  }

  /** What the leak checker prints for this end. */
  protected override describeForLeakCheck(): string {
    const mode = this.#readable && this.#writable ? "O_RDWR" : this.#readable ? "O_RDONLY" : "O_WRONLY";
    return `PipeEnd(${mode})`;
  }
}
