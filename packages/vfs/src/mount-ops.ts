// The mount operations of the VFS: mount, bind, remount, umount. Twin of the operation
// half of gVisor's pkg/sentry/vfs/mount.go, with Linux's fs/namespace.c deciding where the
// two differ. Documented on VirtualFilesystem, which delegates here.
import {
  Capability,
  MNT_DETACH,
  MNT_EXPIRE,
  MNT_FORCE,
  MS_PRIVATE,
  MS_REC,
  MS_SHARED,
  MS_SILENT,
  MS_SLAVE,
  MS_UNBINDABLE,
  S_IFDIR,
  S_IFMT,
  STATX_MODE,
  SysError,
  UMOUNT_NOFOLLOW,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import type { Context } from "./context.js";
import { dentryState } from "./dentry.js";
import type { Filesystem } from "./filesystem.js";
import { noSuchFilesystemType, noUserMount, type NewFilesystem } from "./filesystem-type.js";
import { type Mount, PropagationType, mountState, newMount, setMountReadOnly } from "./mount.js";
import {
  abortClonedTree,
  checkMountCount,
  cloneMount,
  cloneMountTree,
  connectClonedTree,
  connectMount,
  disconnectMount,
  getMountAt,
  nextMountID,
  submounts,
  umountTree,
  type ClonedChild,
} from "./mount-tree.js";
import { mountNamespaceFromContext, namespaceState, type MountNamespace } from "./namespace.js";
import type { GetFilesystemOptions, MountFlags, MountOptions, UmountOptions } from "./options.js";
import { VirtualDentry } from "./virtual-dentry.js";
import type { PathOperation, VirtualFilesystem } from "./vfs.js";
import { vfsState } from "./vfs-base.js";

const NO_FLAGS: Required<MountFlags> = { noExec: false, noATime: false, noDev: false, noSUID: false };
const EMPTY_PATH = parse("");

/** Filesystems created read-only (Linux's SB_RDONLY), as mountinfo's last field shows. */
const readOnlySuperblocks = new WeakSet<Filesystem>();

/** Reports whether `fs` was created read-only. @internal */
export function isReadOnlySuperblock(fs: Filesystem): boolean {
  return readOnlySuperblocks.has(fs);
}

/** The flags a mount gets from `opts`. @internal */
export function mountFlagsOf(opts: MountOptions): Required<MountFlags> {
  const flags = opts.flags;
  if (flags === undefined) return NO_FLAGS;
  return {
    noExec: flags.noExec ?? false,
    noATime: flags.noATime ?? false,
    noDev: flags.noDev ?? false,
    noSUID: flags.noSUID ?? false,
  };
}

/**
 * Linux's may_mount(): CAP_SYS_ADMIN in the user namespace owning the caller's mount
 * namespace (or in the caller's own namespace when the context carries none).
 */
function checkMayMount(ctx: Context, syscall: string): void {
  const mntns = mountNamespaceFromContext(ctx);
  const creds = ctx.credentials;
  const ok =
    mntns !== undefined
      ? creds.hasCapabilityIn(Capability.CAP_SYS_ADMIN, mntns.owner)
      : creds.hasCapability(Capability.CAP_SYS_ADMIN);
  if (!ok) throw new SysError("EPERM", { syscall, detail: "CAP_SYS_ADMIN required" });
}

/** Linux's check_mnt(): `mount` belongs to the caller's namespace and is still mounted. */
function validInCallerNamespace(ctx: Context, mount: Mount): boolean {
  const mntns = mountNamespaceFromContext(ctx);
  const state = mountState(mount);
  return mntns !== undefined && state.ns === mntns && !state.umounted;
}

/** Creates a filesystem of type `fsTypeName`. */
export function newFilesystem(
  vfs: VirtualFilesystem,
  ctx: Context,
  source: string,
  fsTypeName: string,
  opts: GetFilesystemOptions,
): NewFilesystem {
  const registered = vfsState(vfs).fsTypes.get(fsTypeName);
  if (registered === undefined) throw noSuchFilesystemType(fsTypeName);
  if (opts.internalMount !== true && registered.opts.allowUserMount !== true) {
    // Linux: SB_NOUSER types (pipefs) are EINVAL (graft_tree); gVisor says ENODEV.
    throw registered.opts.noUser === true ? noUserMount(fsTypeName) : noSuchFilesystemType(fsTypeName);
  }
  return registered.fsType.getFilesystem(ctx, vfs, source, opts);
}

/** A disconnected mount of `fs` at `root`; takes references on both. */
export function newDisconnectedMount(vfs: VirtualFilesystem, fs: Filesystem, root: NewFilesystem["root"], opts: MountOptions, source = "none"): Mount {
  fs.incRef();
  root.incRef();
  // Linux's kern_mount: no MNT_RELATIME (mount(2) adds it by default, path_mount).
  return newMount(vfs, fs, root, nextMountID(vfs), {
    flags: mountFlagsOf(opts),
    readOnly: opts.readOnly ?? false,
    source,
    ns: undefined,
    relATime: false,
  });
}

/** Creates a filesystem and a disconnected mount of it (one reference for the caller). */
export function mountDisconnected(
  vfs: VirtualFilesystem,
  ctx: Context,
  source: string,
  fsTypeName: string,
  opts: MountOptions,
): Mount {
  const { fs, root } = newFilesystem(vfs, ctx, source, fsTypeName, opts.getFilesystemOptions ?? {});
  if (opts.readOnly === true) readOnlySuperblocks.add(fs);
  // The new mount takes over the references getFilesystem gave us.
  return newMount(vfs, fs, root, nextMountID(vfs), {
    flags: mountFlagsOf(opts),
    readOnly: opts.readOnly ?? false,
    source,
    ns: undefined,
  });
}

/**
 * Linux's lock_mount(): the point to mount on, following mounts stacked on `vd` to the
 * topmost. Takes over the caller's reference on `vd` and returns one on the result.
 * @throws ENOENT - the dentry is dead or its mount was unmounted.
 */
function lockMountpoint(ctx: Context, vd: VirtualDentry): VirtualDentry {
  const state = mountState(vd.mount);
  if (state.umounted || vd.dentry.isDead()) {
    vd.decRef(ctx);
    throw new SysError("ENOENT", { syscall: "mount", detail: "mount point was removed" });
  }
  const top = getMountAt(vd.mount.vfs, ctx, vd.mount, vd.dentry);
  if (top === undefined) return vd;
  top.root().incRef();
  vd.decRef(ctx);
  return new VirtualDentry(top, top.root());
}

/**
 * Connects the disconnected tree (`mount` and `children`) at `mp`. Takes over the
 * reference on `mp`; the caller keeps its references on the tree.
 */
function attachTree(
  vfs: VirtualFilesystem,
  ctx: Context,
  mount: Mount,
  children: ClonedChild[],
  mp: VirtualDentry,
  isNew: boolean,
): void {
  const ns = mountState(mp.mount).ns;
  try {
    // A mount that was never connected (an internal filesystem) cannot be mounted on
    // (Linux: SB_NOUSER); neither can an unmounted one.
    if (ns === undefined || mountState(mp.mount).umounted) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "mount point is not in a mount namespace" });
    }
    // Linux's do_add_mount(): a new mount of a filesystem on the root of a mount of the
    // same filesystem is refused (gVisor compares the dentry with the new mount's root).
    if (isNew && mp.mount.fs === mount.fs && mp.dentry === mp.mount.root()) {
      throw new SysError("EBUSY", { syscall: "mount", detail: "filesystem already mounted here" });
    }
    if (dentryState(mp.dentry).locked) throw new SysError("ENOENT", { syscall: "mount", detail: "mount point is being removed" });
    checkMountCount(ns, 1 + children.length);
  } catch (error) {
    mp.decRef(ctx);
    throw error;
  }
  connectMount(vfs, mount, mp.mount, mp.dentry, ns);
  connectClonedTree(vfs, ctx, children, ns);
  ns.poller.notify();
}

