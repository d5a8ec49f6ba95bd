/**
 * The hand-written corpus: named edge cases (mostly gvisor-inventory §8.2), each a short
 * sequence run as root and as the unprivileged user over the initial tree.
 */
import {
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
} from "@vfskit/abi";
import { NAME_255, NAME_255_UTF8, NAME_256, NAME_256_UTF8, TOO_LONG_PATH } from "./gen.js";
import type { Op } from "./model.js";
import { G, G1, G2, O, U } from "./tree.js";

/** A named corpus case. */
export interface CorpusCase {
  name: string;
  ops: Op[];
}

// Small constructors so the cases read like scripts.
const mkdir = (path: string, mode = 0o755): Op => ({ op: "mkdir", path, mode });
const rmdir = (path: string): Op => ({ op: "rmdir", path });
const open = (path: string, flags: number, mode = 0o644): Op => ({ op: "open", path, flags, mode });
const close = (fd: number): Op => ({ op: "close", fd });
const write = (fd: number, data: string): Op => ({ op: "write", fd, data });
const read = (fd: number, count = 100): Op => ({ op: "read", fd, count });
const pread = (fd: number, count: number, offset: number): Op => ({ op: "pread", fd, count, offset });
const pwrite = (fd: number, data: string, offset: number): Op => ({ op: "pwrite", fd, data, offset });
const lseek = (fd: number, offset: number, whence: number): Op => ({ op: "lseek", fd, offset, whence });
const ftruncate = (fd: number, length: number): Op => ({ op: "ftruncate", fd, length });
const truncate = (path: string, length: number): Op => ({ op: "truncate", path, length });
const unlink = (path: string): Op => ({ op: "unlink", path });
const rename = (from: string, to: string, flags = 0): Op => ({ op: "rename", from, to, flags });
const link = (from: string, to: string, flags = 0): Op => ({ op: "link", from, to, flags });
const symlink = (target: string, path: string): Op => ({ op: "symlink", target, path });
const readlink = (path: string): Op => ({ op: "readlink", path });
const stat = (path: string): Op => ({ op: "stat", path });
const lstat = (path: string): Op => ({ op: "lstat", path });
const fstat = (fd: number): Op => ({ op: "fstat", fd });
const chmod = (path: string, mode: number): Op => ({ op: "chmod", path, mode });
const fchmod = (fd: number, mode: number): Op => ({ op: "fchmod", fd, mode });
const chown = (path: string, uid: number, gid: number): Op => ({ op: "chown", path, uid, gid, flags: 0 });
const lchown = (path: string, uid: number, gid: number): Op => ({ op: "chown", path, uid, gid, flags: AT_SYMLINK_NOFOLLOW });
const utimes = (path: string, times: readonly [number, number] | null, flags = 0): Op => ({ op: "utimes", path, times, flags });
const access = (path: string, mode: number): Op => ({ op: "access", path, mode });
const chdir = (path: string): Op => ({ op: "chdir", path });
const readdir = (path: string): Op => ({ op: "readdir", path });

/** A chain of `n` links /home/c0 → c1 → … → c(n-1) → f (relative). */
function linkChain(n: number): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) ops.push(symlink(i === n - 1 ? "f" : `c${i + 1}`, `/home/c${i}`));
  return ops;
}

