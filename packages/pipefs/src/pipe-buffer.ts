// The byte store behind a Pipe: queued data as a queue of chunks (copied in once, never
// moved), plus Linux's accounting of that data in page-sized slots, which decides how much
// a write may add, when the pipe counts as full and when F_SETPIPE_SZ may shrink it.
//
// Linux (fs/pipe.c) keeps a ring of `pipe_buffer`s, one page each, at most `max_usage` of
// them. A write first tries to append its last `len % PAGE_SIZE` bytes to the last page
// (if the pipe is not empty and that page has room), then fills fresh pages of 4096 bytes
// while slots are free. A read takes bytes from the first pages and frees a slot when its
// page is empty; bytes a read removed from the front of a page are not reusable. So the
// pipe is "full" when every slot is taken, not when the byte count reaches the capacity,
// and writes of, say, 1 byte then 4096 bytes leave half-empty pages behind. gVisor counts
// bytes instead; this file follows Linux (DESIGN.md D1), checked against the host kernel
// by pipe-host-trace.test.ts.
//
// Storage: every write that opens new slots copies its bytes once into a fresh chunk
// sized to whole pages (so later small writes can be appended to the chunk's last page,
// as Linux appends to the last page); reads copy out and advance an offset into the first
// chunk. Chunks and slots live in rings with a head index: nothing is ever shifted.
// Emptied chunks go back to a small shared pool so a steady stream allocates nothing.
import { PAGE_SIZE } from "@vfskit/abi";

const PAGE_SHIFT = 12;
const PAGE_MASK = PAGE_SIZE - 1;

/** Largest buffer the shared pool keeps, and the most bytes it holds in all. */
const POOL_MAX_BUFFER = 1 << 20;
const POOL_MAX_BYTES = 4 << 20;
const POOL_MAX_COUNT = 16;

// Buffers whose chunks were fully read, ready for the next write (of any pipe). Chunks
// never escape this file and reads copy out, so a pooled buffer has no other user.
const pool: Uint8Array[] = [];
let poolBytes = 0;

function takeBuffer(size: number): Uint8Array {
  // Reuse the most recently returned buffer if it fits without wasting more than half.
  const top = pool[pool.length - 1];
  if (top !== undefined && top.length >= size && top.length <= size * 2) {
    pool.pop();
    poolBytes -= top.length;
    return top;
  }
  return new Uint8Array(size);
}

function returnBuffer(buffer: Uint8Array): void {
  const size = buffer.length;
  if (size > POOL_MAX_BUFFER) return;
  if (pool.length >= POOL_MAX_COUNT || poolBytes + size > POOL_MAX_BYTES) {
    const dropped = pool.shift();
    if (dropped === undefined) return;
    poolBytes -= dropped.length;
  }
  pool.push(buffer);
  poolBytes += size;
}

function ringSizeFor(slots: number): number {
  let size = 1;
  while (size < slots) size *= 2;
  return size;
}

/**
 * Queued pipe data with Linux's page-slot accounting. Internal to the package: `Pipe`
 * wraps it with the reader/writer counts, errors and notifications.
 */
export class PipeBuffer {
  /** Bytes queued. */
  #size = 0;
  /** Slots (pages) a write may fill: Linux's `max_usage`. */
  #maxSlots: number;

  // Slot ring: bytes left in each occupied page, oldest first.
  #slotLen: Int32Array;
  #slotHead = 0;
  #slotCount = 0;
  /** Bytes of the newest page in use (its read offset plus its length): where an append goes. */
  #tailPageUsed = 0;

  // Chunk ring: backing buffer, read position, write position. Every chunk holds at least
  // one occupied slot's bytes, so the ring never needs more entries than the slot ring.
  #chunkBuf: (Uint8Array | undefined)[];
  #chunkRead: Int32Array;
  #chunkWrite: Int32Array;
  #chunkHead = 0;
  #chunkCount = 0;
  #mask: number;

  constructor(maxSlots: number) {
    this.#maxSlots = maxSlots;
    const ring = ringSizeFor(maxSlots);
    this.#mask = ring - 1;
    this.#slotLen = new Int32Array(ring);
    this.#chunkBuf = new Array<Uint8Array | undefined>(ring).fill(undefined);
    this.#chunkRead = new Int32Array(ring);
    this.#chunkWrite = new Int32Array(ring);
  }

  /** Bytes queued. */
  get size(): number {
    return this.#size;
  }

  /** Occupied slots (pages). */
  get slots(): number {
    return this.#slotCount;
  }

  /** Slots a write may fill. */
  get maxSlots(): number {
    return this.#maxSlots;
  }

  /** True when every slot is taken: Linux's `pipe_full`. */
  isFull(): boolean {
    return this.#slotCount >= this.#maxSlots;
  }

