// The inodes of sysfs: directories, attribute files, symbolic links and the empty
// mount-point directory. Twin of dir, cgroupDir, cpuFile and staticFile in gVisor's
// pkg/sentry/fsimpl/sys/sys.go, with Linux's fs/kernfs and fs/sysfs behaviour where
// gVisor's differs (each place says so).
import {
  O_ACCMODE,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  PAGE_SIZE,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  STATX_SIZE,
  SYSFS_MAGIC,
  SysError,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import {
  InodeAttrs,
  InodeDirectory,
  InodeNotDirectory,
  InodeSymlink,
  DynamicBytesFD,
  type Dentry,
  type Inode,
  type LinkTarget,
} from "@vfskit/kernfs";
import {
  InternalError,
  genericStatFS,
  type ByteSink,
  type Context,
  type FileDescription,
  type Filesystem as VfsFilesystem,
  type GetXattrOptions,
  type MkdirOptions,
  type MknodOptions,
  type Mount,
  type OpenOptions,
  type ResolvingPath,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
  type WritableDynamicBytesSource,
} from "@vfskit/vfs";
import type { SysFilesystem } from "./filesystem.js";

/** Mode of sysfs directories (gVisor's `defaultSysDirMode`; Linux's sysfs_create_dir). */
export const DIR_MODE = 0o755;
/** Mode of read-only attributes (gVisor's `defaultSysMode`; Linux's `__ATTR_RO`). */
export const FILE_MODE = 0o444;
/** Mode of the sysfs root and of empty mount points (Linux: `S_IRUGO | S_IXUGO`). */
export const READONLY_DIR_MODE = 0o555;
/** The most bytes one write(2) hands to an attribute's `store` (Linux: one page). */
export const STORE_MAX = PAGE_SIZE;

/**
 * How an attribute file reads and writes: `show` prints its contents at each read from
 * the start, `store` receives what is written. Either may be missing.
 * @internal
 */
export interface AttributeOps {
  readonly show?: ((ctx: Context) => string | Uint8Array) | undefined;
  readonly store?: ((ctx: Context, data: Uint8Array) => void) | undefined;
}

function sysStatFS(): Statfs {
  return genericStatFS(SYSFS_MAGIC);
}

// Extended attributes, as Linux's sysfs (fs/kernfs/inode.c, kernfs_xattr_handlers): only
// the trusted.*, security.* and user.* namespaces exist; nothing is ever set, so getxattr
// is ENODATA and the list empty; user.* cannot be set or removed (EOPNOTSUPP, sysfs lacks
// KERNFS_ROOT_SUPPORT_USER_XATTR); other namespaces are EOPNOTSUPP. gVisor's sysfs has no
// xattrs at all (every call ENOTSUP). Setting trusted.* and security.* values, which Linux
// keeps in memory, is refused (see the README's "Not done").
function knownNamespace(name: string): boolean {
  return name.startsWith("trusted.") || name.startsWith("security.") || name.startsWith("user.");
}
function getNoXattr(_ctx: Context, opts: GetXattrOptions): Uint8Array {
  throw new SysError(knownNamespace(opts.name) ? "ENODATA" : "EOPNOTSUPP", { syscall: "getxattr" });
}
function setNoXattr(_ctx: Context, _opts: SetXattrOptions): void {
  throw new SysError("EOPNOTSUPP", { syscall: "setxattr" });
}
function removeNoXattr(_ctx: Context, name: string): void {
  const missing = knownNamespace(name) && !name.startsWith("user.");
  throw new SysError(missing ? "ENODATA" : "EOPNOTSUPP", { syscall: "removexattr" });
}

/**
 * A sysfs directory (gVisor's sys `dir`): a fixed list of entries in creation order.
 *
 * Linux's kernfs directories (fs/kernfs/dir.c) have mkdir, rmdir and rename operations
 * that refuse with EPERM when the filesystem supplies none (sysfs supplies none), and no
 * create operation, so open(O_CREAT) of a new name is EACCES; the VFS's own checks
 * (permissions, mount points, EEXIST) come first. Attributes may be changed (chmod,
 * chown, utimes: Linux's kernfs_iop_setattr keeps them in memory; gVisor: EPERM).
 * @internal
 */
export class SysDirectory extends InodeDirectory {
  constructor(ctx: Context, fs: SysFilesystem, ino: number, perm: number, children: Iterable<readonly [string, Inode]>) {
    super(new InodeAttrs(ctx, { ino, mode: S_IFDIR | perm, devMinor: fs.devMinor }));
    this.attrs.incLinks(this.children.populate(children));
  }

  /**
   * Always false. Linux's VFS leaves the emptiness check of rmdir and rename to the
   * filesystem, and kernfs refuses both with EPERM whatever the directory holds
   * (`rmdir /sys/module` is EPERM, not ENOTEMPTY); answering "empty" lets kernfs reach
   * {@link SysDirectory.rmDir} / `rename`, which refuse.
   */
  override hasChildren(): boolean {
    return false;
  }

  /** @throws EACCES - Linux's kernfs directories have no `create` (vfs_create: EACCES). */
  override newFile(_ctx: Context, _name: string, _opts: OpenOptions): Inode {
    throw new SysError("EACCES");
  }

  /** @throws EPERM - entries cannot be removed (Linux: kernfs_iop_rmdir without scops). */
  override rmDir(_ctx: Context, _name: string, _child: Inode): void {
    throw new SysError("EPERM");
  }

  /** SYSFS_MAGIC. */
  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return sysStatFS();
  }

  /** @throws ENODATA - no extended attributes. */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    return getNoXattr(ctx, opts);
  }
  /** @throws EOPNOTSUPP - extended attributes cannot be set. */
  setXattr(ctx: Context, opts: SetXattrOptions): void {
    setNoXattr(ctx, opts);
  }
  /** None. */
  listXattr(_ctx: Context, _size: number): string[] {
    return [];
  }
  /** @throws ENODATA - no extended attributes. */
  removeXattr(ctx: Context, name: string): void {
    removeNoXattr(ctx, name);
  }
}

