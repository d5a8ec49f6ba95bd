/**
 * Random sequences (fast-check arbitraries). Paths are drawn from the names of the initial
 * tree, a few new names, `.`/`..`, names of 255 and 256 bytes (ASCII and multi-byte UTF-8),
 * with empty components, trailing slashes, and absolute or relative (to a working directory
 * that `chdir` moves) forms.
 */
import * as fc from "fast-check";
import {
  AT_EACCESS,
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOATIME,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
} from "@vfskit/abi";
import { TIME_NOW, TIME_OMIT, type Op } from "./model.js";
import { G, G1, G2, O, U } from "./tree.js";

/** A 255-byte ASCII name (NAME_MAX) and a 256-byte one. */
export const NAME_255 = "n".repeat(255);
/** One byte over NAME_MAX. */
export const NAME_256 = "n".repeat(256);
/** 255 bytes of UTF-8 in 128 characters ("é" is two bytes). */
export const NAME_255_UTF8 = `${"é".repeat(127)}n`;
/** 256 bytes of UTF-8 in 128 characters. */
export const NAME_256_UTF8 = "é".repeat(128);

const newNames = ["a", "b", "c"];
const dirNames = ["home", "d", "pub", "sub", "grp", "ro", "secret", "other", "w", "ld", "la", "up", "wx", "xonly"];
const fileNames = ["f", "g", "mine", "theirs", "x", "sgid", "s", "suid", "loop", "dang", "hl"];
const oddNames = ["日本語", "ü", NAME_255, NAME_256, NAME_255_UTF8, NAME_256_UTF8];

/** Existing paths, absolute and relative to the starting directory /home. */
const knownPaths = [
  "f",
  "d",
  "d/g",
  "ld",
  "ld/g",
  "la",
  "la/mine",
  "../pub/theirs",
  "hl",
  "wx",
  "wx/f",
  "/other/xonly",
  "/other/xonly/f",
  ".",
  "..",
  "/home/f",
  "/home/d/g",
  "home/ld/g",
  "/home/la/mine",
  "/home/la/sub",
  "/pub/sub",
  "/pub/sub/a",
  "/pub/theirs",
  "pub/mine",
  "/grp/x",
  "/grp/sgid",
  "/grp/a",
  "/other/suid",
  "/other/w",
  "/other/w/a",
  "/ro/f",
  "/secret/s",
  "a/b",
  "/a/b/c",
  "up/home/d",
];

/** Directories to create new names in (with their trailing slash), "" is the working directory. */
const createDirs = ["", "", "/pub/sgo/", "d/", "ld/", "la/", "wx/", "/other/xonly/", "a/", "a/b/", "/pub/", "/pub/sub/", "/grp/", "/other/w/", "/ro/", "/secret/", "/", "/home/"];

const component: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...newNames) },
  { weight: 6, arbitrary: fc.constantFrom(...dirNames) },
  { weight: 4, arbitrary: fc.constantFrom(...fileNames) },
  { weight: 2, arbitrary: fc.constantFrom(".", "..") },
  { weight: 1, arbitrary: fc.constantFrom(...oddNames) },
);

const separator = fc.oneof({ weight: 12, arbitrary: fc.constant("/") }, { weight: 1, arbitrary: fc.constant("//") });
const trailer = fc.oneof(
  { weight: 20, arbitrary: fc.constant("") },
  { weight: 3, arbitrary: fc.constant("/") },
  { weight: 1, arbitrary: fc.constantFrom("//", "/.", "/..") },
);

/** A path of 4097 bytes or more (ENAMETOOLONG before any lookup). */
export const TOO_LONG_PATH = `${`${NAME_255}/`.repeat(16)}${"n".repeat(200)}`;

