import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse, type Path } from "./fspath.js";

/** Collects the components of `path` through the immutable iterator. */
function components(path: Path): string[] {
  const names: string[] = [];
  for (let it = path.begin; it.ok(); it = it.next()) names.push(it.string());
  return names;
}

/** Collects the components of `path` through a cursor. */
function cursorComponents(path: Path): string[] {
  const names: string[] = [];
  for (const cursor = path.begin.cursor(); cursor.ok(); cursor.advance()) names.push(cursor.string());
  return names;
}

interface ParseCase {
  pathname: string;
  components: string[];
  absolute: boolean;
  dir: boolean;
  printed: string;
}

const fixedCases: ParseCase[] = [
  { pathname: "", components: [], absolute: false, dir: false, printed: "" },
  { pathname: "/", components: [], absolute: true, dir: true, printed: "/" },
  { pathname: "//", components: [], absolute: true, dir: true, printed: "/" },
  { pathname: "///", components: [], absolute: true, dir: true, printed: "/" },
  { pathname: "foo", components: ["foo"], absolute: false, dir: false, printed: "foo" },
  { pathname: "foo/", components: ["foo"], absolute: false, dir: true, printed: "foo/" },
  { pathname: "/foo", components: ["foo"], absolute: true, dir: false, printed: "/foo" },
  { pathname: "/foo//bar///baz/", components: ["foo", "bar", "baz"], absolute: true, dir: true, printed: "/foo/bar/baz/" },
  { pathname: "/foo//bar///baz////", components: ["foo", "bar", "baz"], absolute: true, dir: true, printed: "/foo/bar/baz/" },
  { pathname: ".", components: ["."], absolute: false, dir: false, printed: "." },
  { pathname: "..", components: [".."], absolute: false, dir: false, printed: ".." },
  { pathname: "/./", components: ["."], absolute: true, dir: true, printed: "/./" },
  { pathname: "/../", components: [".."], absolute: true, dir: true, printed: "/../" },
  { pathname: "a/./b/../c", components: ["a", ".", "b", "..", "c"], absolute: false, dir: false, printed: "a/./b/../c" },
  { pathname: "...", components: ["..."], absolute: false, dir: false, printed: "..." },
  { pathname: ".a/..b", components: [".a", "..b"], absolute: false, dir: false, printed: ".a/..b" },
  { pathname: "x", components: ["x"], absolute: false, dir: false, printed: "x" },
  { pathname: " / ", components: [" ", " "], absolute: false, dir: false, printed: " / " },
  { pathname: "a\\b", components: ["a\\b"], absolute: false, dir: false, printed: "a\\b" },
  { pathname: "nul\0byte/x", components: ["nul\0byte", "x"], absolute: false, dir: false, printed: "nul\0byte/x" },
  { pathname: "/__proto__/constructor", components: ["__proto__", "constructor"], absolute: true, dir: false, printed: "/__proto__/constructor" },
  { pathname: "/tmp/日本語//ファイル", components: ["tmp", "日本語", "ファイル"], absolute: true, dir: false, printed: "/tmp/日本語/ファイル" },
  { pathname: "/😀/a😀b/", components: ["😀", "a😀b"], absolute: true, dir: true, printed: "/😀/a😀b/" },
  // Lone surrogates: the JavaScript analogue of gVisor's non-UTF-8 "\xe6" case.
  { pathname: "\ud800//\udfff", components: ["\ud800", "\udfff"], absolute: false, dir: false, printed: "\ud800/\udfff" },
];

// gVisor's generated cases: every combination of separator, absoluteness and dir-ness,
// for one component and for a mix including ".", ".." and a non-ASCII unit.
const generatedCases: ParseCase[] = [];
for (const separator of ["/", "//"]) {
  for (const absolute of [false, true]) {
    for (const dir of [false, true]) {
      for (const names of [["foo"], [".", "foo", "..", "\xe6", "bar"]]) {
        const prefix = absolute ? separator : "";
        const suffix = dir ? separator : "";
        generatedCases.push({
          pathname: prefix + names.join(separator) + suffix,
          components: names,
          absolute,
          dir,
          printed: (absolute ? "/" : "") + names.join("/") + (dir ? "/" : ""),
        });
      }
    }
  }
}

