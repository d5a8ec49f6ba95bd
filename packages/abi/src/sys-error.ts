import { Errno, errnoCodes, errnoMessages, nodeErrnoDescriptions, type ErrnoCode } from "./errno-table.js";

const marker = Symbol.for("@vfskit/abi.SysError");

/**
 * Where a {@link SysError} happened, for its message and fields.
 * @public
 */
export interface SysErrorOptions {
  /** The syscall-shaped operation that failed, e.g. `"open"`, `"renameat2"`. */
  readonly syscall?: string;
  /** The path the operation was given. */
  readonly path?: string;
  /** The second path of a two-path operation (rename, link, symlink). */
  readonly dest?: string;
  /** A short, human explanation appended in parentheses (which rule was broken). */
  readonly detail?: string;
}

/**
 * The strerror(3) text of an errno (`"No such file or directory"`).
 *
 * @param errno - A Linux errno number or code.
 * @returns The glibc text, or `"Unknown error N"` for numbers Linux does not define.
 * @public
 */
export function strerror(errno: number | ErrnoCode): string {
  const n = typeof errno === "number" ? errno : Errno[errno];
  return errnoMessages.get(n) ?? `Unknown error ${n}`;
}

/**
 * The canonical code of an errno number (`2` → `"ENOENT"`, `11` → `"EAGAIN"`).
 *
 * @returns The code, or `undefined` for numbers Linux does not define.
 * @public
 */
export function errnoCode(errno: number): ErrnoCode | undefined {
  return errnoCodes.get(errno);
}

function describe(errno: number): string {
  const node = nodeErrnoDescriptions.get(errno);
  if (node !== undefined) return node;
  const text = strerror(errno);
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * The one error class of vfskit: a Linux errno with the operation and path it came from.
 *
 * @remarks
 * Shaped like Node's `fs` errors so code written for `fs` handles it: `code` is the
 * symbolic errno (`"ENOENT"`), `message` reads `ENOENT: no such file or directory, open '/x'`.
 * Unlike Node, `errno` is the positive Linux number. Recognise it with {@link isSysError},
 * which works across duplicated copies of this package (DESIGN.md D4).
 *
 * A broken internal contract (a reference count below zero, a directory method on a file)
 * is never a SysError: it throws a plain `Error` from an assertion.
 *
 * @example
 * ```ts
 * throw new SysError("ENOENT", { syscall: "open", path: "/x" });
 * ```
 * @public
 */
export class SysError extends Error {
  /** The positive Linux errno number. */
  readonly errno: number;
  /** The canonical symbolic code (`EAGAIN`, never `EWOULDBLOCK`). */
  readonly code: ErrnoCode;
  /** The operation that failed, if known. */
  readonly syscall: string | undefined;
  /** The path the operation was given, if any. */
  readonly path: string | undefined;
  /** The second path of a two-path operation, if any. */
  readonly dest: string | undefined;
  /** The explanation of which rule was broken, if the thrower gave one. */
  readonly detail: string | undefined;

  /**
   * @param code - The errno, as a code (`"ENOENT"`) or a number.
   * @param options - The operation and paths involved, and an optional explanation.
   */
  constructor(code: ErrnoCode | number, options: SysErrorOptions = {}) {
    const errno = typeof code === "number" ? code : Errno[code];
    const canonical = errnoCodes.get(errno);
    if (canonical === undefined) throw new RangeError(`SysError: ${String(code)} is not a Linux errno`);
    let message = `${canonical}: ${describe(errno)}`;
    if (options.syscall !== undefined) message += `, ${options.syscall}`;
    if (options.path !== undefined) message += ` '${options.path}'`;
    if (options.dest !== undefined) message += ` -> '${options.dest}'`;
    if (options.detail !== undefined) message += ` (${options.detail})`;
    super(message);
    this.name = "SysError";
    this.errno = errno;
    this.code = canonical;
    this.syscall = options.syscall;
    this.path = options.path;
    this.dest = options.dest;
    this.detail = options.detail;
  }

  /** Marks instances for {@link isSysError} across package copies. */
  get [marker](): true {
    return true;
  }

  /**
   * A copy of this error with the syscall and paths filled in (for layers that learn them
   * later, such as the kernel's syscall API wrapping a VFS error). Fields already set win,
   * including the detail.
   */
  withContext(options: SysErrorOptions): SysError {
    return new SysError(this.errno, {
      ...(this.syscall !== undefined || options.syscall !== undefined ? { syscall: this.syscall ?? options.syscall } : {}),
      ...(this.path !== undefined || options.path !== undefined ? { path: this.path ?? options.path } : {}),
      ...(this.dest !== undefined || options.dest !== undefined ? { dest: this.dest ?? options.dest } : {}),
      ...(this.detail !== undefined || options.detail !== undefined ? { detail: this.detail ?? options.detail } : {}),
    });
  }
}

/**
 * True if `error` is a {@link SysError} (from any copy of this package), optionally with
 * the given code. Aliases match their canonical code: `isSysError(e, "EWOULDBLOCK")` is
 * true for an `EAGAIN` error.
 *
 * @public
 */
export function isSysError(error: unknown, code?: ErrnoCode): error is SysError {
  if (typeof error !== "object" || error === null || !(marker in error)) return false;
  return code === undefined || (error as SysError).errno === Errno[code];
}
