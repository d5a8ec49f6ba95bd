// A mounted filesystem instance and the interface concrete filesystems implement. Twin of
// gVisor's pkg/sentry/vfs/filesystem.go (Linux's struct super_block + inode_operations).
import type { Statfs, Statx } from "@vfskit/abi";
import type { Builder } from "@vfskit/fspath";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { FileDescription } from "./file-description.js";
import type { FilesystemType } from "./filesystem-type.js";
import type { Mount } from "./mount.js";
import type {
  AccessTypes,
  GetDentryOptions,
  GetXattrOptions,
  MkdirOptions,
  MknodOptions,
  OpenOptions,
  RenameOptions,
  SetStatOptions,
  SetXattrOptions,
  StatOptions,
} from "./options.js";
import { RefCounted } from "./refs.js";
import type { ResolvingPath, Restart } from "./resolving-path.js";
import type { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";
import { addFilesystem, removeFilesystem } from "./vfs-base.js";

/**
 * A filesystem instance: a tree of dentries that can be mounted once or many times
 * (gVisor's `vfs.Filesystem`, Linux's `struct super_block`).
 *
 * @remarks
 * A concrete filesystem creates one in its constructor
 * (`this.vfsfs = new Filesystem(vfs, type, this)`); the count starts at 1, owned by the
 * creator. Every {@link Mount} of the
 * filesystem holds a reference. When the last reference goes, the filesystem is removed
 * from the VFS and {@link FilesystemImpl.release} runs.
 * @public
 */
export class Filesystem extends RefCounted {
  /** The VFS this filesystem belongs to. */
  readonly vfs: VirtualFilesystem;
  /** The type that created it. */
  readonly fsType: FilesystemType;
  /** The filesystem's implementation of every operation. */
  readonly impl: FilesystemImpl;

  /**
   * Registers a new filesystem with `vfs`, holding one reference for the caller.
   *
   * @param vfs - The VFS it belongs to.
   * @param fsType - The type that creates it.
   * @param impl - The implementation (usually the object calling this constructor).
   */
  constructor(vfs: VirtualFilesystem, fsType: FilesystemType, impl: FilesystemImpl) {
    super("Filesystem");
    this.vfs = vfs;
    this.fsType = fsType;
    this.impl = impl;
    addFilesystem(vfs, this);
  }

  /**
   * Drops a reference; the last one unregisters the filesystem and calls
   * {@link FilesystemImpl.release}.
   */
  decRef(ctx: Context): void {
    if (this.dropRef()) {
      removeFilesystem(this.vfs, this);
      this.impl.release(ctx);
    }
  }

  protected override describeForLeakCheck(): string {
    return `Filesystem(${this.fsType.name()})`;
  }
}

/**
 * How {@link FilesystemImpl.prependPath} ended.
 *
 * @remarks
 * Returned values, not exceptions (gVisor returns three error types):
 *
 * - `AtMountRoot`: names were prepended up to the root of the given mount;
 *
 * - `AtVFSRoot`: the walk reached the contextual root (`vfsroot`) and stopped there;
 *
 * - `AtNonMountRoot`: the walk reached a root of the filesystem that is not the mount's
 *   root (the dentry is not below the mount's root);
 *
 * - `Synthetic`: the filesystem prepended a descriptive name that is not a path
 *   (`pipe:[12]`, `anon_inode:[eventpoll]`).
 * @public
 */
export const PrependPathResult = {
  /** Reached the mount's root. */
  AtMountRoot: "atMountRoot",
  /** Reached the contextual root. */
  AtVFSRoot: "atVFSRoot",
  /** Reached a filesystem root that is not the mount's root. */
  AtNonMountRoot: "atNonMountRoot",
  /** Prepended a synthetic name. */
  Synthetic: "synthetic",
} as const;

/**
 * One of the {@link (PrependPathResult:variable)} values.
 * @public
 */
export type PrependPathResult = (typeof PrependPathResult)[keyof typeof PrependPathResult];

/**
 * What a concrete filesystem implements (gVisor's `FilesystemImpl`: Linux's
 * `super_operations` and `inode_operations` together).
 *
 * @remarks
 * Every method that takes a {@link ResolvingPath} must **resolve the path completely
 * before any other check**, even before rejecting an operation it does not support: the
 * filesystem that finally performs the operation is not known until then (a mount point,
 * an absolute symlink or a `..` at a mount root moves the walk elsewhere). While walking,
 * the filesystem calls `rp.checkRoot`, `rp.checkMount`, `rp.handleSymlink` and
 * `rp.handleJump`; when one of them returns {@link RESTART}, the method must return
 * `RESTART` at once, and the VFS calls the method again on the filesystem where the walk
 * continues (see `resolving-path.ts`).
 *
 * Methods throw `SysError` for failures. When several errors apply, the one listed first
 * should win (Linux's order). Besides those listed, any method may throw ENOENT (a
 * missing component), ENOTDIR (a non-directory in the middle), ENAMETOOLONG (a
 * component over NAME_MAX bytes), ELOOP (from `rp.handleSymlink`), EACCES (no search
 * permission on a directory walked), EROFS (`mount.checkBeginWrite`).
 *
 * Filesystems check permissions themselves, using the helpers in `permissions.ts`.
 * `uid`/`gid` in {@link @vfskit/abi#Statx} are kernel IDs.
 *
 * Not part of this interface yet: POSIX ACL methods and `boundEndpointAt` (Unix sockets).
 * @public
 */
export interface FilesystemImpl {
  /**
   * The {@link Filesystem} lost its last reference: free everything.
   * @param ctx - The context of the last `decRef`.
   */
  release(ctx: Context): void;

  /**
   * syncfs(2): write out pending changes. In-memory filesystems do nothing.
   * @param ctx - The caller's context.
   */
  sync(ctx: Context): void;

  /**
   * access(2)/faccessat(2): checks that `rp.credentials()` may access the file at `rp`
   * with `ats` (MAY_READ, MAY_WRITE, MAY_EXEC; 0 tests existence).
   *
   * @remarks access(2) checks with the real IDs: the caller passes a context whose
   * credentials are the ones to check.
   * @throws EACCES - permission denied.
   * @throws EROFS - write access asked on a read-only mount.
   */
  accessAt(ctx: Context, rp: ResolvingPath, ats: AccessTypes): Restart | undefined;

  /**
   * Resolves `rp` to an existing file and returns its dentry with a new reference.
   *
   * @remarks Used by link, chdir, chroot, mount, umount: operations that need a position
   * rather than an open file.
   * @throws ENOTDIR - `opts.checkSearchable` and the file is not a directory.
   * @throws EACCES - `opts.checkSearchable` and the directory is not searchable.
   */
  getDentryAt(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart;

  /**
   * Like {@link FilesystemImpl.getDentryAt} but returns `undefined`, without building an
   * error, exactly where `getDentryAt` would throw ENOENT (optional: the VFS falls back to
   * `getDentryAt` and catches ENOENT).
   */
  tryGetDentryAt?(ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart | undefined;

  /**
   * Resolves every component of `rp` but the last and returns that directory with a new
   * reference (the last component may be `.` or `..`, so this is not always the parent).
   *
   * @precondition `!rp.done()`.
   * @postcondition On success `rp.final()`; when it returns RESTART, `!rp.done()`.
   * @throws ENOTDIR - the second-to-last component is not a directory.
   */
  getParentDentryAt(ctx: Context, rp: ResolvingPath): Dentry | Restart;

  /**
   * Creates a hard link at `rp` to the file at `vd` (no references are taken on `vd`).
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EEXIST - the last component is `.` or `..`.
   * @throws EEXIST - a file exists at `rp`.
   * @throws ENOENT - `rp.mustBeDir()` (the new name had a trailing slash).
   * @throws ENOENT - the directory the link would be created in was removed.
   * @throws EXDEV - `rp.mount()` is not `vd.mount`.
   * @throws EPERM - `vd` is a directory.
   * @throws ENOENT - `vd` has no links left (or was created by `O_TMPFILE|O_EXCL`).
   */
  linkAt(ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined;

  /**
   * Creates a directory at `rp`.
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EEXIST - the last component is `.` or `..`.
   * @throws EEXIST - a file exists at `rp`.
   * @throws ENOENT - the parent directory was removed.
   */
  mkdirAt(ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined;

  /**
   * Creates a regular file, FIFO, socket or device node at `rp`.
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EEXIST - the last component is `.` or `..`.
   * @throws EEXIST - a file exists at `rp`.
   * @throws ENOENT - `rp.mustBeDir()`.
   * @throws ENOENT - the parent directory was removed.
   */
  mknodAt(ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined;

  /**
   * Opens (and with O_CREAT possibly creates) the file at `rp`; returns a new
   * {@link FileDescription} holding one reference for the caller.
   *
   * @remarks
   * The VFS has already handled O_PATH, O_NOFOLLOW (follow flag), O_DIRECTORY
   * (`rp.mustBeDir()`), dropped unknown flags and masked the mode. Unsupported features
   * other than O_TMPFILE are silently ignored, as Linux does.
   * @throws EOPNOTSUPP - O_TMPFILE is not supported.
   */
  openAt(ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart;

  /**
   * readlink(2): the target of the symbolic link at `rp`.
   * @throws EINVAL - the file is not a symbolic link.
   */
  readlinkAt(ctx: Context, rp: ResolvingPath): string | Restart;

  /**
   * Renames the file `oldName` of directory `oldParentVD` to `rp` (no references are
   * taken on `oldParentVD`).
   *
   * @precondition `!rp.done()`; the final component is not followed; `oldParentVD` came
   * from `getParentDentryAt` on this filesystem; `oldName` is not `.` or `..`.
   * @throws EINVAL - `opts.flags` has flags the filesystem does not support.
   * @throws EEXIST - the last component is `.` or `..` and RENAME_NOREPLACE is set.
   * @throws EBUSY - the last component is `.` or `..` otherwise.
   * @throws EXDEV - `rp.mount()` is not `oldParentVD.mount`.
   * @throws ENOTDIR - the renamed file is not a directory and `opts.mustBeDir`.
   * @throws EEXIST - a file exists at `rp` and RENAME_NOREPLACE is set.
   * @throws ENOENT - no file exists at `rp` and RENAME_EXCHANGE is set.
   * @throws ENOTDIR - an existing non-directory at `rp` and `rp.mustBeDir()`.
   * @throws ENOTDIR - the renamed file is not a directory, RENAME_EXCHANGE is not set and
   * `rp.mustBeDir()`.
   * @throws EINVAL - a directory would move into itself or a descendant.
   * @throws EINVAL - an exchange with an ancestor of the renamed file.
   * @throws ENOTEMPTY - the rename would replace an ancestor of the renamed file.
   * (Same file at both ends: success, skipping every check below.)
   * @throws EACCES - a parent directory is not writable and searchable.
   * @throws ENOTDIR - a directory would replace a non-directory.
   * @throws EISDIR - a non-directory would replace a directory.
   * @throws ENOENT - the new parent directory was removed.
   * @throws EACCES - a directory moving to another parent is not writable itself.
   * @throws ENOTEMPTY - the replaced directory is not empty.
   * @throws EBUSY - the renamed or replaced file is a mount point in the caller's
   * namespace (from {@link VirtualFilesystemBase.prepareRenameDentry}).
   */
  renameAt(
    ctx: Context,
    rp: ResolvingPath,
    oldParentVD: VirtualDentry,
    oldName: string,
    opts: RenameOptions,
  ): Restart | undefined;

  /**
   * Removes the directory at `rp`.
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EINVAL - the last component is `.`.
   * @throws ENOTEMPTY - the last component is `..`.
   * @throws ENOENT - no file exists at `rp`.
   * @throws ENOTDIR - the file is not a directory.
   * @throws ENOTEMPTY - the directory has entries.
   * @throws EBUSY - it is a mount point in the caller's namespace (from
   * {@link VirtualFilesystemBase.prepareDeleteDentry}), or the root of the filesystem.
   */
  rmdirAt(ctx: Context, rp: ResolvingPath): Restart | undefined;

  /**
   * chmod, chown, utimensat, truncate by path. Implementations check with `checkSetStat`.
   * @throws EINVAL - `opts` asks for a change the filesystem does not support.
   * @throws EPERM - not permitted (see `checkSetStat`).
   */
  setStatAt(ctx: Context, rp: ResolvingPath, opts: SetStatOptions): Restart | undefined;

  /**
   * The metadata of the file at `rp`.
   * @remarks `mask` in the result says which fields are filled.
   */
  statAt(ctx: Context, rp: ResolvingPath, opts: StatOptions): Statx | Restart;

  /**
   * Like {@link FilesystemImpl.statAt} but returns `undefined`, without building an
   * error, exactly where `statAt` would throw ENOENT (optional).
   */
  tryStatAt?(ctx: Context, rp: ResolvingPath, opts: StatOptions): Statx | Restart | undefined;

  /**
   * statfs(2) of the filesystem holding the file at `rp` (a path, because one
   * implementation may serve several underlying filesystems). The VFS adds the mount's
   * ST_* flags.
   */
  statFSAt(ctx: Context, rp: ResolvingPath): Statfs | Restart;

  /**
   * Creates a symbolic link at `rp` pointing at `target`.
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EEXIST - the last component is `.` or `..`.
   * @throws EEXIST - a file exists at `rp`.
   * @throws ENOENT - `rp.mustBeDir()`.
   * @throws ENOENT - the parent directory was removed.
   */
  symlinkAt(ctx: Context, rp: ResolvingPath, target: string): Restart | undefined;

  /**
   * Removes the non-directory at `rp`.
   *
   * @precondition `!rp.done()`; the final component is not followed.
   * @throws EISDIR - the last component is `.` or `..`.
   * @throws ENOENT - no file exists at `rp`.
   * @throws ENOTDIR - `rp.mustBeDir()` and the file is not a directory.
   * @throws EISDIR - the file is a directory.
   * @throws EBUSY - it is a mount point in the caller's namespace.
   */
  unlinkAt(ctx: Context, rp: ResolvingPath): Restart | undefined;

  /**
   * The extended attribute names of the file at `rp` visible to the caller.
   * @param size - As listxattr(2): 0 asks for everything; otherwise the list (names plus
   * one NUL each) must fit or ERANGE may be thrown.
   * @throws EOPNOTSUPP - the filesystem has no extended attributes (the VFS turns this
   * into an empty list, as Linux does).
   * @throws ERANGE - the list does not fit in a non-zero `size` (optional).
   */
  listXattrAt(ctx: Context, rp: ResolvingPath, size: number): string[] | Restart;

  /**
   * The value of extended attribute `opts.name` of the file at `rp`.
   * @throws EOPNOTSUPP - the filesystem has no extended attributes.
   * @throws ENODATA - no attribute of that name.
   * @throws ERANGE - the value is longer than a non-zero `opts.size` (optional).
   */
  getXattrAt(ctx: Context, rp: ResolvingPath, opts: GetXattrOptions): Uint8Array | Restart;

  /**
   * Sets extended attribute `opts.name` of the file at `rp`.
   * @throws EOPNOTSUPP - the filesystem has no extended attributes.
   * @throws EEXIST - XATTR_CREATE and the attribute exists.
   * @throws ENODATA - XATTR_REPLACE and the attribute does not exist.
   */
  setXattrAt(ctx: Context, rp: ResolvingPath, opts: SetXattrOptions): Restart | undefined;

  /**
   * Removes extended attribute `name` of the file at `rp`.
   * @throws EOPNOTSUPP - the filesystem has no extended attributes.
   * @throws ENODATA - no attribute of that name.
   */
  removeXattrAt(ctx: Context, rp: ResolvingPath, name: string): Restart | undefined;

  /**
   * Prepends to `builder` the names from `dentry` up to the root of `mount`.
   *
   * @remarks
   * Stops early, without prepending `vfsroot`'s own name, when it meets `vfsroot`
   * (checked before the mount root). Called by the pathname functions, never while a
   * walk is in progress. `mount` is `undefined` when the VFS wants the path from the
   * filesystem's own root (`pathnameInFilesystem`); `vfsroot` is `undefined` when there
   * is no contextual root.
   * @param ctx - The caller's context.
   * @param vfsroot - The contextual root, or `undefined`.
   * @param mount - The mount `dentry` is seen through, or `undefined`.
   * @param dentry - A dentry of this filesystem.
   * @param builder - Receives the names with `prependComponent`.
   * @returns How the walk ended (see {@link (PrependPathResult:variable)}).
   */
  prependPath(
    ctx: Context,
    vfsroot: VirtualDentry | undefined,
    mount: Mount | undefined,
    dentry: Dentry,
    builder: Builder,
  ): PrependPathResult;

  /**
   * Reports whether `vd.dentry` is `vfsroot.dentry` or one of its descendants.
   * @precondition Both dentries belong to this filesystem.
   */
  isDescendant(vfsroot: VirtualDentry, vd: VirtualDentry): boolean;

  /**
   * The filesystem-specific mount options as a comma-separated string (never `rw`/`ro`),
   * or `""`.
   */
  mountOptions(): string;
}