  /**
   * Appends as much of `src` as Linux's pipe_write would without blocking.
   *
   * @returns The number of bytes taken from the front of `src` (0 if none fit).
   * @precondition `src.length > 0`.
   */
  write(src: Uint8Array): number {
    const total = src.length;
    let done = 0;

    // Append the tail of a non-page-multiple write to the newest page if it fits there.
    const remainder = total & PAGE_MASK;
    if (remainder !== 0 && this.#slotCount !== 0 && this.#tailPageUsed + remainder <= PAGE_SIZE) {
      const mask = this.#mask;
      const chunk = (this.#chunkHead + this.#chunkCount - 1) & mask;
      const buffer = this.#chunkBuf[chunk] as Uint8Array;
      const at = this.#chunkWrite[chunk] as number;
      buffer.set(remainder === total ? src : src.subarray(0, remainder), at);
      this.#chunkWrite[chunk] = at + remainder;
      const slot = (this.#slotHead + this.#slotCount - 1) & mask;
      this.#slotLen[slot] = (this.#slotLen[slot] as number) + remainder;
      this.#tailPageUsed += remainder;
      this.#size += remainder;
      done = remainder;
      if (done === total) return done;
    }

    // Fill fresh pages while slots are free.
    const free = this.#maxSlots - this.#slotCount;
    if (free <= 0) return done;
    const left = total - done;
    const pages = Math.min((left + PAGE_MASK) >>> PAGE_SHIFT, free);
    const bytes = Math.min(left, pages << PAGE_SHIFT);
    const buffer = takeBuffer(pages << PAGE_SHIFT);
    buffer.set(done === 0 && bytes === total ? src : src.subarray(done, done + bytes));

    const mask = this.#mask;
    const chunk = (this.#chunkHead + this.#chunkCount) & mask;
    this.#chunkBuf[chunk] = buffer;
    this.#chunkRead[chunk] = 0;
    this.#chunkWrite[chunk] = bytes;
    this.#chunkCount++;

    const slotLen = this.#slotLen;
    let slot = (this.#slotHead + this.#slotCount) & mask;
    for (let i = 1; i < pages; i++) {
      slotLen[slot] = PAGE_SIZE;
      slot = (slot + 1) & mask;
    }
    const last = bytes - ((pages - 1) << PAGE_SHIFT);
    slotLen[slot] = last;
    this.#slotCount += pages;
    this.#tailPageUsed = last;
    this.#size += bytes;
    return done + bytes;
  }

  /**
   * Moves up to `dst.length` queued bytes into `dst`.
   *
   * @returns The number of bytes moved.
   */
  read(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.#size);
    if (n === 0) return 0;
    const mask = this.#mask;

    // Data: copy out of the chunks, oldest first.
    let copied = 0;
    while (copied < n) {
      const chunk = this.#chunkHead;
      const buffer = this.#chunkBuf[chunk] as Uint8Array;
      const from = this.#chunkRead[chunk] as number;
      const end = this.#chunkWrite[chunk] as number;
      const take = Math.min(end - from, n - copied);
      dst.set(buffer.subarray(from, from + take), copied);
      copied += take;
      if (from + take === end) {
        // Drained: a drained chunk is never the target of an append (it is either not the
        // newest, or the pipe is now empty and the next write opens a new page).
        this.#chunkBuf[chunk] = undefined;
        this.#chunkHead = (chunk + 1) & mask;
        this.#chunkCount--;
        returnBuffer(buffer);
      } else {
        this.#chunkRead[chunk] = from + take;
      }
    }

    // Slots: take the same bytes from the oldest pages, freeing emptied ones.
    this.#size -= n;
    if (this.#size === 0) {
      this.#slotHead = 0;
      this.#slotCount = 0;
      this.#tailPageUsed = 0;
      this.#chunkHead = 0;
      return n;
    }
    const slotLen = this.#slotLen;
    let left = n;
    while (left > 0) {
      const slot = this.#slotHead;
      const len = slotLen[slot] as number;
      if (len > left) {
        slotLen[slot] = len - left;
        break;
      }
      left -= len;
      this.#slotHead = (slot + 1) & mask;
      this.#slotCount--;
    }
    return n;
  }

  /**
   * Changes the number of slots, keeping the queued data (Linux's `pipe_resize_ring`).
   *
   * @returns False, changing nothing, if more slots than `maxSlots` are occupied.
   */
  resize(maxSlots: number): boolean {
    if (this.#slotCount > maxSlots) return false;
    const ring = ringSizeFor(maxSlots);
    if (ring !== this.#mask + 1) {
      const oldMask = this.#mask;
      const slotLen = new Int32Array(ring);
      for (let i = 0; i < this.#slotCount; i++) slotLen[i] = this.#slotLen[(this.#slotHead + i) & oldMask] as number;
      const chunkBuf = new Array<Uint8Array | undefined>(ring).fill(undefined);
      const chunkRead = new Int32Array(ring);
      const chunkWrite = new Int32Array(ring);
      for (let i = 0; i < this.#chunkCount; i++) {
        const from = (this.#chunkHead + i) & oldMask;
        chunkBuf[i] = this.#chunkBuf[from];
        chunkRead[i] = this.#chunkRead[from] as number;
        chunkWrite[i] = this.#chunkWrite[from] as number;
      }
      this.#slotLen = slotLen;
      this.#chunkBuf = chunkBuf;
      this.#chunkRead = chunkRead;
      this.#chunkWrite = chunkWrite;
      this.#slotHead = 0;
      this.#chunkHead = 0;
      this.#mask = ring - 1;
    }
    this.#maxSlots = maxSlots;
    return true;
  }
}
