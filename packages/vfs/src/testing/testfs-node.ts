// testfs nodes: inodes (metadata and contents) and dentries (names in the tree).
import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
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
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import { InternalError } from "../assert.js";
import { clockFrom, type Context } from "../context.js";
import { Dentry, type DentryImpl } from "../dentry.js";
import type { AccessTypes, SetStatOptions } from "../options.js";
import { checkSetStat, clearSUIDAndSGID, genericCheckPermissions } from "../permissions.js";
import { trackObject, untrackObject } from "../refs.js";
import type { VirtualDentry } from "../virtual-dentry.js";

/** What the inode is; the contents live in the matching field. */
export interface TestInodeContents {
  /** Directory entries (directories only). */
  readonly children?: Map<string, TestDentry>;
  /** File data (regular files only). */
  data?: Uint8Array;
  /** Link target (symbolic links only). */
  readonly target?: string;
}

/** The device numbers testfs reports as st_dev. @internal */
export interface TestDevice {
  readonly major: number;
  readonly minor: number;
}

/**
 * A testfs inode: metadata and contents, shared by every hard link.
 * @public
 */
export class TestInode {
  /** Inode number (unique in the filesystem). */
  readonly ino: number;
  /** File type and permission bits. */
  mode: number;
  /** Owner (kernel UID). */
  uid: KUID;
  /** Group (kernel GID). */
  gid: KGID;
  /** Hard-link count (directories: 2 + subdirectories). */
  nlink: number;
  /** Device numbers for device nodes. */
  readonly rdev: { readonly major: number; readonly minor: number };
  /** Timestamps. */
  atime: Timespec;
  /** Modification time. */
  mtime: Timespec;
  /** Status change time. */
  ctime: Timespec;
  /** Creation time. */
  readonly btime: Timespec;
  /** Directory entries, for directories. */
  readonly children: Map<string, TestDentry> | undefined;
  /** Contents, for regular files (may be longer than `size`). */
  data: Uint8Array;
  /** Size in bytes, for regular files. */
  size: number;
  /** Target, for symbolic links. */
  readonly target: string;
  /** Extended attributes (`user.*` only). */
  readonly xattrs = new Map<string, Uint8Array>();
  /**
   * For a symbolic link: makes it a magic link (like /proc/[pid]/fd/N) that jumps to
   * the position this returns (borrowed) instead of following its target text.
   */
  jump: (() => VirtualDentry) | undefined = undefined;
  readonly #device: TestDevice;

  /** @internal */
  constructor(
    ino: number,
    mode: number,
    owner: { readonly uid: KUID; readonly gid: KGID },
    now: Timespec,
    device: TestDevice,
    extra: { readonly target?: string; readonly rdev?: { readonly major: number; readonly minor: number } } = {},
  ) {
    this.ino = ino;
    this.mode = mode;
    this.uid = owner.uid;
    this.gid = owner.gid;
    this.nlink = (mode & S_IFMT) === S_IFDIR ? 2 : 1;
    this.rdev = extra.rdev ?? { major: 0, minor: 0 };
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.btime = now;
    this.children = (mode & S_IFMT) === S_IFDIR ? new Map() : undefined;
    this.data = new Uint8Array(0);
    this.size = (mode & S_IFMT) === S_IFLNK ? (extra.target ?? "").length : 0;
    this.target = extra.target ?? "";
    this.#device = device;
  }

  /** The file type bits. */
  type(): number {
    return this.mode & S_IFMT;
  }

