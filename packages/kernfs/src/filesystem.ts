// kernfs's implementation of the VFS FilesystemImpl. Twin of gVisor's
// pkg/sentry/fsimpl/kernfs/filesystem.go (with Filesystem's fields from kernfs.go). The
// path walk lives in walk.ts; creation in filesystem-create.ts; removal and rename in
// filesystem-delete.ts.
import { AT_STATX_DONT_SYNC, S_IFMT, SysError, type Statfs, type Statx } from "@vfskit/abi";
import type { Builder } from "@vfskit/fspath";
import {
  Filesystem as VfsFilesystem,
  InternalError,
  MAY_EXEC,
  MAY_WRITE,
  PrependPathResult,
  RESTART,
  type AccessTypes,
  type Context,
  type Dentry as VfsDentry,
  type FileDescription,
  type FilesystemImpl,
  type FilesystemType,
  type GetDentryOptions,
  type GetXattrOptions,
  type MkdirOptions,
  type MknodOptions,
  type Mount,
  type OpenOptions,
  type RenameOptions,
  type ResolvingPath,
  type Restart,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
  type VirtualDentry,
  type VirtualFilesystem,
} from "@vfskit/vfs";
import { linkAt, mkdirAt, mknodAt, openAt, symlinkAt } from "./filesystem-create.js";
import { getXattrAt, listXattrAt, removeXattrAt, setXattrAt } from "./filesystem-xattr.js";
import { renameAt, rmdirAt, unlinkAt } from "./filesystem-delete.js";
import type { Inode } from "./inode.js";
import {
  Dentry,
  beginOp,
  dentryState,
  deferDecRef,
  endOp,
  evictBack,
  releaseKeptDentries,
  type FsState,
} from "./kernfs.js";
import {
  MISSING,
  checkSearchable,
  kernfsDentry,
  startOf,
  walkExisting,
  walkExistingOrThrow,
  walkParentDir,
} from "./walk.js";
import { inotifyEventFromStatMask } from "./watches.js";

/**
 * Options of a kernfs {@link Filesystem}.
 * @public
 */
export interface FilesystemOptions {
  /**
   * How many unreferenced dentries to keep cached (gVisor's `MaxCachedDentries`). The
   * default, 0, drops every dentry as soon as nothing references it; procfs and sysfs use
   * 1000 (mount option `dentry_cache_limit`).
   */
  readonly maxCachedDentries?: number;
}

/** The package-internal state of `fs`. @internal */
export let filesystemState!: (fs: Filesystem) => FsState;

const SPECIAL_FILE_TYPES = new Set([0o010000, 0o020000, 0o060000, 0o140000]); // FIFO, CHR, BLK, SOCK

/**
 * A kernfs filesystem: the dentry tree with its cache, and a complete `FilesystemImpl`
 * over {@link Inode}s (gVisor's `kernfs.Filesystem`).
 *
 * @remarks
 * A concrete filesystem (procfs, sysfs…) extends or instantiates this class in its
 * `FilesystemType.getFilesystem`, builds its root inode and calls
 * {@link Filesystem.initRoot}:
 *
 * ```ts
 * const fs = new kernfs.Filesystem(vfs, this, { maxCachedDentries: 1000 });
 * const root = fs.initRoot(new kernfs.StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children }));
 * return { fs: fs.vfsfs, root: root.vfsd };
 * ```
 *
 * Every operation resolves the path completely, then checks in Linux's order: where
 * gVisor's kernfs orders its checks differently from Linux, this follows Linux (each
 * place says so). Reference model: see {@link Dentry}. The filesystem holds one extra
 * reference on its root dentry, dropped by {@link Filesystem.release}.
 * @public
 */
export class Filesystem implements FilesystemImpl {
  /** The VFS's half of this filesystem (the creator holds its first reference). */
  readonly vfsfs: VfsFilesystem;
  readonly #st: FsState;

  static {
    filesystemState = (fs) => fs.#st;
  }