/** Every named case. */
export const CORPUS: readonly CorpusCase[] = [
  // §8.2 rows 1–11: rename.
  { name: "rename of or onto / is EBUSY", ops: [rename("/", "/home/x"), rename("/home/f", "/"), rename("/home/d", "/", RENAME_NOREPLACE)] },
  {
    name: "rename a directory into its own subtree is EINVAL",
    ops: [mkdir("/home/d/e"), rename("/home/d", "/home/d/e/x"), rename("/home/d", "/home/d/x"), rename("/home/d", "/home/ld/x")],
  },
  { name: "rename a subdirectory onto an ancestor is ENOTEMPTY", ops: [mkdir("/home/d/e"), rename("/home/d/e", "/home"), rename("/home/d/e", "/home/d")] },
  {
    name: "rename onto itself succeeds and changes nothing",
    ops: [rename("/home/f", "/home/f"), rename("/home/d", "/home/d"), link("/home/f", "/home/h"), rename("/home/f", "/home/h"), stat("/home/f")],
  },
  {
    name: "names of 255 and 256 bytes (ASCII and UTF-8)",
    ops: [
      open(`/home/${NAME_255}`, O_CREAT | O_WRONLY),
      open(`/home/${NAME_256}`, O_CREAT | O_WRONLY),
      mkdir(`/home/${NAME_255_UTF8}`),
      mkdir(`/home/${NAME_256_UTF8}`),
      rename("/home/f", `/home/${NAME_256}`),
      rename("/home/f", `/home/${NAME_256_UTF8}`),
      rename("/home/f", `/home/d/${NAME_255_UTF8}`),
      symlink("f", `/home/${NAME_256}`),
      link("/home/d/g", `/home/${NAME_256_UTF8}`),
      stat(`/home/${NAME_256}`),
      lstat(`/home/${NAME_256}/x`),
      readdir("/home"),
      readdir("/home/d"),
      mkdir("/home/日本語"),
      open("/home/日本語/ü", O_CREAT | O_RDWR),
      readdir("/home/日本語"),
    ],
  },
  {
    name: "rename file over directory is EISDIR, directory over file ENOTDIR",
    ops: [rename("/home/f", "/home/d"), rename("/home/d", "/home/f"), rename("/home/f", "/home/d/"), rename("/home/f/", "/home/g")],
  },
  {
    name: "rename directory over non-empty directory is ENOTEMPTY, over an empty one succeeds",
    ops: [mkdir("/home/e"), rename("/home/e", "/home/d"), rename("/home/d", "/home/e"), readdir("/home"), readdir("/home/e"), stat("/home")],
  },
  {
    name: "rename where a path ends in /. or /.. is EBUSY (or EEXIST with RENAME_NOREPLACE onto one)",
    ops: [
      rename("/home/d/.", "/home/x"),
      rename("/home/d/..", "/home/x"),
      rename("/home/f", "/home/d/."),
      rename("/home/f", "/home/d/.."),
      rename("/home/f", "/home/d/.", RENAME_NOREPLACE),
      rename("/home/d/.", "/home/x", RENAME_NOREPLACE),
      rename(".", "/missing/x"),
      rename("/secret/.", "/home/x"),
    ],
  },
  {
    name: "rename across directories: permissions, sticky bit, missing source",
    ops: [
      rename("/ro/f", "/home/x"),
      rename("/home/f", "/ro/x"),
      rename("/secret/s", "/home/x"),
      rename("/pub/theirs", "/pub/t2"),
      rename("/pub/mine", "/pub/m2"),
      rename("/home/f", "/pub/theirs"),
      rename("/home/missing", "/home/x"),
      rename("/grp/x", "/grp/y"),
      readdir("/pub"),
    ],
  },
  {
    name: "renameat2 RENAME_NOREPLACE and RENAME_EXCHANGE",
    ops: [
      rename("/home/f", "/home/d/g", RENAME_NOREPLACE),
      rename("/home/f", "/home/new", RENAME_NOREPLACE),
      rename("/home/new", "/home/d", RENAME_EXCHANGE),
      rename("/home/d", "/home/missing", RENAME_EXCHANGE),
      rename("/home/missing", "/home/d", RENAME_EXCHANGE),
      rename("/home/d", "/home/new", RENAME_EXCHANGE | RENAME_NOREPLACE),
      rename("/home/ld", "/home/la", RENAME_EXCHANGE),
      rename("/home/new", "/home/new/g", RENAME_EXCHANGE),
      readdir("/home"),
      stat("/home/new"),
      readlink("/home/ld"),
    ],
  },
  // Rows 12–15: link and symlink.
  {
    name: "link: directories are EPERM; others' files need read and write (protected_hardlinks)",
    ops: [
      link("/home/d", "/home/x"),
      link("/other/f", "/pub/x"),
      link("/pub/theirs", "/pub/y"),
      link("/other/suid", "/pub/z"),
      link("/secret/s", "/home/s"),
      link("/grp/x", "/grp/y"),
      stat("/pub/theirs"),
    ],
  },
  {
    name: "link: trailing slash, empty and missing names are ENOENT; existing target is EEXIST",
    ops: [
      link("/home/f", "/home/x/"),
      link("", "/home/x"),
      link("/home/f", ""),
      link("/home/f", "/home/missing/x"),
      link("/home/f", "/home/d/g"),
      link("/home/f/", "/home/x"),
      link("/home/ld", "/home/l2"),
      link("/home/ld", "/home/l3", AT_SYMLINK_FOLLOW),
      link("/dang", "/home/l4", AT_SYMLINK_FOLLOW),
      link("/loop", "/home/l5", AT_SYMLINK_FOLLOW),
      lstat("/home/l2"),
    ],
  },
  {
    name: "symlink: over existing names is EEXIST, empty target ENOENT, dangling allowed",
    ops: [
      symlink("x", "/home/f"),
      symlink("x", "/home/d"),
      symlink("", "/home/x"),
      symlink("nowhere", "/home/y"),
      symlink("x", "/home/z/"),
      symlink("/home/f", "/home/abs"),
      readlink("/home/y"),
      readlink("/home/abs"),
      stat("/home/abs"),
      lstat("/home/abs"),
      readlink("/home/f"),
      readlink("/home/abs/"),
    ],
  },
  // Rows 16–23: open.
  {
    name: "open(O_CREAT) through looping and dangling links",
    ops: [
      symlink("self", "/home/self"),
      symlink(".", "/home/dot"),
      open("/home/self", O_CREAT | O_WRONLY),
      open("/home/dot", O_CREAT | O_WRONLY),
      open("/dang", O_CREAT | O_EXCL | O_WRONLY),
      open("/dang", O_CREAT | O_NOFOLLOW | O_WRONLY),
      open("/dang", O_CREAT | O_WRONLY),
      lstat("/nowhere"),
      open("/loop", O_RDONLY),
    ],
  },
  {
    name: "O_NOFOLLOW: ELOOP on the last component only",
    ops: [
      open("/home/ld", O_RDONLY | O_NOFOLLOW),
      open("/home/ld/g", O_RDONLY | O_NOFOLLOW),
      open("/home/ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY),
      open("/dang", O_RDONLY | O_NOFOLLOW | O_DIRECTORY),
      open("/home/ld/", O_RDONLY | O_NOFOLLOW),
      open("/home/la/mine", O_RDWR | O_NOFOLLOW),
    ],
  },
  {
    name: "O_CREAT on directories, trailing slashes and dots",
    ops: [
      open("/home/d", O_CREAT | O_RDONLY),
      open("/home/d/", O_CREAT | O_RDONLY),
      open("/home/d/missing/", O_CREAT | O_RDONLY),
      open("/home/d/.", O_CREAT | O_RDONLY),
      open("/home/d/.", O_CREAT | O_EXCL | O_RDONLY),
      open("/", O_CREAT | O_EXCL | O_RDONLY),
      open("//", O_CREAT | O_RDONLY),
      open("/home/new", O_CREAT | O_DIRECTORY | O_RDONLY),
      open("/home/new/", O_CREAT | O_EXCL | O_WRONLY),
    ],
  },
  {
    name: "directories cannot be opened for writing or truncation",
    ops: [open("/home/d", O_RDWR), open("/home/d", O_WRONLY), open("/home/d", O_RDONLY | O_TRUNC), open("/home/d", O_RDONLY), fstat(0)],
  },
  {
    name: "ENOTDIR: O_DIRECTORY on a file, file/, lstat(file/), unlink(file/.)",
    ops: [open("/home/f", O_RDONLY | O_DIRECTORY), open("/home/f/", O_RDONLY), lstat("/home/f/"), unlink("/home/f/."), stat("/home/f/x")],
  },
  {
    name: "path length: 4097 bytes is ENAMETOOLONG, empty is ENOENT",
    ops: [open(TOO_LONG_PATH, O_RDONLY), mkdir(TOO_LONG_PATH), stat(""), open("", O_RDONLY), mkdir(""), unlink(""), rmdir(""), chdir("")],
  },
  {
    name: "O_TRUNC needs write permission even with O_RDONLY",
    ops: [open("/ro/f", O_RDONLY | O_TRUNC), open("/other/f", O_RDONLY | O_TRUNC), open("/pub/theirs", O_RDONLY | O_TRUNC), stat("/pub/theirs")],
  },
  {
    name: "O_PATH: no permission check; fchmod, fchown, ftruncate, read and write are EBADF",
    ops: [
      chmod("/home/f", 0),
      open("/home/f", O_PATH),
      open("/secret/s", O_PATH | O_RDWR),
      open("/home/f", O_PATH | O_DIRECTORY),
      open("/home/ld", O_PATH | O_NOFOLLOW),
      fstat(0),
      fchmod(0, 0o644),
      { op: "fchown", fd: 0, uid: -1, gid: -1 },
      ftruncate(0, 0),
      read(0),
      write(0, "x"),
      fstat(3),
      { op: "stat", path: "g", dirfd: 3 },
      { op: "open", path: "g", flags: O_RDONLY, mode: 0, dirfd: 3 },
      close(0),
    ],
  },
  {
    name: "dirfd-relative calls: a file as dirfd is ENOTDIR, a closed one EBADF, absolute paths ignore it",
    ops: [
      open("/home/d", O_RDONLY | O_DIRECTORY),
      open("/home/f", O_RDONLY),
      { op: "mkdir", path: "x", mode: 0o755, dirfd: 0 },
      { op: "mkdir", path: "y", mode: 0o755, dirfd: 1 },
      { op: "unlink", path: "g", dirfd: 0 },
      { op: "rename", from: "x", to: "../x2", flags: 0, olddirfd: 0, newdirfd: 0 },
      { op: "link", from: "f", to: "hl2", flags: 0, olddirfd: undefined, newdirfd: 0 },
      close(0),
      { op: "mkdir", path: "z", mode: 0o755, dirfd: 0 },
      { op: "mkdir", path: "/home/z", mode: 0o755, dirfd: 0 },
      readdir("/home/d"),
    ],
  },
  {
    name: "faccessat flags: AT_EACCESS, AT_SYMLINK_NOFOLLOW, bad flags",
    ops: [
      { op: "access", path: "/home/ld", mode: 2, flags: AT_SYMLINK_NOFOLLOW },
      { op: "access", path: "/dang", mode: 0, flags: AT_SYMLINK_NOFOLLOW },
      { op: "access", path: "/home/f", mode: 2, flags: 0x8000 },
      { op: "access", path: "/secret", mode: 1, flags: 0x200 },
    ],
  },
  // Rows 24–25: resolution.
  {
    name: "paths are not cleaned lexically; empty components and .. through links",
    ops: [
      stat("/missing/../home"),
      stat("/home//d///g"),
      stat("/home/d/../d/g"),
      stat("/home/ld/../f"),
      stat("/home/la/../home"),
      stat("/up/up/home"),
      stat("/../../home/f"),
      readdir("/home/ld/."),
    ],
  },
  { name: "40 links resolve, 41 are ELOOP", ops: [...linkChain(41), stat("/home/c1"), stat("/home/c0"), open("/home/c0", O_RDONLY), lstat("/home/c0")] },
  // Rows 26–29: unlink, rmdir, mkdir.
  {
    name: "unlink and rmdir on the wrong type",
    ops: [unlink("/home/d"), rmdir("/home/d"), rmdir("/home/f"), unlink("/home/ld"), rmdir("/home/la"), lstat("/home/ld"), unlink("/")],
  },
  {
    name: "rmdir of ., .., / and with trailing slashes",
    ops: [mkdir("/home/e"), rmdir("/home/e/."), rmdir("/home/e/.."), rmdir("/"), rmdir("/home/e/"), mkdir("/home/e"), rmdir("/home/e//"), rmdir(".")],
  },
  { name: "mkdir with a trailing slash succeeds; existing names are EEXIST", ops: [mkdir("/home/e/"), mkdir("/home/e"), mkdir("/home/f/"), mkdir("/dang"), mkdir("/home/e//x//")] },
  {
    name: "creating and deleting need write and search permission on the parent",
    ops: [
      mkdir("/ro/x"),
      open("/ro/x", O_CREAT | O_WRONLY),
      unlink("/ro/f"),
      symlink("t", "/ro/l"),
      mkdir("/secret/x"),
      unlink("/secret/s"),
      mkdir("/other/x"),
      open("/other/w/x", O_CREAT | O_WRONLY),
      unlink("/other/f"),
    ],
  },
  {
    name: "sticky directory: others' files cannot be deleted or renamed over",
    ops: [
      unlink("/pub/theirs"),
      unlink("/pub/mine"),
      rmdir("/pub/sub"),
      open("/pub/new", O_CREAT | O_WRONLY),
      rename("/pub/new", "/pub/theirs"),
      mkdir("/pub/sub/x"),
      open("/pub/theirs", O_CREAT | O_WRONLY),
      readdir("/pub"),
    ],
  },
  // Rows 31–33: truncate, chdir, access.
  {
    name: "truncate and ftruncate errors",
    ops: [
      truncate("/home/f", -1),
      truncate("/home/d", 0),
      open("/home/d", O_RDONLY),
      ftruncate(0, 0),
      open("/home/f", O_RDONLY),
      ftruncate(1, 0),
      truncate("/other/f", 1),
      truncate("/pub/theirs", 2),
      truncate("/home/f", 3),
      truncate("/home/f", 10),
      stat("/home/f"),
    ],
  },
  { name: "chdir errors, relative paths after chdir", ops: [chdir("/home/f"), chdir("/missing"), chdir("/secret"), chdir("/home/ld"), stat("g"), stat("../f"), chdir(".."), readdir(".")] },
  {
    name: "access: bad mode, write permission, execute",
    ops: [access("/home/f", 8), access("/home/d", 2), access("/other", 2), access("/ro", 2), access("/secret/s", 0), access("/other/suid", 1), access("/home/f", 1), access("/dang", 0)],
  },
  // Permissions and attributes.
  {
    name: "chmod and chown: owners, groups, capabilities",
    ops: [
      chmod("/home/f", 0o600),
      chmod("/other/f", 0o600),
      chown("/home/f", -1, G1),
      chown("/home/f", -1, O),
      chown("/home/f", O, -1),
      chown("/home/f", U, G2),
      lchown("/home/ld", -1, G1),
      chown("/other/f", U, G),
      chmod("/home/la", 0o700),
      stat("/home/f"),
      stat("/other/f"),
      lstat("/home/ld"),
    ],
  },
  {
    name: "set-ID bits: chmod by a non-member clears setgid; chown clears set-user-ID",
    ops: [
      chown("/home/f", -1, O),
      chmod("/home/f", 0o2755),
      stat("/home/f"),
      chmod("/grp/sgid", 0o6755),
      stat("/grp/sgid"),
      chown("/grp/sgid", -1, G1),
      stat("/grp/sgid"),
      chown("/other/suid", -1, -1),
      stat("/other/suid"),
    ],
  },
  {
    name: "setgid directory: new files take its group, new directories its setgid bit",
    ops: [
      open("/grp/new", O_CREAT | O_WRONLY, 0o2775),
      mkdir("/grp/dir", 0o755),
      mkdir("/grp/dir/sub"),
      stat("/grp/new"),
      stat("/grp/dir"),
      stat("/grp/dir/sub"),
      symlink("x", "/grp/l"),
      lstat("/grp/l"),
    ],
  },
  {
    name: "setgid directory of a group the creator is not in: S_ISGID is stripped from new files",
    ops: [
      open("/pub/sgo/f", O_CREAT | O_WRONLY, 0o2755),
      mkdir("/pub/sgo/d", 0o2755),
      open("/pub/sgo/g", O_CREAT | O_WRONLY, 0o2745),
      { op: "umask", mask: 0o077 },
      open("/pub/sgo/h", O_CREAT | O_WRONLY, 0o2775),
      stat("/pub/sgo/f"),
      stat("/pub/sgo/d"),
      stat("/pub/sgo/g"),
      stat("/pub/sgo/h"),
    ],
  },
  {
    name: "writing to a set-user-ID file clears the bit unless the writer has CAP_FSETID",
    ops: [chmod("/home/f", 0o6755), open("/home/f", O_WRONLY), write(0, "x"), stat("/home/f"), chmod("/pub/theirs", 0o4777), stat("/pub/theirs")],
  },
  {
    name: "utimensat: now needs ownership or write permission, explicit times need ownership",
    ops: [
      utimes("/home/f", null),
      utimes("/home/f", [1, 2]),
      utimes("/pub/theirs", null),
      utimes("/pub/theirs", [1, 2]),
      utimes("/other/f", null),
      utimes("/home/ld", [1, 2], AT_SYMLINK_NOFOLLOW),
      utimes("/dang", null),
      utimes("/dang", null, AT_SYMLINK_NOFOLLOW),
    ],
  },
  // Data.
  {
    name: "read, write, pread, pwrite, O_APPEND, lseek and the final size",
    ops: [
      open("/home/n", O_CREAT | O_RDWR),
      write(0, "hello"),
      pwrite(0, "XY", 10),
      pread(0, 100, 0),
      lseek(0, 0, 0),
      read(0, 3),
      open("/home/n", O_WRONLY | O_APPEND),
      write(1, "tail"),
      pwrite(1, "P", 0),
      lseek(1, 0, 1),
      fstat(1),
      ftruncate(0, 3),
      read(0),
      lseek(0, -1, 0),
      lseek(0, 0, 3),
      pread(0, 1, -1),
      pwrite(0, "x", -1),
      close(0),
      read(0),
      close(0),
      read(5),
    ],
  },
  {
    name: "access modes: reading a write-only descriptor and writing a read-only one are EBADF",
    ops: [open("/home/f", O_WRONLY), read(0), open("/home/f", O_RDONLY), write(1, "x"), open("/home/f", 3), open("/home/f", O_RDWR | O_APPEND | O_TRUNC), fstat(1)],
  },
  {
    name: "unlinked but open files keep their data",
    ops: [open("/home/f", O_RDWR), unlink("/home/f"), fstat(0), write(0, "more"), pread(0, 100, 0), stat("/home/f"), fchmod(0, 0o600), fstat(0)],
  },
  { name: "readdir: permissions and types", ops: [readdir("/"), readdir("/secret"), readdir("/home/f"), readdir("/home/ld"), readdir("/dang"), readdir("/home/la")] },
];