/** Implements VirtualFilesystem.connectMountAt. */
export function connectMountAt(vfs: VirtualFilesystem, ctx: Context, mount: Mount, target: PathOperation): void {
  const vd = vfs.getDentryAt(ctx, target);
  const mp = lockMountpoint(ctx, vd);
  attachTree(vfs, ctx, mount, [], mp, true);
}

/** Implements VirtualFilesystem.mountAt. */
export function mountAt(
  vfs: VirtualFilesystem,
  ctx: Context,
  source: string,
  target: PathOperation,
  fsTypeName: string,
  opts: MountOptions,
): Mount {
  // Linux resolves the target before checking privileges and the type (do_mount).
  const vd = vfs.getDentryAt(ctx, target);
  let mount: Mount;
  try {
    if (opts.getFilesystemOptions?.internalMount !== true) checkMayMount(ctx, "mount");
    mount = mountDisconnected(vfs, ctx, source, fsTypeName, opts);
  } catch (error) {
    vd.decRef(ctx);
    throw error;
  }
  try {
    attachTree(vfs, ctx, mount, [], lockMountpoint(ctx, vd), true);
  } finally {
    mount.decRef(ctx);
  }
  return mount;
}

/** Implements VirtualFilesystem.bindAt. */
export function bindAt(
  vfs: VirtualFilesystem,
  ctx: Context,
  source: PathOperation,
  target: PathOperation,
  recursive: boolean,
): void {
  const targetVD = vfs.getDentryAt(ctx, target);
  try {
    checkMayMount(ctx, "mount");
    const sourceVD = vfs.getDentryAt(ctx, source);
    try {
      bindResolved(vfs, ctx, sourceVD, targetVD, recursive);
    } finally {
      sourceVD.decRef(ctx);
    }
  } finally {
    targetVD.decRef(ctx);
  }
}