  /**
   * Creates a kernfs filesystem registered with `vfs`.
   * @param vfs - The VFS it belongs to.
   * @param fsType - The type creating it.
   * @param opts - Cache size.
   */
  constructor(vfs: VirtualFilesystem, fsType: FilesystemType, opts: FilesystemOptions = {}) {
    this.#st = {
      fs: this,
      vfs,
      cache: new Set(),
      maxCached: opts.maxCachedDentries ?? 0,
      deferred: [],
      pendingZero: [],
      depth: 0,
      root: undefined,
      lastIno: 0,
    };
    this.vfsfs = new VfsFilesystem(vfs, fsType, this);
  }

  /** The VFS this filesystem belongs to. */
  get vfs(): VirtualFilesystem {
    return this.#st.vfs;
  }

  /** The cache limit given at creation. */
  get maxCachedDentries(): number {
    return this.#st.maxCached;
  }

  /** How many unreferenced dentries are cached now. */
  cachedDentryCount(): number {
    return this.#st.cache.size;
  }

  /** Allocates an inode number: 1, 2, 3… (gVisor's `NextIno`). */
  nextIno(): number {
    return ++this.#st.lastIno;
  }

  /** The root dentry, once {@link Filesystem.initRoot} ran. */
  root(): Dentry | undefined {
    return this.#st.root;
  }

  /**
   * Creates the root dentry for `inode` (gVisor's `Dentry.InitRoot`).
   * @param inode - The root inode; the caller's reference passes to the dentry.
   * @returns The root, with one reference for the caller (to hand to the VFS as the mount
   * root); the filesystem keeps another until it is released.
   * @precondition Called once.
   * @throws InternalError if the root was already set.
   */
  initRoot(inode: Inode): Dentry {
    if (this.#st.root !== undefined) throw new InternalError("kernfs.Filesystem.initRoot called twice");
    const root = new Dentry(this, inode);
    this.#st.root = root;
    root.incRef(); // the filesystem's own, so the root is never cached and evicted
    return root;
  }

  /**
   * Drops a reference on `vd` safely from inside an inode method: deferred to the end of
   * the current kernfs operation if one is running (gVisor's `SafeDecRef`).
   */
  safeDecRef(ctx: Context, vd: VirtualDentry | FileDescription): void {
    if (this.#st.depth > 0) deferDecRef(this.#st, vd);
    else vd.decRef(ctx);
  }

  // --- FilesystemImpl: lifecycle -----------------------------------------------------------

  /**
   * The VFS filesystem lost its last reference: drops the references the tree holds on
   * kept dentries, empties the cache, and drops the filesystem's reference on the root.
   */
  release(ctx: Context): void {
    const st = this.#st;
    const root = st.root;
    if (root === undefined) return;
    releaseKeptDentries(ctx, root);
    while (st.cache.size !== 0) evictBack(ctx, st);
    root.decRef(ctx);
  }

  /** Does nothing: kernfs state is in memory. */
  sync(_ctx: Context): void {}

  /** Filesystem-specific mount options for /proc/mounts (none by default). */
  mountOptions(): string {
    return "";
  }

  // --- FilesystemImpl: lookups ---------------------------------------------------------------

  /**
   * access(2).
   * @remarks Linux reports EROFS for write access only for regular files, directories and
   * symbolic links; FIFOs, sockets and devices stay writable on a read-only mount (gVisor
   * reports EROFS for all).
   * @throws EACCES - access denied.
   * @throws EROFS - write access on a read-only mount.
   */
  accessAt(ctx: Context, rp: ResolvingPath, ats: AccessTypes): Restart | undefined {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      const inode = d.inode();
      inode.checkPermissions(ctx, rp.credentials(), ats);
      if ((ats & MAY_WRITE) !== 0 && rp.mount().readOnly() && !SPECIAL_FILE_TYPES.has(inode.mode() & S_IFMT)) {
        throw new SysError("EROFS");
      }
      return undefined;
    } finally {
      endOp(st, ctx);
    }
  }

  /**
   * @throws ENOTDIR - `opts.checkSearchable` and not a directory.
   * @throws EACCES - `opts.checkSearchable` and not searchable.
   */
  getDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): VfsDentry | Restart {
    const d = this.tryGetDentryAt(ctx, rp, opts);
    if (d === undefined) throw new SysError("ENOENT");
    return d;
  }

  /** {@link Filesystem.getDentryAt} returning `undefined` for a missing file. */
  tryGetDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): VfsDentry | Restart | undefined {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExisting(st, ctx, rp);
      if (d === RESTART) return RESTART;
      if (d === MISSING) return undefined;
      if (opts.checkSearchable === true) {
        if (!d.isDir()) throw new SysError("ENOTDIR");
        d.inode().checkPermissions(ctx, rp.credentials(), MAY_EXEC);
      }
      d.incRef(); // for the caller
      return d.vfsd;
    } finally {
      endOp(st, ctx);
    }
  }

  /** @throws ENOTDIR - the second-to-last component is not a directory. */
  getParentDentryAt(ctx: Context, rp: ResolvingPath): VfsDentry | Restart {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkParentDir(st, ctx, rp, startOf(rp));
      if (d === RESTART) return RESTART;
      // Linux's parent walk (link_path_walk) checks search permission on the parent even
      // when the last component is `.` or `..`, so rename("dir/.", x) is EACCES, not EBUSY.
      checkSearchable(ctx, rp, d);
      d.incRef();
      return d.vfsd;
    } finally {
      endOp(st, ctx);
    }
  }

  /** @throws EINVAL - not a symbolic link. */
  readlinkAt(ctx: Context, rp: ResolvingPath): string | Restart {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      if (!d.isSymlink()) throw new SysError("EINVAL");
      return d.inode().readlink(ctx, rp.mount());
    } finally {
      endOp(st, ctx);
    }
  }

  /** statx(2) through the inode's `stat`. */
  statAt(ctx: Context, rp: ResolvingPath, opts: StatOptions): Statx | Restart {
    const stat = this.tryStatAt(ctx, rp, opts);
    if (stat === undefined) throw new SysError("ENOENT");
    return stat;
  }

  /** {@link Filesystem.statAt} returning `undefined` for a missing file. */
  tryStatAt(ctx: Context, rp: ResolvingPath, opts: StatOptions): Statx | Restart | undefined {
    if (rp.done() && opts.sync === AT_STATX_DONT_SYNC) {
      return startOf(rp).inode().stat(ctx, this.vfsfs, opts);
    }
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExisting(st, ctx, rp);
      if (d === RESTART) return RESTART;
      if (d === MISSING) return undefined;
      return d.inode().stat(ctx, this.vfsfs, opts);
    } finally {
      endOp(st, ctx);
    }
  }

  /** @throws ENOSYS - the inode does not support statfs. */
  statFSAt(ctx: Context, rp: ResolvingPath): Statfs | Restart {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      return d.inode().statFS(ctx, this.vfsfs);
    } finally {
      endOp(st, ctx);
    }
  }

  /**
   * chmod, chown, utimes, truncate through the inode's `setStat`.
   * @remarks An empty mask changes nothing and checks nothing. Otherwise, as Linux's
   * `mnt_want_write` in chmod/chown/utimes/truncate, a read-only mount is EROFS before the
   * inode is asked (gVisor's kernfs does not check).
   * @throws EROFS - read-only mount.
   * @throws EPERM, EACCES, EISDIR - from the inode.
   */
  setStatAt(ctx: Context, rp: ResolvingPath, opts: SetStatOptions): Restart | undefined {
    const st = this.#st;
    beginOp(st);
    try {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      if (opts.stat.mask === 0) return undefined;
      const mount = rp.mount();
      mount.checkBeginWrite();
      try {
        d.inode().setStat(ctx, this.vfsfs, rp.credentials(), opts);
      } finally {
        mount.endWrite();
      }
      const ev = inotifyEventFromStatMask(opts.stat.mask);
      if (ev !== 0) d.inotifyWithParent(ctx, ev, 0);
      return undefined;
    } finally {
      endOp(st, ctx);
    }
  }

  // --- FilesystemImpl: extended attributes (filesystem-xattr.ts) -----------------------------

  /**
   * listxattr(2): the names the caller may see.
   * @throws EOPNOTSUPP - the inode has no extended attributes.
   * @throws ERANGE - from the inode.
   */
  listXattrAt(ctx: Context, rp: ResolvingPath, size: number): string[] | Restart {
    return listXattrAt(this.#st, ctx, rp, size);
  }

  /**
   * getxattr(2), after Linux's `xattr_permission`.
   * @throws EOPNOTSUPP - the inode has no extended attributes.
   * @throws ENODATA - `trusted.*` without CAP_SYS_ADMIN; `user.*` on a special file.
   * @throws EACCES - no read permission (`user.*` and unknown namespaces).
   * @throws ENODATA, ERANGE - from the inode.
   */
  getXattrAt(ctx: Context, rp: ResolvingPath, opts: GetXattrOptions): Uint8Array | Restart {
    return getXattrAt(this.#st, ctx, rp, opts);
  }

  /**
   * setxattr(2), after Linux's `xattr_permission`.
   * @throws EOPNOTSUPP - the inode has no extended attributes.
   * @throws EPERM - `trusted.*` without CAP_SYS_ADMIN; `user.*` on a special file or a
   * sticky directory the caller does not own.
   * @throws EOPNOTSUPP - `security.*` other than `security.capability`.
   * @throws EACCES - no write permission (`user.*` and unknown namespaces).
   * @throws EEXIST, ENODATA - from the inode.
   */
  setXattrAt(ctx: Context, rp: ResolvingPath, opts: SetXattrOptions): Restart | undefined {
    return setXattrAt(this.#st, ctx, rp, opts);
  }

  /**
   * removexattr(2), after Linux's `xattr_permission`.
   * @throws EOPNOTSUPP - the inode has no extended attributes.
   * @throws EPERM, EOPNOTSUPP, EACCES - as {@link Filesystem.setXattrAt}.
   * @throws ENODATA - from the inode.
   */
  removeXattrAt(ctx: Context, rp: ResolvingPath, name: string): Restart | undefined {
    return removeXattrAt(this.#st, ctx, rp, name);
  }

  // --- FilesystemImpl: creation, removal, rename (filesystem-create.ts, filesystem-delete.ts) ---

  /**
   * link(2): a new name at `rp` for the file at `vd`, in Linux's `do_linkat` order.
   * @throws EEXIST - no components, or the last is `.` or `..`.
   * @throws EACCES - the parent directory is not searchable.
   * @throws ENAMETOOLONG - the new name is longer than NAME_MAX bytes.
   * @throws ENOENT - the parent directory was removed.
   * @throws EEXIST - the new name exists.
   * @throws ENOENT - the new name has a trailing slash.
   * @throws EROFS - the mount is read-only.
   * @throws EXDEV - `vd` is on another mount.
   * @throws EPERM - protected hard links: the caller may not link this file.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - `vd` is a directory.
   * @throws ENOENT - `vd` has no links left.
   * @throws EPERM - the directory does not allow new entries (from the inode).
   */
  linkAt(ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined {
    return linkAt(this.#st, ctx, rp, vd);
  }

  /**
   * mkdir(2) at `rp`, in Linux's `do_mkdirat` order. A trailing slash is allowed.
   * @throws EEXIST - no components, or the last is `.` or `..`.
   * @throws EACCES - the parent directory is not searchable.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws ENOENT - the parent directory was removed.
   * @throws EEXIST - the name exists.
   * @throws EROFS - the mount is read-only.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - the directory does not allow new entries (from the inode), unless
   * `opts.forSyntheticMountpoint` makes a synthetic directory instead.
   */
  mkdirAt(ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined {
    return mkdirAt(this.#st, ctx, rp, opts);
  }

  /**
   * mknod(2) at `rp`, in Linux's `do_mknodat` order.
   * @throws EEXIST - no components, or the last is `.` or `..`.
   * @throws EACCES - the parent directory is not searchable.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws ENOENT - the parent directory was removed.
   * @throws EEXIST - the name exists.
   * @throws ENOENT - the name has a trailing slash.
   * @throws EROFS - the mount is read-only.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - the directory does not allow new entries (from the inode).
   */
  mknodAt(ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined {
    return mknodAt(this.#st, ctx, rp, opts);
  }

  /**
   * symlink(2) at `rp`, in Linux's `do_symlinkat` order.
   * @throws EEXIST - no components, or the last is `.` or `..`.
   * @throws EACCES - the parent directory is not searchable.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws ENOENT - the parent directory was removed.
   * @throws EEXIST - the name exists.
   * @throws ENOENT - the name has a trailing slash.
   * @throws EROFS - the mount is read-only.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - the directory does not allow new entries (from the inode).
   */
  symlinkAt(ctx: Context, rp: ResolvingPath, target: string): Restart | undefined {
    return symlinkAt(this.#st, ctx, rp, target);
  }

  /**
   * open(2) at `rp`, in Linux's `path_openat` order.
   * @remarks O_TMPFILE resolves the directory, then reports EROFS or EOPNOTSUPP.
   * @throws EISDIR - O_CREAT with no components and a trailing slash.
   * @throws EEXIST - O_CREAT|O_EXCL with no components.
   * @throws EACCES - the parent directory is not searchable (O_CREAT).
   * @throws EISDIR - O_CREAT and a trailing slash, or a last component `.` or `..`.
   * @throws ENOENT - O_CREAT and the parent directory was removed.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws EEXIST - O_CREAT|O_EXCL and the name exists, even as a (dangling) symlink.
   * @throws EROFS - O_CREAT of a new file on a read-only mount.
   * @throws EACCES - O_CREAT of a new file in a directory that is not writable.
   * @throws EPERM - the directory does not allow new files (from the inode).
   * @throws EISDIR - O_CREAT on an existing directory.
   * @throws EROFS - O_TRUNC of a regular file on a read-only mount.
   * @throws ELOOP - a symbolic link that is not followed (O_NOFOLLOW).
   * @throws EISDIR - a directory opened for writing or with O_TRUNC.
   * @throws EACCES - permission denied on the file.
   * @throws EINVAL - O_DIRECT on a directory.
   * @throws EOPNOTSUPP - O_TMPFILE.
   */
  openAt(ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
    return openAt(this.#st, ctx, rp, opts);
  }

  /**
   * rename(2): entry `oldName` of `oldParentVD` to `rp`, in Linux's `do_renameat2` +
   * `vfs_rename` order. Only RENAME_NOREPLACE is supported.
   * @throws EACCES - a parent directory is not searchable.
   * @throws EINVAL - flags other than RENAME_NOREPLACE.
   * @throws EXDEV - the two parents are on different mounts.
   * @throws EEXIST - the new name is `.` or `..` and RENAME_NOREPLACE is set.
   * @throws EBUSY - the new name is `.` or `..`.
   * @throws EROFS - the mount is read-only.
   * @throws ENAMETOOLONG - a name is longer than NAME_MAX bytes.
   * @throws ENOENT - no entry `oldName`.
   * @throws EEXIST - the new name exists and RENAME_NOREPLACE is set.
   * @throws ENOTDIR - the source is not a directory and a name had a trailing slash.
   * @throws EINVAL - a directory would move into itself or a descendant.
   * @throws ENOTEMPTY - the target is an ancestor of the source.
   * (Two names of the same inode: success, nothing changes.)
   * @throws EACCES - the source's parent is not writable.
   * @throws EPERM - sticky source parent not owned by the caller, nor the source.
   * @throws ENOENT - the new parent was removed.
   * @throws EACCES - the new parent is not writable.
   * @throws EPERM - sticky new parent, and the caller owns neither it nor the target.
   * @throws ENOTDIR - a directory would replace a non-directory.
   * @throws EISDIR - a non-directory would replace a directory.
   * @throws EACCES - a directory changing parent is not writable itself.
   * @throws EBUSY - the source or target is a mount point in the caller's namespace.
   * @throws ENOTEMPTY - the target directory is not empty.
   * @throws EPERM - a directory does not allow renames (from the inode).
   */
  renameAt(ctx: Context, rp: ResolvingPath, oldParentVD: VirtualDentry, oldName: string, opts: RenameOptions): Restart | undefined {
    return renameAt(this.#st, ctx, rp, oldParentVD, oldName, opts);
  }

  /**
   * rmdir(2) at `rp`, in Linux's `do_rmdir` order.
   * @throws EACCES - the parent directory is not searchable.
   * @throws EINVAL - the last component is `.`.
   * @throws ENOTEMPTY - the last component is `..`.
   * @throws EROFS - the mount is read-only.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws ENOENT - no such entry, or the parent was removed.
   * @throws EBUSY - the filesystem's root.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - sticky parent, and the caller owns neither it nor the directory.
   * @throws ENOTDIR - not a directory.
   * @throws EBUSY - a mount point in the caller's namespace.
   * @throws ENOTEMPTY - the directory has entries.
   * @throws EPERM - the parent does not allow removal (from the inode).
   */
  rmdirAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    return rmdirAt(this.#st, ctx, rp);
  }

  /**
   * unlink(2) at `rp`, in Linux's `do_unlinkat` order.
   * @throws EACCES - the parent directory is not searchable.
   * @throws EISDIR - the last component is `.` or `..`.
   * @throws EROFS - the mount is read-only.
   * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
   * @throws ENOENT - no such entry, or the parent was removed.
   * @throws EISDIR - a directory named with a trailing slash.
   * @throws ENOTDIR - a non-directory named with a trailing slash.
   * @throws EBUSY - the filesystem's root.
   * @throws EACCES - the parent directory is not writable.
   * @throws EPERM - sticky parent, and the caller owns neither it nor the file.
   * @throws EISDIR - a directory.
   * @throws EBUSY - a mount point in the caller's namespace.
   * @throws EPERM - the parent does not allow removal (from the inode).
   */
  unlinkAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    return unlinkAt(this.#st, ctx, rp);
  }

  // --- FilesystemImpl: pathnames --------------------------------------------------------------

  /** Prepends names from `dentry` up to `vfsroot`, the root of `mount`, or this filesystem's root. */
  prependPath(
    _ctx: Context,
    vfsroot: VirtualDentry | undefined,
    mount: Mount | undefined,
    dentry: VfsDentry,
    builder: Builder,
  ): PrependPathResult {
    for (let d = kernfsDentry(dentry); ; ) {
      if (vfsroot !== undefined && mount === vfsroot.mount && d.vfsd === vfsroot.dentry) return PrependPathResult.AtVFSRoot;
      if (mount !== undefined && d.vfsd === mount.root()) return PrependPathResult.AtMountRoot;
      const parent = dentryState(d).parent;
      if (parent === undefined) return PrependPathResult.AtNonMountRoot;
      builder.prependComponent(dentryState(d).name);
      d = parent;
    }
  }

  /** Reports whether `vd.dentry` is `vfsroot.dentry` or below it. */
  isDescendant(vfsroot: VirtualDentry, vd: VirtualDentry): boolean {
    for (let d: Dentry | undefined = kernfsDentry(vd.dentry); d !== undefined; d = dentryState(d).parent) {
      if (d.vfsd === vfsroot.dentry) return true;
    }
    return false;
  }
}
