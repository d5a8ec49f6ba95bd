// The base classes inodes extend, chosen by file type, and StaticDirectory. Twin of the
// "mixins" of gVisor's pkg/sentry/fsimpl/kernfs/inode_impl_util.go, composed as DESIGN.md
// D8 says: negative defaults come from a few abstract classes (InodeBase and, by file
// type, InodeNotDirectory, InodeSymlink, InodeDirectory); the stateful helpers
// (InodeAttrs, OrderedChildren) are composed fields with one-line forwards.
import { S_IFDIR, S_IFMT, SysError, type Statfs, type Statx } from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import {
  FileLocks,
  InternalError,
  trackObject,
  untrackObject,
  type AccessTypes,
  type Context,
  type FileDescription,
  type Filesystem as VfsFilesystem,
  type IterDirentsCallback,
  type MkdirOptions,
  type MknodOptions,
  type Mount,
  type OpenOptions,
  type ResolvingPath,
  type StatOptions,
} from "@vfskit/vfs";
import { newGenericDirectoryFD, type GenericDirectoryFDOptions } from "./fd-impl-util.js";
import type { Inode, LinkTarget } from "./inode.js";
import { InodeAttrs, type InodeAttrsInit, type InodeSetStatOptions } from "./inode-attrs.js";
import type { Dentry } from "./kernfs.js";
import { OrderedChildren } from "./ordered-children.js";
import { Watches } from "./watches.js";

/**
 * What every inode shares: metadata forwarded to a composed {@link InodeAttrs}, and the
 * defaults of gVisor's small mixins — `InodeAlwaysValid` (`valid` is true),
 * `InodeTemporary` (`keep` is false), `InodeNotAnonymous`, `InodeNoStatFS` (statfs →
 * ENOSYS), `InodeWatches` (a watch set) and `InodeFSOwned` (dentry registration ignored).
 *
 * @remarks
 * Extend one of the file-type bases instead: {@link InodeNotDirectory},
 * {@link InodeSymlink} or {@link InodeDirectory}. Override any default by redefining the
 * method.
 * @public
 */
export abstract class InodeBase {
  /** The inode's metadata. */
  readonly attrs: InodeAttrs;
  #watches: Watches | undefined;
  #locks: FileLocks | undefined;

  /**
   * @param attrs - The metadata (type and permission bits, owner, inode number).
   */
  protected constructor(attrs: InodeAttrs) {
    this.attrs = attrs;
  }

  /**
   * Checks access with the permission bits (Linux's `generic_permission`).
   * @throws EACCES - access denied.
   */
  checkPermissions(ctx: Context, creds: Credentials, ats: AccessTypes): void {
    this.attrs.checkPermissions(ctx, creds, ats);
  }

  /** The file type and permission bits. */
  mode(): number {
    return this.attrs.mode();
  }

  /** The owner. */
  uid(): KUID {
    return this.attrs.uid();
  }

  /** The group. */
  gid(): KGID {
    return this.attrs.gid();
  }

  /** The metadata from {@link InodeAttrs.stat}. */
  stat(_ctx: Context, _fs: VfsFilesystem, _opts: StatOptions): Statx {
    return this.attrs.stat();
  }

  /**
   * Applies a metadata change with {@link InodeAttrs.setStat}.
   * @throws EPERM, EISDIR, EACCES - see {@link InodeAttrs.setStat}.
   */
  setStat(ctx: Context, _fs: VfsFilesystem, creds: Credentials, opts: InodeSetStatOptions): void {
    this.attrs.setStat(ctx, creds, opts);
  }

