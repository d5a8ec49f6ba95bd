import { isSysError, type ErrnoCode, type SysError } from "@vfskit/abi";

/**
 * Calls `fn` and asserts that it throws a `SysError` with errno `code`; returns the error.
 *
 * @remarks
 * Aliases match their canonical code (`"ENOTSUP"` matches an `EOPNOTSUPP` error). Any
 * other outcome throws a plain `Error` naming what happened instead, which every test
 * runner reports as a failure.
 * @public
 */
export function expectErrno(fn: () => unknown, code: ErrnoCode): SysError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
    if (isSysError(error, code)) return error;
  }
  const got =
    thrown === undefined ? "a normal return" : isSysError(thrown) ? thrown.code : thrown instanceof Error ? thrown.message : typeof thrown;
  throw new Error(`expected ${code}, got ${got}`);
}

/**
 * Awaits `promise` and asserts that it rejects with a `SysError` with errno `code`;
 * returns the error. The async twin of {@link expectErrno}.
 * @public
 */
export async function expectErrnoAsync(promise: Promise<unknown>, code: ErrnoCode): Promise<SysError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
    if (isSysError(error, code)) return error;
  }
  const got =
    thrown === undefined ? "a normal return" : isSysError(thrown) ? thrown.code : thrown instanceof Error ? thrown.message : typeof thrown;
  throw new Error(`expected ${code}, got ${got}`);
}