/** A pathname as the generator makes them. */
export const pathArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 25,
    arbitrary: fc
      .tuple(
        fc.boolean(),
        fc.array(fc.tuple(component, separator), { minLength: 1, maxLength: 3 }),
        trailer,
      )
      .map(([absolute, parts, tail]) => {
        let s = absolute ? "/" : "";
        parts.forEach(([name, sep], i) => {
          s += i === 0 ? name : sep + name;
        });
        return s + tail;
      }),
  },
  // A new name in a directory that exists (or soon will).
  {
    weight: 25,
    arbitrary: fc.tuple(fc.constantFrom(...createDirs), fc.constantFrom(...newNames), trailer).map(([dir, name, tail]) => dir + name + tail),
  },
  // Deeper paths that exist in the initial tree (or soon will), which random components rarely reach.
  {
    weight: 30,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...knownPaths),
        fc.oneof({ weight: 4, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom("/a", "/", "/.", "/..") }),
      )
      .map(([p, tail]) => p + tail),
  },
  { weight: 1, arbitrary: fc.constantFrom("", "/", ".", "..", "//", TOO_LONG_PATH) },
);

/** Paths `open` favours: files that exist, and new names where creating may work. */
const openPathArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom("f", "hl", "wx/f", "/other/xonly/f", "d/g", "ld/g", "la/mine", "/pub/theirs", "/grp/x", "/grp/sgid", "/other/f", "/other/suid", "/ro/f", "/secret/s"),
  },
  { weight: 1, arbitrary: fc.constantFrom("a", "b", "c", "d/a", "/pub/a", "/grp/a", "/other/w/a", "/pub/sub/a") },
  { weight: 2, arbitrary: pathArb },
);

/** A symlink target: a path, or one of a few special ones (empty, self, `..`). */
const targetArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: pathArb },
  { weight: 1, arbitrary: fc.constantFrom("", "a", "..", ".", "nowhere", "/", "a/") },
);

const modeArb = fc.constantFrom(0o777, 0o755, 0o700, 0o644, 0o600, 0o000, 0o444, 0o4755, 0o2755, 0o1777, 0o2775, 0o7777, 0o170644);
/** A descriptor slot, the first ones likelier (few sequences open many files). */
const fdArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.constant(2) },
  { weight: 1, arbitrary: fc.constant(3) },
);
/** Mostly AT_FDCWD (undefined), sometimes a descriptor slot. */
const dirfdArb = fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fdArb });
const dataArb = fc.constantFrom("", "x", "hello", "0123456789", "\u00e9\u00ff\u0000");
const countArb = fc.constantFrom(0, 1, 4, 100);
const offsetArb = fc.constantFrom(0, 1, 3, 100, 4096, -1);
const lengthArb = fc.constantFrom(0, 1, 3, 10, 5000, -1);
const uidArb = fc.constantFrom(-1, 0, U, O);
const gidArb = fc.constantFrom(-1, 0, G, G1, G2, O);

const openFlagsArb: fc.Arbitrary<number> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(O_RDONLY) },
      { weight: 4, arbitrary: fc.constant(O_WRONLY) },
      { weight: 5, arbitrary: fc.constant(O_RDWR) },
      { weight: 1, arbitrary: fc.constant(3) },
    ),
    fc.nat({ max: 2 }),
    fc.nat({ max: 31 }),
    fc.nat({ max: 11 }),
  )
  .map(([acc, create, bits, extra]) => {
    let flags = acc | (create !== 0 ? O_CREAT : 0);
    // EXCL, TRUNC, DIRECTORY, NOFOLLOW, APPEND each on about a quarter of the time
    // (two random bits per flag would be rarer; one draw of 5 bits keeps shrinking simple).
    if ((bits & 1) !== 0 && (bits & 2) !== 0) flags |= O_EXCL;
    if ((bits & 2) !== 0 && (bits & 4) !== 0) flags |= O_TRUNC;
    if ((bits & 4) !== 0 && (bits & 8) !== 0) flags |= O_DIRECTORY;
    if ((bits & 8) !== 0 && (bits & 16) !== 0) flags |= O_NOFOLLOW;
    if ((bits & 16) !== 0 && (bits & 1) !== 0) flags |= O_APPEND;
    // O_PATH and O_NOATIME now and then.
    if (extra === 0) flags |= O_PATH;
    if (extra === 1) flags |= O_NOATIME;
    return flags;
  });

