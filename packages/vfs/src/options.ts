// Option bags for VFS operations (gVisor's vfs/options.go). Plain data, no behaviour.
import type { Timespec } from "@vfskit/abi";

/** Access type bit: execute or search. @public */
export const MAY_EXEC = 1;
/** Access type bit: write. @public */
export const MAY_WRITE = 2;
/** Access type bit: read. @public */
export const MAY_READ = 4;

/**
 * A set of MAY_READ / MAY_WRITE / MAY_EXEC bits, as permission checks take them.
 * @public
 */
export type AccessTypes = number;

/**
 * Options of `getDentryAt`.
 * @public
 */
export interface GetDentryOptions {
  /** Require the result to be a searchable directory (ENOTDIR, EACCES), as chdir does. */
  readonly checkSearchable?: boolean;
}

/**
 * Options of `openAt`.
 * @public
 */
export interface OpenOptions {
  /** open(2) flags: access mode, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY… */
  readonly flags: number;
  /** Permission bits for a created file (already masked by the caller's umask). */
  readonly mode: number;
  /**
   * The permission bits the caller asked for, before the umask. Linux strips a
   * setgid-executable bit the creator could not have set (`mode_strip_sgid`) before it
   * applies the umask, so whether group-execute was asked for decides, even when the
   * umask then removes it. A filesystem without it uses `mode`.
   */
  readonly requestedMode?: number;
  /** Opening for execve: requires exec permission, a regular file and no noexec mount. */
  readonly fileExec?: boolean;
}

/**
 * Options of `mkdirAt`.
 * @public
 */
export interface MkdirOptions {
  /** Permission bits (already masked by the umask); sticky is kept. */
  readonly mode: number;
  /** Create a synthetic directory if the filesystem refuses (for mount points). */
  readonly forSyntheticMountpoint?: boolean;
}

/**
 * Options of `mknodAt`.
 * @public
 */
export interface MknodOptions {
  /** File type (S_IFIFO, S_IFCHR, S_IFBLK, S_IFREG, S_IFSOCK) and permission bits. */
  readonly mode: number;
  /** The permission bits before the umask, as {@link OpenOptions.requestedMode}. */
  readonly requestedMode?: number;
  /** Device major number, for character and block devices. */
  readonly devMajor: number;
  /** Device minor number, for character and block devices. */
  readonly devMinor: number;
}

/**
 * Options of `renameAt`.
 * @public
 */
export interface RenameOptions {
  /** RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT. */
  readonly flags: number;
  /** The old path had a trailing slash: the source must be a directory. */
  readonly mustBeDir?: boolean;
}

/**
 * Options of `statAt` and `FileDescription.stat`.
 * @public
 */
export interface StatOptions {
  /** STATX_* fields wanted. */
  readonly mask: number;
  /** AT_STATX_SYNC_AS_STAT, AT_STATX_FORCE_SYNC or AT_STATX_DONT_SYNC. */
  readonly sync: number;
}

/**
 * The attributes a setStat changes; `mask` (STATX_MODE, STATX_UID, STATX_GID,
 * STATX_SIZE, STATX_ATIME, STATX_MTIME) says which fields are meaningful.
 * @public
 */
export interface SetStatAttributes {
  /** Which fields to change (STATX_* bits). */
  readonly mask: number;
  /** New permission bits (chmod). */
  readonly mode?: number;
  /** New owner, a kernel UID (chown). */
  readonly uid?: number;
  /** New group, a kernel GID (chown). */
  readonly gid?: number;
  /** New size (truncate). */
  readonly size?: number;
  /** New access time; `nsec` may be UTIME_NOW or UTIME_OMIT. */
  readonly atime?: Timespec;
  /** New modification time; `nsec` may be UTIME_NOW or UTIME_OMIT. */
  readonly mtime?: Timespec;
}

/**
 * Options of `setStatAt` and `FileDescription.setStat`.
 * @public
 */
export interface SetStatOptions {
  /** What to change. */
  readonly stat: SetStatAttributes;
  /** Also require write permission on the file (truncate(2) by path). */
  readonly needWritePerm?: boolean;
}

/**
 * Options of `getXattrAt` / `FileDescription.getXattr`.
 * @public
 */
export interface GetXattrOptions {
  /** Attribute name with its namespace prefix (`user.foo`). */
  readonly name: string;
  /** Buffer size the caller offers; 0 asks for the size. Too small → ERANGE. */
  readonly size: number;
}

/**
 * Options of `setXattrAt` / `FileDescription.setXattr`.
 * @public
 */
export interface SetXattrOptions {
  /** Attribute name with its namespace prefix. */
  readonly name: string;
  /** The value. */
  readonly value: Uint8Array;
  /** XATTR_CREATE or XATTR_REPLACE, or 0. */
  readonly flags: number;
}

/**
 * Options of reads (preadv2 flags).
 * @public
 */
export interface ReadOptions {
  /** RWF_* flags; 0 for a plain read. */
  readonly flags: number;
}

/**
 * Options of writes (pwritev2 flags).
 * @public
 */
export interface WriteOptions {
  /** RWF_* flags; 0 for a plain write. */
  readonly flags: number;
}

/**
 * What a filesystem type receives when asked for a new filesystem.
 * @public
 */
export interface GetFilesystemOptions {
  /** The mount(2) `data` string (comma-separated options). */
  readonly data?: string;
  /** An internal mount: types that are not user-mountable are allowed. */
  readonly internalMount?: boolean;
  /** Opaque data from inside vfskit (for example a kernel object for procfs). */
  readonly internalData?: unknown;
}

/**
 * Per-mount flags.
 * @public
 */
export interface MountFlags {
  /** Programs may not be executed. */
  readonly noExec?: boolean;
  /** Access times are not updated. */
  readonly noATime?: boolean;
  /** Device files cannot be opened. */
  readonly noDev?: boolean;
  /** setuid/setgid bits are ignored. */
  readonly noSUID?: boolean;
}

/**
 * Options of `mountAt` / `newMount`.
 * @public
 */
export interface MountOptions {
  /** Per-mount flags. */
  readonly flags?: MountFlags;
  /** Mount read-only. */
  readonly readOnly?: boolean;
  /** Passed to the filesystem type. */
  readonly getFilesystemOptions?: GetFilesystemOptions;
}

/**
 * Options of `umountAt`.
 * @public
 */
export interface UmountOptions {
  /** MNT_FORCE, MNT_DETACH (and UMOUNT_NOFOLLOW, handled by the caller's path walk). */
  readonly flags: number;
}