  /** Reports whether this is a directory. */
  isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  /** Reports whether this is a symbolic link. */
  isSymlink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK;
  }

  /** Reports whether this is a regular file. */
  isRegular(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

  /** Reports whether this is a character or block device. */
  isDevice(): boolean {
    const type = this.mode & S_IFMT;
    return type === S_IFCHR || type === S_IFBLK;
  }

  /**
   * Checks `ats` against the mode and owner (Linux's generic_permission).
   * @throws EACCES - denied.
   */
  checkPermissions(creds: Credentials, ats: AccessTypes): void {
    genericCheckPermissions(creds, ats, this.mode, this.uid, this.gid);
  }

  /** statx of this inode. */
  stat(): Statx {
    const type = this.mode & S_IFMT;
    const size = type === S_IFREG || type === S_IFLNK ? this.size : type === S_IFDIR ? 4096 : 0;
    return {
      mask: STATX_BASIC_STATS | STATX_BTIME,
      blksize: 4096,
      attributes: 0,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      mode: this.mode,
      ino: this.ino,
      size,
      blocks: Math.ceil(size / 512),
      attributesMask: 0,
      atime: { ...this.atime },
      btime: { ...this.btime },
      ctime: { ...this.ctime },
      mtime: { ...this.mtime },
      rdevMajor: this.rdev.major,
      rdevMinor: this.rdev.minor,
      devMajor: this.#device.major,
      devMinor: this.#device.minor,
      mntId: 0,
    };
  }

  /**
   * Applies chmod/chown/utimes/truncate after {@link checkSetStat}.
   * @throws EPERM, EACCES, EFBIG - from checkSetStat.
   * @throws EINVAL - an unsupported field or a negative size.
   * @throws EISDIR - truncating a directory.
   */
  setStat(ctx: Context, creds: Credentials, opts: SetStatOptions): void {
    const stat = opts.stat;
    const supported = STATX_MODE | STATX_UID | STATX_GID | STATX_SIZE | STATX_ATIME | STATX_MTIME;
    if ((stat.mask & ~supported) !== 0) throw new SysError("EINVAL", { detail: "unsupported setstat field" });
    if ((stat.mask & STATX_SIZE) !== 0) {
      if ((stat.size ?? 0) < 0) throw new SysError("EINVAL", { syscall: "truncate" });
      if (this.isDir()) throw new SysError("EISDIR", { syscall: "truncate" });
      if (!this.isRegular()) throw new SysError("EINVAL", { syscall: "truncate" });
    }
    const check = checkSetStat(ctx, creds, opts, this.mode, this.uid, this.gid);
    if (stat.mask === 0) return;
    const now = clockFrom(ctx).now();
    if ((stat.mask & STATX_MODE) !== 0) {
      this.mode = (this.mode & S_IFMT) | ((check.mode ?? stat.mode ?? 0) & 0o7777);
    }
    const chown = (stat.mask & STATX_UID) !== 0 || (stat.mask & STATX_GID) !== 0;
    if ((stat.mask & STATX_UID) !== 0 && stat.uid !== undefined) this.uid = stat.uid as KUID;
    if ((stat.mask & STATX_GID) !== 0 && stat.gid !== undefined) this.gid = stat.gid as KGID;
    if (chown) this.mode = clearSUIDAndSGID(this.mode);
    if ((stat.mask & STATX_SIZE) !== 0) {
      this.truncate(stat.size ?? 0);
      this.mtime = now;
    }
    if ((stat.mask & STATX_ATIME) !== 0 && stat.atime !== undefined && stat.atime.nsec !== UTIME_OMIT) {
      this.atime = stat.atime.nsec === UTIME_NOW ? now : { ...stat.atime };
    }
    if ((stat.mask & STATX_MTIME) !== 0 && stat.mtime !== undefined && stat.mtime.nsec !== UTIME_OMIT) {
      this.mtime = stat.mtime.nsec === UTIME_NOW ? now : { ...stat.mtime };
    }
    this.ctime = now;
  }

  /** Sets the size of a regular file, zero-filling when it grows. */
  truncate(size: number): void {
    if (size > this.data.length) {
      const grown = new Uint8Array(Math.max(size, this.data.length * 2));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    } else if (size < this.size) {
      this.data.fill(0, size, this.size);
    }
    this.size = size;
  }
}

/**
 * A testfs dentry: one name of an inode in a directory.
 *
 * @remarks
 * The tree (a directory's `children` map) keeps dentries alive; the reference count only
 * counts the VFS's references (mounts, open files, held positions), and the leak checker
 * sees a dentry only while that count is above zero.
 * @public
 */
export class TestDentry implements DentryImpl {
  /** The VFS half. */
  readonly vfsd: Dentry;
  /** The directory this name is in; `undefined` for the root. Kept after deletion. */
  parent: TestDentry | undefined;
  /** The name in `parent`. */
  name: string;
  /** The file. */
  readonly inode: TestInode;
  #refs = 0;

  /** @internal */
  constructor(inode: TestInode, parent: TestDentry | undefined, name: string) {
    this.vfsd = new Dentry(this);
    this.inode = inode;
    this.parent = parent;
    this.name = name;
  }

  /** The current reference count. */
  get refCount(): number {
    return this.#refs;
  }

  /** Takes a reference. */
  incRef(): void {
    if (this.#refs++ === 0) trackObject(this, "testfs.Dentry", () => this.#refs, () => `testfs dentry ${this.name}`);
  }

  /** Takes a reference; testfs dentries stay valid while in the tree, so this succeeds. */
  tryIncRef(): boolean {
    this.incRef();
    return true;
  }

  /** Drops a reference. */
  decRef(_ctx: Context): void {
    if (this.#refs <= 0) throw new InternalError(`testfs: decRef below zero on ${this.name}`);
    if (--this.#refs === 0) untrackObject(this);
  }
}