/** One random step. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant("mkdir" as const), path: pathArb, mode: modeArb, dirfd: dirfdArb }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("rmdir" as const), path: pathArb, dirfd: dirfdArb }) },
  {
    weight: 12,
    arbitrary: fc.record({ op: fc.constant("open" as const), path: openPathArb, flags: openFlagsArb, mode: modeArb, dirfd: dirfdArb }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("close" as const), fd: fdArb }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("write" as const), fd: fdArb, data: dataArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("read" as const), fd: fdArb, count: countArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("pread" as const), fd: fdArb, count: countArb, offset: offsetArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("pwrite" as const), fd: fdArb, data: dataArb, offset: offsetArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("lseek" as const), fd: fdArb, offset: offsetArb, whence: fc.constantFrom(0, 1, 2, 3) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("ftruncate" as const), fd: fdArb, length: lengthArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("truncate" as const), path: pathArb, length: lengthArb }) },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant("unlink" as const), path: pathArb, dirfd: dirfdArb }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("umask" as const), mask: fc.constantFrom(0, 0o022, 0o077, 0o777, 0o002) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("fchown" as const), fd: fdArb, uid: uidArb, gid: gidArb }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("rename" as const),
      from: pathArb,
      to: pathArb,
      flags: fc.constantFrom(0, 0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_EXCHANGE | RENAME_NOREPLACE),
      olddirfd: dirfdArb,
      newdirfd: dirfdArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("link" as const),
      from: pathArb,
      to: pathArb,
      flags: fc.constantFrom(0, AT_SYMLINK_FOLLOW),
      olddirfd: dirfdArb,
      newdirfd: dirfdArb,
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("symlink" as const), target: targetArb, path: pathArb, dirfd: dirfdArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("readlink" as const), path: pathArb, dirfd: dirfdArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("stat" as const), path: pathArb, dirfd: dirfdArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("lstat" as const), path: pathArb, dirfd: dirfdArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("getcwd" as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("fstat" as const), fd: fdArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("chmod" as const), path: pathArb, mode: modeArb, dirfd: dirfdArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("fchmod" as const), fd: fdArb, mode: modeArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("chown" as const),
      path: pathArb,
      uid: uidArb,
      gid: gidArb,
      flags: fc.constantFrom(0, AT_SYMLINK_NOFOLLOW),
      dirfd: dirfdArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("utimes" as const),
      path: pathArb,
      times: fc.constantFrom(
        null,
        [1000, 2000] as const,
        [TIME_NOW, TIME_NOW] as const,
        [TIME_NOW, TIME_OMIT] as const,
        [TIME_OMIT, TIME_OMIT] as const,
        [TIME_OMIT, 5] as const,
      ),
      flags: fc.constantFrom(0, AT_SYMLINK_NOFOLLOW),
      dirfd: dirfdArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("access" as const),
      path: pathArb,
      mode: fc.constantFrom(0, 1, 2, 4, 6, 7, 8),
      flags: fc.constantFrom(0, 0, 0, AT_EACCESS, AT_SYMLINK_NOFOLLOW, 0x1000),
      dirfd: dirfdArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("chdir" as const), path: pathArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("readdir" as const), path: pathArb }) },
);

const openArb: fc.Arbitrary<Op> = fc.record({
  op: fc.constant("open" as const),
  path: openPathArb,
  flags: openFlagsArb,
  mode: modeArb,
  dirfd: fc.constant(undefined),
});

/**
 * A random sequence: up to 3 opens first (so that descriptor slots mostly name open files),
 * then 1 to 30 random steps.
 */
export const sequenceArb: fc.Arbitrary<Op[]> = fc
  .tuple(fc.array(openArb, { maxLength: 3 }), fc.array(opArb, { minLength: 1, maxLength: 30, size: "max" }))
  .map(([opens, rest]) => [...opens, ...rest]);
