// The ID map of one user namespace (Linux struct uid_gid_map): up to
// ID_MAP_MAX_ENTRIES extents, each mapping [first, first+count) in the namespace onto
// [lowerFirst, lowerFirst+count) in the parent namespace. Like Linux, each extent also
// records where its range lands in kernel IDs (`kernelFirst`): map_write() only accepts a
// parent range that lies inside one parent extent, so the kernel range is contiguous and a
// translation never has to walk up or down the namespace tree.
import { NO_ID } from "./id.js";

/**
 * One line of `/proc/[pid]/uid_map` or `gid_map`: `length` consecutive IDs starting at
 * `firstID` in a user namespace correspond to IDs starting at `firstParentID` in another
 * namespace (its parent when the map is written).
 *
 * @remarks
 * All three are unsigned 32-bit integers. gVisor's `IDMapEntry`.
 * @public
 */
export interface IDMapEntry {
  /** First ID of the range in the namespace. */
  readonly firstID: number;
  /** First ID of the range in the other (parent) namespace. */
  readonly firstParentID: number;
  /** Number of IDs in the range (at least 1). */
  readonly length: number;
}

/**
 * The most extents an ID map may have: Linux's `UID_GID_MAP_MAX_EXTENTS` (340 since
 * Linux 4.15; 5 before, which is also gVisor's /proc limit). Checked on Linux 6.18:
 * writing 340 lines succeeds, 341 fails with EINVAL.
 * @public
 */
export const ID_MAP_MAX_ENTRIES = 340;

/** An extent as stored: the written entry plus its range in kernel IDs. Internal. */
export interface Extent {
  readonly first: number;
  readonly lowerFirst: number;
  readonly kernelFirst: number;
  readonly count: number;
}

// Up to this many extents, a linear scan beats a binary search (Linux uses the same cut,
// UID_GID_MAP_MAX_BASE_EXTENTS = 5, between its two lookup strategies).
const LINEAR_LIMIT = 5;

function find(sorted: readonly Extent[], id: number, key: (e: Extent) => number): Extent | undefined {
  if (sorted.length <= LINEAR_LIMIT) {
    for (const e of sorted) {
      const start = key(e);
      if (id >= start && id - start < e.count) return e;
    }
    return undefined;
  }
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const e = sorted[mid] as Extent;
    const start = key(e);
    if (id < start) hi = mid - 1;
    else if (id - start >= e.count) lo = mid + 1;
    else return e;
  }
  return undefined;
}

const byFirst = (e: Extent): number => e.first;
const byKernel = (e: Extent): number => e.kernelFirst;

/** An immutable, possibly empty ID map. Internal. */
export class IDMap {
  static readonly EMPTY: IDMap = new IDMap([]);

  /** The identity map of a root namespace: `0 0 4294967295` (NO_ID itself stays unmapped). */
  static readonly IDENTITY: IDMap = new IDMap([{ first: 0, lowerFirst: 0, kernelFirst: 0, count: NO_ID }]);

  /** Extents in the order /proc prints them (as written up to 5, sorted by `first` above). */
  readonly extents: readonly Extent[];
  readonly #forward: readonly Extent[];
  readonly #reverse: readonly Extent[];

  constructor(extents: readonly Extent[]) {
    this.#forward = extents.length <= LINEAR_LIMIT ? extents : [...extents].sort((a, b) => a.first - b.first);
    this.#reverse =
      extents.length <= LINEAR_LIMIT ? extents : [...extents].sort((a, b) => a.kernelFirst - b.kernelFirst);
    this.extents = this.#forward;
  }

  get isEmpty(): boolean {
    return this.extents.length === 0;
  }

  /** Namespace ID → kernel ID, or NO_ID (Linux `map_id_down()`). */
  toKernel(id: number): number {
    const e = find(this.#forward, id, byFirst);
    return e === undefined ? NO_ID : e.kernelFirst + (id - e.first);
  }

  /** Kernel ID → namespace ID, or NO_ID (Linux `map_id_up()`). */
  fromKernel(id: number): number {
    const e = find(this.#reverse, id, byKernel);
    return e === undefined ? NO_ID : e.first + (id - e.kernelFirst);
  }

  /**
   * The kernel ID of `first`, if the whole namespace range [first, first+count) lies in one
   * extent, else NO_ID (Linux `map_id_range_down()`).
   */
  rangeToKernel(first: number, count: number): number {
    const e = find(this.#forward, first, byFirst);
    if (e === undefined || first - e.first + count > e.count) return NO_ID;
    return e.kernelFirst + (first - e.first);
  }
}