function isDirectoryAt(vfs: VirtualFilesystem, ctx: Context, vd: VirtualDentry): boolean {
  const stat = vfs.statAt(ctx, { root: vd, start: vd, path: EMPTY_PATH, followFinalSymlink: false }, { mask: STATX_MODE, sync: 0 });
  return (stat.mode & S_IFMT) === S_IFDIR;
}

function bindResolved(
  vfs: VirtualFilesystem,
  ctx: Context,
  sourceVD: VirtualDentry,
  targetVD: VirtualDentry,
  recursive: boolean,
): void {
  targetVD.incRef();
  const mp = lockMountpoint(ctx, targetVD);
  let clone: Mount;
  let children: ClonedChild[] = [];
  try {
    // Linux's do_loopback: the target's namespace, then the source's (nsfs exempt), then
    // locked children, and graft_tree's type check last.
    if (!validInCallerNamespace(ctx, mp.mount)) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "target is not in the caller's mount namespace" });
    }
    if (mountState(sourceVD.mount).propagation === PropagationType.Unbindable) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "source is unbindable" });
    }
    if (!validInCallerNamespace(ctx, sourceVD.mount) && sourceVD.mount.fs.fsType.name() !== "nsfs") {
      throw new SysError("EINVAL", { syscall: "mount", detail: "source is not in the caller's mount namespace" });
    }
    if (!recursive && hasLockedChildren(sourceVD)) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "source has locked submounts" });
    }
    if (isDirectoryAt(vfs, ctx, sourceVD) !== isDirectoryAt(vfs, ctx, mp)) {
      throw new SysError("ENOTDIR", { syscall: "mount", detail: "bind of a directory onto a file or the reverse" });
    }
    if (recursive) {
      const tree = cloneMountTree(vfs, sourceVD.mount, sourceVD.dentry);
      clone = tree.root;
      children = tree.children;
    } else {
      clone = cloneMount(vfs, sourceVD.mount, sourceVD.dentry);
    }
  } catch (error) {
    mp.decRef(ctx);
    throw error;
  }
  mountState(clone).locked = false;
  try {
    attachTree(vfs, ctx, clone, children, mp, false);
  } catch (error) {
    abortClonedTree(ctx, clone, children);
    throw error;
  }
  clone.decRef(ctx);
}

function hasLockedChildren(vd: VirtualDentry): boolean {
  for (const child of mountState(vd.mount).children) {
    const point = mountState(child).point;
    if (point === undefined) continue;
    if (!vd.mount.fs.impl.isDescendant(vd, new VirtualDentry(vd.mount, point))) continue;
    if (mountState(child).locked) return true;
  }
  return false;
}

