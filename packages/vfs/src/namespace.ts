// Mount namespaces. Twin of gVisor's pkg/sentry/vfs/namespace.go and context.go (Linux's
// struct mnt_namespace).
import { EPOLLERR, EPOLLPRI, READABLE_EVENTS } from "@vfskit/abi";
import type { UserNamespace } from "@vfskit/auth";
import { InternalError } from "./assert.js";
import { ContextKey, type Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { Mount } from "./mount.js";
import { getMountAt, umountTree } from "./mount-tree.js";
import { RefCounted } from "./refs.js";
import { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";
import { WaiterQueue } from "./waiter.js";

/**
 * The caller's mount namespace, carried by the {@link Context} (DESIGN.md D12).
 *
 * @remarks
 * Read by the busy rule (a mount point of the caller's namespace cannot be removed) and
 * by mount operations (the source and target must be in the caller's namespace). The
 * value is borrowed: whoever builds the context keeps the namespace alive for the call.
 * @public
 */
export const MountNamespaceKey = new ContextKey<MountNamespace>("vfs.mountNamespace");

/**
 * The caller's root directory (after chroot), carried by the {@link Context}.
 *
 * @remarks Borrowed like {@link MountNamespaceKey}. Read by the pathname functions.
 * @public
 */
export const RootKey = new ContextKey<VirtualDentry>("vfs.root");

/**
 * The mount namespace in `ctx`, or `undefined`.
 * @public
 */
export function mountNamespaceFromContext(ctx: Context): MountNamespace | undefined {
  return ctx.value(MountNamespaceKey);
}

/**
 * The root directory in `ctx`, or `undefined`.
 * @public
 */
export function rootFromContext(ctx: Context): VirtualDentry | undefined {
  return ctx.value(RootKey);
}

/**
 * Tells readers of /proc/[pid]/mounts and mountinfo that the mount table changed (Linux
 * makes those files pollable: POLLERR | POLLPRI after a change).
 * @public
 */
export class MountChangePoller {
  #sequence = 0;
  /** Waiters for changes. */
  readonly queue = new WaiterQueue();

  /** A counter bumped by every change; compare with an earlier value to detect one. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Records a change and wakes waiters with readable | EPOLLPRI | EPOLLERR. */
  notify(): void {
    this.#sequence++;
    this.queue.notify(READABLE_EVENTS | EPOLLPRI | EPOLLERR);
  }
}

/** The package-internal state of a namespace. @internal */
export interface NamespaceState {
  /** The namespace's first mount (maybe covered by others; see MountNamespace.root). */
  root: Mount | undefined;
  /** Dentry → number of mounts of this namespace using it as mount point. */
  readonly mountpoints: Map<Dentry, number>;
  /** Connected mounts (the root is not counted). */
  mounts: number;
  /** Mounts being attached but not yet connected. */
  pending: number;
}

/** The package-internal state of `ns`. @internal */
export let namespaceState!: (ns: MountNamespace) => NamespaceState;

let createNamespace!: (vfs: VirtualFilesystem, id: number, owner: UserNamespace) => MountNamespace;

/** Creates an empty namespace (the caller sets its root). @internal */
export function newMountNamespaceObject(vfs: VirtualFilesystem, id: number, owner: UserNamespace): MountNamespace {
  return createNamespace(vfs, id, owner);
}

/** Reports whether `dentry` is a mount point of a mount in `ns`. @internal */
export function isMountpointIn(ns: MountNamespace, dentry: Dentry): boolean {
  return (namespaceState(ns).mountpoints.get(dentry) ?? 0) !== 0;
}

/**
 * A set of mounts forming one tree, as a process sees it (gVisor's `MountNamespace`,
 * Linux's `struct mnt_namespace`).
 *
 * @remarks
 * Reference-counted: tasks (and nsfs files) hold it. When the last reference goes,
 * every mount in it is unmounted (lazily: files open on those mounts keep working).
 * Created by {@link VirtualFilesystemBase.newMountNamespace} and
 * {@link VirtualFilesystemBase.cloneMountNamespace}.
 * @public
 */
export class MountNamespace extends RefCounted {
  /** The namespace's immutable ID (from 1). */
  readonly id: number;
  /** The user namespace that owns it (whose CAP_SYS_ADMIN allows mounting). */
  readonly owner: UserNamespace;
  /** The VFS it belongs to. */
  readonly vfs: VirtualFilesystem;
  /** Notified on every mount, unmount and remount in this namespace. */
  readonly poller = new MountChangePoller();
  readonly #state: NamespaceState = { root: undefined, mountpoints: new Map(), mounts: 0, pending: 0 };

  static {
    namespaceState = (ns) => ns.#state;
    createNamespace = (vfs, id, owner) => new MountNamespace(vfs, id, owner);
  }

  private constructor(vfs: VirtualFilesystem, id: number, owner: UserNamespace) {
    super("MountNamespace");
    this.vfs = vfs;
    this.id = id;
    this.owner = owner;
  }

  /**
   * The namespace's root as a position: the topmost mount stacked over the first mount's
   * root, with a reference for the caller.
   *
   * @param ctx - The caller's context.
   * @returns A virtual dentry holding one reference (drop it with `decRef`).
   */
  root(ctx: Context): VirtualDentry {
    const rootMount = this.#state.root;
    if (rootMount === undefined) throw new InternalError("mount namespace has no root");
    const top = getMountAt(this.vfs, ctx, rootMount, rootMount.root());
    if (top === undefined) {
      const vd = new VirtualDentry(rootMount, rootMount.root());
      vd.incRef();
      return vd;
    }
    top.root().incRef();
    return new VirtualDentry(top, top.root());
  }

  /** The number of mounts connected in this namespace (the root mount not included). */
  mountCount(): number {
    return this.#state.mounts;
  }

  /** The number of mounts being attached (0 outside a mount operation). */
  pendingCount(): number {
    return this.#state.pending;
  }

  /**
   * Drops a reference; the last one unmounts every mount of the namespace (lazily).
   */
  decRef(ctx: Context): void {
    if (!this.dropRef()) return;
    const root = this.#state.root;
    if (root !== undefined) umountTree(this.vfs, ctx, root, { eager: false, disconnectHierarchy: true });
  }

  protected override describeForLeakCheck(): string {
    return `MountNamespace(${this.id})`;
  }
}
