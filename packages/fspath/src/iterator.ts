// Component iteration over a pathname, in place. Twin of the PathIterator half of gVisor's
// pkg/fspath/fspath.go, plus a mutable Cursor so a walk allocates nothing per component.
//
// Both classes describe a position by four numbers over the original string:
//
//   pathname  "//usr//lib///"        (never copied, never split)
//   start       ^                    first UTF-16 unit of the current component
//   end            ^                 first unit after the current component
//   limit                ^           first unit after the last component (trailing
//                                    slashes are outside it); start === limit ⇔ terminal
//
// Parse guarantees pathname[limit - 1] is not a slash, so when end < limit there is
// certainly another component after the run of slashes at end. That is the invariant the
// scanning helpers below rely on, exactly as gVisor's PathIterator.Next does.

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * First unit after the component that starts at `start`: the next slash, or `limit`.
 *
 * @remarks
 * `indexOf` is V8's vectorised search, faster than a `charCodeAt` loop on real paths. It
 * cannot overshoot `limit`: everything from `limit` on is slashes, so the first slash at
 * or after `limit` is `limit` itself (or there is none and `limit` is the length).
 */
export function componentEnd(pathname: string, start: number, limit: number): number {
  const slash = pathname.indexOf("/", start + 1);
  return slash === -1 ? limit : slash;
}

/** First unit of the component after the separator run at `end` (requires end < limit). */
function nextComponentStart(pathname: string, end: number): number {
  let start = end + 1;
  while (pathname.charCodeAt(start) === SLASH) start++;
  return start;
}

function componentEquals(pathname: string, start: number, end: number, name: string): boolean {
  return name.length === end - start && pathname.startsWith(name, start);
}

function componentIsDot(pathname: string, start: number, end: number): boolean {
  return end - start === 1 && pathname.charCodeAt(start) === DOT;
}

function componentIsDotDot(pathname: string, start: number, end: number): boolean {
  return end - start === 2 && pathname.charCodeAt(start) === DOT && pathname.charCodeAt(start + 1) === DOT;
}

// Module-private access between PathIterator and Cursor: each class hands these out from a
// static block, so neither constructor nor the `limit` offset is part of the public API.
let createIterator!: (pathname: string, start: number, end: number, limit: number) => PathIterator;
let iteratorPathname!: (iterator: PathIterator) => string;
let iteratorLimit!: (iterator: PathIterator) => number;

/**
 * Creates the iterator {@link parse} stores in {@link Path.begin}.
 *
 * @internal
 */
export function newIterator(pathname: string, start: number, end: number, limit: number): PathIterator {
  return createIterator(pathname, start, end, limit);
}

/**
 * An immutable position in a parsed pathname: either one path component, or the terminal
 * position after the last one.
 *
 * @remarks
 * An `PathIterator` holds the original pathname string and offsets into it; it never splits
 * the string. {@link PathIterator.next} returns a new `PathIterator` (gVisor's value style), which
 * costs one small object per step. A walk that must not allocate per component uses a
 * {@link Cursor} instead (`iterator.cursor()`), which moves in place.
 *
 * Iterators are values: copying the reference is a complete copy, because nothing can
 * change one. Obtain them from {@link parse} (`parse(p).begin`).
 *
 * Offsets count UTF-16 code units, as JavaScript strings do. The separator `/` is U+002F,
 * which never occurs inside a surrogate pair, so any string (even one with lone
 * surrogates, the JavaScript analogue of non-UTF-8 bytes) iterates correctly.
 *
 * @example
 * ```ts
 * import { parse } from "@vfskit/fspath";
 *
 * const names: string[] = [];
 * for (let it = parse("/usr//lib/").begin; it.ok(); it = it.next()) names.push(it.string());
 * // names is ["usr", "lib"]
 * ```
 *
 * @public
 */
export class PathIterator {
  readonly #pathname: string;
  readonly #start: number;
  readonly #end: number;
  readonly #limit: number;
  #component: string | undefined;

  static {
    createIterator = (pathname, start, end, limit) => new PathIterator(pathname, start, end, limit);
    iteratorPathname = (iterator) => iterator.#pathname;
    iteratorLimit = (iterator) => iterator.#limit;
  }

  private constructor(pathname: string, start: number, end: number, limit: number) {
    this.#pathname = pathname;
    this.#start = start;
    this.#end = end;
    this.#limit = limit;
    this.#component = undefined;
  }