/**
 * The topmost mount whose root is at `pop` (umount and remount name a mount by its
 * root). Returns it with a reference.
 * @throws EINVAL - `pop` is not the root of a mount.
 */
function getMountpoint(vfs: VirtualFilesystem, ctx: Context, pop: PathOperation, syscall: string): VirtualDentry {
  const vd = vfs.getDentryAt(ctx, pop);
  if (vd.dentry.isMountpoint()) {
    const top = getMountAt(vfs, ctx, vd.mount, vd.dentry);
    if (top !== undefined) {
      top.root().incRef();
      vd.decRef(ctx);
      return new VirtualDentry(top, top.root());
    }
  }
  if (vd.dentry !== vd.mount.root()) {
    vd.decRef(ctx);
    throw new SysError("EINVAL", { syscall, detail: "not a mount point" });
  }
  return vd;
}

/** Implements VirtualFilesystem.remountAt. */
export function remountAt(vfs: VirtualFilesystem, ctx: Context, pop: PathOperation, opts: MountOptions): void {
  const vd = getMountpoint(vfs, ctx, pop, "mount");
  try {
    checkMayMount(ctx, "mount");
    const mount = vd.mount;
    if (!validInCallerNamespace(ctx, mount)) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "not in the caller's mount namespace" });
    }
    const state = mountState(mount);
    const flags = mountFlagsOf(opts);
    const readOnly = opts.readOnly ?? false;
    const locked = state.lockedFlags;
    if (
      (locked.readOnly && !readOnly) ||
      (locked.noExec && !flags.noExec) ||
      (locked.noDev && !flags.noDev) ||
      (locked.noSUID && !flags.noSUID)
    ) {
      throw new SysError("EPERM", { syscall: "mount", detail: "clearing a locked mount flag" });
    }
    setMountReadOnly(mount, readOnly);
    state.flags = flags;
    state.ns?.poller.notify();
  } finally {
    vd.decRef(ctx);
  }
}

/** Linux's do_refcount_check(): only the expected references remain. */
function hasExpectedRefs(mount: Mount): boolean {
  const state = mountState(mount);
  let expected = 1; // the caller's (ours, from the lookup)
  if (!state.umounted) expected++; // the VFS's
  if (state.children.size === 1) {
    const [child] = state.children;
    if (child !== undefined && mountState(child).point === mount.root()) expected++; // covered
  }
  return mount.refCount === expected;
}

/** Implements VirtualFilesystem.umountAt. */
export function umountAt(vfs: VirtualFilesystem, ctx: Context, pop: PathOperation, opts: UmountOptions): void {
  const flags = opts.flags;
  // MNT_EXPIRE is not implemented: refused like an unknown flag (gVisor does the same).
  if ((flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW)) !== 0 || (flags & MNT_EXPIRE) !== 0) {
    throw new SysError("EINVAL", { syscall: "umount2", detail: "unknown flags" });
  }
  const walkPop = (flags & UMOUNT_NOFOLLOW) !== 0 ? { ...pop, followFinalSymlink: false } : pop;
  const vd = getMountpoint(vfs, ctx, walkPop, "umount2");
  try {
    // Linux's can_umount(), in its order.
    checkMayMount(ctx, "umount2");
    const mount = vd.mount;
    const state = mountState(mount);
    if (!validInCallerNamespace(ctx, mount)) {
      throw new SysError("EINVAL", { syscall: "umount2", detail: "not in the caller's mount namespace" });
    }
    if (state.locked) throw new SysError("EINVAL", { syscall: "umount2", detail: "locked mount" });
    // Linux checks MNT_FORCE against CAP_SYS_ADMIN in the initial user namespace (gVisor's
    // snapshot has this test inverted); MNT_FORCE itself does nothing more here.
    if ((flags & MNT_FORCE) !== 0 && !ctx.credentials.hasRootCapability(Capability.CAP_SYS_ADMIN)) {
      throw new SysError("EPERM", { syscall: "umount2", detail: "MNT_FORCE needs CAP_SYS_ADMIN" });
    }
    const ns = state.ns as MountNamespace;
    if (namespaceState(ns).root === mount) {
      throw new SysError("EINVAL", { syscall: "umount2", detail: "the root of the mount namespace" });
    }
    const lazy = (flags & MNT_DETACH) !== 0;
    if (!lazy && (state.children.size !== 0 || !hasExpectedRefs(mount))) {
      throw new SysError("EBUSY", { syscall: "umount2", detail: "mount is in use" });
    }
    umountTree(vfs, ctx, mount, { eager: !lazy, disconnectHierarchy: true });
  } finally {
    vd.decRef(ctx);
  }
}

