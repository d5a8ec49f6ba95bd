// The VFS's view of a node in a filesystem tree, and the delete/rename protocol that keeps
// mount points consistent. Twin of gVisor's pkg/sentry/vfs/dentry.go.
import { SysError } from "@vfskit/abi";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import { forgetDeadMountpoint } from "./mount-tree.js";
import { isMountpointIn, type MountNamespace } from "./namespace.js";
import type { VirtualFilesystem } from "./vfs.js";

/**
 * What a filesystem supplies for each of its {@link Dentry | Dentries}: the reference
 * count (gVisor's `DentryImpl`).
 *
 * @remarks
 * The VFS never counts dentry references itself; it asks the filesystem, which may cache
 * dentries whose count reached zero or discard them. A filesystem usually implements this
 * on its own dentry class, which owns a `Dentry` (`readonly vfsd = new Dentry(this)`).
 * @public
 */
export interface DentryImpl {
  /** Takes a reference. A dentry with references must stay coherent with the filesystem. */
  incRef(): void;
  /**
   * Takes a reference unless the count is zero and the dentry cannot be revived; says
   * whether it did. May be called without holding a reference.
   */
  tryIncRef(): boolean;
  /** Drops a reference. */
  decRef(ctx: Context): void;
}

/** The VFS-level state of a dentry, shared inside the package. @internal */
export interface DentryState {
  /** Deleted (commit of a delete or a replacing rename) or invalidated. */
  dead: boolean;
  /** Hint that nobody will look this dentry up again. */
  evictable: boolean;
  /** How many mounts (in every namespace) have this dentry as their mount point. */
  mounts: number;
  /** Between a prepare and its commit/abort: nothing may be mounted on it. */
  locked: boolean;
}

/** The package-internal state of `dentry`. @internal */
export let dentryState!: (dentry: Dentry) => DentryState;

/**
 * A node of a filesystem tree as the VFS sees it (gVisor's `vfs.Dentry`, loosely Linux's
 * `struct dentry`).
 *
 * @remarks
 * The VFS keeps only what it needs here: whether the file was deleted (`isDead`) and how
 * many mounts use the dentry as their mount point. Tree structure (parent, name, inode)
 * belongs to the filesystem, whose {@link DentryImpl} also counts references. A
 * filesystem creates one `Dentry` per node it hands to the VFS: `new Dentry(this)` in its
 * own dentry class.
 *
 * Dentries do not hold a reference on their filesystem; whoever holds a dentry reference
 * must also hold a reference on a mount of that filesystem and drop the dentry first.
 * @public
 */
export class Dentry {
  /** The filesystem's half of this dentry. */
  readonly impl: DentryImpl;
  readonly #state: DentryState = { dead: false, evictable: false, mounts: 0, locked: false };

  static {
    dentryState = (dentry) => dentry.#state;
  }

  /**
   * @param impl - The filesystem's dentry that owns this one.
   */
  constructor(impl: DentryImpl) {
    this.impl = impl;
  }

  /** Takes a reference (delegated to the filesystem). */
  incRef(): void {
    this.impl.incRef();
  }

  /** Takes a reference unless the dentry can no longer be revived (delegated). */
  tryIncRef(): boolean {
    return this.impl.tryIncRef();
  }

  /** Drops a reference (delegated to the filesystem). */
  decRef(ctx: Context): void {
    this.impl.decRef(ctx);
  }

  /**
   * Reports whether the file was deleted (unlink, rmdir, replaced by rename) or the
   * filesystem invalidated the dentry.
   */
  isDead(): boolean {
    return this.#state.dead;
  }

  /** Reports whether the dentry was marked evictable (a caching hint). */
  isEvictable(): boolean {
    return this.#state.evictable;
  }

  /** Marks the dentry evictable: a filesystem may drop it once unreferenced. */
  markEvictable(): void {
    this.#state.evictable = true;
  }

  /** Reports whether some mount, in any namespace, uses this dentry as its mount point. */
  isMountpoint(): boolean {
    return this.#state.mounts !== 0;
  }
}

let newDeleteTicket!: (vfs: VirtualFilesystem, dentry: Dentry) => DeleteDentryTicket;
let newRenameTicket!: (vfs: VirtualFilesystem, from: Dentry, to: Dentry | undefined) => RenameDentryTicket;

/**
 * The pending deletion of a dentry, returned by
 * {@link VirtualFilesystemBase.prepareDeleteDentry}: end it with exactly one of
 * {@link DeleteDentryTicket.commit} or {@link DeleteDentryTicket.abort}.
 *
 * @remarks
 * Between prepare and its end nothing may be mounted on the dentry, and the filesystem
 * must not yield (DESIGN.md D2: never `await` between a prepare and its commit).
 * @public
 */
export class DeleteDentryTicket {
  readonly #vfs: VirtualFilesystem;
  readonly #dentry: Dentry;
  #ended = false;

  static {
    newDeleteTicket = (vfs, dentry) => new DeleteDentryTicket(vfs, dentry);
  }

  private constructor(vfs: VirtualFilesystem, dentry: Dentry) {
    this.#vfs = vfs;
    this.#dentry = dentry;
  }

