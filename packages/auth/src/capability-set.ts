// A 64-bit capability bitmask (Linux kernel_cap_t) as two 32-bit halves, so that
// membership tests stay on small integers instead of bigint.
import { CAP_LAST_CAP } from "@vfskit/abi";

// Bits 0..31 all set; bits 32..CAP_LAST_CAP set in the high word.
const VALID_LO = 0xffffffff;
const VALID_HI = (2 ** (CAP_LAST_CAP - 31) - 1) >>> 0;

function checkCap(cap: number): void {
  if (!Number.isInteger(cap) || cap < 0 || cap > CAP_LAST_CAP) {
    throw new RangeError(`CapabilitySet: ${String(cap)} is not a capability number (0..${CAP_LAST_CAP})`);
  }
}

/**
 * An immutable set of Linux capabilities (`kernel_cap_t`): bit `n` stands for capability
 * number `n`.
 *
 * @remarks
 * Credentials hold five of these (permitted, inheritable, effective, bounding, ambient).
 * Every operation returns a new set (or the same one when nothing changes); membership
 * tests are two integer operations. Only capabilities 0..CAP_LAST_CAP (40) can be
 * members, as in Linux (`CAP_VALID_MASK`).
 *
 * @example
 * ```ts
 * const set = CapabilitySet.of(0, 7); // CAP_CHOWN, CAP_SETUID
 * set.has(7); // true
 * set.toString(); // "0000000000000081", as /proc/[pid]/status prints it
 * ```
 * @public
 */
export class CapabilitySet {
  /** The empty set. */
  static readonly EMPTY: CapabilitySet = new CapabilitySet(0, 0);

  /** Every capability Linux defines (0..CAP_LAST_CAP), gVisor's `AllCapabilities`. */
  static readonly ALL: CapabilitySet = new CapabilitySet(VALID_LO, VALID_HI);

  readonly #lo: number;
  readonly #hi: number;

  private constructor(lo: number, hi: number) {
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
  }

  /**
   * The set holding exactly the given capabilities.
   *
   * @param caps - Capability numbers (0..CAP_LAST_CAP).
   * @returns The set.
   * @throws RangeError if a number is not a capability (a broken contract, not a SysError).
   */
  static of(...caps: number[]): CapabilitySet {
    let set = CapabilitySet.EMPTY;
    for (const cap of caps) set = set.with(cap);
    return set;
  }

  /**
   * The set with the given 64-bit mask, as capget(2) / `/proc/[pid]/status` express it.
   *
   * @remarks
   * Bits above CAP_LAST_CAP are dropped, as Linux's `mk_kernel_cap()` does.
   * @param mask - The bitmask.
   * @returns The set.
   */
  static fromBigInt(mask: bigint): CapabilitySet {
    const lo = Number(mask & 0xffffffffn);
    const hi = Number((mask >> 32n) & 0xffffffffn);
    return new CapabilitySet(lo & VALID_LO, hi & VALID_HI);
  }

  /**
   * Whether the set holds capability `cap`.
   *
   * @param cap - A capability number; numbers outside 0..CAP_LAST_CAP are never members.
   * @returns True if `cap` is in the set.
   */
  has(cap: number): boolean {
    // `(cap & 63) !== cap` rejects negatives, fractions and NaN in one operation.
    if ((cap & 63) !== cap || cap > CAP_LAST_CAP) return false;
    return cap < 32 ? ((this.#lo >>> cap) & 1) === 1 : ((this.#hi >>> (cap - 32)) & 1) === 1;
  }

  /**
   * This set plus capability `cap`.
   *
   * @param cap - A capability number.
   * @returns The new set (or this one if `cap` was already in it).
   * @throws RangeError if `cap` is not a capability number.
   */
  with(cap: number): CapabilitySet {
    checkCap(cap);
    if (this.has(cap)) return this;
    return cap < 32
      ? new CapabilitySet(this.#lo | (2 ** cap), this.#hi)
      : new CapabilitySet(this.#lo, this.#hi | (2 ** (cap - 32)));
  }

  /**
   * This set minus capability `cap`.
   *
   * @param cap - A capability number.
   * @returns The new set (or this one if `cap` was not in it).
   * @throws RangeError if `cap` is not a capability number.
   */
  without(cap: number): CapabilitySet {
    checkCap(cap);
    if (!this.has(cap)) return this;
    return cap < 32
      ? new CapabilitySet(this.#lo & ~(2 ** cap), this.#hi)
      : new CapabilitySet(this.#lo, this.#hi & ~(2 ** (cap - 32)));
  }

  /**
   * The capabilities in this set or in `other` (Linux `cap_combine()`).
   *
   * @param other - Another set.
   * @returns The union.
   */
  union(other: CapabilitySet): CapabilitySet {
    return new CapabilitySet(this.#lo | other.#lo, this.#hi | other.#hi);
  }

  /**
   * The capabilities in both this set and `other` (Linux `cap_intersect()`).
   *
   * @param other - Another set.
   * @returns The intersection.
   */
  intersection(other: CapabilitySet): CapabilitySet {
    return new CapabilitySet(this.#lo & other.#lo, this.#hi & other.#hi);
  }

  /**
   * The capabilities in this set but not in `other` (Linux `cap_drop()`).
   *
   * @param other - Another set.
   * @returns The difference.
   */
  difference(other: CapabilitySet): CapabilitySet {
    return new CapabilitySet(this.#lo & ~other.#lo, this.#hi & ~other.#hi);
  }

  /**
   * Whether every capability of this set is also in `other` (Linux `cap_issubset()`).
   *
   * @param other - Another set.
   * @returns True if this set is a subset of `other`.
   */
  isSubsetOf(other: CapabilitySet): boolean {
    return (this.#lo & ~other.#lo) === 0 && (this.#hi & ~other.#hi) === 0;
  }

  /** Whether the set holds no capability. */
  get isEmpty(): boolean {
    return this.#lo === 0 && this.#hi === 0;
  }

  /**
   * Whether both sets hold the same capabilities.
   *
   * @param other - Another set.
   * @returns True if equal.
   */
  equals(other: CapabilitySet): boolean {
    return this.#lo === other.#lo && this.#hi === other.#hi;
  }

  /**
   * The set as a 64-bit mask.
   *
   * @returns The mask (bit n = capability n).
   */
  toBigInt(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /**
   * The capability numbers in the set, ascending.
   *
   * @returns A new array.
   */
  toArray(): number[] {
    const caps: number[] = [];
    for (let cap = 0; cap <= CAP_LAST_CAP; cap++) if (this.has(cap)) caps.push(cap);
    return caps;
  }

  /**
   * The mask as 16 lower-case hex digits, the format of the `Cap*` lines of
   * `/proc/[pid]/status` (`000001ffffffffff`).
   *
   * @returns The hex string.
   */
  toString(): string {
    return this.#hi.toString(16).padStart(8, "0") + this.#lo.toString(16).padStart(8, "0");
  }
}

/**
 * The capabilities Linux drops from the effective set when the filesystem user ID leaves
 * root and restores when it returns (`CAP_FS_SET`: CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH,
 * FOWNER, FSETID, LINUX_IMMUTABLE, MKNOD, MAC_OVERRIDE; checked on Linux 6.18 with
 * setfsuid(2)). Internal.
 */
export const CAP_FS_SET: CapabilitySet = CapabilitySet.of(0, 1, 2, 3, 4, 9, 27, 32);
