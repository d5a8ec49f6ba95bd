// Opening a pipe by name or by handle (gVisor's VFSPipe in kernel/pipe/vfs.go; Linux's
// fifo_open in fs/pipe.c): who waits for whom, and when ENXIO and EINVAL apply. The FIFO
// inode of a filesystem (tmpfs) owns one VFSPipe; the anonymous pipefs owns one per pipe.
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, SysError } from "@vfskit/abi";
import { InternalError, type Waitable, type Waiter } from "@vfskit/vfs";
import { FIFO_PEER_EVENT, Pipe } from "./pipe.js";
import { PipeEnd } from "./pipe-end.js";

/**
 * Options of the {@link VFSPipe} constructor.
 * @public
 */
export interface VFSPipeOptions {
  /**
   * A named pipe (a FIFO inode, opened by path): blocking opens wait for the other side,
   * and a non-blocking O_WRONLY open without a reader fails with ENXIO. Anonymous pipes
   * (from pipe2, reopened through /proc/self/fd) never wait. Default false.
   */
  readonly named?: boolean;
  /** The pipe's initial capacity in bytes, rounded as {@link Pipe} rounds it. */
  readonly capacity?: number;
}

/**
 * The pipe behind a FIFO inode or an anonymous pipe, with Linux's open rules (gVisor's
 * `VFSPipe`).
 *
 * @remarks
 * {@link VFSPipe.open} never blocks (DESIGN.md D2). Where Linux's `open(2)` would sleep
 * until the other side appears, it returns a {@link PendingFifoOpen}: the end already
 * exists and counts (so the other side, opening next, finds it), and the ticket
 * completes once the wait would have ended, or is cancelled. The kernel's async open
 * awaits it:
 *
 * ```ts
 * const result = vp.open(flags);
 * if (!(result instanceof PendingFifoOpen)) return result;
 * try {
 *   await waitForReadiness(result, FIFO_PEER_EVENT, signal);
 * } catch (error) {
 *   result.cancel(); // interrupted: Linux returns EINTR (ERESTARTSYS)
 *   throw error;
 * }
 * return result.complete();
 * ```
 * @public
 */
export class VFSPipe {
  /** The pipe. */
  readonly pipe: Pipe;
  /** True for a FIFO (named pipe); false for an anonymous pipe. */
  readonly named: boolean;

  /**
   * @param options - Named or anonymous, and the initial capacity.
   */
  constructor(options: VFSPipeOptions = {}) {
    this.named = options.named ?? false;
    this.pipe = new Pipe(options.capacity === undefined ? {} : { capacity: options.capacity });
  }

  /**
   * The two ends pipe2(2) returns: a read-only end and a write-only end, in that order.
   *
   * @remarks
   * The caller owns one reference on each end.
   */
  readerWriterPair(): [PipeEnd, PipeEnd] {
    const reader = new PipeEnd(this.pipe, O_RDONLY);
    const writer = new PipeEnd(this.pipe, O_WRONLY);
    return [reader, writer];
  }

  /**
   * Opens the pipe as open(2) opens a FIFO (Linux's `fifo_open`).
   *
   * @remarks
   * By access mode:
   *
   * - O_RDWR: never waits; the end counts as a reader and a writer.
   *
   * - O_RDONLY: returns an end at once if a writer is open, if O_NONBLOCK is set, or if
   *   the pipe is anonymous. Otherwise returns a {@link PendingFifoOpen} that becomes ready
   *   when a writer exists or a writer has opened since this open began (a writer that
   *   opened and closed again still releases it, as in Linux). A non-blocking read end
   *   opened without a writer reports no EPOLLHUP until a writer has come and gone.
   *
   * - O_WRONLY: on a FIFO without a reader, fails with ENXIO if O_NONBLOCK is set, and
   *   otherwise returns a {@link PendingFifoOpen} that becomes ready when a reader exists
   *   or a reader has opened since. Otherwise returns an end at once.
   *
   * A pending reader or writer already counts as one: two blocking opens of opposite
   * sides release each other, and a non-blocking O_WRONLY open succeeds while a blocking
   * reader waits.
   *
   * @param flags - The open(2) flags; the access mode and O_NONBLOCK are used.
   * @returns The end (the caller owns one reference), or a pending open to complete.
   * @throws EINVAL - The access mode allows neither reading nor writing (O_ACCMODE 3).
   * @throws ENXIO - A FIFO opened O_WRONLY | O_NONBLOCK has no reader.
   */
  open(flags: number): PipeEnd | PendingFifoOpen {
    const pipe = this.pipe;
    const nonBlocking = (flags & O_NONBLOCK) !== 0;
    switch (flags & O_ACCMODE) {
      case O_RDWR:
        return new PipeEnd(pipe, O_RDWR);

      case O_RDONLY: {
        const writersSeen = pipe.totalWriters();
        if (!this.named || pipe.writers() > 0) return new PipeEnd(pipe, O_RDONLY);
        if (nonBlocking) return new PipeEnd(pipe, O_RDONLY, { writersSeen });
        const end = new PipeEnd(pipe, O_RDONLY);
        return new PendingFifoOpen(end, () => pipe.writers() > 0 || pipe.totalWriters() !== writersSeen);
      }

      case O_WRONLY: {
        if (this.named && nonBlocking && pipe.readers() === 0) {
          throw new SysError("ENXIO", { syscall: "open", detail: "FIFO has no reader" });
        }
        const readersSeen = pipe.totalReaders();
        const end = new PipeEnd(pipe, O_WRONLY);
        if (!this.named || pipe.readers() > 0) return end;
        return new PendingFifoOpen(end, () => pipe.readers() > 0 || pipe.totalReaders() !== readersSeen);
      }

      default:
        throw new SysError("EINVAL", { syscall: "open", detail: "FIFO access mode allows neither read nor write" });
    }
  }
}

