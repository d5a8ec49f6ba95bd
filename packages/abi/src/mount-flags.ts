// mount(2) / umount2(2) flags (include/uapi/linux/mount.h).

/** Mount read-only. @public */
export const MS_RDONLY = 1;
/** Ignore setuid and setgid bits. @public */
export const MS_NOSUID = 2;
/** Disallow access to device files. @public */
export const MS_NODEV = 4;
/** Disallow program execution. @public */
export const MS_NOEXEC = 8;
/** Writes are synced at once. @public */
export const MS_SYNCHRONOUS = 16;
/** Alter flags of a mounted filesystem. @public */
export const MS_REMOUNT = 32;
/** Allow mandatory locks. @public */
export const MS_MANDLOCK = 64;
/** Directory modifications are synchronous. @public */
export const MS_DIRSYNC = 128;
/** Do not follow symlinks on the target. @public */
export const MS_NOSYMFOLLOW = 256;
/** Do not update access times. @public */
export const MS_NOATIME = 1024;
/** Do not update directory access times. @public */
export const MS_NODIRATIME = 2048;
/** Bind mount. @public */
export const MS_BIND = 4096;
/** Move a subtree. @public */
export const MS_MOVE = 8192;
/** Recursive (with MS_BIND or a propagation flag). @public */
export const MS_REC = 16384;
/** Silence some kernel messages. @public */
export const MS_SILENT = 32768;
/** Make unbindable. @public */
export const MS_UNBINDABLE = 1 << 17;
/** Make private. @public */
export const MS_PRIVATE = 1 << 18;
/** Make a slave. @public */
export const MS_SLAVE = 1 << 19;
/** Make shared. @public */
export const MS_SHARED = 1 << 20;
/** Update atime relative to mtime/ctime. @public */
export const MS_RELATIME = 1 << 21;
/** Always update atime. @public */
export const MS_STRICTATIME = 1 << 24;
/** Update times lazily. @public */
export const MS_LAZYTIME = 1 << 25;

/** umount2: force unmount. @public */
export const MNT_FORCE = 1;
/** umount2: lazy unmount (detach now, clean up when unused). @public */
export const MNT_DETACH = 2;
/** umount2: mark for expiry. @public */
export const MNT_EXPIRE = 4;
/** umount2: do not follow a final symlink. @public */
export const UMOUNT_NOFOLLOW = 8;
