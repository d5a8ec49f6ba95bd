// The half of VirtualFilesystem that is not path operations: filesystem types, mounts and
// mount namespaces, the delete/rename protocol, pathnames and the mounts files. gVisor
// spreads these methods over vfs.go, mount.go, namespace.go, dentry.go, pathname.go and
// filesystem_type.go; TypeScript cannot spread one class over files, so VirtualFilesystem
// (vfs.ts, the path operations) extends this class.
import { S_IFDIR, S_IFMT, STATX_TYPE, SysError } from "@vfskit/abi";
import type { UserNamespace } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import type { Context } from "./context.js";
import {
  invalidateDentry,
  prepareDeleteDentry,
  prepareRenameDentry,
  type DeleteDentryTicket,
  type Dentry,
  type RenameDentryTicket,
} from "./dentry.js";
import { AnonBlockDevMinorAllocator } from "./device.js";
import type { Filesystem } from "./filesystem.js";
import {
  FilesystemTypeRegistry,
  type FilesystemType,
  type NewFilesystem,
  type RegisterFilesystemTypeOptions,
} from "./filesystem-type.js";
import { type Mount, mountState, newMount, setMountReadOnly } from "./mount.js";
import * as ops from "./mount-ops.js";
import { generateProcMountInfo, generateProcMounts } from "./mount-text.js";
import { cloneMountTree, connectClonedTree, nextMountID } from "./mount-tree.js";
import { namespaceState, newMountNamespaceObject, type MountNamespace } from "./namespace.js";
import type { GetFilesystemOptions, MkdirOptions, MountOptions, UmountOptions } from "./options.js";
import { pathnameForGetcwd, pathnameInFilesystem, pathnameReachable, pathnameWithDeleted } from "./pathname.js";
import type { ResolvingPath } from "./resolving-path.js";
import { VirtualDentry } from "./virtual-dentry.js";
import type { PathOperation, VirtualFilesystem } from "./vfs.js";

/** The package-internal state of a VFS. @internal */
export interface VfsState {
  lastMountID: number;
  lastMountNamespaceID: number;
  /** Mount point dentry → the mounts on it, in every namespace (Linux's mountpoint_hashtable). */
  readonly mountpoints: Map<Dentry, Set<Mount>>;
  readonly filesystems: Set<Filesystem>;
  readonly fsTypes: FilesystemTypeRegistry;
  readonly rpPool: ResolvingPath[];
  readonly anonMinors: AnonBlockDevMinorAllocator;
}

/** The package-internal state of `vfs`. @internal */
export let vfsState!: (vfs: VirtualFilesystemBase) => VfsState;

/** Records a new filesystem (called by the Filesystem constructor). @internal */
export function addFilesystem(vfs: VirtualFilesystemBase, fs: Filesystem): void {
  vfsState(vfs).filesystems.add(fs);
}

/** Forgets a released filesystem. @internal */
export function removeFilesystem(vfs: VirtualFilesystemBase, fs: Filesystem): void {
  vfsState(vfs).filesystems.delete(fs);
}

/**
 * Where a cloned mount namespace puts the caller's root and working directory, as
 * returned by {@link VirtualFilesystemBase.cloneMountNamespace}.
 * @public
 */
export interface ClonedMountNamespace {
  /** The new namespace (one reference for the caller). */
  readonly namespace: MountNamespace;
  /** The given root, moved to the matching mount of the new namespace (one reference). */
  readonly root: VirtualDentry | undefined;
  /** The given working directory, moved likewise (one reference). */
  readonly cwd: VirtualDentry | undefined;
}

/**
 * The part of {@link VirtualFilesystem} that is not a path operation: filesystem types,
 * mounts and mount namespaces, the delete/rename protocol for filesystems, pathnames and
 * the text of the mounts files.
 *
 * @remarks
 * Not created directly: `new VirtualFilesystem()`. It exists only because one class
 * cannot span several source files; read it as part of VirtualFilesystem.
 * @public
 */
