// The tmpfs filesystem: its state (limits, accounting, inode numbers), its release, and
// the FilesystemImpl operations that only look things up. Twin of gVisor's
// pkg/sentry/fsimpl/tmpfs/filesystem.go and the filesystem half of tmpfs.go; creating
// (filesystem-create.ts), opening (filesystem-open.ts), removing (filesystem-delete.ts)
// and renaming (rename.ts) live in their own files.
import { STATX_SIZE, S_IFDIR, SysError, TMPFS_MAGIC, type Statfs, type Statx } from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import type { Builder } from "@vfskit/fspath";
import {
  Filesystem,
  MAY_EXEC,
  MAY_WRITE,
  PrependPathResult,
  RESTART,
  clockFrom,
  genericStatFS,
  trackObject,
  untrackObject,
  type AccessTypes,
  type Context,
  type Dentry,
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
import { DirectoryInode } from "./directory.js";
import type { PageAccount } from "./file-data.js";
import { linkAt, mkdirAt, mknodAt, symlinkAt } from "./filesystem-create.js";
import { rmdirAt, unlinkAt } from "./filesystem-delete.js";
import { openAt } from "./filesystem-open.js";
import { InodeKind, TmpfsDentry, effectiveSetStatMask, type Inode } from "./inode.js";
import { renameAt } from "./rename.js";
import type { SymlinkInode } from "./symlink.js";
import { MISSING, resolve, resolveExisting, startOf, walkParentDir } from "./walk.js";
import { getXattr, listXattr, removeXattr, setXattr } from "./xattr.js";

/** Linux's BOGO_INODE_SIZE: what one inode costs against `nr_inodes`. */
export const BOGO_INODE_SIZE = 1024;

/**
 * How a tmpfs filesystem is configured (from the mount options; see
 * {@link TmpfsFilesystemType}).
 * @internal
 */
export interface TmpfsConfig {
  /** The `size=` limit in pages; `Infinity` for none. */
  readonly maxPages: number;
  /** The `nr_inodes=` limit; 0 for none. */
  readonly maxInodes: number;
  /** The root directory's permission bits (with sticky/setgid). */
  readonly rootMode: number;
  /** The root directory's owner. */
  readonly rootUID: KUID;
  /** The root directory's group. */
  readonly rootGID: KGID;
  /** The options as /proc/mounts shows them. */
  readonly mountOptions: string;
}

/**
 * One tmpfs filesystem (gVisor's tmpfs `filesystem`; Linux's shmem superblock).
 *
 * @remarks
 * Owns the tree: the root dentry, and through it every linked inode. Accounts pages
 * against `size=` and inodes (plus hard links and extended attributes, as Linux does)
 * against `nr_inodes=`. Inode numbers come from a counter starting at 1 (the root).
 *
 * For the leak checker it registers one object whose count is the number of live
 * inodes: it must reach zero once the filesystem is released.
 * @internal
 */
export class TmpfsFilesystem implements FilesystemImpl, PageAccount {
  /** The VFS half. */
  readonly vfsfs: Filesystem;
  /** The root directory's dentry. */
  readonly root: TmpfsDentry;
  /**
   * st_dev's minor number (major 0: an anonymous device from the VFS, as Linux's
   * get_anon_bdev gives tmpfs); returned to the VFS on release.
   */
  readonly devMinor: number;
  /** The `size=` limit in pages (`Infinity`: none). */
  readonly maxPages: number;
  /** The `nr_inodes=` limit (0: none). */
  readonly maxInodes: number;
  /** Pages in use by file data and long symlink targets. */
  pagesUsed = 0;
  /** Linux's free_ispace: bytes of `nr_inodes` space left (`Infinity`: no limit). */
  #freeSpace: number;
  #lastIno = 0;
  #liveInodes = 0;
  #released = false;
  readonly #mountOptions: string;
  readonly #leakToken: object = {};
  /**
   * O_TMPFILE files that linkat may still give a name (Linux's I_LINKABLE); an entry goes
   * when the file is linked or released.
   */
  readonly linkable = new Set<Inode>();

  constructor(ctx: Context, vfs: VirtualFilesystem, fsType: FilesystemType, config: TmpfsConfig) {
    this.maxPages = config.maxPages;
    this.maxInodes = config.maxInodes;
    this.#freeSpace = config.maxInodes === 0 ? Infinity : config.maxInodes * BOGO_INODE_SIZE;
    this.#mountOptions = config.mountOptions;
    this.devMinor = vfs.getAnonBlockDevMinor();
    trackObject(this.#leakToken, "tmpfs.Inodes", () => this.#liveInodes, () => `tmpfs dev 0:${this.devMinor}: live inodes`);
    this.vfsfs = new Filesystem(vfs, fsType, this);
    this.accountInode();
    const rootInode = new DirectoryInode(this, S_IFDIR | (config.rootMode & 0o7777), config.rootUID, config.rootGID, clockFrom(ctx).now());
    this.root = new TmpfsDentry(rootInode, null, "", 0);
    rootInode.dentry = this.root;
  }

  // --- Accounting. ---

  /** The next inode number. */
  nextIno(): number {
    return ++this.#lastIno;
  }

  /**
   * Reserves room for one inode (or one hard link) against `nr_inodes`.
   * @throws ENOSPC - no room left.
   */
  accountInode(): void {
    if (!this.reserveSpace(BOGO_INODE_SIZE)) throw new SysError("ENOSPC", { detail: "nr_inodes exhausted" });
    this.#liveInodes++;
  }

  /** An inode was freed. */
  unaccountInode(): void {
    this.unreserveSpace(BOGO_INODE_SIZE);
    if (--this.#liveInodes === 0 && this.#released) untrackObject(this.#leakToken);
  }

  /** Reserves `bytes` of `nr_inodes` space; false if they do not fit. */
  reserveSpace(bytes: number): boolean {
    if (this.#freeSpace < bytes) return false;
    this.#freeSpace -= bytes;
    return true;
  }

  /** Returns `bytes` of `nr_inodes` space. */
  unreserveSpace(bytes: number): void {
    this.#freeSpace += bytes;
  }

  /** Pages still available under `size=`. */
  freePages(): number {
    return this.maxPages - this.pagesUsed;
  }

  /** Records `count` more pages in use (negative: freed). */
  addPages(count: number): void {
    this.pagesUsed += count;
  }

  /**
   * statfs(2) (Linux `shmem_statfs`): without limits every count is 0, as Linux reports
   * a tmpfs mounted with `size=0,nr_inodes=0`.
   */
  statFS(): Statfs {
    const limited = this.maxPages !== Infinity;
    const free = limited ? this.maxPages - this.pagesUsed : 0;
    return genericStatFS(TMPFS_MAGIC, {
      blocks: limited ? this.maxPages : 0,
      bfree: free,
      bavail: free,
      files: this.maxInodes,
      ffree: this.maxInodes === 0 ? 0 : Math.floor(this.#freeSpace / BOGO_INODE_SIZE),
      fsid: [this.devMinor, 0],
    });
  }

  // --- Creating inodes. ---


  // --- FilesystemImpl. ---

  /** Frees the whole tree: the filesystem lost its last reference. */
  release(ctx: Context): void {
    this.#released = true;
    this.vfsfs.vfs.putAnonBlockDevMinor(this.devMinor);
    const stack: DirectoryInode[] = [this.root.inode as DirectoryInode];
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      const children = dir.children;
      if (children === undefined) continue;
      for (const child of children.values()) {
        const inode = child.inode;
        if (inode.kind === InodeKind.Directory) {
          stack.push(inode as DirectoryInode);
          inode.decLinks(ctx); // its "."
          dir.decLinks(ctx); // its ".."
        }
        inode.decLinks(ctx);
      }
      // Let the tree go even if something still points at this directory object.
      dir.children = undefined;
    }
    const root = this.root.inode;
    root.decLinks(ctx);
    root.decLinks(ctx);
    if (this.#liveInodes === 0) untrackObject(this.#leakToken);
  }

  /** Nothing to write back. */
  sync(_ctx: Context): void {}

  /**
   * access(2).
   * @throws EACCES - not allowed.
   * @throws EROFS - write access asked on a read-only mount (not for FIFOs, sockets and
   * devices, as in Linux).
   */
  accessAt(ctx: Context, rp: ResolvingPath, ats: AccessTypes): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    const inode = d.inode;
    inode.checkPermissions(rp.credentials(), ats);
    if ((ats & MAY_WRITE) !== 0 && inode.kind !== InodeKind.Special && rp.mount().readOnly()) {
      throw new SysError("EROFS", { syscall: "access" });
    }
    return undefined;
  }

  getDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return this.#getDentry(rp, d, opts);
  }

  tryGetDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart | undefined {
    const d = resolve(ctx, rp);
    if (d === RESTART) return RESTART;
    if (d === MISSING) return undefined;
    return this.#getDentry(rp, d, opts);
  }

  #getDentry(rp: ResolvingPath, d: TmpfsDentry, opts: GetDentryOptions): Dentry {
    if (opts.checkSearchable === true) {
      if (d.inode.kind !== InodeKind.Directory) throw new SysError("ENOTDIR");
      d.inode.checkPermissions(rp.credentials(), MAY_EXEC);
    }
    d.inode.incRef();
    return d.vfsd;
  }

  getParentDentryAt(ctx: Context, rp: ResolvingPath): Dentry | Restart {
    const d = walkParentDir(ctx, rp, startOf(rp));
    if (d === RESTART) return RESTART;
    // Linux's parent walk (link_path_walk) checks search permission on the parent even
    // when the last component is `.` or `..`: rename("secret/.", x) is EACCES, not EBUSY.
    (d.inode as DirectoryInode).checkPermissions(rp.credentials(), MAY_EXEC);
    d.inode.incRef();
    return d.vfsd;
  }


  /** link(2): see {@link linkAt} in filesystem-create.ts. */
  linkAt(ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined {
    return linkAt(this, ctx, rp, vd);
  }

  /** mkdir(2): see filesystem-create.ts. */
  mkdirAt(ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined {
    return mkdirAt(this, ctx, rp, opts);
  }

  /** mknod(2): see filesystem-create.ts. */
  mknodAt(ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined {
    return mknodAt(this, ctx, rp, opts);
  }

  /** symlink(2): see filesystem-create.ts. */
  symlinkAt(ctx: Context, rp: ResolvingPath, target: string): Restart | undefined {
    return symlinkAt(this, ctx, rp, target);
  }

  /** open(2): see filesystem-open.ts. */
  openAt(ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
    return openAt(this, ctx, rp, opts);
  }

  /**
   * readlink(2).
   * @throws EINVAL - not a symbolic link.
   */
  readlinkAt(ctx: Context, rp: ResolvingPath): string | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    const inode = d.inode;
    if (inode.kind !== InodeKind.Symlink) throw new SysError("EINVAL", { syscall: "readlink" });
    inode.touchAtime(ctx, rp.mount());
    return (inode as SymlinkInode).target;
  }

  /** rename(2) and renameat2(2): see rename.ts. */
  renameAt(ctx: Context, rp: ResolvingPath, oldParentVD: VirtualDentry, oldName: string, opts: RenameOptions): Restart | undefined {
    return renameAt(this, ctx, rp, oldParentVD, oldName, opts);
  }


  /** rmdir(2): see filesystem-delete.ts. */
  rmdirAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    return rmdirAt(this, ctx, rp);
  }

  /** unlink(2): see filesystem-delete.ts. */
  unlinkAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    return unlinkAt(this, ctx, rp);
  }

  /**
   * chmod, chown, utimensat and truncate by path.
   * @throws EISDIR - a size change on a directory.
   * @throws EINVAL - a size change on another non-regular file, or a negative size.
   * @throws EROFS - a read-only mount.
   * @throws EACCES, EPERM, EFBIG - from the permission checks (`checkSetStat`).
   */
  setStatAt(ctx: Context, rp: ResolvingPath, opts: SetStatOptions): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    const inode = d.inode;
    const stat = opts.stat;
    if (effectiveSetStatMask(stat) === 0) return undefined;
    if ((stat.mask & STATX_SIZE) !== 0) {
      if (inode.kind === InodeKind.Directory) throw new SysError("EISDIR", { syscall: "truncate" });
      if (inode.kind !== InodeKind.Regular) throw new SysError("EINVAL", { syscall: "truncate" });
    }
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      inode.setStat(ctx, rp.credentials(), opts);
    } finally {
      mount.endWrite();
    }
    return undefined;
  }

  statAt(ctx: Context, rp: ResolvingPath, _opts: StatOptions): Statx | Restart {
    if (rp.done()) return startOf(rp).inode.stat();
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return d.inode.stat();
  }

  tryStatAt(ctx: Context, rp: ResolvingPath, _opts: StatOptions): Statx | Restart | undefined {
    if (rp.done()) return startOf(rp).inode.stat();
    const d = resolve(ctx, rp);
    if (d === RESTART) return RESTART;
    if (d === MISSING) return undefined;
    return d.inode.stat();
  }

  statFSAt(ctx: Context, rp: ResolvingPath): Statfs | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return this.statFS();
  }

  listXattrAt(ctx: Context, rp: ResolvingPath, size: number): string[] | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return listXattr(rp.credentials(), d.inode, size);
  }

  getXattrAt(ctx: Context, rp: ResolvingPath, opts: GetXattrOptions): Uint8Array | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return getXattr(rp.credentials(), d.inode, opts);
  }

  setXattrAt(ctx: Context, rp: ResolvingPath, opts: SetXattrOptions): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    setXattr(ctx, rp.mount(), d.inode, opts);
    return undefined;
  }

  removeXattrAt(ctx: Context, rp: ResolvingPath, name: string): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    removeXattr(ctx, rp.mount(), d.inode, name);
    return undefined;
  }

  prependPath(_ctx: Context, vfsroot: VirtualDentry | undefined, mount: Mount | undefined, dentry: Dentry, builder: Builder): PrependPathResult {
    let d = dentry.impl as TmpfsDentry;
    const mountRoot = mount?.root();
    for (;;) {
      if (vfsroot !== undefined && d.vfsd === vfsroot.dentry && mount === vfsroot.mount) return PrependPathResult.AtVFSRoot;
      if (d.vfsd === mountRoot) return PrependPathResult.AtMountRoot;
      const parent = d.parent;
      if (parent === null) return PrependPathResult.AtNonMountRoot;
      builder.prependComponent(d.name);
      d = parent;
    }
  }

  isDescendant(vfsroot: VirtualDentry, vd: VirtualDentry): boolean {
    const root = vfsroot.dentry.impl as TmpfsDentry;
    for (let d: TmpfsDentry | null = vd.dentry.impl as TmpfsDentry; d !== null; d = d.parent) {
      if (d === root) return true;
    }
    return false;
  }

  mountOptions(): string {
    return this.#mountOptions;
  }

}