/** Implements VirtualFilesystem.moveMountAt (Linux's do_move_mount, without anonymous namespaces). */
export function moveMountAt(vfs: VirtualFilesystem, ctx: Context, source: PathOperation, target: PathOperation): void {
  const targetVD = vfs.getDentryAt(ctx, target);
  try {
    checkMayMount(ctx, "mount");
    const sourceVD = vfs.getDentryAt(ctx, source);
    try {
      moveResolved(vfs, ctx, sourceVD, targetVD);
    } finally {
      sourceVD.decRef(ctx);
    }
  } finally {
    targetVD.decRef(ctx);
  }
}

function moveResolved(vfs: VirtualFilesystem, ctx: Context, sourceVD: VirtualDentry, targetVD: VirtualDentry): void {
  targetVD.incRef();
  const mp = lockMountpoint(ctx, targetVD);
  const mount = sourceVD.mount;
  const state = mountState(mount);
  try {
    const invalid = (detail: string): SysError => new SysError("EINVAL", { syscall: "mount", detail });
    if (!validInCallerNamespace(ctx, mount)) throw invalid("source is not in the caller's mount namespace");
    if (state.parent === undefined || state.locked) throw invalid("source cannot be detached");
    if (!validInCallerNamespace(ctx, mp.mount)) throw invalid("target is not in the caller's mount namespace");
    if (sourceVD.dentry !== mount.root()) throw invalid("source is not the root of a mount");
    if (isDirectoryAt(vfs, ctx, sourceVD) !== isDirectoryAt(vfs, ctx, mp)) throw invalid("directory onto file or the reverse");
    for (let m: Mount | undefined = mp.mount; m !== undefined; m = mountState(m).parent) {
      if (m === mount) throw new SysError("ELOOP", { syscall: "mount", detail: "moving a mount below itself" });
    }
  } catch (error) {
    mp.decRef(ctx);
    throw error;
  }
  const ns = state.ns as MountNamespace;
  const oldKey = disconnectMount(vfs, mount);
  connectMount(vfs, mount, mp.mount, mp.dentry, ns);
  mount.decRef(ctx); // connectMount took a second VFS reference
  oldKey?.decRef(ctx);
  ns.poller.notify();
}

const PROPAGATION_FLAGS = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

/** Implements VirtualFilesystem.setMountPropagationAt (Linux's do_change_type). */
export function setMountPropagationAt(vfs: VirtualFilesystem, ctx: Context, pop: PathOperation, flags: number): void {
  const vd = getMountpoint(vfs, ctx, pop, "mount");
  try {
    checkMayMount(ctx, "mount");
    if (!validInCallerNamespace(ctx, vd.mount)) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "not in the caller's mount namespace" });
    }
    // flags_to_propagation_type(): exactly one type, plus MS_REC and MS_SILENT.
    const type = flags & ~(MS_REC | MS_SILENT);
    if ((type & ~PROPAGATION_FLAGS) !== 0 || type === 0 || (type & (type - 1)) !== 0) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "exactly one propagation type" });
    }
    if (type === MS_SHARED) {
      throw new SysError("EINVAL", { syscall: "mount", detail: "shared mounts are not implemented yet" });
    }
    // With no peer groups, a slave has no master and is private (Linux's do_make_slave).
    const propagation = type === MS_UNBINDABLE ? PropagationType.Unbindable : PropagationType.Private;
    const mounts = (flags & MS_REC) !== 0 ? submounts(vd.mount) : [vd.mount];
    for (const mount of mounts) mountState(mount).propagation = propagation;
    mountState(vd.mount).ns?.poller.notify();
  } finally {
    vd.decRef(ctx);
  }
}
