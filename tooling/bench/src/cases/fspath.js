// @ts-check
// @vfskit/fspath against each peer's own way of taking a pathname apart. No peer has an
// fspath of its own, so the peers run what they do on every call instead: memfs's
// filenameToSteps (resolve + split), ZenFS's path.normalize + split, node:path's
// posix.normalize + split. Component strings are consumed (lengths summed) so every target
// materialises the names a directory lookup needs.
import { Builder, parse } from "@vfskit/fspath";
import { normalize as zenfsNormalize } from "@zenfs/core/path.js";
import { posix } from "node:path";
import { memfsFilenameToSteps } from "../targets/peers.js";

const names = ["home", "user", "projects", "vfskit", "packages", "fspath", "src", "index.ts"];
/**
 * A typical absolute path with 8 components, built at run time as paths from callers are:
 * V8 caches `split` results for literal (internalized) strings, which would flatter the
 * split-based peers.
 */
const pathname = ["", ...names].join("/");
const namesLength = names.reduce((sum, name) => sum + name.length, 0);

/**
 * Sums the lengths of the non-empty strings, as a walk would look each one up.
 *
 * @param {readonly string[]} parts - The output of a split.
 * @returns {number} The total length of the components.
 */
function sumComponentLengths(parts) {
  let total = 0;
  for (const part of parts) if (part !== "") total += part.length;
  return total;
}

/**
 * Reads the middle of a string, which makes V8 flatten a concatenation rope into one flat
 * string, as any real consumer of a built path would.
 *
 * @param {string} text - The built string.
 * @returns {string} The same string, now flat.
 */
function consume(text) {
  text.charCodeAt(text.length >> 1);
  return text;
}

/** 10,000 distinct 8-component paths for the memory case, made once. */
const manyPathnames = Array.from({ length: 10_000 }, (_, index) => `${pathname.slice(0, -8)}file${index}.ts`);

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "fspath",
    name: "parse, 8-component absolute path",
    note: "vfskit scans to the first component only; peers normalize the whole string",
    targets: {
      vfskit: () => () => parse(pathname),
      memfs: () => {
        const filenameToSteps = memfsFilenameToSteps();
        return () => filenameToSteps(pathname);
      },
      zenfs: () => () => zenfsNormalize(pathname),
      node: () => () => posix.normalize(pathname),
    },
  },
  {
    group: "fspath",
    name: "parse + iterate 8 components",
    expected: namesLength,
    note: "vfskit: Cursor.advance + string(); peers: the split array",
    targets: {
      vfskit: () => () => {
        let total = 0;
        for (const cursor = parse(pathname).begin.cursor(); cursor.ok(); cursor.advance()) {
          total += cursor.string().length;
        }
        return total;
      },
      memfs: () => {
        const filenameToSteps = memfsFilenameToSteps();
        return () => sumComponentLengths(filenameToSteps(pathname));
      },
      zenfs: () => () => sumComponentLengths(zenfsNormalize(pathname).split("/")),
      node: () => () => sumComponentLengths(posix.normalize(pathname).split("/")),
    },
  },
  {
    group: "fspath",
    name: "parse + iterate 8, PathIterator.next()",
    expected: namesLength,
    note: "vfskit only: the immutable iterator, one object per step (compare with the Cursor row above)",
    targets: {
      vfskit: () => () => {
        let total = 0;
        for (let it = parse(pathname).begin; it.ok(); it = it.next()) total += it.string().length;
        return total;
      },
    },
  },
  {
    group: "fspath",
    name: "Builder, 8 components leaf to root",
    expected: pathname,
    note: "node: plain-JS baseline, names unshifted into an array then '/' + join('/'); results read once",
    targets: {
      vfskit: () => () => {
        const builder = new Builder();
        for (let index = names.length - 1; index >= 0; index--) builder.prependComponent(names[index] ?? "");
        builder.prependString("/");
        return consume(builder.toString());
      },
      node: () => () => {
        /** @type {string[]} */
        const parts = [];
        for (let index = names.length - 1; index >= 0; index--) parts.unshift(names[index] ?? "");
        return consume("/" + parts.join("/"));
      },
    },
  },
  {
    kind: "memory",
    group: "fspath",
    name: "10k parsed 8-component paths",
    items: manyPathnames.length,
    note: "bytes kept alive by the parsed form (the pathname strings themselves are shared)",
    targets: {
      vfskit: () => manyPathnames.map((each) => parse(each)),
      memfs: () => {
        const filenameToSteps = memfsFilenameToSteps();
        return manyPathnames.map((each) => filenameToSteps(each));
      },
      zenfs: () => manyPathnames.map((each) => zenfsNormalize(each).split("/")),
      node: () => manyPathnames.map((each) => posix.normalize(each).split("/")),
    },
  },
];
