// The contents of a tmpfs regular file: chunked, lazily allocated storage with Linux's
// page-granular accounting (mm/shmem.c). gVisor keeps file data in a page set backed by
// its MemoryFile; here the pages live in JavaScript typed arrays.
import { PAGE_SIZE, SysError } from "@vfskit/abi";

/** Bytes per chunk: the unit of allocation. */
export const CHUNK_SIZE = 1 << 16;
/** Pages (4096 bytes, Linux's accounting unit) per chunk. */
const PAGES_PER_CHUNK = CHUNK_SIZE / PAGE_SIZE;
/** The smallest buffer a first chunk starts with. */
const MIN_FIRST_CHUNK = 64;

/**
 * The largest file tmpfs holds here: 2^47 bytes (128 TiB). Linux allows 2^63 - 1; a
 * JavaScript number is exact only up to 2^53, and chunk indices must stay valid array
 * indices.
 * @internal
 */
export const MAX_FILE_SIZE = 2 ** 47;

/**
 * One chunk of file data.
 *
 * @remarks
 * `data` covers the start of the chunk; it is shorter than {@link CHUNK_SIZE} only for the
 * first chunk of a small file, which grows by doubling (a file of 100 bytes does not
 * hold 64 KiB). Every other chunk is allocated whole. Bytes past `data.length`, in pages
 * not marked in `pages`, or past the end of the file read as zero: the invariant is that
 * those bytes of `data` are zero.
 * @internal
 */
export class Chunk {
  /** The chunk's bytes (at most {@link CHUNK_SIZE}). */
  data: Uint8Array;
  /** Bit i set: page i of the chunk is allocated (written or fallocated), as Linux counts. */
  pages = 0;

  /**
   * @param data - The bytes, all zero (or about to be entirely overwritten).
   */
  constructor(data: Uint8Array) {
    this.data = data;
  }
}

/**
 * Full-size chunk buffers of deleted or truncated files, kept for reuse (at most
 * {@link POOL_MAX} of them, 16 MiB). Allocating a fresh 64 KiB buffer costs far more
 * than the copy into it (the engine zero-fills it, the operating system maps its pages,
 * and the garbage collector must account for it); a file rewritten or replaced again
 * and again then runs at memory-copy speed.
 */
const pool: Uint8Array[] = [];
const POOL_MAX = 256;

/**
 * A buffer of `capacity` bytes that reads as zeros except, possibly, in bytes
 * [`overwriteStart`, `overwriteEnd`), which the caller is about to overwrite.
 */
function allocateBuffer(capacity: number, overwriteStart: number, overwriteEnd: number): Uint8Array {
  if (capacity !== CHUNK_SIZE) return new Uint8Array(capacity);
  const reused = pool.pop();
  if (reused === undefined) return new Uint8Array(capacity);
  if (overwriteStart > 0) reused.fill(0, 0, overwriteStart);
  if (overwriteEnd < CHUNK_SIZE) reused.fill(0, overwriteEnd);
  return reused;
}

/** Gives a chunk's buffer back for reuse (its contents are stale). */
function recycle(chunk: Chunk): void {
  const data = chunk.data;
  if (data.length === CHUNK_SIZE && pool.length < POOL_MAX) pool.push(data);
}

/** The number of bits set in a 16-bit mask. */
function popcount16(x: number): number {
  x = x - ((x >>> 1) & 0x5555);
  x = (x & 0x3333) + ((x >>> 2) & 0x3333);
  x = (x + (x >>> 4)) & 0x0f0f;
  return (x + (x >>> 8)) & 0x1f;
}

/** The mask of the pages touched by bytes [start, start + length) of a chunk (length > 0). */
function pageBits(start: number, length: number): number {
  const first = start >>> 12;
  const last = (start + length - 1) >>> 12;
  return (0xffff >>> (15 - last)) & (0xffff << first);
}

/** The mask of the pages lying entirely inside bytes [start, end) of a chunk. */
function wholePageBits(start: number, end: number): number {
  const first = (start + PAGE_SIZE - 1) >>> 12;
  const last = (end >>> 12) - 1; // the last page ending at or before `end`
  if (last < first) return 0;
  return (0xffff >>> (15 - last)) & (0xffff << first);
}