/**
 * A FIFO open that Linux would block in, waiting for the other side (see
 * {@link VFSPipe.open}). A ticket: end it with exactly one of
 * {@link PendingFifoOpen.complete} or {@link PendingFifoOpen.cancel}.
 *
 * @remarks
 * Its readiness is {@link FIFO_PEER_EVENT} once the other side has appeared; waiters
 * registered on it are woken by every open of the pipe and recheck. The end it holds
 * already counts as a reader or writer of the pipe.
 * @public
 */
export class PendingFifoOpen implements Waitable {
  #end: PipeEnd | undefined;
  readonly #pipe: Pipe;
  readonly #peerSeen: () => boolean;

  /**
   * @param end - The end being opened; the ticket owns its reference.
   * @param peerSeen - True once the open may complete.
   */
  constructor(end: PipeEnd, peerSeen: () => boolean) {
    this.#end = end;
    this.#pipe = end.pipe;
    this.#peerSeen = peerSeen;
  }

  /** True if {@link PendingFifoOpen.complete} would succeed now. */
  isReady(): boolean {
    return this.#end !== undefined && this.#peerSeen();
  }

  /**
   * {@link FIFO_PEER_EVENT} (masked by `mask`) once the open can complete, else 0.
   *
   * @param mask - The events of interest.
   */
  readiness(mask: number): number {
    return this.isReady() ? mask & FIFO_PEER_EVENT : 0;
  }

  /**
   * Registers `waiter` on the pipe's queue; notifies it at once if already ready.
   *
   * @param waiter - The waiter.
   * @param mask - The events of interest (include {@link FIFO_PEER_EVENT}).
   * @throws InternalError - The ticket was already completed or cancelled.
   */
  eventRegister(waiter: Waiter, mask: number): void {
    this.#live();
    this.#pipe.queue.register(waiter, mask);
    const ready = this.readiness(mask);
    if (ready !== 0) waiter.notify(ready);
  }

  /**
   * Unregisters `waiter` (also after the ticket was completed or cancelled).
   *
   * @param waiter - The waiter.
   */
  eventUnregister(waiter: Waiter): void {
    this.#pipe.queue.unregister(waiter);
  }

  /**
   * Finishes the open.
   *
   * @returns The end; the caller now owns its reference.
   * @throws EAGAIN - The other side has not appeared yet.
   * @throws InternalError - The ticket was already completed or cancelled.
   */
  complete(): PipeEnd {
    const end = this.#live();
    if (!this.#peerSeen()) throw new SysError("EAGAIN", { syscall: "open", detail: "FIFO peer not open yet" });
    this.#end = undefined;
    return end;
  }

  /**
   * Abandons the open (the caller was interrupted): the end is closed, which wakes the
   * other side if it was the last of its kind. The kernel then fails the open with EINTR.
   *
   * @throws InternalError - The ticket was already completed or cancelled.
   */
  cancel(): void {
    const end = this.#live();
    this.#end = undefined;
    end.decRef();
  }

  #live(): PipeEnd {
    const end = this.#end;
    if (end === undefined) throw new InternalError("PendingFifoOpen used after complete() or cancel()");
    return end;
  }
}
