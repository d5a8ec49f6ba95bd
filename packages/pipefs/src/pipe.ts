// The pipe itself (gVisor's kernel/pipe/pipe.go and pipe_util.go; Linux's fs/pipe.c): a
// byte queue shared by readers and writers, with Linux's rules for short and atomic
// writes, EOF, EPIPE, readiness and F_SETPIPE_SZ. Never blocks (DESIGN.md D2): where
// Linux would sleep, it throws EAGAIN and the caller waits on `queue`.
import {
  EPOLLERR,
  EPOLLHUP,
  PAGE_SIZE,
  READABLE_EVENTS,
  SysError,
  WRITABLE_EVENTS,
} from "@vfskit/abi";
import { InternalError, WaiterQueue } from "@vfskit/vfs";
import { PipeBuffer } from "./pipe-buffer.js";

/** Smallest pipe capacity in bytes: one page (Linux's minimum, required by POSIX). @public */
export const MINIMUM_PIPE_SIZE = PAGE_SIZE;

/** Capacity of a new pipe in bytes: 16 pages (Linux's PIPE_DEF_BUFFERS). @public */
export const DEFAULT_PIPE_SIZE = 16 * PAGE_SIZE;

/**
 * Largest capacity in bytes a caller without CAP_SYS_RESOURCE may set: 1 MiB (Linux's
 * default `/proc/sys/fs/pipe-max-size`).
 * @public
 */
export const MAXIMUM_PIPE_SIZE = 1_048_576;

/**
 * The event a pipe's {@link Pipe.queue} carries when a reader or writer opens, and that a
 * pending FIFO open reports once it can complete (the bit gVisor calls `EventInternal`;
 * never reported by poll or epoll).
 * @public
 */
export const FIFO_PEER_EVENT = 0x1000;

/** F_SETPIPE_SZ arguments above this (2^31) are EINVAL (Linux's `round_pipe_size`). */
const LARGEST_PIPE_SIZE_ARG = 2 ** 31;

const INT32_MAX = 0x7fffffff;

/**
 * Options of the {@link Pipe} constructor.
 * @public
 */
export interface PipeOptions {
  /**
   * Initial capacity in bytes (default {@link DEFAULT_PIPE_SIZE}); rounded up to a
   * power-of-two number of pages and kept within {@link MINIMUM_PIPE_SIZE} and
   * {@link MAXIMUM_PIPE_SIZE}, as Linux sizes new pipes (never an error).
   */
  readonly capacity?: number;
}

/**
 * Options of {@link Pipe.setCapacity}.
 * @public
 */
export interface SetCapacityOptions {
  /**
   * The caller has CAP_SYS_RESOURCE: it may grow the pipe beyond
   * {@link MAXIMUM_PIPE_SIZE} (up to 2^31 bytes), as Linux allows.
   */
  readonly capSysResource?: boolean;
}

/**
 * Called once for each write refused with EPIPE: the caller owes its task a SIGPIPE
 * (Linux's `send_sig(SIGPIPE, current, 0)` in pipe_write).
 * @public
 */
export type SigpipeHandler = () => void;

/**
 * Linux's `round_pipe_size`: below a page → one page; otherwise the next power of two.
 * Used only for arguments already known to be in [0, 2^31].
 */
function roundPipeSize(size: number): number {
  let rounded = PAGE_SIZE;
  while (rounded < size) rounded *= 2;
  return rounded;
}

