// tmpfs inodes and dentries: the metadata every file has, reference and link counting,
// timestamps, permission checks and setStat. Twin of the inode and dentry halves of
// gVisor's pkg/sentry/fsimpl/tmpfs/tmpfs.go; Linux's mm/shmem.c and fs/attr.c decide
// where the two differ.
import {
  Capability,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  S_IXGRP,
  STATX_ATIME,
  STATX_BASIC_STATS,
  STATX_BTIME,
  STATX_GID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_UID,
  SysError,
  UTIME_NOW,
  UTIME_OMIT,
  PAGE_SIZE,
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import {
  Dentry,
  InternalError,
  MAY_EXEC,
  checkSetStat,
  clockFrom,
  genericCheckPermissions,
  hasCapabilityOnFile,
  type AccessTypes,
  type Context,
  type DentryImpl,
  type FileLocks,
  type Mount,
  type SetStatAttributes,
  type SetStatOptions,
} from "@vfskit/vfs";
import type { TmpfsFilesystem } from "./filesystem.js";
import { dropXattr, releaseXattrs } from "./xattr.js";

/**
 * Seconds are stored relative to this epoch (2023-11-14) so that they stay below 2^30:
 * V8 keeps such integers inside the object, while a larger number is a separate heap
 * box. Any value still works; only its cost changes.
 */
const TIME_BASE = 1_700_000_000;

/** Linux's relatime window: an access time older than a day is always refreshed. */
const RELATIME_WINDOW_SEC = 24 * 60 * 60;

/** The attributes tmpfs can change with setStat. */
const SETTABLE_STAT_MASK = STATX_MODE | STATX_UID | STATX_GID | STATX_ATIME | STATX_MTIME | STATX_SIZE;

/** What every tmpfs stat reports (statx's basic fields plus the birth time). */
const STAT_MASK = STATX_BASIC_STATS | STATX_BTIME;

/** The attribute named by Linux's ATTR_KILL_PRIV: file capabilities go with setuid. */
const SECURITY_CAPABILITY = "security.capability";

/**
 * The file-type specific half of an inode; see {@link Inode}.
 * @internal
 */
export const enum InodeKind {
  Regular,
  Directory,
  Symlink,
  Special,
}

/**
 * A tmpfs file: its metadata, shared by all of its hard links, and (in subclasses) its
 * contents.
 *
 * @remarks
 * Reference counting (gVisor's model): the count starts at 1, the reference of the file's
 * links, dropped when `nlink` reaches 0. Every dentry reference the VFS takes (open files,
 * mounts, working directories) is a reference on the inode, and a directory holds one on
 * its parent directory. The file's data is freed, and its slot in `nr_inodes` returned,
 * when the count reaches 0: an unlinked file stays readable and writable until its last
 * open description goes.
 *
 * Memory matters (a tree may hold millions of files): fields are numbers, not objects,
 * and the extended-attribute map exists only once an attribute does.
 * @internal
 */
export abstract class Inode {
  /** The filesystem the inode belongs to. */
  readonly fs: TmpfsFilesystem;
  /** Inode number, unique in the filesystem. */
  readonly ino: number;
  /** File type and permission bits. */
  mode: number;
  /** Hard links (directories: 2 + subdirectories). */
  nlink = 1;
  /** Owner (kernel UID). */
  uid: KUID;
  /** Group (kernel GID). */
  gid: KGID;
  /** References; see the class comment. */
  refs = 1;
  // Timestamps: seconds relative to TIME_BASE, and nanoseconds.
  atimeSec: number;
  atimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
  btimeSec: number;
  btimeNsec: number;
  /** Extended attributes, created with the first one. */
  xattrs: Map<string, Uint8Array> | undefined = undefined;
  /** flock and POSIX locks, created when a description asks for them. */
  locks: FileLocks | undefined = undefined;

  /**
   * @param fs - The owning filesystem (which has already accounted the inode).
   * @param mode - File type and permission bits.
   * @param uid - Owner.
   * @param gid - Group.
   * @param now - Creation time (all four timestamps).
   */
  constructor(fs: TmpfsFilesystem, mode: number, uid: KUID, gid: KGID, now: Timespec) {
    this.fs = fs;
    this.ino = fs.nextIno();
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    const sec = now.sec - TIME_BASE;
    const nsec = now.nsec;
    this.atimeSec = sec;
    this.atimeNsec = nsec;
    this.mtimeSec = sec;
    this.mtimeNsec = nsec;
    this.ctimeSec = sec;
    this.ctimeNsec = nsec;
    this.btimeSec = sec;
    this.btimeNsec = nsec;
  }

  /** Which subclass this is (a number, cheaper than `instanceof` on hot paths). */
  abstract get kind(): InodeKind;

  /** The d_type of directory entries naming this inode. */
  direntType(): number {
    return (this.mode & S_IFMT) >>> 12;
  }

  /** st_size. */
  abstract statSize(): number;

  /** st_blocks: 512-byte units of memory allocated for the contents. */
  statBlocks(): number {
    return 0;
  }

  /** Reports whether the inode is a directory. */
  isDir(): boolean {
    return this.kind === InodeKind.Directory;
  }

  // --- References and links. ---

  /** Takes a reference. */
  incRef(): void {
    this.refs++;
  }

  /** Takes a reference unless the inode is already released. */
  tryIncRef(): boolean {
    if (this.refs <= 0) return false;
    this.refs++;
    return true;
  }

  /** Drops a reference; the last one frees the contents. */
  decRef(ctx: Context): void {
    const refs = --this.refs;
    if (refs > 0) return;
    if (refs < 0) throw new InternalError(`tmpfs: inode ${this.ino} reference count below zero`);
    this.releaseContents(ctx);
    if (this.xattrs !== undefined) releaseXattrs(this);
    this.fs.unaccountInode();
  }

  /** Frees what the contents hold (data pages, the parent reference of a directory). */
  protected releaseContents(_ctx: Context): void {}

  /** Adds a hard link. */
  incLinks(): void {
    this.nlink++;
  }

  /** Removes a hard link; the last drops the links' reference. */
  decLinks(ctx: Context): void {
    if (this.nlink <= 0) throw new InternalError(`tmpfs: inode ${this.ino} link count below zero`);
    if (--this.nlink === 0) this.decRef(ctx);
  }

  // --- Permissions. ---

  /**
   * Checks `ats` against the mode and owner (Linux `generic_permission`).
   * @throws EACCES - not allowed.
   */
  checkPermissions(creds: Credentials, ats: AccessTypes): void {
    // Search permission on a directory with every x bit set is granted to anyone, whatever
    // class the caller falls in: the common case of a path walk, without a call.
    if (ats === MAY_EXEC && (this.mode & 0o111) === 0o111) return;
    genericCheckPermissions(creds, ats, this.mode, this.uid, this.gid);
  }

  // --- Timestamps. ---

  /** The access time. */
  atime(): Timespec {
    return { sec: this.atimeSec + TIME_BASE, nsec: this.atimeNsec };
  }

  /** The modification time. */
  mtime(): Timespec {
    return { sec: this.mtimeSec + TIME_BASE, nsec: this.mtimeNsec };
  }

  /** The status-change time. */
  ctime(): Timespec {
    return { sec: this.ctimeSec + TIME_BASE, nsec: this.ctimeNsec };
  }

  /** The creation (birth) time. */
  btime(): Timespec {
    return { sec: this.btimeSec + TIME_BASE, nsec: this.btimeNsec };
  }

  /** Sets ctime to `now`. */
  touchCtime(now: Timespec): void {
    this.ctimeSec = now.sec - TIME_BASE;
    this.ctimeNsec = now.nsec;
  }

  /** Sets mtime and ctime to `now` (a change of the contents). */
  touchCMtime(now: Timespec): void {
    const sec = now.sec - TIME_BASE;
    this.mtimeSec = sec;
    this.mtimeNsec = now.nsec;
    this.ctimeSec = sec;
    this.ctimeNsec = now.nsec;
  }

  /**
   * Records an access (read, getdents, readlink, following a symlink) as Linux's
   * `touch_atime` does on a `relatime` mount, the default.
   *
   * @remarks
   * Nothing happens on a `noatime` mount, on a read-only mount (Linux cannot take a write
   * count there), or when `relatime` says the stored time is recent enough: it is newer
   * than both mtime and ctime and less than a day old. (gVisor updates the access time on
   * every access; Linux's default is relatime.)
   */
  touchAtime(ctx: Context, mount: Mount): void {
    const now = clockFrom(ctx).now();
    const sec = now.sec - TIME_BASE;
    const a = this.atimeSec;
    const an = this.atimeNsec;
    const needed =
      a < this.mtimeSec ||
      (a === this.mtimeSec && an <= this.mtimeNsec) ||
      a < this.ctimeSec ||
      (a === this.ctimeSec && an <= this.ctimeNsec) ||
      sec - a >= RELATIME_WINDOW_SEC;
    // The mount flags last: reading them copies an object, and most accesses stop above.
    if (!needed || mount.readOnly() || mount.noATime()) return;
    this.atimeSec = sec;
    this.atimeNsec = now.nsec;
  }

  // --- stat / setStat. ---

  /** The inode's metadata as statx(2) reports it (the VFS adds the mount ID). */
  stat(): Statx {
    return {
      mask: STAT_MASK,
      blksize: PAGE_SIZE,
      attributes: 0,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      mode: this.mode,
      ino: this.ino,
      size: this.statSize(),
      blocks: this.statBlocks(),
      attributesMask: 0,
      atime: this.atime(),
      btime: this.btime(),
      ctime: this.ctime(),
      mtime: this.mtime(),
      rdevMajor: this.rdevMajor(),
      rdevMinor: this.rdevMinor(),
      devMajor: 0,
      devMinor: this.fs.devMinor,
      mntId: 0,
    };
  }

  /** The device's major number, for device nodes. */
  rdevMajor(): number {
    return 0;
  }

  /** The device's minor number, for device nodes. */
  rdevMinor(): number {
    return 0;
  }

  /**
   * Changes the size (truncate); regular files override this.
   * @throws EINVAL - not a regular file.
   */
  truncate(_ctx: Context, _size: number): void {
    throw new SysError("EINVAL", { syscall: "truncate" });
  }

  /**
   * Applies chmod, chown, utimensat and truncate (Linux `notify_change` +
   * `shmem_setattr`), after the permission checks of `checkSetStat`.
   *
   * @remarks
   * The caller has already made the checks that depend on how the file was reached
   * (EISDIR / EINVAL for a size change of a non-regular file, EROFS). Changing the owner
   * or group always clears setuid (and setgid when group-execute is set, or when the
   * caller could not have set it) and removes `security.capability`; a size change by a
   * caller without CAP_FSETID clears them too. Every change sets ctime; a size change sets
   * mtime as well, unless the same call sets mtime explicitly.
   * @throws EINVAL - `opts.stat.mask` asks for something tmpfs cannot change.
   * @throws EINVAL - a negative size.
   * @throws EACCES, EPERM, EFBIG - from `checkSetStat`.
   * @throws EFBIG - a size above the largest file tmpfs can hold.
   */
  setStat(ctx: Context, creds: Credentials, opts: SetStatOptions): void {
    const stat = opts.stat;
    if ((stat.mask & ~SETTABLE_STAT_MASK) !== 0) throw new SysError("EINVAL", { detail: "unsupported setStat field" });
    const mask = effectiveSetStatMask(stat);
    if (mask === 0) return;
    if ((mask & STATX_SIZE) !== 0 && (stat.size === undefined || stat.size < 0)) {
      throw new SysError("EINVAL", { syscall: "truncate", detail: "negative size" });
    }
    const check = checkSetStat(ctx, creds, opts, this.mode, this.uid, this.gid);
    const now = clockFrom(ctx).now();
    let killPrivs = false;
    if ((mask & STATX_SIZE) !== 0) {
      this.truncate(ctx, stat.size as number);
      // do_truncate: a truncation by someone without CAP_FSETID drops setuid/setgid.
      if (this.shouldRemovePrivs(creds)) killPrivs = true;
    }
    if ((mask & STATX_UID) !== 0 && stat.uid !== undefined) this.uid = stat.uid as KUID;
    if ((mask & STATX_GID) !== 0 && stat.gid !== undefined) this.gid = stat.gid as KGID;
    if ((mask & STATX_MODE) !== 0 && check.mode !== undefined) {
      this.mode = (this.mode & S_IFMT) | (check.mode & 0o7777);
    }
    if ((mask & (STATX_UID | STATX_GID)) !== 0 && !this.isDir()) {
      // chown_common: ATTR_KILL_SUID always, ATTR_KILL_SGID when setattr_should_drop_sgid.
      this.mode &= ~(S_ISUID | this.sgidToDrop(creds));
      dropXattr(this, SECURITY_CAPABILITY);
    }
    if (killPrivs) this.removePrivs(creds);
    if ((mask & STATX_ATIME) !== 0) this.setTime(stat.atime as Timespec, now, "a");
    if ((mask & STATX_MTIME) !== 0) this.setTime(stat.mtime as Timespec, now, "m");
    else if ((mask & STATX_SIZE) !== 0) {
      this.mtimeSec = now.sec - TIME_BASE;
      this.mtimeNsec = now.nsec;
    }
    this.touchCtime(now);
  }

  private setTime(value: Timespec, now: Timespec, which: "a" | "m"): void {
    const t = value.nsec === UTIME_NOW ? now : value;
    if (which === "a") {
      this.atimeSec = t.sec - TIME_BASE;
      this.atimeNsec = t.nsec;
    } else {
      this.mtimeSec = t.sec - TIME_BASE;
      this.mtimeNsec = t.nsec;
    }
  }

  // --- Dropping privileges on change (Linux file_remove_privs / setattr_should_drop_suidgid). ---

  /** S_ISGID if Linux's `setattr_should_drop_sgid` says setgid must go, else 0. */
  private sgidToDrop(creds: Credentials): number {
    const mode = this.mode;
    if ((mode & S_ISGID) === 0) return 0;
    if ((mode & S_IXGRP) !== 0) return S_ISGID;
    if (!creds.inGroup(this.gid) && !hasCapabilityOnFile(creds, Capability.CAP_FSETID, this.uid, this.gid)) return S_ISGID;
    return 0;
  }

  /**
   * Reports whether a write or truncation by `creds` must clear setuid/setgid or
   * `security.capability` (Linux `dentry_needs_remove_privs`).
   */
  shouldRemovePrivs(creds: Credentials): boolean {
    if (this.xattrs?.has(SECURITY_CAPABILITY) === true) return true;
    if ((this.mode & S_IFMT) !== S_IFREG) return false;
    const bits = (this.mode & S_ISUID) | this.sgidToDrop(creds);
    return bits !== 0 && !hasCapabilityOnFile(creds, Capability.CAP_FSETID, this.uid, this.gid);
  }

  /**
   * Clears setuid/setgid (unless `creds` has CAP_FSETID) and `security.capability`, as
   * Linux does when a file is written or truncated.
   * @returns true if something changed (the caller updates ctime).
   */
  removePrivs(creds: Credentials): boolean {
    let changed = false;
    if (dropXattr(this, SECURITY_CAPABILITY)) changed = true;
    if ((this.mode & S_IFMT) === S_IFREG && !hasCapabilityOnFile(creds, Capability.CAP_FSETID, this.uid, this.gid)) {
      const bits = (this.mode & S_ISUID) | this.sgidToDrop(creds);
      if (bits !== 0) {
        this.mode &= ~bits;
        changed = true;
      }
    }
    return changed;
  }
}

/**
 * A name of an inode in a directory (gVisor's tmpfs `dentry`): what the VFS holds as a
 * {@link Dentry}. A file has one dentry per hard link; a directory exactly one.
 *
 * @remarks
 * References on a dentry are references on its inode. A removed dentry keeps `parent` and
 * `name` (pathnames of deleted files end in ` (deleted)` and still show where the file
 * was) and its VFS half is marked dead.
 * @internal
 */
export class TmpfsDentry implements DentryImpl {
  /** The VFS half. */
  readonly vfsd: Dentry;
  /** The directory holding this name; `null` for the root. */
  parent: TmpfsDentry | null;
  /** The name in `parent`; `""` for the root. */
  name: string;
  /** The file. */
  readonly inode: Inode;
  /** Position in the parent's listing: getdents offsets are derived from it. */
  serial: number;

  constructor(inode: Inode, parent: TmpfsDentry | null, name: string, serial: number) {
    this.inode = inode;
    this.parent = parent;
    this.name = name;
    this.serial = serial;
    this.vfsd = new Dentry(this);
  }

  /** Takes a reference (on the inode). */
  incRef(): void {
    this.inode.refs++;
  }

  /** Takes a reference unless the inode is already released. */
  tryIncRef(): boolean {
    return this.inode.tryIncRef();
  }

  /** Drops a reference (on the inode). */
  decRef(ctx: Context): void {
    this.inode.decRef(ctx);
  }
}

/**
 * The STATX_* bits of a setStat that change something: a timestamp set to UTIME_OMIT
 * does not count (utimensat with both omitted changes nothing, not even ctime).
 * @internal
 */
export function effectiveSetStatMask(stat: SetStatAttributes): number {
  let mask = stat.mask;
  if ((mask & STATX_ATIME) !== 0 && (stat.atime === undefined || stat.atime.nsec === UTIME_OMIT)) mask &= ~STATX_ATIME;
  if ((mask & STATX_MTIME) !== 0 && (stat.mtime === undefined || stat.mtime.nsec === UTIME_OMIT)) mask &= ~STATX_MTIME;
  return mask;
}
