// @ts-check
// The shapes of a benchmark case. Case files (src/cases/*.js) export `cases`, an array of
// these; src/cases/index.js lists the case files; src/main.js runs them.

/**
 * Who is measured. Every case times `vfskit` against whichever peers can do the same work;
 * a peer a case leaves out is printed as "—". A case may also time other ways of driving
 * vfskit, named `vfskit-<variant>` (e.g. `vfskit-kernel`: the same work through
 * `@vfskit/kernel`'s system calls); those rows appear only in the cases that define them.
 *
 * @typedef {"vfskit" | `vfskit-${string}` | "memfs" | "zenfs" | "node"} TargetName
 */

/** The peers, in the order they are run and printed after vfskit and its variants. */
export const peerNames = /** @type {const} */ (["memfs", "zenfs", "node"]);

/**
 * The targets of one case in the order they are run and printed: `vfskit` first (it is
 * what ratios divide by), then the case's `vfskit-*` variants in the order the case lists
 * them, then every peer (a missing peer is printed as "—").
 *
 * @param {Partial<Record<TargetName, unknown>>} targets - The case's targets.
 * @returns {TargetName[]} The names to print.
 */
export function targetOrder(targets) {
  /** @type {TargetName[]} */
  const variants = [];
  for (const name of Object.keys(targets)) {
    if (name.startsWith("vfskit-")) variants.push(/** @type {`vfskit-${string}`} */ (name));
  }
  return ["vfskit", ...variants, ...peerNames];
}

/**
 * The function that is timed: one operation per call. Whatever it returns is kept alive
 * (mitata's do_not_optimize), so return the work's result rather than discarding it.
 *
 * @typedef {() => unknown} Operation
 */

/**
 * An operation with cleanup to run after it has been timed.
 *
 * @typedef {object} PreparedOperation
 * @property {Operation} run - The timed function.
 * @property {() => void | Promise<void>} [teardown] - Runs once, after timing.
 * @property {() => void | Promise<void>} [beforeEach] - Runs before every call of `run`
 *   (and before the check call), outside the timed region: resets state a call consumed,
 *   e.g. removes the tree the previous call built. Meant for slow operations: a case
 *   using it is timed one call at a time (no mitata batching), which adds the clock's
 *   overhead (tens of ns) to each call.
 * @property {number} [opsPerCall] - How many unit operations one call performs (e.g. one
 *   call creates 100,000 files): the report divides times by it, so rows read "per file".
 *   Per target, because a slow peer may do a smaller batch (say so in the case's note).
 */

/**
 * Builds the state an operation needs (outside the timed loop) and returns the operation.
 *
 * @typedef {() => Operation | PreparedOperation | Promise<Operation | PreparedOperation>} TimeSetup
 */

/**
 * A case timed per operation.
 *
 * @typedef {object} TimeCase
 * @property {"time"} [kind] - The default kind.
 * @property {string} group - The area, e.g. "fspath"; the CLI filter matches it too.
 * @property {string} name - What one operation does, e.g. "parse, 8 components".
 * @property {number} [bytesPerOp] - Bytes moved per operation: prints MiB/s as well.
 * @property {unknown} [expected] - What every target's operation must return (checked with
 *   Object.is once before timing, so the targets are known to do the same work).
 * @property {number} [minSamples] - The fewest timed calls (mitata's default is 12): lower
 *   it for operations that take seconds.
 * @property {string} [note] - One line printed under the case (what each peer does).
 * @property {Partial<Record<TargetName, TimeSetup>>} targets - The implementations.
 */

/**
 * Builds a structure and returns it; the heap growth while it is alive is measured.
 *
 * @typedef {() => unknown} MemoryBuild
 */

/**
 * A memory target whose structures are also held by something global (ZenFS's root mount,
 * a pool), so dropping the returned value does not free them.
 *
 * @typedef {object} ResettableMemoryBuild
 * @property {MemoryBuild} build - Builds the structure and returns it.
 * @property {() => void | Promise<void>} reset - Frees whatever earlier builds (or earlier
 *   cases) left alive. Runs before every build, ahead of the first reading, and once after
 *   the last build.
 */

/**
 * A case measuring retained memory: heap (plus ArrayBuffer) bytes that a built structure
 * keeps alive, total and per item. Needs `node --expose-gc` (the bench script passes it).
 *
 * @typedef {object} MemoryCase
 * @property {"memory"} kind - Marks the memory kind.
 * @property {string} group - The area, e.g. "tmpfs".
 * @property {string} name - What is built, e.g. "100k empty files".
 * @property {number} items - How many items one build creates (for bytes per item).
 * @property {string} [note] - One line printed under the case.
 * @property {Partial<Record<TargetName, MemoryBuild | ResettableMemoryBuild>>} targets - The builders.
 */

/** @typedef {TimeCase | MemoryCase} Case */

export {};
