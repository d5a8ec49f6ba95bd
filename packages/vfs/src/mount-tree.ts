// The mount tree's internal mechanics: connect, disconnect, unmount a subtree, clone,
// find the mount on a dentry or the mount point under a mount. Twin of the tree half of
// gVisor's pkg/sentry/vfs/mount.go (Linux's fs/namespace.c). Nothing here is exported
// from the package.
//
// References: a connected mount holds one reference on its parent mount and one on its
// mount point dentry (its "key"); the VFS holds one on the mount itself until umount. A
// mount unmounted lazily below an unmounted parent may stay connected (Linux's
// UMOUNT_CONNECTED); then its key references were already dropped (keyRefsHeld false)
// and its parent's children set holds one reference on it instead.
import { SysError } from "@vfskit/abi";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import { dentryState, type Dentry } from "./dentry.js";
import { MOUNT_MAX, type Mount, mountState, newMount } from "./mount.js";
import { namespaceState, type MountNamespace } from "./namespace.js";
import { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";
import { vfsState } from "./vfs-base.js";

const keyRefsHeld = new WeakSet<Mount>();

/** Something whose reference is dropped once the tree is consistent again. */
interface DecRefable {
  decRef(ctx: Context): void;
}

/**
 * Makes (parent, point) the key of `mount` in namespace `ns`. Takes over one reference on
 * `parent` and one on `point` from the caller, and takes the VFS's reference on `mount`.
 */
export function connectMount(
  vfs: VirtualFilesystem,
  mount: Mount,
  parent: Mount,
  point: Dentry,
  ns: MountNamespace,
): void {
  const state = mountState(mount);
  if (state.parent !== undefined) throw new InternalError("connectMount: mount is already connected");
  const parentState = mountState(parent);
  if (parentState.mountsAt.has(point)) throw new InternalError("connectMount: key already in use");
  mount.incRef(); // the VFS's reference, dropped by umount
  state.parent = parent;
  state.point = point;
  keyRefsHeld.add(mount);
  parentState.children.add(mount);
  parentState.mountsAt.set(point, mount);
  dentryState(point).mounts++;
  state.ns = ns;
  const nsState = namespaceState(ns);
  nsState.mountpoints.set(point, (nsState.mountpoints.get(point) ?? 0) + 1);
  nsState.mounts++;
  const all = vfsState(vfs).mountpoints;
  let set = all.get(point);
  if (set === undefined) all.set(point, (set = new Set()));
  set.add(mount);
}

/**
 * Removes `mount` from its parent. Returns its old key when the key references are still
 * held (the caller must drop them), else `undefined`.
 */
export function disconnectMount(vfs: VirtualFilesystem, mount: Mount): VirtualDentry | undefined {
  const state = mountState(mount);
  const parent = state.parent;
  const point = state.point;
  if (parent === undefined || point === undefined) throw new InternalError("disconnectMount: not connected");
  const parentState = mountState(parent);
  parentState.children.delete(mount);
  if (parentState.mountsAt.get(point) === mount) parentState.mountsAt.delete(point);
  dentryState(point).mounts--;
  const ns = state.ns;
  if (ns !== undefined) {
    const nsState = namespaceState(ns);
    const count = (nsState.mountpoints.get(point) ?? 0) - 1;
    if (count <= 0) nsState.mountpoints.delete(point);
    else nsState.mountpoints.set(point, count);
    nsState.mounts--;
  }
  const all = vfsState(vfs).mountpoints;
  const set = all.get(point);
  if (set !== undefined) {
    set.delete(mount);
    if (set.size === 0) all.delete(point);
  }
  state.parent = undefined;
  state.point = undefined;
  if (!keyRefsHeld.has(mount)) return undefined;
  keyRefsHeld.delete(mount);
  return new VirtualDentry(parent, point);
}

/** `mount` and every mount below it, parents before children. */
export function submounts(mount: Mount): Mount[] {
  const out: Mount[] = [mount];
  for (let i = 0; i < out.length; i++) {
    for (const child of mountState(out[i] as Mount).children) out.push(child);
  }
  return out;
}

/** How {@link umountTree} unmounts. */
export interface UmountTreeOptions {
  /** umount without MNT_DETACH: no new references through the mounts (UMOUNT_SYNC). */
  readonly eager: boolean;
  /** Disconnect mounts below an unmounted parent too (Linux's !UMOUNT_CONNECTED). */
  readonly disconnectHierarchy: boolean;
}

// Linux's disconnect_mount().
function shouldDisconnect(mount: Mount, opts: UmountTreeOptions): boolean {
  if (opts.eager) return true;
  const parent = mountState(mount).parent;
  if (parent === undefined) return true;
  if (!mountState(parent).umounted) return true;
  if (!opts.disconnectHierarchy) return false;
  return !mountState(mount).locked;
}

/** Unmounts `mount` and everything below it (Linux's umount_tree). */
export function umountTree(vfs: VirtualFilesystem, ctx: Context, mount: Mount, opts: UmountTreeOptions): void {
  const mounts = submounts(mount);
  const affected = new Set<MountNamespace>();
  const toDecRef: DecRefable[] = [];
  for (const m of mounts) {
    const state = mountState(m);
    if (state.ns !== undefined) affected.add(state.ns);
    if (!state.umounted) {
      state.umounted = true;
      toDecRef.push(m); // the VFS's reference
    }
    if (state.parent !== undefined) mountState(state.parent).children.delete(m);
  }
  for (const m of mounts) {
    const state = mountState(m);
    if (opts.eager) state.eagerlyUmounted = true;
    const parent = state.parent;
    if (parent !== undefined) {
      if (shouldDisconnect(m, opts)) {
        const key = disconnectMount(vfs, m);
        if (key !== undefined) toDecRef.push(key);
      } else {
        // Stays connected below its unmounted parent, which now holds it; its own
        // references on the key go, so that the parent can be released.
        if (keyRefsHeld.delete(m)) toDecRef.push(new VirtualDentry(parent, state.point as Dentry));
        m.incRef();
        mountState(parent).children.add(m);
      }
    }
    state.propagation = "private";
  }
  for (const ns of affected) ns.poller.notify();
  for (const object of toDecRef) object.decRef(ctx);
}

/** Releases a mount whose last reference went (gVisor's Mount.destroy). */
export function destroyMount(mount: Mount, ctx: Context): void {
  const vfs = mount.vfs;
  const state = mountState(mount);
  const toDecRef: DecRefable[] = [];
  if (state.parent !== undefined) {
    const key = disconnectMount(vfs, mount);
    if (key !== undefined) toDecRef.push(key);
  }
  // Leftover children were unmounted but left connected below this mount, which held one
  // reference on each.
  for (const child of [...state.children]) {
    const key = disconnectMount(vfs, child);
    if (key !== undefined) toDecRef.push(key);
    toDecRef.push(child);
  }
  toDecRef.push(mount.root(), mount.fs);
  for (const object of toDecRef) object.decRef(ctx);
}

/**
 * The topmost mount stacked at (mount, dentry), with a reference; `undefined` if nothing
 * is mounted there (Linux's follow_mount). The caller's references are untouched.
 */
export function getMountAt(_vfs: VirtualFilesystem, ctx: Context, mount: Mount, dentry: Dentry): Mount | undefined {
  if (dentryState(dentry).mounts === 0) return undefined;
  const first = mountState(mount).mountsAt.get(dentry);
  if (first === undefined || !first.tryIncMountedRef()) return undefined;
  let top = first;
  for (;;) {
    const root = top.root();
    if (dentryState(root).mounts === 0) return top;
    const next = mountState(top).mountsAt.get(root);
    if (next === undefined || !next.tryIncMountedRef()) return top;
    top.decRef(ctx);
    top = next;
  }
}

/**
 * The mount point under the stack of mounts containing `mount`: walks down past mounts
 * stacked on roots, stopping at `vfsroot`. Returns it with a reference, or `undefined` if
 * `mount` has no parent (a root mount).
 */
export function getMountpointAt(
  _vfs: VirtualFilesystem,
  ctx: Context,
  mount: Mount,
  vfsroot: VirtualDentry | undefined,
): VirtualDentry | undefined {
  let state = mountState(mount);
  let parent = state.parent;
  let point = state.point;
  if (parent === undefined || point === undefined) return undefined;
  parent.incRef();
  point.incRef();
  let current = parent;
  let dentry = point;
  while (dentry === current.root() && !(vfsroot !== undefined && current === vfsroot.mount && dentry === vfsroot.dentry)) {
    state = mountState(current);
    parent = state.parent;
    point = state.point;
    if (parent === undefined || point === undefined) break;
    parent.incRef();
    point.incRef();
    dentry.decRef(ctx);
    current.decRef(ctx);
    current = parent;
    dentry = point;
  }
  return new VirtualDentry(current, dentry);
}

/**
 * Unmounts the mounts that use `dentry` as their mount point after it was deleted or
 * invalidated (Linux's __detach_mounts). Only mounts of other namespaces can be there:
 * the busy rule refused the deletion otherwise.
 */
export function forgetDeadMountpoint(vfs: VirtualFilesystem, ctx: Context, dentry: Dentry): void {
  const set = vfsState(vfs).mountpoints.get(dentry);
  if (set === undefined) return;
  for (const mount of [...set]) {
    if (mountState(mount).parent === undefined) continue;
    if (mountState(mount).umounted) {
      // Already unmounted below an unmounted parent, which held one reference on it.
      const key = disconnectMount(vfs, mount);
      key?.decRef(ctx);
      mount.decRef(ctx);
    } else {
      umountTree(vfs, ctx, mount, { eager: false, disconnectHierarchy: false });
    }
  }
}

/**
 * A disconnected copy of `mount` showing `root` (with its flags, read-only state, source
 * and lock state). Takes references on the filesystem and `root`; the caller owns the
 * copy's one reference.
 */
export function cloneMount(vfs: VirtualFilesystem, mount: Mount, root: Dentry): Mount {
  const state = mountState(mount);
  mount.fs.incRef();
  root.incRef();
  const clone = newMount(vfs, mount.fs, root, nextMountID(vfs), {
    flags: state.flags,
    readOnly: state.readOnly,
    source: state.source,
    ns: undefined,
    locked: state.locked,
    relATime: state.relATime,
  });
  Object.assign(mountState(clone).lockedFlags, state.lockedFlags);
  return clone;
}

/** One mount of a cloned tree below its root, to connect after the root. */
export interface ClonedChild {
  readonly mount: Mount;
  /** The mount it copies. */
  readonly original: Mount;
  readonly parent: Mount;
  readonly point: Dentry;
}

/**
 * Clones the tree of mounts at `mount` whose root is `root` (Linux's copy_tree): the
 * copy of `mount` plus copies of every mount below it that is visible under `root`.
 * Returns the root clone (one reference for the caller) and the children, parents first,
 * each with one reference for the caller, to be connected by {@link connectClonedTree}.
 */
export function cloneMountTree(
  vfs: VirtualFilesystem,
  mount: Mount,
  root: Dentry,
): { readonly root: Mount; readonly children: ClonedChild[] } {
  const rootClone = cloneMount(vfs, mount, root);
  const children: ClonedChild[] = [];
  const queue: Array<{ readonly original: Mount; readonly copy: Mount }> = [{ original: mount, copy: rootClone }];
  const rootVD = new VirtualDentry(mount, root);
  for (let i = 0; i < queue.length; i++) {
    const { original, copy } = queue[i] as { original: Mount; copy: Mount };
    for (const child of mountState(original).children) {
      const point = mountState(child).point;
      if (point === undefined) continue;
      if (original === mount && !mount.fs.impl.isDescendant(rootVD, new VirtualDentry(mount, point))) continue;
      const childCopy = cloneMount(vfs, child, child.root());
      children.push({ mount: childCopy, original: child, parent: copy, point });
      queue.push({ original: child, copy: childCopy });
    }
  }
  return { root: rootClone, children };
}

/**
 * Connects the children of a cloned tree whose root is already connected in `ns`,
 * dropping the callers' references on them (the VFS keeps its own).
 */
export function connectClonedTree(vfs: VirtualFilesystem, ctx: Context, children: ClonedChild[], ns: MountNamespace): void {
  for (const { mount, parent, point } of children) {
    parent.incRef();
    point.incRef();
    connectMount(vfs, mount, parent, point, ns);
  }
  for (const { mount } of children) mount.decRef(ctx);
}

/** Drops the caller's references on a cloned tree that will not be connected. */
export function abortClonedTree(ctx: Context, root: Mount, children: ClonedChild[]): void {
  for (let i = children.length - 1; i >= 0; i--) (children[i] as ClonedChild).mount.decRef(ctx);
  root.decRef(ctx);
}

/**
 * Reserves room for `count` new mounts in `ns`.
 * @throws ENOSPC - the namespace would exceed {@link MOUNT_MAX} mounts.
 */
export function checkMountCount(ns: MountNamespace, count: number): void {
  const state = namespaceState(ns);
  if (state.mounts + state.pending + count > MOUNT_MAX) {
    throw new SysError("ENOSPC", { syscall: "mount", detail: `more than ${MOUNT_MAX} mounts` });
  }
}

/** The next mount ID of `vfs` (IDs start at 1 and are never reused). */
export function nextMountID(vfs: VirtualFilesystem): number {
  return ++vfsState(vfs).lastMountID;
}
