// Test-only helper (excluded from the build): assert that a call throws a SysError with a
// given errno code.
import { isSysError, type ErrnoCode } from "@vfskit/abi";
import { expect } from "vitest";

/**
 * Calls `fn` and asserts it throws a `SysError` whose code is `code` (aliases match their
 * canonical code: `"ENOTSUP"` matches an `EOPNOTSUPP` error).
 */
export function expectErrno(fn: () => unknown, code: ErrnoCode): void {
  let thrown: unknown = undefined;
  let threw = false;
  try {
    fn();
  } catch (error) {
    threw = true;
    thrown = error;
  }
  if (!threw) expect.fail(`expected ${code}, but the call returned normally`);
  if (!isSysError(thrown, code)) {
    const got = isSysError(thrown) ? thrown.code : String(thrown);
    expect.fail(`expected ${code}, got ${got}`);
  }
}