/**
 * A pipe: a bounded byte queue with reader and writer counts and a waiter queue (gVisor's
 * `pipe.Pipe`, Linux's `pipe_inode_info`).
 *
 * @remarks
 * Every method completes synchronously. Where Linux would block, the pipe throws
 * `SysError` EAGAIN (or, with {@link Pipe.tryRead} / {@link Pipe.tryWrite}, returns
 * `-1`), and whoever wants to wait registers a waiter on {@link Pipe.queue}, which is
 * notified on every change of readiness:
 *
 * | change | events |
 * |---|---|
 * | bytes read | writable (EPOLLOUT / EPOLLWRNORM) |
 * | bytes written | readable (EPOLLIN / EPOLLRDNORM) |
 * | capacity grown | writable |
 * | last writer closed | readable, EPOLLHUP |
 * | last reader closed | writable, EPOLLERR |
 * | reader or writer opened | {@link FIFO_PEER_EVENT} (for FIFO opens waiting for a peer) |
 *
 * Capacity is counted as Linux counts it: in page-sized slots. A write appends its last
 * `length % 4096` bytes to the newest page when they fit there and fills fresh pages
 * otherwise; the pipe is full when every slot holds a page, even if some pages are only
 * partly used. Writes of whole pages, and runs of small writes that share pages, fill it
 * to exactly `capacity()` bytes; other mixes of sizes leave pages partly used and fill it
 * earlier, as on Linux (checked against the host kernel, operation by operation).
 *
 * The reader and writer counts are kept by whoever opens the pipe ({@link PipeEnd},
 * `VFSPipe`); a bare Pipe starts with none, so its reads see EOF and its writes EPIPE
 * until {@link Pipe.rOpen} and {@link Pipe.wOpen} are called.
 *
 * @example
 * ```ts
 * const pipe = new Pipe();
 * pipe.rOpen();
 * pipe.wOpen();
 * pipe.write(new TextEncoder().encode("hello"));
 * const buf = new Uint8Array(16);
 * pipe.read(buf); // 5
 * ```
 * @public
 */
export class Pipe {
  /**
   * Waiters for this pipe's readiness events (shared by every end); see the table above.
   */
  readonly queue: WaiterQueue = new WaiterQueue();

  readonly #buffer: PipeBuffer;
  #readers = 0;
  #writers = 0;
  #totalReaders = 0;
  #totalWriters = 0;

  /**
   * @param options - The initial capacity; see {@link PipeOptions}.
   */
  constructor(options: PipeOptions = {}) {
    let size = options.capacity ?? DEFAULT_PIPE_SIZE;
    if (!(size >= MINIMUM_PIPE_SIZE)) size = MINIMUM_PIPE_SIZE;
    size = Math.min(roundPipeSize(size), MAXIMUM_PIPE_SIZE);
    this.#buffer = new PipeBuffer(size / PAGE_SIZE);
  }

  // --- Data. ---

  /**
   * Reads up to `dst.length` queued bytes into `dst` (Linux's `pipe_read`, never waiting).
   *
   * @remarks
   * A zero-length read returns 0 at once. Otherwise, with data queued, it returns what is
   * there up to `dst.length` (a short read is normal) and notifies writers (writable);
   * with nothing queued it returns 0 (end of file) if the pipe has no writer.
   *
   * @param dst - Where to put the bytes.
   * @returns The number of bytes read; 0 at end of file.
   * @throws EAGAIN - Nothing is queued and a writer exists (Linux would block).
   */
  read(dst: Uint8Array): number {
    const n = this.tryRead(dst);
    if (n < 0) throw new SysError("EAGAIN", { syscall: "read" });
    return n;
  }

  /**
   * Like {@link Pipe.read}, but returns -1 instead of throwing EAGAIN (for event loops,
   * where "would block" is the common case and an exception is costly).
   *
   * @param dst - Where to put the bytes.
   * @returns The number of bytes read, 0 at end of file, or -1 if the read would block.
   */
  tryRead(dst: Uint8Array): number {
    if (dst.length === 0) return 0;
    const buffer = this.#buffer;
    if (buffer.size === 0) return this.#writers > 0 ? -1 : 0;
    const n = buffer.read(dst);
    this.queue.notify(WRITABLE_EVENTS);
    return n;
  }

