// A mount: one filesystem's dentry grafted onto a point of the mount tree. Twin of the
// Mount half of gVisor's pkg/sentry/vfs/mount.go (Linux's struct mount).
import { ST_NOATIME, ST_NODEV, ST_NOEXEC, ST_NOSUID, ST_RDONLY, ST_RELATIME, ST_VALID, SysError } from "@vfskit/abi";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { Filesystem } from "./filesystem.js";
import { destroyMount } from "./mount-tree.js";
import type { MountNamespace } from "./namespace.js";
import type { MountFlags } from "./options.js";
import { RefCounted } from "./refs.js";
import type { VirtualFilesystem } from "./vfs.js";

/**
 * The most mounts a namespace may hold, pending ones included; one more is ENOSPC.
 *
 * @remarks gVisor's limit. Linux's default (`/proc/sys/fs/mount-max`) is 100,000.
 * @public
 */
export const MOUNT_MAX = 10_000;

/**
 * A mount's propagation type (mount_namespaces(7)).
 *
 * @remarks
 * Propagation itself is not implemented: there are no peer groups, so mounts are
 * `private` or `unbindable` (see `setMountPropagationAt`). The type exists so that
 * shared and slave mounts can be added without changing the shape of {@link Mount}.
 * @public
 */
export const PropagationType = {
  /** Mount events neither propagate to nor from this mount (the default here). */
  Private: "private",
  /** Member of a peer group: events propagate to and from the peers (not implemented). */
  Shared: "shared",
  /** Receives events from a master peer group (not implemented). */
  Slave: "slave",
  /** Private, and cannot be bind-mounted (not implemented). */
  Unbindable: "unbindable",
} as const;

/**
 * One of the {@link (PropagationType:variable)} values.
 * @public
 */
export type PropagationType = (typeof PropagationType)[keyof typeof PropagationType];

/** The flags a remount may not clear (Linux's MNT_LOCK_*). @internal */
export interface LockedMountFlags {
  readOnly: boolean;
  noExec: boolean;
  noDev: boolean;
  noSUID: boolean;
}

/** The package-internal state of a mount. @internal */
export interface MountState {
  /** The mount this one is mounted on (with `point`, the mount's key); holds a reference. */
  parent: Mount | undefined;
  /** The dentry of `parent` this mount covers; holds a reference. */
  point: Dentry | undefined;
  /** The namespace the mount was connected in; `undefined` if never connected. */
  ns: MountNamespace | undefined;
  /** Mounts whose parent is this one. */
  readonly children: Set<Mount>;
  /** The mount table for keys (this mount, point): the mount directly on `point`. */
  readonly mountsAt: Map<Dentry, Mount>;
  /** umount has run on this mount; the VFS no longer holds a reference on it. */
  umounted: boolean;
  /** umount without MNT_DETACH: walks can no longer take references through it. */
  eagerlyUmounted: boolean;
  /** Cannot be unmounted from this namespace (MNT_LOCKED). */
  locked: boolean;
  readonly lockedFlags: LockedMountFlags;
  /** Per-mount flags (MS_NOEXEC…). Read-only is `readOnly`. */
  flags: Required<MountFlags>;
  readOnly: boolean;
  /**
   * Linux's MNT_RELATIME: set on mounts made by mount(2) and namespace roots, not on the
   * kernel's internal mounts (kern_mount: pipefs), whose statfs then shows only ST_VALID.
   */
  relATime: boolean;
  /** Writes in progress (checkBeginWrite without endWrite). */
  writers: number;
  propagation: PropagationType;
  /** Peer group ID, 0 when not shared. */
  groupID: number;
  /** mount(2)'s source argument, shown in /proc/mounts. */
  readonly source: string;
}

/** The package-internal state of `mount`. @internal */
export let mountState!: (mount: Mount) => MountState;

let createMount!: (
  vfs: VirtualFilesystem,
  fs: Filesystem,
  root: Dentry,
  id: number,
  init: MountInit,
) => Mount;

