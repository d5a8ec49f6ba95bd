/**
 * The operation model: what a sequence step can do, how it prints, and the JSON shape both
 * executors receive. Flags and modes are Linux's numbers (x86-64), so the host helper
 * passes them straight to the system calls.
 */
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
  errnoCode,
} from "@vfskit/abi";

/** A file descriptor slot: the k-th `open` of the sequence (numbers differ between executors). */
export type FdSlot = number;

/**
 * Timestamps for `utimes`: `null` for utimensat with NULL (both now), else [atime, mtime]
 * in whole seconds, where {@link TIME_NOW} is UTIME_NOW and {@link TIME_OMIT} UTIME_OMIT.
 */
export type Times = readonly [number, number] | null;

/** UTIME_NOW in {@link Times}. */
export const TIME_NOW = -1;
/** UTIME_OMIT in {@link Times}. */
export const TIME_OMIT = -2;

function formatTime(t: number): string {
  return t === TIME_NOW ? "UTIME_NOW" : t === TIME_OMIT ? "UTIME_OMIT" : `${t}s`;
}

/** One step of a sequence. */
export type Op =
  | { op: "mkdir"; path: string; mode: number; dirfd?: FdSlot | undefined }
  | { op: "rmdir"; path: string; dirfd?: FdSlot | undefined }
  | { op: "open"; path: string; flags: number; mode: number; dirfd?: FdSlot | undefined }
  | { op: "close"; fd: FdSlot }
  | { op: "write"; fd: FdSlot; data: string }
  | { op: "read"; fd: FdSlot; count: number }
  | { op: "pread"; fd: FdSlot; count: number; offset: number }
  | { op: "pwrite"; fd: FdSlot; data: string; offset: number }
  | { op: "lseek"; fd: FdSlot; offset: number; whence: number }
  | { op: "ftruncate"; fd: FdSlot; length: number }
  | { op: "truncate"; path: string; length: number }
  | { op: "unlink"; path: string; dirfd?: FdSlot | undefined }
  | { op: "rename"; from: string; to: string; flags: number; olddirfd?: FdSlot | undefined; newdirfd?: FdSlot | undefined }
  | { op: "link"; from: string; to: string; flags: number; olddirfd?: FdSlot | undefined; newdirfd?: FdSlot | undefined }
  | { op: "symlink"; target: string; path: string; dirfd?: FdSlot | undefined }
  | { op: "readlink"; path: string; dirfd?: FdSlot | undefined }
  | { op: "stat"; path: string; dirfd?: FdSlot | undefined }
  | { op: "lstat"; path: string; dirfd?: FdSlot | undefined }
  | { op: "fstat"; fd: FdSlot }
  | { op: "chmod"; path: string; mode: number; dirfd?: FdSlot | undefined }
  | { op: "fchmod"; fd: FdSlot; mode: number }
  | { op: "chown"; path: string; uid: number; gid: number; flags: number; dirfd?: FdSlot | undefined }
  | { op: "utimes"; path: string; times: Times; flags: number; dirfd?: FdSlot | undefined }
  | { op: "access"; path: string; mode: number; flags?: number | undefined; dirfd?: FdSlot | undefined }
  | { op: "chdir"; path: string }
  | { op: "readdir"; path: string }
  | { op: "umask"; mask: number }
  | { op: "getcwd" }
  | { op: "fchown"; fd: FdSlot; uid: number; gid: number };

/** The kind of an {@link Op}. */
export type OpName = Op["op"];

/** Comparable file attributes (not inode numbers, not times: they cannot match). */
export interface StatResult {
  type: string;
  mode: number;
  nlink: number;
  size: number;
  uid: number;
  gid: number;
}

/** What a step returned: a value, an errno number, or a crash (an exception that is not an errno). */
export type StepResult = { ok: StepValue } | { err: number } | { crash: string };

/** A successful step's value: nothing, a count or offset, data or a link target, names, attributes, or "an fd". */
export type StepValue = null | number | string | string[] | StatResult;

const accessModes: readonly [number, string][] = [
  [O_RDONLY, "O_RDONLY"],
  [O_WRONLY, "O_WRONLY"],
  [O_RDWR, "O_RDWR"],
  [3, "O_ACCMODE"],
];