  /**
   * Writes bytes from `src` into the pipe (Linux's `pipe_write`, never waiting).
   *
   * @remarks
   * The bytes are copied; the caller may reuse `src` at once. A zero-length write returns
   * 0 at once, even without readers. A write of at most `PIPE_BUF` (4096) bytes is atomic:
   * all of it is queued or none. A larger write queues what fits and returns that count (a
   * short write); the rest is the caller's to retry. Readers are notified (readable) after
   * every write that queued something.
   *
   * Writing to a pipe without readers calls `onSigpipe` once and throws EPIPE: Linux sends
   * the writer SIGPIPE and fails the write; here the signal is the caller's to deliver,
   * through the handler or on seeing EPIPE (`PipeFileDescriptionImpl` passes no handler:
   * the kernel signals the calling task when a pipe write throws EPIPE).
   *
   * @param src - The bytes to write.
   * @param onSigpipe - Called once, before EPIPE is thrown, if the pipe has no reader.
   * @returns The number of bytes written (at least 1 unless `src` is empty).
   * @throws EPIPE - The pipe has no reader.
   * @throws EAGAIN - Nothing could be queued: the pipe is full, or the write is at most
   * `PIPE_BUF` bytes and does not fit whole.
   */
  write(src: Uint8Array, onSigpipe?: SigpipeHandler): number {
    const n = this.tryWrite(src, onSigpipe);
    if (n < 0) throw new SysError("EAGAIN", { syscall: "write" });
    return n;
  }

  /**
   * Like {@link Pipe.write}, but returns -1 instead of throwing EAGAIN.
   *
   * @param src - The bytes to write.
   * @param onSigpipe - Called once, before EPIPE is thrown, if the pipe has no reader.
   * @returns The number of bytes written, or -1 if nothing could be queued.
   * @throws EPIPE - The pipe has no reader.
   */
  tryWrite(src: Uint8Array, onSigpipe?: SigpipeHandler): number {
    if (src.length === 0) return 0;
    if (this.#readers === 0) {
      onSigpipe?.();
      throw new SysError("EPIPE", { syscall: "write" });
    }
    const n = this.#buffer.write(src);
    if (n === 0) return -1;
    this.queue.notify(READABLE_EVENTS);
    return n;
  }