/** The capacity to give chunk `index` so that it holds `needed` bytes. */
function capacityFor(index: number, needed: number): number {
  if (index !== 0 || needed > CHUNK_SIZE / 2) return CHUNK_SIZE;
  let capacity = MIN_FIRST_CHUNK;
  while (capacity < needed) capacity *= 2;
  return capacity;
}

/**
 * Where a file's page accounting goes: the filesystem's `size=` budget.
 * @internal
 */
export interface PageAccount {
  /** Pages still available (`Infinity` without a limit). */
  freePages(): number;
  /** Records `count` more pages in use (may be negative). */
  addPages(count: number): void;
}

/**
 * A regular file's bytes: `size` plus chunks of {@link CHUNK_SIZE} bytes indexed by
 * `offset / CHUNK_SIZE`, allocated when first written.
 *
 * @remarks
 * A write copies the caller's bytes once, into the chunks; growing the file never moves
 * what was written (except inside the first chunk of a small file, at most 64 KiB in all).
 * A read copies once, out of the chunks, and reads holes as zeros. `pages` counts the
 * allocated 4 KiB pages, which is what st_blocks and the `size=` limit see, as in Linux:
 * a one-byte write at 1 MiB makes a file of 1 MiB + 1 bytes using one page.
 *
 * The chunk array may be sparse: V8 switches a very sparse array to a dictionary, so a
 * write far beyond the end allocates only what it touches.
 * @internal
 */
export class FileData {
  /** The file size in bytes. */
  size = 0;
  /** Allocated 4 KiB pages. */
  pages = 0;
  /** The chunks; `undefined` entries (or holes) are unallocated. */
  chunks: (Chunk | undefined)[] = [];

  /**
   * Copies `min(dst.length, size - offset)` bytes at `offset` into `dst`.
   * @returns The number of bytes copied (0 at or past the end).
   */
  read(dst: Uint8Array, offset: number): number {
    const size = this.size;
    if (offset >= size) return 0;
    const total = Math.min(dst.length, size - offset);
    const chunks = this.chunks;
    let done = 0;
    while (done < total) {
      const pos = offset + done;
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(total - done, CHUNK_SIZE - within);
      const chunk = chunks[index];
      let copied = 0;
      if (chunk !== undefined && within < chunk.data.length) {
        copied = Math.min(n, chunk.data.length - within);
        dst.set(chunk.data.subarray(within, within + copied), done);
      }
      if (copied < n) dst.fill(0, done + copied, done + n);
      done += n;
    }
    return total;
  }

  /**
   * Copies `src` into the file at `offset`, growing it as needed; stops short, at a page
   * boundary, when the `size=` budget runs out.
   *
   * @returns The number of bytes written.
   * @throws ENOSPC - not even the first byte fits.
   * @precondition `src.length > 0`; `offset + src.length <= MAX_FILE_SIZE`.
   */
  write(src: Uint8Array, offset: number, account: PageAccount): number {
    let length = src.length;
    const free = account.freePages();
    if (free !== Infinity) {
      length = this.#fitPages(offset, length, free);
      if (length === 0) throw new SysError("ENOSPC", { syscall: "write" });
    }
    const chunks = this.chunks;
    let done = 0;
    let newPages = 0;
    while (done < length) {
      const pos = offset + done;
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(length - done, CHUNK_SIZE - within);
      const end = within + n;
      let chunk = chunks[index];
      if (chunk === undefined) {
        chunk = new Chunk(allocateBuffer(capacityFor(index, end), within, end));
        chunks[index] = chunk;
      } else if (chunk.data.length < end) {
        growChunk(chunk, capacityFor(index, end));
      }
      chunk.data.set(n === src.length ? src : src.subarray(done, done + n), within);
      const bits = pageBits(within, n);
      const added = bits & ~chunk.pages;
      if (added !== 0) {
        chunk.pages |= bits;
        newPages += popcount16(added);
      }
      done += n;
    }
    if (newPages !== 0) {
      this.pages += newPages;
      account.addPages(newPages);
    }
    if (offset + length > this.size) this.size = offset + length;
    return length;
  }

