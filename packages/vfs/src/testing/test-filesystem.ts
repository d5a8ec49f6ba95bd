// testfs: a small, correct in-memory filesystem that drives the VFS in tests (and in
// later packages' tests until kernfs and tmpfs exist). It walks paths with ResolvingPath
// exactly as a real filesystem must, and checks errors in Linux's order (fs/namei.c)
// where gVisor's tmpfs/kernfs differ.
import {
  Capability,
  STATX_SIZE,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  S_IRWXU,
  S_IRGRP,
  S_IROTH,
  S_IXGRP,
  S_IXOTH,
  SysError,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import type { Builder } from "@vfskit/fspath";
import { clockFrom, type Context } from "../context.js";
import type { Dentry } from "../dentry.js";
import type { FileDescription } from "../file-description.js";
import { Filesystem, PrependPathResult, type FilesystemImpl } from "../filesystem.js";
import type { FilesystemType, NewFilesystem } from "../filesystem-type.js";
import type { Mount } from "../mount.js";
import { genericParseMountOptions } from "../mount-options.js";
import { mountNamespaceFromContext } from "../namespace.js";
import {
  MAY_EXEC,
  MAY_WRITE,
  type AccessTypes,
  type GetDentryOptions,
  type GetFilesystemOptions,
  type GetXattrOptions,
  type MkdirOptions,
  type MknodOptions,
  type OpenOptions,
  type RenameOptions,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
} from "../options.js";
import { checkDeleteSticky, mayLink } from "../permissions.js";
import { RESTART, exceedsNameMax, type ResolvingPath, type Restart } from "../resolving-path.js";
import type { VirtualDentry } from "../virtual-dentry.js";
import type { VirtualFilesystem } from "../vfs.js";
import { TestDentry, TestInode, type TestDevice } from "./testfs-node.js";
import { openAt } from "./testfs-open.js";
import { renameAt } from "./testfs-rename.js";
import { MISSING, resolve, resolveExisting, startOf, walkParentDir } from "./testfs-walk.js";
import { getXattr, listXattr, removeXattr, setXattr, testStatFS } from "./testfs-xattr.js";

/**
 * The testfs filesystem type; register it with
 * `vfs.registerFilesystemType("testfs", new TestFilesystemType(), { allowUserMount: true })`.
 *
 * @remarks
 * Mount data (comma-separated) may set the root's `mode` (octal), `uid` and `gid`.
 * Every filesystem it creates gets its own device number: major 0 and a minor from the
 * VFS's anonymous-device allocator, returned when the filesystem is released.
 * @public
 */
export class TestFilesystemType implements FilesystemType {
  /** Creates a new, empty testfs. */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, opts: GetFilesystemOptions): NewFilesystem {
    const fs = new TestFilesystem(ctx, vfs, this, { major: 0, minor: vfs.getAnonBlockDevMinor() }, opts.data ?? "");
    const root = fs.root;
    root.incRef(); // the caller's; the filesystem keeps its own
    return { fs: fs.vfsfs, root: root.vfsd };
  }

  /** `"testfs"`. */
  name(): string {
    return "testfs";
  }

  /** Nothing to release. */
  release(_ctx: Context): void {}
}

/**
 * One testfs instance: the {@link FilesystemImpl} of an in-memory tree of
 * {@link TestDentry | dentries} and {@link TestInode | inodes}.
 *
 * @remarks
 * Directories, regular files with data, symbolic links, hard links, FIFOs and device
 * nodes (opened as plain nodes without data), permissions and the sticky bit, `user.`
 * extended attributes, and every path operation with Linux's errors.
 * @public
 */
export class TestFilesystem implements FilesystemImpl {
  /** The VFS half. */
  readonly vfsfs: Filesystem;
  /** The root directory (the filesystem holds one reference on it). */
  readonly root: TestDentry;
  /** The device number reported as st_dev. */
  readonly device: TestDevice;
  readonly #options: string;
  #nextIno = 1;