/** What a new mount starts with. @internal */
export interface MountInit {
  readonly flags: Required<MountFlags>;
  readonly readOnly: boolean;
  readonly source: string;
  readonly ns: MountNamespace | undefined;
  readonly locked?: boolean;
  /** MNT_RELATIME (default true); false for internal mounts. */
  readonly relATime?: boolean;
}

/** Creates a mount taking over one reference on `fs` and on `root`. @internal */
export function newMount(
  vfs: VirtualFilesystem,
  fs: Filesystem,
  root: Dentry,
  id: number,
  init: MountInit,
): Mount {
  return createMount(vfs, fs, root, id, init);
}

/**
 * A filesystem's dentry made visible at a point of the mount tree (gVisor's `vfs.Mount`,
 * Linux's `struct mount`).
 *
 * @remarks
 * A mount holds references on its {@link Filesystem}, its root {@link Dentry}, and, once
 * connected, on its parent mount and the dentry it covers (its mount point). The VFS holds
 * one reference on every connected mount until it is unmounted. Walks find mounts by
 * their key, (parent mount, mount point); mounting on a point that already has a mount
 * stacks the new one on the top mount's root, and walks always enter the topmost.
 *
 * Mounts are created by {@link VirtualFilesystemBase.mountAt}, `bindAt`,
 * `newDisconnectedMount` and mount-namespace functions; never directly.
 *
 * Read-only state is counted like Linux's `mnt_want_write`: every write in progress
 * (and every file description open for writing) holds a writer from
 * {@link Mount.checkBeginWrite} to {@link Mount.endWrite}; switching the mount to
 * read-only while writers exist is EBUSY.
 * @public
 */
export class Mount extends RefCounted {
  /** The mount's immutable ID (from 1, never reused), as in /proc/[pid]/mountinfo. */
  readonly id: number;
  /** The VFS this mount belongs to. */
  readonly vfs: VirtualFilesystem;
  /** The mounted filesystem. */
  readonly fs: Filesystem;
  readonly #root: Dentry;
  readonly #state: MountState;

  static {
    mountState = (mount) => mount.#state;
    createMount = (vfs, fs, root, id, init) => new Mount(vfs, fs, root, id, init);
  }

