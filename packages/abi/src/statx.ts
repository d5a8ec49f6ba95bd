// statx(2) masks and the Statx shape (include/uapi/linux/stat.h).

/** statx: want/got the file type (stx_mode & S_IFMT). @public */
export const STATX_TYPE = 0x0001;
/** statx: want/got the permission bits. @public */
export const STATX_MODE = 0x0002;
/** statx: want/got the link count. @public */
export const STATX_NLINK = 0x0004;
/** statx: want/got the owner. @public */
export const STATX_UID = 0x0008;
/** statx: want/got the group. @public */
export const STATX_GID = 0x0010;
/** statx: want/got the access time. @public */
export const STATX_ATIME = 0x0020;
/** statx: want/got the modification time. @public */
export const STATX_MTIME = 0x0040;
/** statx: want/got the change time. @public */
export const STATX_CTIME = 0x0080;
/** statx: want/got the inode number. @public */
export const STATX_INO = 0x0100;
/** statx: want/got the size. @public */
export const STATX_SIZE = 0x0200;
/** statx: want/got the block count. @public */
export const STATX_BLOCKS = 0x0400;
/** statx: everything `stat` returns. @public */
export const STATX_BASIC_STATS = 0x07ff;
/** statx: want/got the birth time. @public */
export const STATX_BTIME = 0x0800;
/** statx: want/got the mount ID. @public */
export const STATX_MNT_ID = 0x1000;
/** statx: reserved bit; requesting it is EINVAL. @public */
export const STATX__RESERVED = 0x80000000;
/** statx: every field this ABI defines that vfskit fills. @public */
export const STATX_ALL = STATX_BASIC_STATS | STATX_BTIME;

/**
 * A timestamp: seconds and nanoseconds since the epoch, like `struct statx_timestamp`.
 * @public
 */
export interface Timespec {
  /** Whole seconds since 1970-01-01T00:00:00Z (may be negative). */
  sec: number;
  /** Nanoseconds, 0 to 999,999,999. */
  nsec: number;
}

/**
 * The result of statx(2). `mask` says which fields are filled.
 *
 * @remarks
 * `uid`/`gid` are kernel IDs (KUIDs/KGIDs) inside vfskit; the syscall layer maps them into
 * the caller's user namespace. `size` and `blocks` are numbers (exact up to 2^53 bytes).
 * @public
 */
export interface Statx {
  /** Which STATX_* fields are valid. */
  mask: number;
  /** Optimal I/O block size. */
  blksize: number;
  /** STATX_ATTR_* flags. */
  attributes: number;
  /** Hard-link count. */
  nlink: number;
  /** Owner (kernel UID). */
  uid: number;
  /** Group (kernel GID). */
  gid: number;
  /** File type and permission bits. */
  mode: number;
  /** Inode number. */
  ino: number;
  /** Size in bytes. */
  size: number;
  /** Number of 512-byte blocks allocated. */
  blocks: number;
  /** Which STATX_ATTR_* flags are supported. */
  attributesMask: number;
  /** Last access. */
  atime: Timespec;
  /** Creation (birth). */
  btime: Timespec;
  /** Last status change. */
  ctime: Timespec;
  /** Last modification. */
  mtime: Timespec;
  /** For device files: the device's major number. */
  rdevMajor: number;
  /** For device files: the device's minor number. */
  rdevMinor: number;
  /** Major number of the device holding the file. */
  devMajor: number;
  /** Minor number of the device holding the file. */
  devMinor: number;
  /** Mount ID (STATX_MNT_ID). */
  mntId: number;
}
