// Anonymous device numbers: the st_dev of filesystems without a block device (tmpfs,
// procfs, sysfs, pipefs, testfs), major 0 (UNNAMED_MAJOR). Twin of gVisor's
// GetAnonBlockDevMinor / PutAnonBlockDevMinor (pkg/sentry/vfs/device.go) and Linux's
// get_anon_bdev / free_anon_bdev (fs/super.c).
import { SysError } from "@vfskit/abi";
import { InternalError } from "./assert.js";

/**
 * The highest anonymous minor number, inclusive: Linux's `(1 << MINORBITS) - 1`.
 *
 * @remarks gVisor stops one below it (`minor < maxDevMinor`); Linux's
 * `ida_alloc_range(&unnamed_dev_ida, 1, (1 << MINORBITS) - 1, …)` includes it.
 * @public
 */
export const ANON_BLOCK_DEV_MINOR_MAX = (1 << 20) - 1;

/**
 * Hands out anonymous device minors, lowest free first, from 1 (minor 0 is never used).
 *
 * @remarks
 * Linux allocates the lowest free number (an IDA), so a freed minor is reused by the next
 * filesystem; gVisor keeps counting upward from the last one it gave. This follows Linux.
 * Freed numbers wait in a min-heap (all of them are below `#next`, the lowest number never
 * handed out), so both operations cost O(log freed).
 * @internal
 */
export class AnonBlockDevMinorAllocator {
  readonly #max: number;
  #next = 1;
  readonly #freed: number[] = [];
  readonly #used = new Set<number>();

  /** @param max - The highest minor to hand out (tests lower it). */
  constructor(max = ANON_BLOCK_DEV_MINOR_MAX) {
    this.#max = max;
  }

  get(): number {
    let minor: number;
    if (this.#freed.length > 0) {
      minor = this.#popFreed();
    } else {
      if (this.#next > this.#max) {
        throw new SysError("EMFILE", { detail: "no anonymous device numbers left" });
      }
      minor = this.#next++;
    }
    this.#used.add(minor);
    return minor;
  }

  put(minor: number): void {
    if (!this.#used.delete(minor)) throw new InternalError(`anonymous device minor ${minor} is not allocated`);
    this.#pushFreed(minor);
  }

  /** How many minors are allocated. */
  get size(): number {
    return this.#used.size;
  }

  #pushFreed(minor: number): void {
    this.#freed.push(minor);
    this.#siftUp(this.#freed.length - 1);
  }

  #popFreed(): number {
    const heap = this.#freed;
    const min = heap[0] as number;
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      this.#siftDown(0);
    }
    return min;
  }

  #siftUp(i: number): void {
    const heap = this.#freed;
    const value = heap[i] as number;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as number;
      if (p <= value) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = value;
  }

  #siftDown(i: number): void {
    const heap = this.#freed;
    const n = heap.length;
    const value = heap[i] as number;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (heap[right] as number) < (heap[child] as number)) child = right;
      const c = heap[child] as number;
      if (c >= value) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = value;
  }
}