export abstract class VirtualFilesystemBase {
  readonly #state: VfsState = {
    lastMountID: 0,
    lastMountNamespaceID: 0,
    mountpoints: new Map(),
    filesystems: new Set(),
    fsTypes: new FilesystemTypeRegistry(),
    rpPool: [],
    anonMinors: new AnonBlockDevMinorAllocator(),
  };

  static {
    vfsState = (vfs) => vfs.#state;
  }

  /** This object as the VirtualFilesystem it always is. */
  get #vfs(): VirtualFilesystem {
    return this as unknown as VirtualFilesystem;
  }

  /**
   * Releases what the VFS itself holds: every registered filesystem type is released and
   * forgotten. Mounts and namespaces go when their references are dropped.
   * @param ctx - The caller's context.
   */
  release(ctx: Context): void {
    this.#state.fsTypes.release(ctx);
  }

  // -- Anonymous devices --------------------------------------------------------------

  /**
   * Allocates a minor device number for a filesystem without a block device (its
   * `st_dev` is 0:minor, as Linux's `get_anon_bdev` gives tmpfs, procfs, sysfs, pipefs).
   *
   * @remarks
   * Numbers start at 1 and the lowest free one is handed out, so a freed number is reused
   * (Linux's IDA; gVisor keeps counting up). Return it with
   * {@link VirtualFilesystemBase.putAnonBlockDevMinor} when the filesystem is released.
   * @returns The minor number, between 1 and {@link ANON_BLOCK_DEV_MINOR_MAX}.
   * @throws EMFILE - Every number is in use (Linux and gVisor).
   */
  getAnonBlockDevMinor(): number {
    return this.#state.anonMinors.get();
  }

  /**
   * Returns a number from {@link VirtualFilesystemBase.getAnonBlockDevMinor}.
   * @param minor - The number; it must be allocated (anything else is a contract error).
   */
  putAnonBlockDevMinor(minor: number): void {
    this.#state.anonMinors.put(minor);
  }

  // -- Filesystem types ---------------------------------------------------------------

  /**
   * Registers a filesystem type under `name`.
   * @param opts - Whether users may mount it, whether /proc/filesystems lists it, and
   * whether it needs a device.
   * @throws InternalError if `name` is already registered (a programming error).
   */
  registerFilesystemType(name: string, fsType: FilesystemType, opts: RegisterFilesystemTypeOptions = {}): void {
    this.#state.fsTypes.register(name, fsType, opts);
  }

  /**
   * The type registered as `name` — only the part before a first `.` counts (`ext4.foo`
   * finds `ext4`) — or `undefined`.
   */
  getFilesystemType(name: string): FilesystemType | undefined {
    return this.#state.fsTypes.get(name)?.fsType;
  }

  /**
   * The text of /proc/filesystems: `nodev\t<name>` (or `\t<name>` for types needing a
   * device) for every user-listable type, in registration order.
   */
  procFilesystems(): string {
    return this.#state.fsTypes.procFilesystems();
  }

  /**
   * Creates a filesystem of type `fsTypeName` (not mounted anywhere).
   * @returns The filesystem and its root dentry, one reference on each for the caller.
   * @throws ENODEV - no such type, or the type is not user-mountable and
   * `opts.internalMount` is not set.
   * @throws EINVAL - the type is registered `noUser` and `opts.internalMount` is not set.
   */
  newFilesystem(ctx: Context, source: string, fsTypeName: string, opts: GetFilesystemOptions = {}): NewFilesystem {
    return ops.newFilesystem(this.#vfs, ctx, source, fsTypeName, opts);
  }

  /** Every live filesystem, each with a new reference for the caller. */
  getFilesystems(): Filesystem[] {
    const out: Filesystem[] = [];
    for (const fs of this.#state.filesystems) if (fs.tryIncRef()) out.push(fs);
    return out;
  }

  /**
   * sync(2): syncs every filesystem; all are synced even if one fails, and the first
   * error is thrown afterwards.
   */
  syncAllFilesystems(ctx: Context): void {
    let first: Error | undefined;
    for (const fs of this.getFilesystems()) {
      try {
        fs.impl.sync(ctx);
      } catch (error) {
        first ??= error instanceof Error ? error : new Error(String(error));
      } finally {
        fs.decRef(ctx);
      }
    }
    if (first !== undefined) throw first;
  }

  /**
   * Creates the directory at `path` (relative to `root`) and every missing directory
   * above it, as `mkdir -p` does. Existing directories, and symbolic links to them, are
   * accepted.
   * @throws ENOTDIR - a component exists and is not a directory.
   * @throws EACCES, EROFS, ENAMETOOLONG, ELOOP - from the lookups and mkdirs.
   */
  mkdirAllAt(ctx: Context, root: VirtualDentry, path: string, opts: MkdirOptions): void {
    this.#mkdirAll(ctx, root, path, opts, true);
  }

  /**
   * Makes sure something exists at `target` to mount on: creates missing parent
   * directories, then a directory at `target` unless a file of any type is there
   * (`forSyntheticMountpoint` lets a read-only filesystem create a synthetic one).
   */
  makeSyntheticMountpoint(ctx: Context, root: VirtualDentry, target: string): void {
    const opts: MkdirOptions = { mode: 0o777, forSyntheticMountpoint: true };
    this.#mkdirAll(ctx, root, dirname(target), opts, true);
    this.#mkdirAll(ctx, root, target, opts, false);
  }

  #mkdirAll(ctx: Context, root: VirtualDentry, path: string, opts: MkdirOptions, mustBeDir: boolean): void {
    const parsed = parse(path);
    // Follow a final symlink when looking (a link to a directory is fine), never when creating.
    const stat = this.#vfs.tryStatAt(ctx, { root, start: root, path: parsed, followFinalSymlink: true }, { mask: STATX_TYPE, sync: 0 });
    if (stat !== undefined) {
      if (mustBeDir && (stat.mode & S_IFMT) !== S_IFDIR) throw new SysError("ENOTDIR", { syscall: "mkdir", path });
      return;
    }
    this.#mkdirAll(ctx, root, dirname(path), opts, true);
    this.#vfs.mkdirAt(ctx, { root, start: root, path: parsed, followFinalSymlink: false }, opts);
  }

  // -- Mounts ---------------------------------------------------------------------------

  /**
   * A mount of `fs` showing `root`, connected nowhere; takes references on both.
   * @returns The mount, one reference for the caller.
   */
  newDisconnectedMount(fs: Filesystem, root: Dentry, opts: MountOptions = {}): Mount {
    return ops.newDisconnectedMount(this.#vfs, fs, root, opts);
  }

  /**
   * Creates a filesystem of type `fsTypeName` and a disconnected mount of it.
   * @returns The mount, one reference for the caller.
   * @throws ENODEV - unknown or not user-mountable type.
   * @throws EINVAL - the type is registered `noUser` (internal only).
   */
  mountDisconnected(ctx: Context, source: string, fsTypeName: string, opts: MountOptions = {}): Mount {
    return ops.mountDisconnected(this.#vfs, ctx, source, fsTypeName, opts);
  }

  /**
   * Connects the disconnected `mount` at `target` (on the topmost mount already there).
   * The VFS takes its own reference; the caller keeps its own.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `target`.
   * @throws ENOENT - the target was removed, or its mount was unmounted.
   * @throws EINVAL - the target's mount is not in a namespace.
   * @throws EBUSY - mounting a filesystem on the root of a mount of itself.
   * @throws ENOSPC - the namespace already has {@link MOUNT_MAX} mounts.
   */
  connectMountAt(ctx: Context, mount: Mount, target: PathOperation): void {
    ops.connectMountAt(this.#vfs, ctx, mount, target);
  }

  /**
   * mount(2) of a new filesystem: creates a filesystem of type `fsTypeName` from
   * `source` and mounts it at `target`.
   *
   * @remarks Mounting over a busy directory is allowed; mounting where something is
   * already mounted stacks the new mount on top.
   * @returns The new mount, borrowed: the VFS holds it until it is unmounted.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `target`.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws ENODEV - unknown or not user-mountable type.
   * @throws EINVAL - the type is registered `noUser` (pipefs: Linux's SB_NOUSER).
   * @throws ENOENT - the target was removed, or its mount was unmounted.
   * @throws EINVAL - the target's mount is not in a namespace.
   * @throws EBUSY - mounting a filesystem on the root of a mount of itself.
   * @throws ENOSPC - the namespace already has {@link MOUNT_MAX} mounts.
   */
  mountAt(ctx: Context, source: string, target: PathOperation, fsTypeName: string, opts: MountOptions = {}): Mount {
    return ops.mountAt(this.#vfs, ctx, source, target, fsTypeName, opts);
  }

  /**
   * mount(2) with MS_BIND: makes the file or directory at `source` visible at `target` too
   * (with MS_REC, `recursive`, the mounts below `source` as well).
   *
   * @remarks The new mount copies the source mount's flags; use
   * {@link VirtualFilesystemBase.remountAt} to change them (MS_REMOUNT|MS_BIND).
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `target`.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `source`.
   * @throws EINVAL - the target is not in the caller's namespace.
   * @throws EINVAL - the source is unbindable.
   * @throws EINVAL - the source is not in the caller's namespace (or was unmounted).
   * @throws EINVAL - not recursive and the source has locked submounts.
   * @throws ENOTDIR - one is a directory and the other is not.
   * @throws ENOSPC - the namespace would exceed {@link MOUNT_MAX} mounts.
   */
  bindAt(ctx: Context, source: PathOperation, target: PathOperation, opts: { readonly recursive?: boolean } = {}): void {
    ops.bindAt(this.#vfs, ctx, source, target, opts.recursive === true);
  }

  /**
   * mount(2) with MS_MOVE: moves the mount whose root is at `source`, with everything
   * mounted below it, to `target`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `target`.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `source`.
   * @throws EINVAL - the source is not in the caller's namespace, is a namespace root,
   * or is locked.
   * @throws EINVAL - the target is not in the caller's namespace.
   * @throws EINVAL - `source` is not the root of a mount.
   * @throws EINVAL - one is a directory and the other is not.
   * @throws ELOOP - the target is below the moved mount.
   */
  moveMountAt(ctx: Context, source: PathOperation, target: PathOperation): void {
    ops.moveMountAt(this.#vfs, ctx, source, target);
  }

  /**
   * mount(2) with MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE or MS_SHARED (and MS_REC): the
   * propagation type of the mount whose root is at `pop` (and its submounts).
   *
   * @remarks
   * Propagation is not implemented: every mount is private. MS_PRIVATE and MS_SLAVE
   * (a slave with no master is private) succeed; MS_UNBINDABLE is recorded and makes
   * bind mounts of the mount fail; MS_SHARED is refused.
   * @param flags - Exactly one of MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE, with
   * MS_REC and MS_SILENT allowed.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `pop`.
   * @throws EINVAL - `pop` is not the root of a mount.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws EINVAL - the mount is not in the caller's namespace.
   * @throws EINVAL - no propagation type, or more than one.
   * @throws EINVAL - MS_SHARED (not implemented).
   */
  setMountPropagationAt(ctx: Context, pop: PathOperation, flags: number): void {
    ops.setMountPropagationAt(this.#vfs, ctx, pop, flags);
  }

  /**
   * mount(2) with MS_REMOUNT|MS_BIND: replaces the per-mount flags and read-only state
   * of the mount whose root is at `pop`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `pop`.
   * @throws EINVAL - `pop` is not the root of a mount.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws EINVAL - the mount is not in the caller's namespace.
   * @throws EPERM - clearing a locked flag.
   * @throws EBUSY - switching to read-only while files are open for writing.
   */
  remountAt(ctx: Context, pop: PathOperation, opts: MountOptions): void {
    ops.remountAt(this.#vfs, ctx, pop, opts);
  }

  /**
   * umount2(2): unmounts the topmost mount whose root is at `pop`.
   *
   * @remarks
   * With MNT_DETACH the mount and everything below it leave the tree at once, while
   * open files, working directories and other references keep working until dropped.
   * UMOUNT_NOFOLLOW does not follow a final symbolic link.
   * @throws EINVAL - flags other than MNT_FORCE, MNT_DETACH, UMOUNT_NOFOLLOW.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `pop`.
   * @throws EINVAL - `pop` is not the root of a mount.
   * @throws EPERM - no CAP_SYS_ADMIN over the caller's mount namespace.
   * @throws EINVAL - the mount is not in the caller's namespace, or is locked.
   * @throws EPERM - MNT_FORCE without CAP_SYS_ADMIN in the initial user namespace.
   * @throws EINVAL - the root mount of the namespace.
   * @throws EBUSY - without MNT_DETACH: submounts, open files, working directories or
   * other references on the mount.
   */
  umountAt(ctx: Context, pop: PathOperation, opts: UmountOptions): void {
    ops.umountAt(this.#vfs, ctx, pop, opts);
  }

  /**
   * Switches `mount` to read-only or read-write.
   * @throws EBUSY - to read-only while writes are in progress.
   */
  setMountReadOnly(mount: Mount, readOnly: boolean): void {
    setMountReadOnly(mount, readOnly);
  }

  // -- Mount namespaces -----------------------------------------------------------------

  /**
   * A new mount namespace whose root mount is a new filesystem of type `fsTypeName`
   * (internal types allowed). Its owner is the caller's user namespace.
   * @returns The namespace, one reference for the caller.
   * @throws ENODEV - no such type.
   */
  newMountNamespace(ctx: Context, source: string, fsTypeName: string, opts: MountOptions = {}): MountNamespace {
    const getOpts: GetFilesystemOptions = { ...opts.getFilesystemOptions, internalMount: true };
    const { fs, root } = ops.newFilesystem(this.#vfs, ctx, source, fsTypeName, getOpts);
    try {
      return this.newMountNamespaceFrom(ctx, fs, root, opts, source);
    } finally {
      root.decRef(ctx);
      fs.decRef(ctx);
    }
  }

  /**
   * A new mount namespace whose root mount shows `root` of the existing `fs` (references
   * are taken on both).
   * @returns The namespace, one reference for the caller.
   */
  newMountNamespaceFrom(ctx: Context, fs: Filesystem, root: Dentry, opts: MountOptions = {}, source = "none"): MountNamespace {
    const ns = newMountNamespaceObject(this.#vfs, ++this.#state.lastMountNamespaceID, ctx.credentials.userNamespace);
    fs.incRef();
    root.incRef();
    namespaceState(ns).root = newMount(this.#vfs, fs, root, nextMountID(this.#vfs), {
      flags: ops.mountFlagsOf(opts),
      readOnly: opts.readOnly ?? false,
      source,
      ns,
    });
    return ns;
  }

  /**
   * unshare(CLONE_NEWNS): a copy of namespace `ns` owned by `owner`.
   *
   * @remarks
   * Every mount is copied with its flags. When `owner` differs from `ns.owner`, the
   * copies are locked (they cannot be unmounted, and their flags cannot be cleared, from
   * the new namespace). `root` and `cwd`, if given and seen through mounts of `ns`, are
   * returned moved to the matching copies; each returned position holds a new reference
   * (the caller still owns the ones it passed).
   */
  cloneMountNamespace(
    ctx: Context,
    owner: UserNamespace,
    ns: MountNamespace,
    positions: { readonly root?: VirtualDentry; readonly cwd?: VirtualDentry } = {},
  ): ClonedMountNamespace {
    const vfs = this.#vfs;
    const oldRoot = namespaceState(ns).root as Mount;
    const copy = newMountNamespaceObject(vfs, ++this.#state.lastMountNamespaceID, owner);
    const tree = cloneMountTree(vfs, oldRoot, oldRoot.root());
    const copies = new Map<Mount, Mount>([[oldRoot, tree.root]]);
    for (const child of tree.children) copies.set(child.original, child.mount);
    mountState(tree.root).ns = copy;
    namespaceState(copy).root = tree.root; // the namespace's reference
    connectClonedTree(vfs, ctx, tree.children, copy);
    if (owner !== ns.owner) {
      for (const mount of copies.values()) {
        const state = mountState(mount);
        state.locked = true;
        state.lockedFlags.readOnly ||= state.readOnly;
        state.lockedFlags.noExec ||= state.flags.noExec;
        state.lockedFlags.noDev ||= state.flags.noDev;
        state.lockedFlags.noSUID ||= state.flags.noSUID;
      }
    }
    const move = (vd: VirtualDentry | undefined): VirtualDentry | undefined => {
      if (vd === undefined) return undefined;
      const moved = new VirtualDentry(copies.get(vd.mount) ?? vd.mount, vd.dentry);
      moved.incRef();
      return moved;
    };
    return { namespace: copy, root: move(positions.root), cwd: move(positions.cwd) };
  }

  /**
   * The text of /proc/[pid]/mounts for a task whose root is `taskRoot`: one line per
   * mount reachable from it, by mount ID — `source mountpoint type options 0 0`.
   */
  generateProcMounts(ctx: Context, taskRoot: VirtualDentry): string {
    return generateProcMounts(this.#vfs, ctx, taskRoot);
  }

  /**
   * The text of /proc/[pid]/mountinfo for a task whose root is `taskRoot`: one line per
   * reachable mount, by mount ID, with paths escaped as Linux does:
   * `ID parentID major:minor root mountpoint options - type source superblock-options`.
   */
  generateProcMountInfo(ctx: Context, taskRoot: VirtualDentry): string {
    return generateProcMountInfo(this.#vfs, ctx, taskRoot);
  }

  // -- The delete/rename protocol, for filesystems --------------------------------------

  /**
   * Starts deleting `dentry`: a filesystem calls this just before removing a file and
   * ends the returned ticket with `commit(ctx)` or `abort()`.
   * @param mntns - The caller's mount namespace; without one, any mount point is busy.
   * @throws EBUSY - `dentry` is a mount point in `mntns`.
   */
  prepareDeleteDentry(mntns: MountNamespace | undefined, dentry: Dentry): DeleteDentryTicket {
    return prepareDeleteDentry(this.#vfs, mntns, dentry);
  }

  /**
   * Starts renaming `from`, replacing or exchanging with `to` if given; end the ticket
   * with `commitReplace(ctx)`, `commitExchange()` or `abort()`.
   * @precondition `from !== to`; both belong to the same filesystem.
   * @throws EBUSY - `from` or `to` is a mount point in `mntns`.
   */
  prepareRenameDentry(mntns: MountNamespace | undefined, from: Dentry, to?: Dentry): RenameDentryTicket {
    return prepareRenameDentry(this.#vfs, mntns, from, to);
  }

  /**
   * A filesystem reports that `dentry` no longer stands for its file (it vanished behind
   * the VFS's back): marks it dead and detaches the mounts on it.
   */
  invalidateDentry(ctx: Context, dentry: Dentry): void {
    invalidateDentry(this.#vfs, ctx, dentry);
  }

  // -- Pathnames ------------------------------------------------------------------------

  /**
   * Linux's d_path: the absolute path of `vd` as seen from `vfsroot`, with ` (deleted)`
   * appended for a deleted file; synthetic names (`pipe:[12]`) are returned as they are.
   */
  pathnameWithDeleted(ctx: Context, vfsroot: VirtualDentry | undefined, vd: VirtualDentry): string {
    return pathnameWithDeleted(this.#vfs, ctx, vfsroot, vd);
  }

  /**
   * Linux's __d_path: the absolute path of `vd` from `vfsroot`, or `""` if `vd` cannot
   * be reached from it (the mounts files skip such entries).
   */
  pathnameReachable(ctx: Context, vfsroot: VirtualDentry, vd: VirtualDentry): string {
    return pathnameReachable(this.#vfs, ctx, vfsroot, vd);
  }

  /**
   * Linux's dentry_path: the path of `vd` from its filesystem's root, with `//deleted`
   * appended for a deleted file (mountinfo's root field).
   */
  pathnameInFilesystem(ctx: Context, vd: VirtualDentry): string {
    return pathnameInFilesystem(ctx, vd);
  }

  /**
   * getcwd(2): the path of `vd` from `vfsroot`, prefixed with `(unreachable)` when `vd`
   * is outside it.
   * @throws ENOENT - the directory was removed.
   */
  pathnameForGetcwd(ctx: Context, vfsroot: VirtualDentry, vd: VirtualDentry): string {
    return pathnameForGetcwd(this.#vfs, ctx, vfsroot, vd);
  }
}

// Go's path.Dir for the paths mkdirAllAt takes: the path without its last component.
function dirname(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f) end--;
  const slash = path.lastIndexOf("/", end - 1);
  if (slash < 0) return ".";
  let cut = slash;
  while (cut > 0 && path.charCodeAt(cut - 1) === 0x2f) cut--;
  return cut === 0 ? "/" : path.slice(0, cut);
}