const openFlagNames: readonly [number, string][] = [
  [O_CREAT, "O_CREAT"],
  [O_EXCL, "O_EXCL"],
  [O_TRUNC, "O_TRUNC"],
  [O_DIRECTORY, "O_DIRECTORY"],
  [O_NOFOLLOW, "O_NOFOLLOW"],
  [O_APPEND, "O_APPEND"],
  [O_PATH, "O_PATH"],
  [O_NOATIME, "O_NOATIME"],
];

/** `O_RDWR|O_CREAT|O_EXCL`. */
export function formatOpenFlags(flags: number): string {
  const parts = [accessModes.find(([v]) => v === (flags & 3))?.[1] ?? "?"];
  let rest = flags & ~3;
  for (const [bit, name] of openFlagNames) {
    if ((rest & bit) !== 0) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.join("|");
}

function formatRenameFlags(flags: number): string {
  const parts: string[] = [];
  if ((flags & RENAME_NOREPLACE) !== 0) parts.push("RENAME_NOREPLACE");
  if ((flags & RENAME_EXCHANGE) !== 0) parts.push("RENAME_EXCHANGE");
  return parts.length === 0 ? "0" : parts.join("|");
}

function formatAccessFlags(flags: number): string {
  const parts: string[] = [];
  if ((flags & AT_EACCESS) !== 0) parts.push("AT_EACCESS");
  if ((flags & AT_SYMLINK_NOFOLLOW) !== 0) parts.push("AT_SYMLINK_NOFOLLOW");
  const rest = flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW);
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length === 0 ? "0" : parts.join("|");
}

/** A mode as C writes it (`0644`). */
export function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** A path or name as a readable literal; long runs of one character are abbreviated. */
export function quote(s: string): string {
  const compact = s.replace(/(.)\1{15,}/gu, (run, ch: string) => `${ch}{×${[...run].length}}`);
  return JSON.stringify(compact);
}

function fdName(fd: FdSlot): string {
  return `#${fd}`;
}

/** `AT_FDCWD` or `#k`, then the path: the first arguments of a *at call. */
function at(dirfd: FdSlot | undefined, path: string): string {
  return `${dirfd === undefined ? "AT_FDCWD" : fdName(dirfd)}, ${quote(path)}`;
}