describe("parse", () => {
  test.each([...fixedCases, ...generatedCases])("$pathname", (testCase) => {
    const path = parse(testCase.pathname);
    expect(path.absolute).toBe(testCase.absolute);
    expect(path.dir).toBe(testCase.dir);
    expect(path.hasComponents()).toBe(testCase.components.length > 0);
    expect(components(path)).toEqual(testCase.components);
    expect(cursorComponents(path)).toEqual(testCase.components);
    expect(path.toString()).toBe(testCase.printed);
    expect(String(path)).toBe(testCase.printed);
  });

  test("component offsets index the original string", () => {
    const pathname = "//usr//lib///x86_64/";
    const offsets: [number, number][] = [];
    for (let it = parse(pathname).begin; it.ok(); it = it.next()) {
      expect(pathname.slice(it.start, it.end)).toBe(it.string());
      offsets.push([it.start, it.end]);
    }
    expect(offsets).toEqual([
      [2, 5],
      [7, 10],
      [13, 19],
    ]);
  });

  test("a terminal begin has start === end", () => {
    for (const pathname of ["", "/", "//"]) {
      const begin = parse(pathname).begin;
      expect(begin.ok()).toBe(false);
      expect(begin.start).toBe(begin.end);
      expect(begin.string()).toBe("");
      expect(begin.remainder()).toBe("");
      expect(begin.nextOk()).toBe(false);
    }
  });

  test("the path does not change while a cursor walks it", () => {
    const path = parse("/a/b/c");
    const cursor = path.begin.cursor();
    while (cursor.advance());
    expect(path.begin.string()).toBe("a");
    expect(path.toString()).toBe("/a/b/c");
  });
});

/** Naive models: what a reader of path_resolution(7) would compute with split(). */
const naive = {
  components: (pathname: string): string[] => pathname.split("/").filter((name) => name !== ""),
  absolute: (pathname: string): boolean => pathname.startsWith("/"),
  dir: (pathname: string): boolean => pathname.endsWith("/"),
};

/** Pathnames rich in slashes, dots and odd characters. */
const pathnames = fc.oneof(
  fc.string({ unit: fc.constantFrom("/", ".", "a", "b", "é", "\0", "😀", "\ud800"), maxLength: 40 }),
  fc.array(fc.constantFrom("", ".", "..", "foo", "bar", "日本", "\\"), { maxLength: 10 }).map((names) => names.join("/")),
  fc.string({ unit: "binary", maxLength: 30 }),
);

describe("parse properties", () => {
  test("iteration yields what split('/') without empty strings yields", () => {
    fc.assert(
      fc.property(pathnames, (pathname) => {
        const path = parse(pathname);
        const expected = naive.components(pathname);
        expect(components(path)).toEqual(expected);
        expect(cursorComponents(path)).toEqual(expected);
        expect(path.hasComponents()).toBe(expected.length > 0);
      }),
    );
  });

  test("absolute and dir agree with the naive computation", () => {
    fc.assert(
      fc.property(pathnames, (pathname) => {
        const path = parse(pathname);
        expect(path.absolute).toBe(naive.absolute(pathname));
        expect(path.dir).toBe(naive.dir(pathname));
      }),
    );
  });

  test("toString is canonical and idempotent", () => {
    fc.assert(
      fc.property(pathnames, (pathname) => {
        const printed = parse(pathname).toString();
        expect(parse(printed).toString()).toBe(printed);
        expect(printed).not.toMatch(/\/\//);
        const names = naive.components(pathname);
        const expected =
          names.length === 0
            ? naive.absolute(pathname) ? "/" : ""
            : (naive.absolute(pathname) ? "/" : "") + names.join("/") + (naive.dir(pathname) ? "/" : "");
        expect(printed).toBe(expected);
      }),
    );
  });

  test("remainders are the unconsumed text, trimmed of slashes", () => {
    fc.assert(
      fc.property(pathnames, (pathname) => {
        const names = naive.components(pathname);
        let index = 0;
        for (let it = parse(pathname).begin; it.ok(); it = it.next(), index++) {
          const remainder = it.remainder();
          expect(remainder.split("/").filter((name) => name !== "")).toEqual(names.slice(index));
          expect(remainder.startsWith("/") || remainder.endsWith("/")).toBe(false);
          expect(it.nextOk()).toBe(index < names.length - 1);
        }
        expect(index).toBe(names.length);
      }),
    );
  });
});