  /** @throws ENOSYS - statfs is not supported (gVisor's `InodeNoStatFS`). */
  statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    throw new SysError("ENOSYS", { syscall: "statfs" });
  }

  /** `false`: a looked-up dentry is dropped when unreferenced (gVisor's `InodeTemporary`). */
  keep(): boolean {
    return false;
  }

  /** `true`: cached dentries never need a new lookup (gVisor's `InodeAlwaysValid`). */
  valid(_ctx: Context, _parent: Dentry, _name: string): boolean {
    return true;
  }

  /** `false`: the inode has a name and a parent (gVisor's `InodeNotAnonymous`). */
  anonymous(): boolean {
    return false;
  }

  /** The inode's watch set (gVisor's `InodeWatches`). */
  watches(): Watches {
    return (this.#watches ??= new Watches());
  }

  /** The inode's flock/fcntl lock state, shared by its open files. */
  locks(): FileLocks {
    return (this.#locks ??= new FileLocks());
  }

  /** Does nothing (gVisor's `InodeFSOwned`). */
  registerDentry(_d: Dentry): void {}

  /** Does nothing (gVisor's `InodeFSOwned`). */
  unregisterDentry(_d: Dentry): void {}
}

function notADirectory(method: string): InternalError {
  return new InternalError(`kernfs: ${method} called on a non-directory inode`);
}

/**
 * The base of every inode that is neither a directory nor a symbolic link: regular
 * files, FIFOs, devices, sockets (gVisor's `InodeNotDirectory` + `InodeNotSymlink` +
 * `InodeNoopRefCount`).
 *
 * @remarks
 * Reference counting is a no-op (the inode owns nothing that needs releasing). Directory
 * operations are programming errors (kernfs checks file types before calling them) and
 * throw {@link @vfskit/vfs#InternalError}; `readlink`/`getlink` are EINVAL. Subclasses implement
 * {@link InodeNotDirectory.open}.
 * @public
 */
export abstract class InodeNotDirectory extends InodeBase implements Inode {
  /**
   * @param attrs - The metadata; the file type must not be a directory.
   */
  protected constructor(attrs: InodeAttrs) {
    super(attrs);
    if ((attrs.mode() & S_IFMT) === S_IFDIR) throw new InternalError("kernfs: InodeNotDirectory with a directory mode");
  }

  /** Opens the file. See {@link Inode.open}. */
  abstract open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription;

  /** No-op. */
  incRef(): void {}
  /** Always succeeds. */
  tryIncRef(): boolean {
    return true;
  }
  /** No-op. */
  decRef(_ctx: Context): void {}

  /** @throws EINVAL - not a symbolic link. */
  readlink(_ctx: Context, _mnt: Mount): string {
    throw new SysError("EINVAL", { syscall: "readlink" });
  }
  /** @throws EINVAL - not a symbolic link. */
  getlink(_ctx: Context, _mnt: Mount): LinkTarget {
    throw new SysError("EINVAL");
  }

  /** `false`. */
  hasChildren(): boolean {
    return false;
  }
  /** @throws InternalError - not a directory. */
  newFile(_ctx: Context, _name: string, _opts: OpenOptions): Inode {
    throw notADirectory("newFile");
  }
  /** @throws InternalError - not a directory. */
  newDir(_ctx: Context, _name: string, _opts: MkdirOptions): Inode {
    throw notADirectory("newDir");
  }
  /** @throws InternalError - not a directory. */
  newLink(_ctx: Context, _name: string, _target: Inode): Inode {
    throw notADirectory("newLink");
  }
  /** @throws InternalError - not a directory. */
  newSymlink(_ctx: Context, _name: string, _target: string): Inode {
    throw notADirectory("newSymlink");
  }
  /** @throws InternalError - not a directory. */
  newNode(_ctx: Context, _name: string, _opts: MknodOptions): Inode {
    throw notADirectory("newNode");
  }
  /** @throws InternalError - not a directory. */
  unlink(_ctx: Context, _name: string, _child: Inode): void {
    throw notADirectory("unlink");
  }
  /** @throws InternalError - not a directory. */
  rmDir(_ctx: Context, _name: string, _child: Inode): void {
    throw notADirectory("rmDir");
  }
  /** @throws InternalError - not a directory. */
  rename(_ctx: Context, _oldName: string, _newName: string, _child: Inode, _dstDir: Inode): void {
    throw notADirectory("rename");
  }
  /** @throws InternalError - not a directory. */
  lookup(_ctx: Context, _name: string): Inode | undefined {
    throw notADirectory("lookup");
  }
  /** @throws InternalError - not a directory. */
  iterDirents(_ctx: Context, _mnt: Mount, _cb: IterDirentsCallback, _offset: number, _relOffset: number): number {
    throw notADirectory("iterDirents");
  }
}

/**
 * The base of symbolic-link inodes (gVisor's `InodeSymlink`): not a directory, and
 * opening one is ELOOP (open reaches a link only when it is not followed: O_NOFOLLOW).
 * Subclasses implement `readlink` and `getlink`.
 * @public
 */
export abstract class InodeSymlink extends InodeNotDirectory {
  /** @throws ELOOP - always. */
  open(_ctx: Context, _rp: ResolvingPath, _d: Dentry, _opts: OpenOptions): FileDescription {
    throw new SysError("ELOOP");
  }

  /** The link's target, for readlink(2). */
  abstract override readlink(ctx: Context, mnt: Mount): string;

  /** The link's target for path resolution (a pathname, or a position for a magic link). */
  abstract override getlink(ctx: Context, mnt: Mount): LinkTarget;
}

/**
 * Options of an {@link InodeDirectory}.
 * @public
 */
export interface InodeDirectoryOptions {
  /** The entries (default: a new, non-writable {@link OrderedChildren}). */
  readonly children?: OrderedChildren;
  /** How its directory descriptions seek (default: SEEK_END counts the static entries). */
  readonly fdOptions?: GenericDirectoryFDOptions;
}

/**
 * The base of directory inodes: entries in a composed {@link OrderedChildren}, listed by
 * a {@link GenericDirectoryFD}, with counted references.
 *
 * @remarks
 * Defaults: lookup, unlink, rmdir, rename, `hasChildren` forward to `children`; the
 * `new*` constructors are EPERM (gVisor's `InodeDirectoryNoNewChildren`; override them to
 * allow creation); there are no dynamic entries (`iterDirents` adds nothing); `open`
 * gives a {@link GenericDirectoryFD}; `readlink`/`getlink` are EINVAL.
 *
 * The count starts at 1; when the last reference goes, {@link InodeDirectory.destroy}
 * drops the references on the children (override it to release more, calling super).
 * The leak checker tracks directory inodes as `kernfs.Inode`.
 * @public
 */
export abstract class InodeDirectory extends InodeBase implements Inode {
  /** The directory's entries. */
  readonly children: OrderedChildren;
  /** How the directory's descriptions seek. */
  protected readonly fdOptions: GenericDirectoryFDOptions;
  #refs = 1;

  /**
   * @param attrs - The metadata; the file type must be S_IFDIR.
   * @param opts - The entries and directory-description options.
   */
  protected constructor(attrs: InodeAttrs, opts: InodeDirectoryOptions = {}) {
    super(attrs);
    if ((attrs.mode() & S_IFMT) !== S_IFDIR) throw new InternalError("kernfs: InodeDirectory without S_IFDIR");
    this.children = opts.children ?? new OrderedChildren();
    this.fdOptions = opts.fdOptions ?? {};
    trackObject(this, "kernfs.Inode", () => this.#refs, () => `kernfs.Inode ${this.constructor.name} ino ${attrs.ino()}`);
  }

  /** The current reference count. */
  get refCount(): number {
    return this.#refs;
  }

  /**
   * Takes a reference.
   * @throws InternalError if the inode was released.
   */
  incRef(): void {
    if (this.#refs <= 0) throw new InternalError("kernfs: incRef on a released directory inode");
    this.#refs++;
  }

  /** Takes a reference unless the inode was released. */
  tryIncRef(): boolean {
    if (this.#refs <= 0) return false;
    this.#refs++;
    return true;
  }

  /**
   * Drops a reference; the last one calls {@link InodeDirectory.destroy}.
   * @throws InternalError if there was none.
   */
  decRef(ctx: Context): void {
    if (this.#refs <= 0) throw new InternalError("kernfs: decRef below zero on a directory inode");
    if (--this.#refs > 0) return;
    untrackObject(this);
    this.destroy(ctx);
  }

  /** Releases what the directory holds: its references on the children. */
  protected destroy(ctx: Context): void {
    this.children.destroy(ctx);
  }

  /** Opens a {@link GenericDirectoryFD} over the entries (EISDIR for writing). */
  open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription {
    return newGenericDirectoryFD(ctx, rp.mount(), d, { children: this.children, locks: this.locks(), opts, fdOptions: this.fdOptions });
  }

  /** @throws EINVAL - not a symbolic link. */
  readlink(_ctx: Context, _mnt: Mount): string {
    throw new SysError("EINVAL", { syscall: "readlink" });
  }
  /** @throws EINVAL - not a symbolic link. */
  getlink(_ctx: Context, _mnt: Mount): LinkTarget {
    throw new SysError("EINVAL");
  }

  /** Reports whether there are entries. */
  hasChildren(): boolean {
    return this.children.hasChildren();
  }
  /** @throws EPERM - no new children (gVisor's `InodeDirectoryNoNewChildren`). */
  newFile(_ctx: Context, _name: string, _opts: OpenOptions): Inode {
    throw new SysError("EPERM");
  }
  /** @throws EPERM - no new children. */
  newDir(_ctx: Context, _name: string, _opts: MkdirOptions): Inode {
    throw new SysError("EPERM");
  }
  /** @throws EPERM - no new children. */
  newLink(_ctx: Context, _name: string, _target: Inode): Inode {
    throw new SysError("EPERM");
  }
  /** @throws EPERM - no new children. */
  newSymlink(_ctx: Context, _name: string, _target: string): Inode {
    throw new SysError("EPERM");
  }
  /** @throws EPERM - no new children. */
  newNode(_ctx: Context, _name: string, _opts: MknodOptions): Inode {
    throw new SysError("EPERM");
  }
  /** Forwards to `children.unlink` (EPERM unless writable, ENOENT). */
  unlink(ctx: Context, name: string, child: Inode): void {
    this.children.unlink(ctx, name, child);
  }
  /** Forwards to `children.rmDir`, then drops the link `..` of the child held on this directory. */
  rmDir(ctx: Context, name: string, child: Inode): void {
    this.children.rmDir(ctx, name, child);
    this.attrs.decLinks();
  }
  /**
   * Forwards to `children.rename` (EPERM; EXDEV for a destination that is not an
   * InodeDirectory) and moves the `..` links of a moved or replaced subdirectory.
   */
  rename(ctx: Context, oldName: string, newName: string, child: Inode, dstDir: Inode): void {
    const dst = dstDir instanceof InodeDirectory ? dstDir : undefined;
    const replaced = this.children.rename(ctx, oldName, newName, child, dst?.children);
    if (dst === undefined) return;
    // Each subdirectory's `..` is a link to its parent.
    if (replaced !== undefined && (replaced.mode() & S_IFMT) === S_IFDIR) dst.attrs.decLinks();
    if ((child.mode() & S_IFMT) === S_IFDIR && dst !== this) {
      this.attrs.decLinks();
      dst.attrs.incLinks(1);
    }
  }
  /** Forwards to `children.lookup`. */
  lookup(ctx: Context, name: string): Inode | undefined {
    return this.children.lookup(ctx, name);
  }
  /** No dynamic entries: returns `offset`. */
  iterDirents(_ctx: Context, _mnt: Mount, _cb: IterDirentsCallback, offset: number, _relOffset: number): number {
    return offset;
  }

  /**
   * Inserts `child` as a dynamic entry and returns it with a reference for kernfs's new
   * dentry: the helper for `new*` implementations. A subdirectory adds a link to this
   * directory (its `..`), which {@link InodeDirectory.rmDir} takes back.
   * @param child - A new inode with one reference, which passes to `children`.
   * @throws EEXIST - the name is taken.
   */
  protected insertNew(name: string, child: Inode): Inode {
    this.children.insert(name, child);
    if ((child.mode() & S_IFMT) === S_IFDIR) this.attrs.incLinks(1);
    child.incRef();
    return child;
  }
}

/**
 * What a new {@link StaticDirectory} starts with.
 * @public
 */
export interface StaticDirectoryInit extends Omit<InodeAttrsInit, "mode"> {
  /** Permission bits only (`0o555`). */
  readonly perm: number;
  /** The entries, in listing order; the caller's references pass to the directory. */
  readonly children?: Iterable<readonly [string, Inode]>;
  /** How its descriptions seek. */
  readonly fdOptions?: GenericDirectoryFDOptions;
}

/**
 * A read-only directory with a fixed set of entries (gVisor's `StaticDirectory` and
 * `NewStaticDir`): /proc/sys, /sys/kernel and most of sysfs.
 *
 * @remarks
 * Entries cannot be created, removed or renamed (EPERM), nor attributes changed (EPERM).
 * The link count is 2 plus the number of subdirectories.
 * @public
 */
export class StaticDirectory extends InodeDirectory {
  /**
   * @param ctx - Owner (its credentials) and clock.
   * @param init - Inode number, permissions, entries.
   * @throws InternalError if `init.perm` has bits other than permission bits.
   */
  constructor(ctx: Context, init: StaticDirectoryInit) {
    if ((init.perm & ~0o7777) !== 0) throw new InternalError(`kernfs.StaticDirectory: perm 0${init.perm.toString(8)} has non-permission bits`);
    const { perm, children, fdOptions, ...ids } = init;
    super(new InodeAttrs(ctx, { ...ids, mode: S_IFDIR | perm }), { children: new OrderedChildren(), ...(fdOptions === undefined ? {} : { fdOptions }) });
    if (children !== undefined) this.attrs.incLinks(this.children.populate(children));
  }

  /** @throws EPERM - the attributes of a static directory do not change. */
  override setStat(_ctx: Context, _fs: VfsFilesystem, _creds: Credentials, _opts: InodeSetStatOptions): void {
    throw new SysError("EPERM");
  }
}
