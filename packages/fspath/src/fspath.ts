// Pathname parsing. Twin of Parse and Path in gVisor's pkg/fspath/fspath.go; the rules are
// those of path_resolution(7), except that "" parses (for AT_EMPTY_PATH).

import { componentEnd, type PathIterator, newIterator } from "./iterator.js";

const SLASH = 0x2f;

let createPath!: (begin: PathIterator, absolute: boolean, dir: boolean) => Path;

/**
 * A parsed pathname: an iterator over its relative components plus two flags.
 *
 * @remarks
 * Created by {@link parse}. A `Path` is immutable and can be shared freely. It stores
 * only the first component's {@link PathIterator}; the others are found by scanning the
 * original string as the walk goes, so parsing allocates the same two small objects
 * whatever the path's length.
 *
 * `.` and `..` are ordinary components here: resolving them is the path walk's job
 * (physically, never lexically; see DESIGN.md D7).
 *
 * @example
 * ```ts
 * import { parse } from "@vfskit/fspath";
 *
 * const path = parse("//etc///passwd/");
 * path.absolute; // true
 * path.dir; // true: the last component must be a directory
 * path.toString(); // "/etc/passwd/"
 * ```
 *
 * @public
 */
export class Path {
  /**
   * The first component of the relative part of the path, or a terminal iterator when
   * there are none (`""`, `"/"`, `"//"`).
   */
  readonly begin: PathIterator;

  /**
   * `true` if the pathname started with at least one slash, so lookup starts at the
   * root; `false` if it is relative (lookup starts wherever the caller says).
   */
  readonly absolute: boolean;

  /**
   * `true` if the pathname ended with at least one slash (or was only slashes), so the
   * last component must exist and be a directory.
   */
  readonly dir: boolean;

  static {
    createPath = (begin, absolute, dir) => new Path(begin, absolute, dir);
  }

  private constructor(begin: PathIterator, absolute: boolean, dir: boolean) {
    this.begin = begin;
    this.absolute = absolute;
    this.dir = dir;
  }

  /**
   * Reports whether the path has at least one component.
   *
   * @remarks
   * `false` for `""`, `"/"` and `"//"`. Same as `path.begin.ok()`.
   *
   * @returns `true` if there is a component to walk.
   */
  hasComponents(): boolean {
    return this.begin.ok();
  }

  /**
   * Renders the path in canonical form.
   *
   * @remarks
   * A leading `/` if absolute, the components joined by single slashes, and a trailing
   * `/` if {@link Path.dir} is set and there is at least one component (so `"/"` prints
   * `"/"`, not `"//"`). The result may differ from the parsed string only in redundant
   * slashes; `.` and `..` are kept.
   *
   * @returns The canonical pathname; `""` for the empty path.
   */
  toString(): string {
    let text = this.absolute ? "/" : "";
    const cursor = this.begin.cursor();
    if (!cursor.ok()) return text;
    text += cursor.string();
    while (cursor.advance()) text += "/" + cursor.string();
    return this.dir ? text + "/" : text;
  }
}

/**
 * Parses a pathname into a {@link Path}.
 *
 * @remarks
 * The rules (path_resolution(7), as gVisor's `fspath.Parse`):
 *
 * - `""` has no components and is neither absolute nor dir (callers decide between ENOENT
 *   and AT_EMPTY_PATH);
 *
 * - a string of only slashes (`"/"`, `"//"`, …) has no components and is absolute and dir;
 *
 * - otherwise leading slashes are skipped (their presence sets `absolute`), trailing
 *   slashes are stripped (their presence sets `dir`), and runs of slashes between
 *   components are skipped during iteration;
 *
 * - `.` and `..` are returned as ordinary components; any other character, including
 *   NUL and lone surrogates, is part of a name.
 *
 * Parsing never throws and never checks length limits or NUL: those are errors of the
 * system call layer (ENAMETOOLONG, EINVAL), not of the path's syntax.
 *
 * @param pathname - The pathname as given to the system call.
 * @returns The parsed path; the string is kept, not copied or split.
 *
 * @example
 * ```ts
 * import { parse } from "@vfskit/fspath";
 *
 * const path = parse("/foo//bar///baz/");
 * const names: string[] = [];
 * for (const cursor = path.begin.cursor(); cursor.ok(); cursor.advance()) {
 *   names.push(cursor.string());
 * }
 * // names is ["foo", "bar", "baz"]; path.absolute and path.dir are true
 * ```
 *
 * @public
 */
export function parse(pathname: string): Path {
  const length = pathname.length;
  let start = 0;
  while (start < length && pathname.charCodeAt(start) === SLASH) start++;
  if (start === length) {
    // "" (not absolute, not dir) or only slashes (absolute and dir).
    const onlySlashes = length !== 0;
    return createPath(newIterator(pathname, length, length, length), onlySlashes, onlySlashes);
  }
  // The loop stops at a non-slash: there is one at `start`.
  let limit = length;
  while (pathname.charCodeAt(limit - 1) === SLASH) limit--;
  return createPath(newIterator(pathname, start, componentEnd(pathname, start, limit), limit), start !== 0, limit !== length);
}