  /**
   * The number of bytes queued, as FIONREAD reports it (clamped to INT32_MAX).
   */
  queued(): number {
    return Math.min(this.#buffer.size, INT32_MAX);
  }

  // --- Size. ---

  /**
   * The capacity in bytes (F_GETPIPE_SZ).
   */
  capacity(): number {
    return this.#buffer.maxSlots * PAGE_SIZE;
  }

  /**
   * Changes the capacity (F_SETPIPE_SZ, Linux's `pipe_set_size`).
   *
   * @remarks
   * `size` is rounded as Linux rounds it: anything below one page becomes 4096, anything
   * else the next power of two (5000 → 8192, 65537 → 131072; gVisor keeps the exact
   * value, Linux rounds, checked on the host). Shrinking is refused while more pages are
   * in use than the new size has: with a page partly read or partly filled, that can
   * happen even when the queued byte count would fit, as on Linux. Growing notifies
   * writers.
   *
   * @param size - The requested capacity in bytes, as fcntl's argument (an unsigned int
   * in Linux: the kernel package converts a C `int` argument before calling).
   * @param options - Whether the caller has CAP_SYS_RESOURCE.
   * @returns The new capacity in bytes.
   * @throws EINVAL - `size` is negative, not an integer, or above 2^31.
   * @throws EPERM - The rounded size grows the pipe beyond {@link MAXIMUM_PIPE_SIZE}
   * and the caller lacks CAP_SYS_RESOURCE.
   * @throws EBUSY - More pages are in use than the rounded size holds.
   */
  setCapacity(size: number, options: SetCapacityOptions = {}): number {
    if (!Number.isInteger(size) || size < 0 || size > LARGEST_PIPE_SIZE_ARG) {
      throw new SysError("EINVAL", { syscall: "fcntl", detail: "F_SETPIPE_SZ" });
    }
    const rounded = roundPipeSize(size);
    const buffer = this.#buffer;
    const slots = rounded / PAGE_SIZE;
    // Shrinking is always allowed, even for a pipe already above the limit.
    if (slots > buffer.maxSlots && rounded > MAXIMUM_PIPE_SIZE && options.capSysResource !== true) {
      throw new SysError("EPERM", { syscall: "fcntl", detail: "F_SETPIPE_SZ above pipe-max-size" });
    }
    const grew = slots > buffer.maxSlots;
    if (!buffer.resize(slots)) throw new SysError("EBUSY", { syscall: "fcntl", detail: "F_SETPIPE_SZ below queued data" });
    if (grew) this.queue.notify(WRITABLE_EVENTS);
    return rounded;
  }

  // --- Readers and writers. ---

  /**
   * Counts a new reader (an open of the read side).
   *
   * @remarks
   * Notifies {@link FIFO_PEER_EVENT}: a FIFO writer waiting in open may proceed.
   */
  rOpen(): void {
    this.#readers++;
    this.#totalReaders++;
    this.queue.notify(FIFO_PEER_EVENT);
  }

  /**
   * Counts a new writer (an open of the write side).
   *
   * @remarks
   * Notifies {@link FIFO_PEER_EVENT}: a FIFO reader waiting in open may proceed.
   */
  wOpen(): void {
    this.#writers++;
    this.#totalWriters++;
    this.queue.notify(FIFO_PEER_EVENT);
  }

  /**
   * Counts a reader's close.
   *
   * @remarks
   * When the last reader goes, writers are notified with writable | EPOLLERR: a writer
   * waiting for room must now try again and meet EPIPE.
   *
   * @throws InternalError - No reader was open (a broken contract, not a SysError).
   */
  rClose(): void {
    if (this.#readers <= 0) throw new InternalError("Pipe.rClose without a reader");
    if (--this.#readers === 0) this.queue.notify(WRITABLE_EVENTS | EPOLLERR);
  }

  /**
   * Counts a writer's close.
   *
   * @remarks
   * When the last writer goes, readers are notified with readable | EPOLLHUP: a reader
   * waiting for data must now try again and read the rest, then end of file.
   *
   * @throws InternalError - No writer was open (a broken contract, not a SysError).
   */
  wClose(): void {
    if (this.#writers <= 0) throw new InternalError("Pipe.wClose without a writer");
    if (--this.#writers === 0) this.queue.notify(READABLE_EVENTS | EPOLLHUP);
  }

  /** The number of open readers. */
  readers(): number {
    return this.#readers;
  }

  /** The number of open writers. */
  writers(): number {
    return this.#writers;
  }

  /** How many reader opens there have ever been (Linux's `r_counter`). */
  totalReaders(): number {
    return this.#totalReaders;
  }

  /** How many writer opens there have ever been (Linux's `w_counter`). */
  totalWriters(): number {
    return this.#totalWriters;
  }

  /** True if a writer has ever opened this pipe. */
  hadWriter(): boolean {
    return this.#totalWriters > 0;
  }

  // --- Readiness. ---

  /**
   * The read side's readiness, masked by `mask` (Linux's `pipe_poll` for FMODE_READ).
   *
   * @remarks
   * Readable (EPOLLIN | EPOLLRDNORM) while data is queued. EPOLLHUP while no writer is open
   * and a writer has opened since `writersSeen`: with the default 0, "there has ever been
   * a writer", so a reader does not see a hang-up before the first writer connects. A FIFO
   * read end opened without blocking while no writer was open passes the
   * {@link Pipe.totalWriters} it saw, so it sees no hang-up until a new writer comes and
   * goes (Linux's per-file `f_pipe` cookie; gVisor uses one per-pipe flag instead).
   *
   * @param mask - The events of interest.
   * @param writersSeen - The writer-open count before which hang-ups are not reported.
   */
  readerReadiness(mask: number, writersSeen = 0): number {
    let ready = 0;
    if (this.#buffer.size !== 0) ready |= READABLE_EVENTS;
    if (this.#writers === 0 && this.#totalWriters !== writersSeen) ready |= EPOLLHUP;
    return ready & mask;
  }

  /**
   * The write side's readiness, masked by `mask` (Linux's `pipe_poll` for FMODE_WRITE).
   *
   * @remarks
   * Writable (EPOLLOUT | EPOLLWRNORM) while a page slot is free; EPOLLERR while no reader
   * is open.
   *
   * @param mask - The events of interest.
   */
  writerReadiness(mask: number): number {
    let ready = 0;
    if (!this.#buffer.isFull()) ready |= WRITABLE_EVENTS;
    if (this.#readers === 0) ready |= EPOLLERR;
    return ready & mask;
  }
}
