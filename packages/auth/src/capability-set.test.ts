import { CAP_LAST_CAP, Capability } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CAP_FS_SET } from "./capability-set.js";
import { CapabilitySet } from "./index.js";

const capArb = fc.integer({ min: 0, max: CAP_LAST_CAP });
const setArb = fc.array(capArb).map((caps) => CapabilitySet.of(...caps));
const maskArb = fc.bigInt({ min: 0n, max: (1n << BigInt(CAP_LAST_CAP + 1)) - 1n });

describe("CapabilitySet", () => {
  test("EMPTY holds nothing, ALL holds 0..CAP_LAST_CAP", () => {
    expect(CapabilitySet.EMPTY.isEmpty).toBe(true);
    expect(CapabilitySet.EMPTY.toArray()).toEqual([]);
    expect(CapabilitySet.ALL.toArray()).toEqual(Array.from({ length: CAP_LAST_CAP + 1 }, (_, i) => i));
    expect(CapabilitySet.ALL.has(CAP_LAST_CAP + 1)).toBe(false);
  });

  test("formats like /proc/[pid]/status", () => {
    expect(CapabilitySet.ALL.toString()).toBe("000001ffffffffff");
    expect(CapabilitySet.EMPTY.toString()).toBe("0000000000000000");
    expect(CapabilitySet.of(Capability.CAP_CHOWN, Capability.CAP_SETUID).toString()).toBe("0000000000000081");
    expect(CapabilitySet.of(Capability.CAP_SETFCAP).toString()).toBe("0000000080000000");
    expect(CapabilitySet.of(Capability.CAP_MAC_OVERRIDE).toString()).toBe("0000000100000000");
    expect(CapabilitySet.of(Capability.CAP_CHECKPOINT_RESTORE).toString()).toBe("0000010000000000");
  });

  test("has / with / without across the 32-bit boundary", () => {
    for (const cap of [0, 30, 31, 32, 33, CAP_LAST_CAP]) {
      const set = CapabilitySet.EMPTY.with(cap);
      expect(set.has(cap)).toBe(true);
      expect(set.toArray()).toEqual([cap]);
      expect(set.without(cap).isEmpty).toBe(true);
      expect(CapabilitySet.ALL.without(cap).has(cap)).toBe(false);
      expect(CapabilitySet.ALL.without(cap).toArray()).toHaveLength(CAP_LAST_CAP);
    }
  });

  test("with/without return the same set when nothing changes", () => {
    const set = CapabilitySet.of(3);
    expect(set.with(3)).toBe(set);
    expect(set.without(4)).toBe(set);
  });

  test("has is false for non-capabilities", () => {
    for (const n of [-1, 41, 64, 1.5, Number.NaN]) expect(CapabilitySet.ALL.has(n)).toBe(false);
  });

  test("of/with/without reject non-capability numbers (broken contract)", () => {
    expect(() => CapabilitySet.of(41)).toThrow(RangeError);
    expect(() => CapabilitySet.EMPTY.with(-1)).toThrow(RangeError);
    expect(() => CapabilitySet.ALL.without(2.5)).toThrow(RangeError);
  });

  test("fromBigInt drops bits above CAP_LAST_CAP (mk_kernel_cap)", () => {
    expect(CapabilitySet.fromBigInt((1n << 64n) - 1n).equals(CapabilitySet.ALL)).toBe(true);
    expect(CapabilitySet.fromBigInt(0x1fffeffffffn).has(Capability.CAP_SYS_RESOURCE)).toBe(false);
  });

  test("CAP_FS_SET is what Linux drops on setfsuid away from 0", () => {
    // Linux 6.18: CapEff 000001fffeffffff becomes 000001fef6fffde0 after setfsuid(1000).
    expect(CapabilitySet.fromBigInt(0x1fffeffffffn).difference(CAP_FS_SET).toString()).toBe("000001fef6fffde0");
  });

  test("property: bigint round trip", () => {
    fc.assert(fc.property(maskArb, (mask) => CapabilitySet.fromBigInt(mask).toBigInt() === mask));
  });

  test("property: set algebra agrees with bigint bit operations", () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const x = a.toBigInt();
        const y = b.toBigInt();
        expect(a.union(b).toBigInt()).toBe(x | y);
        expect(a.intersection(b).toBigInt()).toBe(x & y);
        expect(a.difference(b).toBigInt()).toBe(x & ~y);
        expect(a.isSubsetOf(b)).toBe((x & ~y) === 0n);
        expect(a.equals(b)).toBe(x === y);
        expect(a.toString()).toBe(x.toString(16).padStart(16, "0"));
      }),
    );
  });

  test("property: has agrees with the members", () => {
    fc.assert(
      fc.property(fc.array(capArb), capArb, (caps, probe) => {
        expect(CapabilitySet.of(...caps).has(probe)).toBe(caps.includes(probe));
      }),
    );
  });
});
