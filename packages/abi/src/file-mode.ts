// File type and permission bits of st_mode (include/uapi/linux/stat.h).

/** Mask of the file-type bits of a mode. @public */
export const S_IFMT = 0o170000;
/** Socket. @public */
export const S_IFSOCK = 0o140000;
/** Symbolic link. @public */
export const S_IFLNK = 0o120000;
/** Regular file. @public */
export const S_IFREG = 0o100000;
/** Block device. @public */
export const S_IFBLK = 0o060000;
/** Directory. @public */
export const S_IFDIR = 0o040000;
/** Character device. @public */
export const S_IFCHR = 0o020000;
/** FIFO (named pipe). @public */
export const S_IFIFO = 0o010000;

/** Set-user-ID on execution. @public */
export const S_ISUID = 0o4000;
/** Set-group-ID on execution; on a directory, new entries inherit its group. @public */
export const S_ISGID = 0o2000;
/** Sticky bit; on a directory, only owners may delete or rename entries. @public */
export const S_ISVTX = 0o1000;

/** Owner read, write and execute. @public */
export const S_IRWXU = 0o700;
/** Owner read. @public */
export const S_IRUSR = 0o400;
/** Owner write. @public */
export const S_IWUSR = 0o200;
/** Owner execute/search. @public */
export const S_IXUSR = 0o100;
/** Group read, write and execute. @public */
export const S_IRWXG = 0o070;
/** Group read. @public */
export const S_IRGRP = 0o040;
/** Group write. @public */
export const S_IWGRP = 0o020;
/** Group execute/search. @public */
export const S_IXGRP = 0o010;
/** Others read, write and execute. @public */
export const S_IRWXO = 0o007;
/** Others read. @public */
export const S_IROTH = 0o004;
/** Others write. @public */
export const S_IWOTH = 0o002;
/** Others execute/search. @public */
export const S_IXOTH = 0o001;

/** All permission bits including setuid, setgid and sticky (07777). @public */
export const S_IALLUGO = 0o7777;

/** True if `mode` is a directory. @public */
export function isDirectory(mode: number): boolean {
  return (mode & S_IFMT) === S_IFDIR;
}
/** True if `mode` is a regular file. @public */
export function isRegular(mode: number): boolean {
  return (mode & S_IFMT) === S_IFREG;
}
/** True if `mode` is a symbolic link. @public */
export function isSymlink(mode: number): boolean {
  return (mode & S_IFMT) === S_IFLNK;
}
/** True if `mode` is a FIFO. @public */
export function isFifo(mode: number): boolean {
  return (mode & S_IFMT) === S_IFIFO;
}
/** True if `mode` is a character device. @public */
export function isCharDevice(mode: number): boolean {
  return (mode & S_IFMT) === S_IFCHR;
}
/** True if `mode` is a block device. @public */
export function isBlockDevice(mode: number): boolean {
  return (mode & S_IFMT) === S_IFBLK;
}
/** True if `mode` is a socket. @public */
export function isSocket(mode: number): boolean {
  return (mode & S_IFMT) === S_IFSOCK;
}

/**
 * Renders a mode the way `ls -l` does, e.g. `drwxr-xr-x`, `-rwsr-x---`, `drwxrwxrwt`.
 * @public
 */
export function modeString(mode: number): string {
  const typeChar =
    { [S_IFDIR]: "d", [S_IFLNK]: "l", [S_IFCHR]: "c", [S_IFBLK]: "b", [S_IFIFO]: "p", [S_IFSOCK]: "s" }[
      mode & S_IFMT
    ] ?? "-";
  const triplet = (shift: number, special: number, specialChar: string): string => {
    const r = mode & (4 << shift) ? "r" : "-";
    const w = mode & (2 << shift) ? "w" : "-";
    const xBit = (mode & (1 << shift)) !== 0;
    const x = mode & special ? (xBit ? specialChar : specialChar.toUpperCase()) : xBit ? "x" : "-";
    return r + w + x;
  };
  return typeChar + triplet(6, S_ISUID, "s") + triplet(3, S_ISGID, "s") + triplet(0, S_ISVTX, "t");
}
