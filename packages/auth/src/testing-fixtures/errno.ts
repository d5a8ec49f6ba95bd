// Test helper: run `fn` and check that it throws a SysError with the given code.
import { isSysError, type ErrnoCode, type SysError } from "@vfskit/abi";
import { expect } from "vitest";

export function expectErrno(fn: () => unknown, code: ErrnoCode): SysError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "expected a SysError").toBeDefined();
  expect(isSysError(error), `expected a SysError, got ${String(error)}`).toBe(true);
  const sysError = error as SysError;
  expect(sysError.code, sysError.message).toBe(code);
  return sysError;
}
