// Limits (include/uapi/linux/limits.h and friends).

/** Longest file-name component in bytes (UTF-8 bytes, not characters). @public */
export const NAME_MAX = 255;
/** Longest pathname in bytes, including the terminating NUL. @public */
export const PATH_MAX = 4096;
/** Writes to a pipe up to this many bytes are atomic. @public */
export const PIPE_BUF = 4096;
/** Most symbolic links (and magic-link jumps) followed in one path resolution. @public */
export const MAXSYMLINKS = 40;
/** Largest supplementary group list. @public */
export const NGROUPS_MAX = 65536;
/** Length of a task's command name buffer, including the NUL (so 15 usable bytes). @public */
export const TASK_COMM_LEN = 16;
/** The highest possible number of open files (fs.nr_open ceiling). @public */
export const NR_OPEN_MAX = 1073741816;

/** utimensat: set this timestamp to the current time. @public */
export const UTIME_NOW = (1 << 30) - 1;
/** utimensat: leave this timestamp unchanged. @public */
export const UTIME_OMIT = (1 << 30) - 2;
