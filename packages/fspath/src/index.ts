/**
 * Parse, iterate and build Linux pathnames without allocating per component.
 *
 * @remarks
 * The twin of gVisor's `pkg/fspath`. {@link parse} turns a pathname into a {@link Path}
 * (a {@link PathIterator} at the first component plus the `absolute` and `dir` flags) by
 * scanning it once; components are then found in place, as offsets into the original
 * string. {@link Cursor} is the mutable form a path walk uses to visit every component
 * without creating an object per step. {@link Builder} produces pathnames right to left,
 * as a walk from a node up to a root does.
 *
 * The package holds no state, has no dependencies and runs anywhere JavaScript runs.
 * Every object is owned by whoever created it: paths and iterators are immutable values
 * and may be shared; a cursor or builder belongs to one walk at a time. Nothing here calls
 * back into user code, so there are no reentrancy rules.
 *
 * @packageDocumentation
 */
export { Builder } from "./builder.js";
export { parse, Path } from "./fspath.js";
export { Cursor, PathIterator } from "./iterator.js";