  /** @internal */
  constructor(ctx: Context, vfs: VirtualFilesystem, fsType: FilesystemType, device: TestDevice, data: string) {
    this.vfsfs = new Filesystem(vfs, fsType, this);
    this.device = device;
    this.#options = data;
    const parsed = genericParseMountOptions(data);
    const modeOption = parsed.get("mode");
    const mode = modeOption === undefined ? S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH : parseInt(modeOption, 8) & 0o7777;
    const creds = ctx.credentials;
    const uid = (parsed.has("uid") ? Number(parsed.get("uid")) : creds.effectiveKUID) as KUID;
    const gid = (parsed.has("gid") ? Number(parsed.get("gid")) : creds.effectiveKGID) as KGID;
    this.root = new TestDentry(new TestInode(this.#nextIno++, S_IFDIR | mode, { uid, gid }, clockFrom(ctx).now(), device), undefined, "");
    this.root.incRef();
  }

  /** Creates an inode owned by the caller (a directory's setgid bit passes its group on). */
  newInode(ctx: Context, parent: TestDentry | undefined, mode: number, extra: ConstructorParameters<typeof TestInode>[5] = {}): TestInode {
    const creds = ctx.credentials;
    let gid = creds.effectiveKGID;
    if (parent !== undefined && (parent.inode.mode & 0o2000) !== 0) {
      gid = parent.inode.gid;
      if ((mode & S_IFMT) === S_IFDIR) mode |= 0o2000;
    }
    return new TestInode(this.#nextIno++, mode, { uid: creds.effectiveKUID, gid }, clockFrom(ctx).now(), this.device, extra);
  }

  /** Drops the root and returns the device number. */
  release(ctx: Context): void {
    this.root.decRef(ctx);
    this.vfsfs.vfs.putAnonBlockDevMinor(this.device.minor);
  }

  /** In memory: nothing to write out. */
  sync(_ctx: Context): void {}

  /** access(2): permission first, then EROFS for write on a read-only mount (do_faccessat). */
  accessAt(ctx: Context, rp: ResolvingPath, ats: AccessTypes): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    d.inode.checkPermissions(rp.credentials(), ats);
    const type = d.inode.type();
    const special = type === S_IFIFO || type === S_IFCHR || type === S_IFBLK || type === S_IFSOCK;
    if ((ats & MAY_WRITE) !== 0 && !special && rp.mount().readOnly()) throw new SysError("EROFS", { syscall: "access" });
    return undefined;
  }

  getDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return this.#checkAndRef(rp, d, opts);
  }

  tryGetDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart | undefined {
    const d = resolve(ctx, rp);
    if (d === RESTART) return RESTART;
    if (d === MISSING) return undefined;
    return this.#checkAndRef(rp, d, opts);
  }

  #checkAndRef(rp: ResolvingPath, d: TestDentry, opts: GetDentryOptions): Dentry {
    if (opts.checkSearchable === true) {
      if (!d.inode.isDir()) throw new SysError("ENOTDIR");
      d.inode.checkPermissions(rp.credentials(), MAY_EXEC);
    }
    d.incRef();
    return d.vfsd;
  }

  getParentDentryAt(ctx: Context, rp: ResolvingPath): Dentry | Restart {
    const parent = walkParentDir(ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    parent.incRef();
    return parent.vfsd;
  }

  /**
   * The checks of Linux's filename_create() and may_create(), in that order, then
   * `create(parent, name)` with a write held on the mount.
   */
  #create(ctx: Context, rp: ResolvingPath, isDir: boolean, create: (parent: TestDentry, name: string) => void): Restart | undefined {
    const parent = walkParentDir(ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    if (rp.isDot() || rp.isDotDot()) throw new SysError("EEXIST");
    const creds = rp.credentials();
    parent.inode.checkPermissions(creds, MAY_EXEC);
    const name = rp.component();
    if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
    if ((parent.inode.children as Map<string, TestDentry>).has(name)) throw new SysError("EEXIST");
    if (!isDir && rp.mustBeDir()) throw new SysError("ENOENT", { detail: "trailing slash on a non-directory" });
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      if (parent.vfsd.isDead()) throw new SysError("ENOENT", { detail: "directory was removed" });
      parent.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
      create(parent, name);
      const now = clockFrom(ctx).now();
      parent.inode.mtime = now;
      parent.inode.ctime = now;
    } finally {
      mount.endWrite();
    }
    return undefined;
  }

  /** Adds `inode` to `parent` as `name`. */
  insert(parent: TestDentry, name: string, inode: TestInode): TestDentry {
    const child = new TestDentry(inode, parent, name);
    (parent.inode.children as Map<string, TestDentry>).set(name, child);
    if (inode.isDir()) parent.inode.nlink++;
    return child;
  }

