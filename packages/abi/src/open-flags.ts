// open(2), *at(2), renameat2(2), fcntl(2), lseek(2) and access(2) constants for x86-64
// (include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h, include/uapi/linux/fs.h).

/** Mask of the access-mode bits. @public */
export const O_ACCMODE = 0o3;
/** Open for reading only. @public */
export const O_RDONLY = 0o0;
/** Open for writing only. @public */
export const O_WRONLY = 0o1;
/** Open for reading and writing. @public */
export const O_RDWR = 0o2;
/** Create the file if it does not exist. @public */
export const O_CREAT = 0o100;
/** With O_CREAT: fail with EEXIST if the name exists. @public */
export const O_EXCL = 0o200;
/** Do not make a terminal the controlling terminal. @public */
export const O_NOCTTY = 0o400;
/** Truncate a regular file to length 0. @public */
export const O_TRUNC = 0o1000;
/** Every write appends. @public */
export const O_APPEND = 0o2000;
/** Non-blocking I/O: EAGAIN instead of waiting. @public */
export const O_NONBLOCK = 0o4000;
/** Synchronized data integrity writes. @public */
export const O_DSYNC = 0o10000;
/** Signal-driven I/O. @public */
export const O_ASYNC = 0o20000;
/** Direct I/O (bypass caches). @public */
export const O_DIRECT = 0o40000;
/** Allow files larger than 2 GiB (always set on 64-bit Linux for FIFOs and fdinfo). @public */
export const O_LARGEFILE = 0o100000;
/** Fail with ENOTDIR unless the path is a directory. @public */
export const O_DIRECTORY = 0o200000;
/** Fail with ELOOP if the final component is a symbolic link. @public */
export const O_NOFOLLOW = 0o400000;
/** Do not update the access time. @public */
export const O_NOATIME = 0o1000000;
/** Close the file descriptor on execve. @public */
export const O_CLOEXEC = 0o2000000;
/** Synchronized file integrity writes (includes O_DSYNC). @public */
export const O_SYNC = 0o4010000;
/** A location-only descriptor: no I/O, no permission check on the file. @public */
export const O_PATH = 0o10000000;
/** An unnamed temporary file in the given directory (includes O_DIRECTORY). @public */
export const O_TMPFILE = 0o20200000;

/** The dirfd meaning "the current working directory". @public */
export const AT_FDCWD = -100;
/** Do not follow a final symbolic link. @public */
export const AT_SYMLINK_NOFOLLOW = 0x100;
/** unlinkat: remove a directory (like rmdir). @public */
export const AT_REMOVEDIR = 0x200;
/** faccessat: check with effective IDs instead of real IDs. @public */
export const AT_EACCESS = 0x200;
/** linkat: follow a final symbolic link of the source. @public */
export const AT_SYMLINK_FOLLOW = 0x400;
/** Do not trigger automounts. @public */
export const AT_NO_AUTOMOUNT = 0x800;
/** An empty path means the dirfd itself. @public */
export const AT_EMPTY_PATH = 0x1000;
/** statx: do what stat does about syncing. @public */
export const AT_STATX_SYNC_AS_STAT = 0x0000;
/** statx: force a sync with the server. @public */
export const AT_STATX_FORCE_SYNC = 0x2000;
/** statx: don't sync. @public */
export const AT_STATX_DONT_SYNC = 0x4000;
/** statx: mask of the sync-type bits. @public */
export const AT_STATX_SYNC_TYPE = 0x6000;
/** Apply to the whole subtree (mount_setattr, open_tree). @public */
export const AT_RECURSIVE = 0x8000;

/** renameat2: fail with EEXIST if the new name exists. @public */
export const RENAME_NOREPLACE = 1 << 0;
/** renameat2: atomically exchange the two names. @public */
export const RENAME_EXCHANGE = 1 << 1;
/** renameat2: leave a whiteout at the source (overlay filesystems). @public */
export const RENAME_WHITEOUT = 1 << 2;

/** lseek: set the offset. @public */
export const SEEK_SET = 0;
/** lseek: offset relative to the current position. @public */
export const SEEK_CUR = 1;
/** lseek: offset relative to the end. @public */
export const SEEK_END = 2;
/** lseek: next data at or after the offset. @public */
export const SEEK_DATA = 3;
/** lseek: next hole at or after the offset. @public */
export const SEEK_HOLE = 4;

/** access: test for existence. @public */
export const F_OK = 0;
/** access: test for execute/search permission. @public */
export const X_OK = 1;
/** access: test for write permission. @public */
export const W_OK = 2;
/** access: test for read permission. @public */
export const R_OK = 4;

/** fcntl: duplicate to the lowest free fd ≥ arg. @public */
export const F_DUPFD = 0;
/** fcntl: get the fd flags (FD_CLOEXEC). @public */
export const F_GETFD = 1;
/** fcntl: set the fd flags. @public */
export const F_SETFD = 2;
/** fcntl: get the file status flags. @public */
export const F_GETFL = 3;
/** fcntl: set the file status flags. @public */
export const F_SETFL = 4;
/** fcntl: test a POSIX record lock. @public */
export const F_GETLK = 5;
/** fcntl: set a POSIX record lock. @public */
export const F_SETLK = 6;
/** fcntl: set a POSIX record lock, waiting. @public */
export const F_SETLKW = 7;
/** fcntl: like F_DUPFD but sets FD_CLOEXEC. @public */
export const F_DUPFD_CLOEXEC = 1030;
/** fcntl: set a pipe's capacity. @public */
export const F_SETPIPE_SZ = 1031;
/** fcntl: get a pipe's capacity. @public */
export const F_GETPIPE_SZ = 1032;
/** The close-on-exec fd flag. @public */
export const FD_CLOEXEC = 1;

/** ioctl: number of bytes available to read. @public */
export const FIONREAD = 0x541b;
