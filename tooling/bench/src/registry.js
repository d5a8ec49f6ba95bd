// @ts-check
// The shapes of a benchmark case. Case files (src/cases/*.js) export `cases`, an array of
// these; src/cases/index.js lists the case files; src/main.js runs them.

/**
 * Who is measured. Every case times `vfskit` against whichever peers can do the same work;
 * a target a case leaves out is printed as "—".
 *
 * @typedef {"vfskit" | "memfs" | "zenfs" | "node"} TargetName
 */

/** Targets in the order they are run and printed. vfskit first: it is what ratios divide by. */
export const targetNames = /** @type {const} */ (["vfskit", "memfs", "zenfs", "node"]);

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
 * @property {string} [note] - One line printed under the case (what each peer does).
 * @property {Partial<Record<TargetName, TimeSetup>>} targets - The implementations.
 */

/**
 * Builds a structure and returns it; the heap growth while it is alive is measured.
 *
 * @typedef {() => unknown} MemoryBuild
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
 * @property {Partial<Record<TargetName, MemoryBuild>>} targets - The builders.
 */

/** @typedef {TimeCase | MemoryCase} Case */

export {};