  /** How much of a write of `length` bytes at `offset` fits in `free` new pages. */
  #fitPages(offset: number, length: number, free: number): number {
    if (this.#newPagesIn(offset, offset + length) <= free) return length;
    // Walk page by page to find where the budget ends.
    let page = Math.floor(offset / PAGE_SIZE);
    const lastPage = Math.floor((offset + length - 1) / PAGE_SIZE);
    let used = 0;
    for (; page <= lastPage; page++) {
      if (!this.#pageAllocated(page)) {
        if (used === free) break;
        used++;
      }
    }
    return Math.max(0, Math.min(length, page * PAGE_SIZE - offset));
  }

  #pageAllocated(page: number): boolean {
    const chunk = this.chunks[Math.floor(page / PAGES_PER_CHUNK)];
    return chunk !== undefined && (chunk.pages & (1 << page % PAGES_PER_CHUNK)) !== 0;
  }

  /** The number of unallocated pages touched by bytes [start, end). */
  #newPagesIn(start: number, end: number): number {
    if (end <= start) return 0;
    let count = 0;
    let pos = start;
    while (pos < end) {
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(end - pos, CHUNK_SIZE - within);
      const chunk = this.chunks[index];
      const bits = pageBits(within, n);
      count += popcount16(chunk === undefined ? bits : bits & ~chunk.pages);
      pos += n;
    }
    return count;
  }

  /**
   * Allocates every page of bytes [start, end) without changing the size or the contents
   * (fallocate); all or nothing.
   * @throws ENOSPC - the `size=` budget cannot hold the new pages.
   */
  allocate(start: number, end: number, account: PageAccount): void {
    const needed = this.#newPagesIn(start, end);
    if (needed > account.freePages()) throw new SysError("ENOSPC", { syscall: "fallocate" });
    const chunks = this.chunks;
    let pos = start;
    while (pos < end) {
      const index = Math.floor(pos / CHUNK_SIZE);
      const within = pos - index * CHUNK_SIZE;
      const n = Math.min(end - pos, CHUNK_SIZE - within);
      const pageEnd = Math.min(CHUNK_SIZE, Math.ceil((within + n) / PAGE_SIZE) * PAGE_SIZE);
      let chunk = chunks[index];
      if (chunk === undefined) {
        chunk = new Chunk(allocateBuffer(capacityFor(index, pageEnd), 0, 0));
        chunks[index] = chunk;
      } else if (chunk.data.length < pageEnd) {
        growChunk(chunk, capacityFor(index, pageEnd));
      }
      chunk.pages |= pageBits(within, n);
      pos += n;
    }
    if (needed !== 0) {
      this.pages += needed;
      account.addPages(needed);
    }
  }

  /**
   * Zeroes bytes [start, end) and frees the pages entirely inside (fallocate
   * PUNCH_HOLE); the size does not change.
   */
  punchHole(start: number, end: number, account: PageAccount): void {
    // Not clamped to the size: fallocate(KEEP_SIZE) may have allocated pages past it.
    let freed = 0;
    for (const index of this.#chunkIndices(Math.floor(start / CHUNK_SIZE))) {
      const base = index * CHUNK_SIZE;
      if (base >= end) break;
      const chunk = this.chunks[index] as Chunk;
      const from = Math.max(start, base) - base;
      const to = Math.min(end, base + CHUNK_SIZE) - base;
      if (from < chunk.data.length) chunk.data.fill(0, from, Math.min(to, chunk.data.length));
      const gone = wholePageBits(from, to) & chunk.pages;
      if (gone !== 0) {
        chunk.pages &= ~gone;
        freed += popcount16(gone);
        if (chunk.pages === 0) {
          this.chunks[index] = undefined;
          recycle(chunk);
        }
      }
    }
    if (freed !== 0) {
      this.pages -= freed;
      account.addPages(-freed);
    }
  }

  /**
   * Sets the size. Shrinking frees the pages past the new end and zeroes the rest of
   * the last page, so that growing again reads zeros; growing allocates nothing.
   */
  truncate(size: number, account: PageAccount): void {
    if (size < this.size) {
      // The first page that lies wholly at or past the new end.
      const keepPages = Math.ceil(size / PAGE_SIZE);
      const keepChunks = Math.ceil(keepPages / PAGES_PER_CHUNK);
      let freed = 0;
      for (const index of this.#chunkIndices(Math.max(0, keepChunks - 1))) {
        const chunk = this.chunks[index] as Chunk;
        const base = index * CHUNK_SIZE;
        if (index >= keepChunks) {
          freed += popcount16(chunk.pages);
          recycle(chunk);
          continue;
        }
        // The chunk holding the new end: zero what follows it and free the later pages.
        const within = size - base;
        if (within < chunk.data.length) chunk.data.fill(0, within);
        const firstGone = keepPages - index * PAGES_PER_CHUNK;
        const gone = firstGone >= PAGES_PER_CHUNK ? 0 : chunk.pages & (0xffff << firstGone) & 0xffff;
        chunk.pages &= ~gone;
        freed += popcount16(gone);
      }
      if (this.chunks.length > keepChunks) this.chunks.length = keepChunks;
      if (freed !== 0) {
        this.pages -= freed;
        account.addPages(-freed);
      }
    }
    this.size = size;
  }

  /** Frees everything (the file is gone). */
  release(account: PageAccount): void {
    if (this.pages !== 0) account.addPages(-this.pages);
    const chunks = this.chunks;
    if (pool.length < POOL_MAX) {
      for (const index of this.#chunkIndices(0)) {
        recycle(chunks[index] as Chunk);
        if (pool.length >= POOL_MAX) break;
      }
    }
    this.pages = 0;
    this.chunks = [];
    this.size = 0;
  }

  /**
   * lseek SEEK_DATA: the first offset at or after `offset` in an allocated page (or
   * `offset` itself inside one).
   * @throws ENXIO - `offset` is at or past the end, or no data follows.
   */
  seekData(offset: number): number {
    if (offset < 0 || offset >= this.size) throw new SysError("ENXIO", { syscall: "lseek" });
    const startPage = Math.floor(offset / PAGE_SIZE);
    for (const index of this.#chunkIndices(Math.floor(startPage / PAGES_PER_CHUNK))) {
      const chunk = this.chunks[index] as Chunk;
      const firstPage = index * PAGES_PER_CHUNK;
      let mask = chunk.pages;
      if (firstPage < startPage) mask &= 0xffff << (startPage - firstPage);
      if (mask === 0) continue;
      const page = firstPage + (31 - Math.clz32(mask & -mask));
      const found = Math.max(offset, page * PAGE_SIZE);
      if (found >= this.size) break;
      return found;
    }
    throw new SysError("ENXIO", { syscall: "lseek" });
  }

  /**
   * lseek SEEK_HOLE: the first offset at or after `offset` in an unallocated page, or
   * the end of the file (an implicit hole).
   * @throws ENXIO - `offset` is at or past the end.
   */
  seekHole(offset: number): number {
    if (offset < 0 || offset >= this.size) throw new SysError("ENXIO", { syscall: "lseek" });
    let page = Math.floor(offset / PAGE_SIZE);
    const endPage = Math.ceil(this.size / PAGE_SIZE);
    while (page < endPage) {
      const chunk = this.chunks[Math.floor(page / PAGES_PER_CHUNK)];
      if (chunk === undefined) break;
      const bit = page % PAGES_PER_CHUNK;
      const holes = ~chunk.pages & 0xffff & (0xffff << bit);
      if (holes !== 0) {
        page = page - bit + (31 - Math.clz32(holes & -holes));
        break;
      }
      page += PAGES_PER_CHUNK - bit;
    }
    return Math.min(this.size, Math.max(offset, page * PAGE_SIZE));
  }

  /**
   * The indices of allocated chunks from `from` on, in increasing order: a plain loop on
   * a dense array, an enumeration of its keys on a sparse one.
   */
  *#chunkIndices(from: number): Generator<number> {
    const chunks = this.chunks;
    const span = chunks.length - from;
    if (span <= 0) return;
    if (span <= 4096) {
      for (let i = from; i < chunks.length; i++) if (chunks[i] !== undefined) yield i;
      return;
    }
    // Object.keys lists only the present indices of a sparse (dictionary) array, in order.
    for (const key of Object.keys(chunks)) {
      const i = Number(key);
      if (i >= from && chunks[i] !== undefined) yield i;
    }
  }
}

/** Grows a (first) chunk to `capacity`, keeping its bytes. */
function growChunk(chunk: Chunk, capacity: number): void {
  const data = allocateBuffer(capacity, 0, chunk.data.length);
  data.set(chunk.data);
  chunk.data = data;
}