/** One step as a line of a C-like script (`open("a", O_RDWR|O_CREAT, 0644)`). */
export function formatOp(op: Op): string {
  switch (op.op) {
    case "mkdir":
      return op.dirfd === undefined ? `mkdir(${quote(op.path)}, ${octal(op.mode)})` : `mkdirat(${at(op.dirfd, op.path)}, ${octal(op.mode)})`;
    case "unlink":
      return op.dirfd === undefined ? `unlink(${quote(op.path)})` : `unlinkat(${at(op.dirfd, op.path)}, 0)`;
    case "umask":
      return `umask(${octal(op.mask)})`;
    case "fchown":
      return `fchown(${fdName(op.fd)}, ${op.uid}, ${op.gid})`;
    case "stat":
    case "lstat":
      return op.dirfd === undefined
        ? `${op.op}(${quote(op.path)})`
        : `fstatat(${at(op.dirfd, op.path)}, ${op.op === "lstat" ? "AT_SYMLINK_NOFOLLOW" : "0"})`;
    case "getcwd":
      return "getcwd()";
    case "rmdir":
      return op.dirfd === undefined ? `rmdir(${quote(op.path)})` : `unlinkat(${at(op.dirfd, op.path)}, AT_REMOVEDIR)`;
    case "readlink":
      return op.dirfd === undefined ? `readlink(${quote(op.path)})` : `readlinkat(${at(op.dirfd, op.path)})`;
    case "chdir":
    case "readdir":
      return `${op.op}(${quote(op.path)})`;
    case "open":
      return op.dirfd === undefined
        ? `open(${quote(op.path)}, ${formatOpenFlags(op.flags)}, ${octal(op.mode)})`
        : `openat(${at(op.dirfd, op.path)}, ${formatOpenFlags(op.flags)}, ${octal(op.mode)})`;
    case "close":
    case "fstat":
      return `${op.op}(${fdName(op.fd)})`;
    case "write":
      return `write(${fdName(op.fd)}, ${JSON.stringify(op.data)})`;
    case "read":
      return `read(${fdName(op.fd)}, ${op.count})`;
    case "pread":
      return `pread(${fdName(op.fd)}, ${op.count}, ${op.offset})`;
    case "pwrite":
      return `pwrite(${fdName(op.fd)}, ${JSON.stringify(op.data)}, ${op.offset})`;
    case "lseek":
      return `lseek(${fdName(op.fd)}, ${op.offset}, ${["SEEK_SET", "SEEK_CUR", "SEEK_END"][op.whence] ?? op.whence})`;
    case "ftruncate":
      return `ftruncate(${fdName(op.fd)}, ${op.length})`;
    case "truncate":
      return `truncate(${quote(op.path)}, ${op.length})`;
    case "rename":
      return op.flags === 0 && op.olddirfd === undefined && op.newdirfd === undefined
        ? `rename(${quote(op.from)}, ${quote(op.to)})`
        : `renameat2(${at(op.olddirfd, op.from)}, ${at(op.newdirfd, op.to)}, ${formatRenameFlags(op.flags)})`;
    case "link":
      return op.flags === 0 && op.olddirfd === undefined && op.newdirfd === undefined
        ? `link(${quote(op.from)}, ${quote(op.to)})`
        : `linkat(${at(op.olddirfd, op.from)}, ${at(op.newdirfd, op.to)}, ${op.flags === AT_SYMLINK_FOLLOW ? "AT_SYMLINK_FOLLOW" : op.flags})`;
    case "symlink":
      return op.dirfd === undefined
        ? `symlink(${quote(op.target)}, ${quote(op.path)})`
        : `symlinkat(${quote(op.target)}, ${at(op.dirfd, op.path)})`;
    case "chmod":
      return op.dirfd === undefined ? `chmod(${quote(op.path)}, ${octal(op.mode)})` : `fchmodat(${at(op.dirfd, op.path)}, ${octal(op.mode)}, 0)`;
    case "fchmod":
      return `fchmod(${fdName(op.fd)}, ${octal(op.mode)})`;
    case "chown":
      return op.dirfd === undefined
        ? `${op.flags === AT_SYMLINK_NOFOLLOW ? "lchown" : "chown"}(${quote(op.path)}, ${op.uid}, ${op.gid})`
        : `fchownat(${at(op.dirfd, op.path)}, ${op.uid}, ${op.gid}, ${op.flags === AT_SYMLINK_NOFOLLOW ? "AT_SYMLINK_NOFOLLOW" : "0"})`;
    case "utimes": {
      const times = op.times === null ? "NULL" : `{${formatTime(op.times[0])}, ${formatTime(op.times[1])}}`;
      const flags = op.flags === AT_SYMLINK_NOFOLLOW ? "AT_SYMLINK_NOFOLLOW" : "0";
      return `utimensat(${at(op.dirfd, op.path)}, ${times}, ${flags})`;
    }
    case "access":
      return (op.flags === undefined || op.flags === 0) && op.dirfd === undefined
        ? `access(${quote(op.path)}, ${op.mode})`
        : `faccessat(${at(op.dirfd, op.path)}, ${op.mode}, ${formatAccessFlags(op.flags ?? 0)})`;
  }
}

/** A result as text: `= 3`, `= #fd`, `ENOENT`, `CRASH …`. */
export function formatResult(r: StepResult | undefined): string {
  if (r === undefined) return "(missing)";
  if ("err" in r) return errnoCode(r.err) ?? `errno ${r.err}`;
  if ("crash" in r) return `CRASH ${r.crash}`;
  const v = r.ok;
  if (v === null) return "= 0";
  if (v === "fd") return "= fd";
  if (typeof v === "number") return `= ${v}`;
  if (typeof v === "string") return `= ${quote(v)}`;
  if (Array.isArray(v)) return `= [${v.map(quote).join(", ")}]`;
  return `= {${v.type} ${octal(v.mode)} nlink=${v.nlink} size=${v.size} uid=${v.uid} gid=${v.gid}}`;
}

/** The whole sequence as a script, one step a line, with `#k` naming the k-th open. */
export function formatScript(ops: readonly Op[]): string {
  let opens = 0;
  return ops
    .map((op, i) => {
      const suffix = op.op === "open" ? `   // -> #${opens++}` : "";
      return `${String(i).padStart(3)}: ${formatOp(op)}${suffix}`;
    })
    .join("\n");
}