  /**
   * Offset in the parsed string of the current component's first code unit.
   *
   * @remarks
   * For a terminal iterator, `start === end` (the offset just past the last component).
   */
  get start(): number {
    return this.#start;
  }

  /**
   * Offset in the parsed string just past the current component's last code unit.
   */
  get end(): number {
    return this.#end;
  }

  /**
   * Reports whether the iterator is at a component (`false` once past the last one).
   *
   * @returns `true` unless the iterator is terminal.
   */
  ok(): boolean {
    return this.#start !== this.#limit;
  }

  /**
   * Returns the current component.
   *
   * @remarks
   * The only method that makes a substring; the result is cached, so calling it again is
   * free. A terminal iterator returns `""`. Compare with {@link PathIterator.equals},
   * {@link PathIterator.isDot} or {@link PathIterator.isDotDot} to avoid the substring.
   *
   * @returns The current component, without slashes.
   */
  string(): string {
    return (this.#component ??= this.#pathname.slice(this.#start, this.#end));
  }

  /**
   * Returns the iterator at the following component, or a terminal iterator after the
   * last one.
   *
   * @remarks
   * Runs of slashes between components are skipped. A terminal iterator returns itself.
   *
   * @returns A new iterator; `this` is unchanged.
   */
  next(): PathIterator {
    const pathname = this.#pathname;
    const limit = this.#limit;
    if (this.#end === limit) {
      return this.#start === limit ? this : new PathIterator(pathname, limit, limit, limit);
    }
    const start = nextComponentStart(pathname, this.#end);
    return new PathIterator(pathname, start, componentEnd(pathname, start, limit), limit);
  }

  /**
   * Reports whether there is a component after the current one: `it.next().ok()` without
   * creating the next iterator.
   *
   * @remarks
   * A path walk uses it to recognise the final component (gVisor's `rp.Final()`).
   *
   * @returns `false` at the last component and at the terminal position.
   */
  nextOk(): boolean {
    return this.#end !== this.#limit;
  }

  /**
   * Returns the text not yet consumed: the current component and everything after it,
   * without leading or trailing slashes, and with interior slash runs left as written.
   *
   * @example
   * For `/foo//bar///baz/`, successive iterators return `foo//bar///baz`, `bar///baz`,
   * `baz`, then `""`.
   *
   * @returns A substring of the parsed string (`""` when terminal).
   */
  remainder(): string {
    return this.#pathname.slice(this.#start, this.#limit);
  }

  /**
   * Compares the current component with a name without making a substring.
   *
   * @param name - The name to compare with.
   * @returns `true` if the current component is exactly `name`.
   */
  equals(name: string): boolean {
    return componentEquals(this.#pathname, this.#start, this.#end, name);
  }

  /**
   * Reports whether the current component is `.`.
   *
   * @returns `true` for `.`, without making a substring.
   */
  isDot(): boolean {
    return componentIsDot(this.#pathname, this.#start, this.#end);
  }

  /**
   * Reports whether the current component is `..`.
   *
   * @returns `true` for `..`, without making a substring.
   */
  isDotDot(): boolean {
    return componentIsDotDot(this.#pathname, this.#start, this.#end);
  }

  /**
   * Returns a new mutable {@link Cursor} at this iterator's position.
   *
   * @returns A cursor that {@link Cursor.advance | advances} in place.
   */
  cursor(): Cursor {
    return new Cursor(this);
  }
}

/**
 * A mutable position in a parsed pathname, for walks that must not allocate per
 * component.
 *
 * @remarks
 * A `Cursor` reads like an {@link PathIterator} (`ok`, `string`, `nextOk`, `remainder`,
 * `equals`, `isDot`, `isDotDot`, `start`, `end`) but {@link Cursor.advance} moves it in
 * place. {@link Cursor.set} copies another position into it without allocating, so a
 * resolver can keep a fixed stack of cursors for symlink targets (push = `set`, pop =
 * `set` back); {@link Cursor.clone} and {@link Cursor.iterator} make copies when a new
 * object is wanted.
 *
 * `new Cursor()` is a terminal cursor over the empty path.
 *
 * @example
 * ```ts
 * import { parse } from "@vfskit/fspath";
 *
 * let depth = 0;
 * for (const cursor = parse("a/./b/../c").begin.cursor(); cursor.ok(); cursor.advance()) {
 *   if (cursor.isDotDot()) depth--;
 *   else if (!cursor.isDot()) depth++;
 * }
 * // depth is 2
 * ```
 *
 * @public
 */
export class Cursor {
  #pathname = "";
  #start = 0;
  #end = 0;
  #limit = 0;
  #component: string | undefined = undefined;

  /**
   * Creates a cursor at the position of `from`, or a terminal cursor.
   *
   * @param from - The iterator or cursor to copy; omitted, the cursor is terminal.
   */
  constructor(from?: PathIterator | Cursor) {
    if (from !== undefined) this.set(from);
  }

  /**
   * Offset in the parsed string of the current component's first code unit.
   *
   * @remarks
   * For a terminal cursor, `start === end` (the offset just past the last component).
   */
  get start(): number {
    return this.#start;
  }

  /**
   * Offset in the parsed string just past the current component's last code unit.
   */
  get end(): number {
    return this.#end;
  }

  /**
   * Reports whether the cursor is at a component (`false` once past the last one).
   *
   * @returns `true` unless the cursor is terminal.
   */
  ok(): boolean {
    return this.#start !== this.#limit;
  }

  /**
   * Returns the current component (cached until the cursor moves; `""` when terminal).
   *
   * @returns The current component, without slashes.
   */
  string(): string {
    return (this.#component ??= this.#pathname.slice(this.#start, this.#end));
  }

  /**
   * Moves to the following component, or to the terminal position after the last one.
   *
   * @remarks
   * Allocates nothing. Advancing a terminal cursor does nothing.
   *
   * @returns `true` if the cursor is now at a component (what {@link Cursor.ok} returns).
   */
  advance(): boolean {
    const limit = this.#limit;
    this.#component = undefined;
    if (this.#end === limit) {
      this.#start = limit;
      return false;
    }
    const pathname = this.#pathname;
    const start = nextComponentStart(pathname, this.#end);
    this.#start = start;
    this.#end = componentEnd(pathname, start, limit);
    return true;
  }

  /**
   * Reports whether there is a component after the current one.
   *
   * @returns `false` at the last component and at the terminal position.
   */
  nextOk(): boolean {
    return this.#end !== this.#limit;
  }

  /**
   * Returns the text not yet consumed (see {@link PathIterator.remainder}).
   *
   * @returns A substring of the parsed string (`""` when terminal).
   */
  remainder(): string {
    return this.#pathname.slice(this.#start, this.#limit);
  }

  /**
   * Compares the current component with a name without making a substring.
   *
   * @param name - The name to compare with.
   * @returns `true` if the current component is exactly `name`.
   */
  equals(name: string): boolean {
    return componentEquals(this.#pathname, this.#start, this.#end, name);
  }

  /**
   * Reports whether the current component is `.`.
   *
   * @returns `true` for `.`, without making a substring.
   */
  isDot(): boolean {
    return componentIsDot(this.#pathname, this.#start, this.#end);
  }

  /**
   * Reports whether the current component is `..`.
   *
   * @returns `true` for `..`, without making a substring.
   */
  isDotDot(): boolean {
    return componentIsDotDot(this.#pathname, this.#start, this.#end);
  }

  /**
   * Moves this cursor to the position of `from` (another path, or a saved position).
   *
   * @param from - The iterator or cursor whose position is copied; it is not changed.
   */
  set(from: PathIterator | Cursor): void {
    if (from instanceof Cursor) {
      this.#pathname = from.#pathname;
      this.#start = from.#start;
      this.#end = from.#end;
      this.#limit = from.#limit;
      this.#component = from.#component;
    } else {
      this.#pathname = iteratorPathname(from);
      this.#start = from.start;
      this.#end = from.end;
      this.#limit = iteratorLimit(from);
      this.#component = undefined;
    }
  }

  /**
   * Returns a new cursor at the same position.
   *
   * @returns An independent copy.
   */
  clone(): Cursor {
    return new Cursor(this);
  }

  /**
   * Returns an immutable {@link PathIterator} at the current position.
   *
   * @returns A snapshot that later moves of this cursor do not affect.
   */
  iterator(): PathIterator {
    return createIterator(this.#pathname, this.#start, this.#end, this.#limit);
  }
}