/**
 * An empty directory that exists to be mounted on: /sys/fs/cgroup (gVisor's `cgroupDir`;
 * Linux's sysfs_create_mount_point → kernfs_create_empty_dir).
 *
 * As Linux's `make_empty_dir_inode`, it is mode 0555 and its lookup fails with ENOENT, so
 * creating anything in it is ENOENT, before any permission check (gVisor: 0755). Its statfs
 * is SYSFS_MAGIC, as in Linux, where /sys/fs/cgroup reports another magic only once a
 * cgroup2 filesystem (or a tmpfs of cgroup v1 mounts) is mounted on it; gVisor's reports
 * TMPFS_MAGIC.
 * @internal
 */
export class SysEmptyDirectory extends SysDirectory {
  constructor(ctx: Context, fs: SysFilesystem, ino: number) {
    super(ctx, fs, ino, READONLY_DIR_MODE, []);
  }

  /** @throws ENOENT - nothing exists in it (Linux's `empty_dir_lookup`). */
  override lookup(_ctx: Context, _name: string): Inode | undefined {
    throw new SysError("ENOENT");
  }
  /** @throws ENOENT - as lookup. */
  override newFile(_ctx: Context, _name: string, _opts: OpenOptions): Inode {
    throw new SysError("ENOENT");
  }
  /** @throws ENOENT - as lookup. */
  override newDir(_ctx: Context, _name: string, _opts: MkdirOptions): Inode {
    throw new SysError("ENOENT");
  }
  /** @throws ENOENT - as lookup. */
  override newNode(_ctx: Context, _name: string, _opts: MknodOptions): Inode {
    throw new SysError("ENOENT");
  }
  /** @throws ENOENT - as lookup. */
  override newSymlink(_ctx: Context, _name: string, _target: string): Inode {
    throw new SysError("ENOENT");
  }
  /** @throws ENOENT - as lookup. */
  override newLink(_ctx: Context, _name: string, _target: Inode): Inode {
    throw new SysError("ENOENT");
  }
}

/** The source of an attribute's descriptions: `show` on read, `store` on write. */
class AttributeSource implements WritableDynamicBytesSource {
  constructor(readonly ops: AttributeOps) {}

  generate(ctx: Context, buf: ByteSink): void {
    const out = this.ops.show?.(ctx) ?? "";
    if (typeof out === "string") buf.write(out);
    else buf.writeBytes(out);
  }

  // Linux's kernfs_fop_write_iter hands `store` at most one page per write(2), whatever the
  // offset, and reports the count `store` accepted (all of it).
  write(ctx: Context, _fd: FileDescription, src: Uint8Array, _offset: number): number {
    const store = this.ops.store;
    if (store === undefined) throw new SysError("EIO", { syscall: "write" });
    const data = src.length > STORE_MAX ? src.subarray(0, STORE_MAX) : src;
    store(ctx, data.slice());
    return data.length;
  }
}

/** An open attribute: reads and writes as DynamicBytesFD; fchmod/fchown allowed (Linux). */
class AttributeFD extends DynamicBytesFD {
  override setStat(ctx: Context, opts: SetStatOptions): void {
    this.inode.setStat(ctx, this.vfsfd.mount().fs, ctx.credentials, opts);
  }
}

