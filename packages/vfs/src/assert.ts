/**
 * Thrown when an internal contract of vfskit is broken: a reference count dropped below
 * zero, a directory method reached on a non-directory, a prepare without its commit.
 *
 * @remarks
 * Never a {@link @vfskit/abi#SysError}: a SysError is an answer Linux would give a program;
 * an InternalError is a bug in vfskit or in a filesystem built on it (DESIGN.md D4).
 * @public
 */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}

/**
 * Throws an {@link InternalError} with `message` unless `condition` holds.
 * @public
 */
export function assertInternal(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
