// statfs(2): the Statfs shape, mount flags it reports and filesystem magic numbers
// (include/uapi/linux/magic.h, include/linux/statfs.h).

/** tmpfs / shmem. @public */
export const TMPFS_MAGIC = 0x01021994;
/** procfs. @public */
export const PROC_SUPER_MAGIC = 0x9fa0;
/** sysfs. @public */
export const SYSFS_MAGIC = 0x62656572;
/** pipefs. @public */
export const PIPEFS_MAGIC = 0x50495045;
/** The anonymous-inode filesystem (epoll, inotify, eventfd). @public */
export const ANON_INODE_FS_MAGIC = 0x09041934;
/** nsfs (namespace files). @public */
export const NSFS_MAGIC = 0x6e736673;
/** devpts. @public */
export const DEVPTS_SUPER_MAGIC = 0x1cd1;
/** cgroup2. @public */
export const CGROUP2_SUPER_MAGIC = 0x63677270;

/** statfs f_flags: mounted read-only. @public */
export const ST_RDONLY = 0x0001;
/** statfs f_flags: setuid/setgid bits ignored. @public */
export const ST_NOSUID = 0x0002;
/** statfs f_flags: device files not usable. @public */
export const ST_NODEV = 0x0004;
/** statfs f_flags: execution not permitted. @public */
export const ST_NOEXEC = 0x0008;
/** statfs f_flags: writes are synced at once. @public */
export const ST_SYNCHRONOUS = 0x0010;
/** statfs f_flags: f_flags is valid (always set by Linux). @public */
export const ST_VALID = 0x0020;
/** statfs f_flags: mandatory locking. @public */
export const ST_MANDLOCK = 0x0040;
/** statfs f_flags: access times not updated. @public */
export const ST_NOATIME = 0x0400;
/** statfs f_flags: directory access times not updated. @public */
export const ST_NODIRATIME = 0x0800;
/** statfs f_flags: relative access-time updates. @public */
export const ST_RELATIME = 0x1000;

/**
 * The result of statfs(2).
 * @public
 */
export interface Statfs {
  /** Filesystem magic number. */
  type: number;
  /** Optimal transfer block size. */
  bsize: number;
  /** Total data blocks. */
  blocks: number;
  /** Free blocks. */
  bfree: number;
  /** Free blocks available to unprivileged users. */
  bavail: number;
  /** Total inodes. */
  files: number;
  /** Free inodes. */
  ffree: number;
  /** Filesystem ID (two 32-bit words). */
  fsid: readonly [number, number];
  /** Maximum filename length in bytes. */
  namelen: number;
  /** Fragment size. */
  frsize: number;
  /** ST_* mount flags. */
  flags: number;
}

/** The page size vfskit models (x86-64). @public */
export const PAGE_SIZE = 4096;
