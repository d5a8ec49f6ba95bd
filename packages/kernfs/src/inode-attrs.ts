// InodeAttrs: the metadata of a kernfs inode (owner, mode, link count, times) and the rules
// for changing it. Twin of InodeAttrs in gVisor's
// pkg/sentry/fsimpl/kernfs/inode_impl_util.go.
import {
  PAGE_SIZE,
  S_IFDIR,
  S_IFMT,
  STATX_ATIME,
  STATX_CTIME,
  STATX_GID,
  STATX_INO,
  STATX_MODE,
  STATX_MTIME,
  STATX_NLINK,
  STATX_SIZE,
  STATX_TYPE,
  STATX_UID,
  SysError,
  UTIME_NOW,
  UTIME_OMIT,
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import {
  InternalError,
  checkSetStat,
  clearSUIDAndSGID,
  clockFrom,
  genericCheckPermissions,
  type AccessTypes,
  type Context,
  type Mount,
  type SetStatOptions,
} from "@vfskit/vfs";

/**
 * What a new {@link InodeAttrs} starts with.
 * @public
 */
export interface InodeAttrsInit {
  /** The inode number (usually `fs.nextIno()`). */
  readonly ino: number;
  /** File type and permission bits; the type is required. */
  readonly mode: number;
  /** The owner; default: the effective UID of `ctx`'s credentials. */
  readonly uid?: KUID;
  /** The group; default: the effective GID of `ctx`'s credentials. */
  readonly gid?: KGID;
  /** Device major number reported as `st_dev` (default 0). */
  readonly devMajor?: number;
  /** Device minor number reported as `st_dev` (default 0). */
  readonly devMinor?: number;
}

/**
 * {@link InodeAttrs.setStat} options: a VFS `SetStatOptions`, plus `clearPrivs`.
 * @public
 */
export interface InodeSetStatOptions extends SetStatOptions {
  /**
   * Also clear setuid (and setgid when group-executable), as a write or truncate by an
   * unprivileged user does (Linux's `file_remove_privs`; gVisor's `ClearPrivs`).
   */
  readonly clearPrivs?: boolean;
}

const SETTABLE = STATX_MODE | STATX_UID | STATX_GID | STATX_ATIME | STATX_MTIME | STATX_SIZE;

/**
 * The metadata of an inode and the rules for changing it (gVisor's `InodeAttrs`), a
 * stateful helper that inodes compose (DESIGN.md D8): the base classes
 * {@link InodeNotDirectory}, {@link InodeSymlink} and {@link InodeDirectory} hold one in
 * `attrs` and forward `mode`, `uid`, `gid`, `stat`, `setStat` and `checkPermissions` to it.
 *
 * @remarks
 * The link count starts at 1 (2 for a directory); the filesystem maintains it with
 * {@link InodeAttrs.incLinks} / {@link InodeAttrs.decLinks}. The block size is the page
 * size. All three times start at the time of creation, from the context's clock.
 * @public
 */
export class InodeAttrs {
  readonly #devMajor: number;
  readonly #devMinor: number;
  readonly #ino: number;
  #mode: number;
  #uid: KUID;
  #gid: KGID;
  #nlink: number;
  #atime: Timespec;
  #mtime: Timespec;
  #ctime: Timespec;

  /**
   * @param ctx - Supplies the default owner (its credentials) and the clock.
   * @param init - Inode number, mode, owner, device.
   * @throws InternalError if `init.mode` has no file type.
   */
  constructor(ctx: Context, init: InodeAttrsInit) {
    if ((init.mode & S_IFMT) === 0) {
      throw new InternalError(`kernfs.InodeAttrs: no file type in mode 0${init.mode.toString(8)}`);
    }
    this.#devMajor = init.devMajor ?? 0;
    this.#devMinor = init.devMinor ?? 0;
    this.#ino = init.ino;
    this.#mode = init.mode;
    this.#uid = init.uid ?? ctx.credentials.effectiveKUID;
    this.#gid = init.gid ?? ctx.credentials.effectiveKGID;
    this.#nlink = (init.mode & S_IFMT) === S_IFDIR ? 2 : 1;
    const now = clockFrom(ctx).now();
    this.#atime = now;
    this.#mtime = now;
    this.#ctime = now;
  }

  /** The device major number. */
  devMajor(): number {
    return this.#devMajor;
  }

  /** The device minor number. */
  devMinor(): number {
    return this.#devMinor;
  }

  /** The inode number. */
  ino(): number {
    return this.#ino;
  }

  /** The file type and permission bits. */
  mode(): number {
    return this.#mode;
  }

  /** The owner. */
  uid(): KUID {
    return this.#uid;
  }

  /** The group. */
  gid(): KGID {
    return this.#gid;
  }

  /** The link count. */
  links(): number {
    return this.#nlink;
  }

  /**
   * Adds `n` links.
   * @throws InternalError if the inode had no link (it cannot be revived).
   */
  incLinks(n: number): void {
    if (this.#nlink === 0 && n > 0) throw new InternalError("kernfs.InodeAttrs.incLinks on an inode with no links");
    this.#nlink += n;
  }

  /**
   * Removes one link.
   * @throws InternalError if there is none.
   */
  decLinks(): void {
    if (this.#nlink === 0) throw new InternalError("kernfs.InodeAttrs.decLinks at zero links");
    this.#nlink--;
  }

  /**
   * Sets the access time to now, unless the mount is noatime or read-only (gVisor's
   * `TouchAtime`).
   * @param mnt - The mount the file was accessed through.
   */
  touchAtime(ctx: Context, mnt: Mount): void {
    if (mnt.flags().noATime || mnt.readOnly()) return;
    this.#atime = clockFrom(ctx).now();
  }

  /** Sets the modification and status-change times to now (a change of contents). */
  touchCMtime(ctx: Context): void {
    const now = clockFrom(ctx).now();
    this.#mtime = now;
    this.#ctime = now;
  }

  /** Sets the status-change time to now (a change of metadata). */
  touchCtime(ctx: Context): void {
    this.#ctime = clockFrom(ctx).now();
  }

  /**
   * Clears setuid, and setgid when group-executable (Linux's `file_remove_privs` after a
   * write by someone without CAP_FSETID). Directories are unchanged.
   */
  clearPrivs(): void {
    this.#mode = clearSUIDAndSGID(this.#mode);
  }

  /**
   * The metadata: type, mode, owner, inode number, link count, block size, times and
   * device. Size and blocks are 0 and not in the mask (an inode that knows its size adds it).
   */
  stat(): Statx {
    return {
      mask: STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_INO | STATX_NLINK | STATX_ATIME | STATX_MTIME | STATX_CTIME,
      blksize: PAGE_SIZE,
      attributes: 0,
      nlink: this.#nlink,
      uid: this.#uid,
      gid: this.#gid,
      mode: this.#mode,
      ino: this.#ino,
      size: 0,
      blocks: 0,
      attributesMask: 0,
      atime: { ...this.#atime },
      btime: { sec: 0, nsec: 0 },
      ctime: { ...this.#ctime },
      mtime: { ...this.#mtime },
      rdevMajor: 0,
      rdevMinor: 0,
      devMajor: this.#devMajor,
      devMinor: this.#devMinor,
      mntId: 0,
    };
  }

  /**
   * Applies a metadata change (gVisor's `InodeAttrs.SetStat`).
   *
   * @remarks
   * An empty mask changes nothing. Only mode, owner, group, times and size may change;
   * size is accepted and ignored (kernfs files have no data to truncate). The mode keeps
   * the file type; a chmod by someone outside the file's group without CAP_FSETID drops
   * setgid (`checkSetStat` decides); a chown clears setuid and setgid-with-group-execute
   * on non-directories, as Linux's `chown_common` does; `opts.clearPrivs` does the same
   * (gVisor's `ClearPrivs`). UTIME_NOW takes the context's clock and UTIME_OMIT leaves a
   * time alone. Any change also sets the status-change time, as Linux's `notify_change`
   * does (gVisor leaves it).
   * @throws EPERM - fields other than mode, owner, group, times and size.
   * @throws EISDIR - a size on a directory.
   * @throws EACCES, EFBIG, EPERM - from `checkSetStat`.
   */
  setStat(ctx: Context, creds: Credentials, opts: InodeSetStatOptions): void {
    const stat = opts.stat;
    const mask = stat.mask;
    if (mask === 0) return;
    if ((mask & ~SETTABLE) !== 0) throw new SysError("EPERM");
    if ((mask & STATX_SIZE) !== 0 && (this.#mode & S_IFMT) === S_IFDIR) throw new SysError("EISDIR");
    const check = checkSetStat(ctx, creds, opts, this.#mode, this.#uid, this.#gid);
    const isDir = (this.#mode & S_IFMT) === S_IFDIR;
    let chown = false;
    if ((mask & STATX_UID) !== 0 && stat.uid !== undefined) {
      this.#uid = stat.uid as KUID;
      chown = true;
    }
    if ((mask & STATX_GID) !== 0 && stat.gid !== undefined) {
      this.#gid = stat.gid as KGID;
      chown = true;
    }
    if ((mask & STATX_MODE) !== 0 && check.mode !== undefined) {
      this.#mode = (this.#mode & S_IFMT) | (check.mode & ~S_IFMT);
    }
    if ((chown && !isDir) || opts.clearPrivs === true) this.#mode = clearSUIDAndSGID(this.#mode);
    const now = clockFrom(ctx).now();
    if ((mask & STATX_ATIME) !== 0 && stat.atime !== undefined && stat.atime.nsec !== UTIME_OMIT) {
      this.#atime = stat.atime.nsec === UTIME_NOW ? now : { ...stat.atime };
    }
    if ((mask & STATX_MTIME) !== 0 && stat.mtime !== undefined && stat.mtime.nsec !== UTIME_OMIT) {
      this.#mtime = stat.mtime.nsec === UTIME_NOW ? now : { ...stat.mtime };
    }
    this.#ctime = now;
  }

  /**
   * Checks access as Linux's `generic_permission` does, without ACLs.
   * @throws EACCES - access denied.
   */
  checkPermissions(_ctx: Context, creds: Credentials, ats: AccessTypes): void {
    genericCheckPermissions(creds, ats, this.#mode, this.#uid, this.#gid);
  }
}