  private constructor(vfs: VirtualFilesystem, fs: Filesystem, root: Dentry, id: number, init: MountInit) {
    super("Mount");
    this.id = id;
    this.vfs = vfs;
    this.fs = fs;
    this.#root = root;
    this.#state = {
      parent: undefined,
      point: undefined,
      ns: init.ns,
      children: new Set(),
      mountsAt: new Map(),
      umounted: false,
      eagerlyUmounted: false,
      locked: init.locked ?? false,
      lockedFlags: { readOnly: false, noExec: false, noDev: false, noSUID: false },
      flags: { ...init.flags },
      readOnly: init.readOnly,
      relATime: init.relATime ?? true,
      writers: 0,
      propagation: PropagationType.Private,
      groupID: 0,
      source: init.source,
    };
  }

  /** The dentry this mount shows at its mount point (no reference is taken). */
  root(): Dentry {
    return this.#root;
  }

  /**
   * The per-mount flags (noexec, noatime, nodev, nosuid), as a new object.
   *
   * @remarks
   * Allocates a copy on every call; on hot paths use {@link Mount.noExec},
   * {@link Mount.noATime}, {@link Mount.noDev} and {@link Mount.noSUID}.
   */
  flags(): Required<MountFlags> {
    return { ...this.#state.flags };
  }

  /** Reports whether programs may not be executed from this mount (MS_NOEXEC). */
  noExec(): boolean {
    return this.#state.flags.noExec;
  }

  /** Reports whether access times are never updated on this mount (MS_NOATIME). */
  noATime(): boolean {
    return this.#state.flags.noATime;
  }

  /** Reports whether device nodes may not be opened on this mount (MS_NODEV). */
  noDev(): boolean {
    return this.#state.flags.noDev;
  }

  /** Reports whether set-user-ID and set-group-ID bits are ignored on this mount (MS_NOSUID). */
  noSUID(): boolean {
    return this.#state.flags.noSUID;
  }

  /** Reports whether the mount is read-only. */
  readOnly(): boolean {
    return this.#state.readOnly;
  }

  /**
   * The mount's flags as statfs(2) ST_* bits: always ST_VALID (Linux's
   * calculate_f_flags), then ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC, and ST_NOATIME or
   * (Linux's default for mount(2)) ST_RELATIME.
   *
   * @remarks
   * Internal mounts from {@link VirtualFilesystemBase.newDisconnectedMount} (pipefs) get
   * no ST_RELATIME, as Linux's kern_mount: a pipe's fstatfs shows 0x20.
   */
  statfsFlags(): number {
    const state = this.#state;
    let bits = ST_VALID;
    if (state.readOnly) bits |= ST_RDONLY;
    if (state.flags.noSUID) bits |= ST_NOSUID;
    if (state.flags.noDev) bits |= ST_NODEV;
    if (state.flags.noExec) bits |= ST_NOEXEC;
    // Linux mounts are relatime unless noatime (strictatime is not modelled).
    if (state.flags.noATime) bits |= ST_NOATIME;
    else if (state.relATime) bits |= ST_RELATIME;
    return bits;
  }

  /** The source given to mount(2) (`"none"` when there was none). */
  source(): string {
    return this.#state.source;
  }

  /** The mount this one is mounted on, or `undefined` for a root or detached mount. */
  parent(): Mount | undefined {
    return this.#state.parent;
  }

  /** The dentry of the parent mount this one covers, or `undefined`. */
  mountPoint(): Dentry | undefined {
    return this.#state.point;
  }

  /** The namespace the mount belongs to, or `undefined` if it was never connected. */
  namespace(): MountNamespace | undefined {
    return this.#state.ns;
  }

  /** Reports whether the mount was unmounted (possibly lazily, while still in use). */
  isUmounted(): boolean {
    return this.#state.umounted;
  }

  /** The mount's propagation type (`private` or `unbindable` for now). */
  propagationType(): PropagationType {
    return this.#state.propagation;
  }

  /**
   * Starts a write on this mount (Linux's `mnt_want_write`).
   *
   * @remarks Pair every successful call with {@link Mount.endWrite}.
   * @throws EROFS - the mount is read-only.
   */
  checkBeginWrite(): void {
    const state = this.#state;
    if (state.readOnly) throw new SysError("EROFS");
    state.writers++;
  }

  /** Ends a write started by {@link Mount.checkBeginWrite}. */
  endWrite(): void {
    this.#state.writers--;
  }

  /**
   * Takes a reference unless the mount was eagerly unmounted (umount without
   * MNT_DETACH) or released; says whether it did. Walks use this to enter mounts.
   */
  tryIncMountedRef(): boolean {
    if (this.#state.eagerlyUmounted) return false;
    return this.tryIncRef();
  }

  /** Drops a reference; the last one disconnects the mount and releases what it holds. */
  decRef(ctx: Context): void {
    if (this.dropRef()) destroyMount(this, ctx);
  }

  protected override describeForLeakCheck(): string {
    return `Mount(${this.id}, ${this.fs.fsType.name()})`;
  }
}

/**
 * Switches `mount` to read-only or read-write (no-op if unchanged).
 * @throws EBUSY - switching to read-only while writes are in progress.
 * @internal
 */
export function setMountReadOnly(mount: Mount, readOnly: boolean): void {
  const state = mountState(mount);
  if (state.readOnly === readOnly) return;
  if (readOnly && state.writers > 0) throw new SysError("EBUSY", { detail: "mount has writers" });
  state.readOnly = readOnly;
}