  linkAt(ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined {
    return this.#create(ctx, rp, false, (parent, name) => {
      if (rp.mount() !== vd.mount) throw new SysError("EXDEV", { syscall: "link" });
      const target = (vd.dentry.impl as TestDentry).inode;
      if (target.isDir()) throw new SysError("EPERM", { syscall: "link", detail: "hard link to a directory" });
      mayLink(rp.credentials(), target.mode, target.uid, target.gid);
      if (target.nlink === 0) throw new SysError("ENOENT", { syscall: "link", detail: "file was removed" });
      target.nlink++;
      target.ctime = clockFrom(ctx).now();
      this.insert(parent, name, target);
    });
  }

  mkdirAt(ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined {
    return this.#create(ctx, rp, true, (parent, name) => {
      this.insert(parent, name, this.newInode(ctx, parent, S_IFDIR | (opts.mode & 0o7777)));
    });
  }

  mknodAt(ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined {
    return this.#create(ctx, rp, false, (parent, name) => {
      const type = opts.mode & S_IFMT;
      // vfs_mknod: device nodes need CAP_MKNOD (the file type was checked by the VFS).
      if ((type === S_IFCHR || type === S_IFBLK) && !rp.credentials().hasCapability(Capability.CAP_MKNOD)) {
        throw new SysError("EPERM", { syscall: "mknod", detail: "CAP_MKNOD required" });
      }
      const mode = (type === 0 ? S_IFREG : type) | (opts.mode & 0o7777);
      const rdev = { major: opts.devMajor, minor: opts.devMinor };
      this.insert(parent, name, this.newInode(ctx, parent, mode, { rdev }));
    });
  }

  symlinkAt(ctx: Context, rp: ResolvingPath, target: string): Restart | undefined {
    return this.#create(ctx, rp, false, (parent, name) => {
      this.insert(parent, name, this.newInode(ctx, parent, S_IFLNK | 0o777, { target }));
    });
  }

  openAt(ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
    return openAt(this, ctx, rp, opts);
  }

  readlinkAt(ctx: Context, rp: ResolvingPath): string | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    if (!d.inode.isSymlink()) throw new SysError("EINVAL", { syscall: "readlink", detail: "not a symbolic link" });
    return d.inode.target;
  }

  renameAt(ctx: Context, rp: ResolvingPath, oldParentVD: VirtualDentry, oldName: string, opts: RenameOptions): Restart | undefined {
    return renameAt(this, ctx, rp, oldParentVD, oldName, opts);
  }

  /** Removes `child` from its parent and adjusts link counts. */
  remove(child: TestDentry): void {
    const parent = child.parent as TestDentry;
    (parent.inode.children as Map<string, TestDentry>).delete(child.name);
    if (child.inode.isDir()) {
      parent.inode.nlink--;
      child.inode.nlink = 0;
    } else {
      child.inode.nlink--;
    }
  }

  /** Linux's may_delete() after the lookup: write+search on the parent, then the sticky rule. */
  checkMayDelete(rp: ResolvingPath, parent: TestDentry, child: TestDentry): void {
    const creds = rp.credentials();
    parent.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
    checkDeleteSticky(creds, parent.inode.mode, parent.inode.uid, child.inode.uid, child.inode.gid);
  }

  /** The lookup of a delete: search permission, name length, existence. */
  #lookupForDelete(rp: ResolvingPath, parent: TestDentry): TestDentry {
    parent.inode.checkPermissions(rp.credentials(), MAY_EXEC);
    const name = rp.component();
    if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
    const child = (parent.inode.children as Map<string, TestDentry>).get(name);
    if (child === undefined) throw new SysError("ENOENT");
    return child;
  }

  // Linux's do_rmdir() + vfs_rmdir(): ./.. → EROFS → lookup → may_delete → type → mount
  // point (EBUSY) → non-empty.
  rmdirAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    const parent = walkParentDir(ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    if (rp.isDot()) throw new SysError("EINVAL", { syscall: "rmdir" });
    if (rp.isDotDot()) throw new SysError("ENOTEMPTY", { syscall: "rmdir" });
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      const child = this.#lookupForDelete(rp, parent);
      this.checkMayDelete(rp, parent, child);
      if (!child.inode.isDir()) throw new SysError("ENOTDIR", { syscall: "rmdir" });
      const ticket = this.vfsfs.vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
      if ((child.inode.children as Map<string, TestDentry>).size !== 0) {
        ticket.abort();
        throw new SysError("ENOTEMPTY", { syscall: "rmdir" });
      }
      this.remove(child);
      this.#touch(ctx, parent);
      ticket.commit(ctx);
    } finally {
      mount.endWrite();
    }
    return undefined;
  }

  // Linux's do_unlinkat() + vfs_unlink().
  unlinkAt(ctx: Context, rp: ResolvingPath): Restart | undefined {
    const parent = walkParentDir(ctx, rp, startOf(rp));
    if (parent === RESTART) return RESTART;
    if (rp.isDot() || rp.isDotDot()) throw new SysError("EISDIR", { syscall: "unlink" });
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      const child = this.#lookupForDelete(rp, parent);
      if (rp.mustBeDir()) throw new SysError(child.inode.isDir() ? "EISDIR" : "ENOTDIR", { syscall: "unlink" });
      this.checkMayDelete(rp, parent, child);
      if (child.inode.isDir()) throw new SysError("EISDIR", { syscall: "unlink" });
      const ticket = this.vfsfs.vfs.prepareDeleteDentry(mountNamespaceFromContext(ctx), child.vfsd);
      this.remove(child);
      child.inode.ctime = clockFrom(ctx).now();
      this.#touch(ctx, parent);
      ticket.commit(ctx);
    } finally {
      mount.endWrite();
    }
    return undefined;
  }

  #touch(ctx: Context, dir: TestDentry): void {
    const now = clockFrom(ctx).now();
    dir.inode.mtime = now;
    dir.inode.ctime = now;
  }

  // chmod/chown/utimes/truncate by path: truncate's type checks, then EROFS
  // (mnt_want_write), then setattr_prepare's permission checks.
  setStatAt(ctx: Context, rp: ResolvingPath, opts: SetStatOptions): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    if ((opts.stat.mask & STATX_SIZE) !== 0) {
      if (d.inode.isDir()) throw new SysError("EISDIR", { syscall: "truncate" });
      if (!d.inode.isRegular()) throw new SysError("EINVAL", { syscall: "truncate" });
    }
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      d.inode.setStat(ctx, rp.credentials(), opts);
    } finally {
      mount.endWrite();
    }
    return undefined;
  }

  statAt(ctx: Context, rp: ResolvingPath, _opts: StatOptions): Statx | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return d.inode.stat();
  }

  tryStatAt(ctx: Context, rp: ResolvingPath, _opts: StatOptions): Statx | Restart | undefined {
    const d = resolve(ctx, rp);
    if (d === RESTART) return RESTART;
    if (d === MISSING) return undefined;
    return d.inode.stat();
  }

  statFSAt(ctx: Context, rp: ResolvingPath): Statfs | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return testStatFS();
  }

  listXattrAt(ctx: Context, rp: ResolvingPath, size: number): string[] | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return listXattr(ctx, d, size);
  }

  getXattrAt(ctx: Context, rp: ResolvingPath, opts: GetXattrOptions): Uint8Array | Restart {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return getXattr(ctx, d, opts);
  }

  setXattrAt(ctx: Context, rp: ResolvingPath, opts: SetXattrOptions): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    setXattr(ctx, rp.mount(), d, opts);
    return undefined;
  }

  removeXattrAt(ctx: Context, rp: ResolvingPath, name: string): Restart | undefined {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    removeXattr(ctx, rp.mount(), d, name);
    return undefined;
  }

  // genericfstree's PrependPath: stop at vfsroot (checked first), then at the mount root.
  prependPath(_ctx: Context, vfsroot: VirtualDentry | undefined, mount: Mount | undefined, dentry: Dentry, builder: Builder): PrependPathResult {
    let d = dentry.impl as TestDentry;
    for (;;) {
      if (vfsroot !== undefined && mount === vfsroot.mount && d.vfsd === vfsroot.dentry) return PrependPathResult.AtVFSRoot;
      if (mount !== undefined && d.vfsd === mount.root()) return PrependPathResult.AtMountRoot;
      const parent = d.parent;
      if (parent === undefined) return PrependPathResult.AtNonMountRoot;
      builder.prependComponent(d.name);
      d = parent;
    }
  }

  isDescendant(vfsroot: VirtualDentry, vd: VirtualDentry): boolean {
    let d: TestDentry | undefined = vd.dentry.impl as TestDentry;
    while (d !== undefined && d.vfsd !== vfsroot.dentry) d = d.parent;
    return d !== undefined;
  }

  /** The mount data the filesystem was created with. */
  mountOptions(): string {
    return this.#options;
  }
}
