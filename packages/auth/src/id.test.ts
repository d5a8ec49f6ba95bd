import { isSysError } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  NO_ID,
  NOBODY_KGID,
  NOBODY_KUID,
  OVERFLOW_GID,
  OVERFLOW_UID,
  ROOT_KGID,
  ROOT_KUID,
  gid,
  isValidID,
  kgid,
  kuid,
  orOverflow,
  uid,
} from "./index.js";
import { expectErrno } from "./testing-fixtures/errno.js";

describe("ID constructors", () => {
  test.each([
    ["kuid", kuid],
    ["kgid", kgid],
    ["uid", uid],
    ["gid", gid],
  ] as const)("%s accepts every 32-bit unsigned integer unchanged", (_name, make) => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => make(n) === n));
  });

  test("-1 is (uid_t)-1, i.e. NO_ID", () => {
    expect(uid(-1)).toBe(NO_ID);
    expect(kuid(-1)).toBe(0xffffffff);
    expect(gid(-1)).toBe(NO_ID);
    expect(kgid(-1)).toBe(NO_ID);
  });

  test.each([2 ** 32, -2, 1.5, Number.NaN, Infinity])("%s is EINVAL", (n) => {
    const e = expectErrno(() => uid(n), "EINVAL");
    expect(e.message).toContain("is not a 32-bit ID");
    expectErrno(() => kuid(n), "EINVAL");
    expectErrno(() => gid(n), "EINVAL");
    expectErrno(() => kgid(n), "EINVAL");
  });

  test("anything outside [-1, 2^32-1] is rejected", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: -2 }), fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }), fc.double()),
        (n) => {
          fc.pre(!(Number.isInteger(n) && n >= -1 && n <= 0xffffffff));
          try {
            uid(n);
            return false;
          } catch (e) {
            return isSysError(e, "EINVAL");
          }
        },
      ),
    );
  });
});

describe("constants", () => {
  test("have Linux's values", () => {
    expect(NO_ID).toBe(4294967295);
    expect(OVERFLOW_UID).toBe(65534);
    expect(OVERFLOW_GID).toBe(65534);
    expect(ROOT_KUID).toBe(0);
    expect(ROOT_KGID).toBe(0);
    expect(NOBODY_KUID).toBe(65534);
    expect(NOBODY_KGID).toBe(65534);
  });
});

describe("isValidID", () => {
  test("is false only for NO_ID", () => {
    expect(isValidID(uid(-1))).toBe(false);
    expect(isValidID(kuid(NO_ID))).toBe(false);
    expect(isValidID(uid(0))).toBe(true);
    expect(isValidID(kgid(4294967294))).toBe(true);
  });
});

describe("orOverflow", () => {
  test("renders NO_ID as 65534 and leaves others alone", () => {
    expect(orOverflow(uid(NO_ID))).toBe(65534);
    expect(orOverflow(gid(-1))).toBe(65534);
    expect(orOverflow(uid(0))).toBe(0);
    expect(orOverflow(gid(1000))).toBe(1000);
  });
});