/**
 * A sysfs attribute file (gVisor's `cpuFile` and `staticFile`; Linux's sysfs attributes).
 *
 * Contents come from `show` at each read from offset 0. stat reports a size of one page,
 * as Linux does for every sysfs attribute (gVisor: 0). Opening checks, as Linux's
 * kernfs_fop_open does after the permission check — so even for root: writing needs a
 * write bit in the mode and a `store`, reading needs a read bit and a `show`; otherwise
 * EACCES. Attributes may be changed (Linux; gVisor: EPERM).
 * @internal
 */
export class SysAttributeFile extends InodeNotDirectory {
  readonly #source: AttributeSource;

  constructor(ctx: Context, fs: SysFilesystem, ino: number, perm: number, ops: AttributeOps) {
    if ((perm & ~0o7777) !== 0) throw new InternalError(`sysfs: attribute mode 0${perm.toString(8)} has non-permission bits`);
    super(new InodeAttrs(ctx, { ino, mode: S_IFREG | perm, devMinor: fs.devMinor }));
    this.#source = new AttributeSource(ops);
  }

  /**
   * Opens a description that generates the contents.
   * @throws EACCES - writing without a write bit or a `store`; reading without a read bit or a `show`.
   */
  open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription {
    // The file's open mode (Linux's FMODE_READ/FMODE_WRITE from O_ACCMODE), not the access
    // the permission check used: O_TRUNC asks for write permission but opens for reading.
    const accmode = opts.flags & O_ACCMODE;
    const writing = accmode === O_WRONLY || accmode === O_RDWR;
    const reading = accmode === O_RDONLY || accmode === O_RDWR;
    const mode = this.attrs.mode();
    if (writing && ((mode & 0o222) === 0 || this.#source.ops.store === undefined)) throw new SysError("EACCES", { syscall: "open" });
    if (reading && ((mode & 0o444) === 0 || this.#source.ops.show === undefined)) throw new SysError("EACCES", { syscall: "open" });
    return new AttributeFD(this, this.#source).init(ctx, rp, d, opts.flags);
  }

  /** The metadata, with the size of one page (Linux). */
  override stat(_ctx: Context, _fs: VfsFilesystem, _opts: StatOptions): Statx {
    const st = this.attrs.stat();
    st.size = PAGE_SIZE;
    st.mask |= STATX_SIZE;
    return st;
  }

  /** SYSFS_MAGIC (gVisor: ENOSYS for its static files). */
  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return sysStatFS();
  }

  /** @throws ENODATA - no extended attributes. */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    return getNoXattr(ctx, opts);
  }
  /** @throws EOPNOTSUPP - extended attributes cannot be set. */
  setXattr(ctx: Context, opts: SetXattrOptions): void {
    setNoXattr(ctx, opts);
  }
  /** None. */
  listXattr(_ctx: Context, _size: number): string[] {
    return [];
  }
  /** @throws ENODATA - no extended attributes. */
  removeXattr(ctx: Context, name: string): void {
    removeNoXattr(ctx, name);
  }
}

/**
 * A sysfs symbolic link (Linux's sysfs_create_link; gVisor's StaticSymlink), relative to
 * its own directory. Unlike gVisor's, its owner and times may be changed (Linux).
 * @internal
 */
export class SysSymlink extends InodeSymlink {
  readonly #target: string;

  constructor(ctx: Context, fs: SysFilesystem, ino: number, target: string) {
    super(new InodeAttrs(ctx, { ino, mode: S_IFLNK | 0o777, devMinor: fs.devMinor }));
    this.#target = target;
  }

  /** The target. */
  readlink(_ctx: Context, _mnt: Mount): string {
    return this.#target;
  }

  /** The target, to follow. */
  getlink(_ctx: Context, _mnt: Mount): LinkTarget {
    return this.#target;
  }

  /** SYSFS_MAGIC. */
  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return sysStatFS();
  }

  /** @throws ENODATA - no extended attributes. */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    return getNoXattr(ctx, opts);
  }
  /** @throws EOPNOTSUPP - extended attributes cannot be set. */
  setXattr(ctx: Context, opts: SetXattrOptions): void {
    setNoXattr(ctx, opts);
  }
  /** None. */
  listXattr(_ctx: Context, _size: number): string[] {
    return [];
  }
  /** @throws ENODATA - no extended attributes. */
  removeXattr(ctx: Context, name: string): void {
    removeNoXattr(ctx, name);
  }
}
