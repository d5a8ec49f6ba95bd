// Directory entry types (include/linux/fs_types.h) and the dirent shape.
import { S_IFMT } from "./file-mode.js";

/** Unknown type. @public */
export const DT_UNKNOWN = 0;
/** FIFO. @public */
export const DT_FIFO = 1;
/** Character device. @public */
export const DT_CHR = 2;
/** Directory. @public */
export const DT_DIR = 4;
/** Block device. @public */
export const DT_BLK = 6;
/** Regular file. @public */
export const DT_REG = 8;
/** Symbolic link. @public */
export const DT_LNK = 10;
/** Socket. @public */
export const DT_SOCK = 12;
/** Whiteout. @public */
export const DT_WHT = 14;

/**
 * The dirent type of a mode: `(mode & S_IFMT) >> 12`, as Linux computes it.
 * @public
 */
export function direntTypeFromMode(mode: number): number {
  return (mode & S_IFMT) >>> 12;
}

/**
 * One directory entry, as getdents64(2) reports it.
 * @public
 */
export interface Dirent {
  /** Entry name (no slashes). */
  name: string;
  /** DT_* type. */
  type: number;
  /** Inode number. */
  ino: number;
  /** The offset to seek to in order to continue after this entry. */
  nextOff: number;
}