  /**
   * The deletion happened: marks the dentry dead and detaches every mount that used it
   * as a mount point (those can only be in other mount namespaces; Linux's
   * `__detach_mounts`).
   *
   * @remarks
   * Call it last, once the filesystem's own tree no longer contains the dentry: the
   * detached mounts drop their references at once, which may release objects.
   * @param ctx - The context of the deleting operation.
   * @throws InternalError if the ticket was already ended.
   */
  commit(ctx: Context): void {
    this.#end();
    const state = dentryState(this.#dentry);
    state.dead = true;
    if (state.mounts !== 0) forgetDeadMountpoint(this.#vfs, ctx, this.#dentry);
  }

  /**
   * The deletion failed: the dentry is unchanged.
   * @throws InternalError if the ticket was already ended.
   */
  abort(): void {
    this.#end();
  }

  #end(): void {
    if (this.#ended) throw new InternalError("delete ticket ended twice");
    this.#ended = true;
    dentryState(this.#dentry).locked = false;
  }
}

/**
 * The pending rename of a dentry (possibly replacing or exchanging with another), returned
 * by {@link VirtualFilesystemBase.prepareRenameDentry}: end it with exactly one of
 * {@link RenameDentryTicket.commitReplace}, {@link RenameDentryTicket.commitExchange} or
 * {@link RenameDentryTicket.abort}.
 * @public
 */
export class RenameDentryTicket {
  readonly #vfs: VirtualFilesystem;
  readonly #from: Dentry;
  readonly #to: Dentry | undefined;
  #ended = false;

  static {
    newRenameTicket = (vfs, from, to) => new RenameDentryTicket(vfs, from, to);
  }

  private constructor(vfs: VirtualFilesystem, from: Dentry, to: Dentry | undefined) {
    this.#vfs = vfs;
    this.#from = from;
    this.#to = to;
  }

  /**
   * The rename happened without RENAME_EXCHANGE: the replaced dentry (if any) is dead and
   * mounts on it (in other namespaces) are detached.
   *
   * @remarks Call it last, as {@link DeleteDentryTicket.commit}.
   * @param ctx - The context of the renaming operation.
   * @throws InternalError if the ticket was already ended.
   */
  commitReplace(ctx: Context): void {
    this.#end();
    const to = this.#to;
    if (to === undefined) return;
    const state = dentryState(to);
    state.dead = true;
    if (state.mounts !== 0) forgetDeadMountpoint(this.#vfs, ctx, to);
  }

  /**
   * The two files were exchanged (RENAME_EXCHANGE): both dentries stay alive.
   * @throws InternalError if the ticket was already ended, or if it was prepared
   * without a second dentry.
   */
  commitExchange(): void {
    if (this.#to === undefined) throw new InternalError("commitExchange without a second dentry");
    this.#end();
  }

  /**
   * The rename failed: nothing changed.
   * @throws InternalError if the ticket was already ended.
   */
  abort(): void {
    this.#end();
  }

  #end(): void {
    if (this.#ended) throw new InternalError("rename ticket ended twice");
    this.#ended = true;
    dentryState(this.#from).locked = false;
    if (this.#to !== undefined) dentryState(this.#to).locked = false;
  }
}

/** Implements {@link VirtualFilesystemBase.prepareDeleteDentry}. @internal */
export function prepareDeleteDentry(
  vfs: VirtualFilesystem,
  mntns: MountNamespace | undefined,
  dentry: Dentry,
): DeleteDentryTicket {
  if (isBusy(mntns, dentry)) throw new SysError("EBUSY", { detail: "mount point" });
  lock(dentry);
  return newDeleteTicket(vfs, dentry);
}

/** Implements {@link VirtualFilesystemBase.prepareRenameDentry}. @internal */
export function prepareRenameDentry(
  vfs: VirtualFilesystem,
  mntns: MountNamespace | undefined,
  from: Dentry,
  to: Dentry | undefined,
): RenameDentryTicket {
  if (from === to) throw new InternalError("prepareRenameDentry: from and to are the same dentry");
  if (isBusy(mntns, from) || (to !== undefined && isBusy(mntns, to))) {
    throw new SysError("EBUSY", { detail: "mount point" });
  }
  lock(from);
  if (to !== undefined) lock(to);
  return newRenameTicket(vfs, from, to);
}

/** Implements {@link VirtualFilesystem.invalidateDentry}. @internal */
export function invalidateDentry(vfs: VirtualFilesystem, ctx: Context, dentry: Dentry): void {
  const state = dentryState(dentry);
  state.dead = true;
  if (state.mounts !== 0) forgetDeadMountpoint(vfs, ctx, dentry);
}

// The busy rule (mount_namespaces(7)): a mount point of the caller's namespace cannot be
// removed or renamed; mount points of other namespaces do not block. Without a namespace
// in the context every mount point counts, the safe answer.
function isBusy(mntns: MountNamespace | undefined, dentry: Dentry): boolean {
  const state = dentryState(dentry);
  if (state.mounts === 0) return false;
  return mntns === undefined || isMountpointIn(mntns, dentry);
}

function lock(dentry: Dentry): void {
  const state = dentryState(dentry);
  if (state.locked) throw new InternalError("dentry is already in a delete or rename protocol");
  state.locked = true;
}
