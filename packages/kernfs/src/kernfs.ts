// The kernfs dentry tree: dentries, their reference counts, the LRU cache of unreferenced
// dentries, deferred decRefs, invalidation and the internal tree walk. Twin of the
// Dentry half of gVisor's pkg/sentry/fsimpl/kernfs/kernfs.go.
//
// gVisor serialises with an FS-wide RWMutex and queues decRefs taken under its read side
// until the lock is dropped. JavaScript runs one operation at a time, but the *effect* is
// kept: while a kernfs operation is in progress (FsState.depth > 0) no dentry is ever
// destroyed. References the operation itself gives up are queued (deferDecRef), and a
// count that reaches zero because someone else dropped a reference mid-operation is
// handled at the end too (pendingZero). Both are flushed when the outermost operation
// ends, so a dentry looked up by a walk stays valid for the whole operation, and an inode
// method that re-enters the VFS cannot free what an outer walk still uses.
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, SysError } from "@vfskit/abi";
import { Builder, parse, type Path } from "@vfskit/fspath";
import {
  Dentry as VfsDentry,
  InternalError,
  trackObject,
  untrackObject,
  type Context,
  type DentryImpl,
  type VirtualFilesystem,
} from "@vfskit/vfs";
import type { Filesystem } from "./filesystem.js";
import { filesystemState } from "./filesystem.js";
import type { Inode } from "./inode.js";
import { InotifyMask, type Watches } from "./watches.js";

/** Something whose reference can be dropped later. @internal */
export interface DecRefable {
  decRef(ctx: Context): void;
}

/** The per-filesystem state the dentry machinery shares. @internal */
export interface FsState {
  readonly fs: Filesystem;
  readonly vfs: VirtualFilesystem;
  /**
   * Unreferenced, reachable dentries in LRU order. A Set iterates in insertion order, so
   * its first element is the least recently used ("back" of gVisor's list) and re-adding
   * an element moves it to the end ("front").
   */
  readonly cache: Set<Dentry>;
  readonly maxCached: number;
  /** References the current operation gave up; dropped when it ends (LIFO, as gVisor's defers). */
  readonly deferred: DecRefable[];
  /** Dentries whose count reached zero during an operation. */
  readonly pendingZero: Dentry[];
  /** Nesting depth of kernfs operations in progress. */
  depth: number;
  root: Dentry | undefined;
  lastIno: number;
}

const FLAG_DIR = 1;
const FLAG_SYMLINK = 2;
const FLAG_REGULAR = 4;

/** The package-internal state of a dentry. @internal */
export interface DentryState {
  /** Reference count: 0 = unreferenced (maybe cached), -1 = destroyed. */
  refs: number;
  readonly fs: FsState;
  /** File type of the inode, cached at creation. */
  readonly flags: number;
  parent: Dentry | undefined;
  name: string;
  /** In `fs.cache`. */
  cached: boolean;
  /** Children by name (directories only; created on first insertion). */
  children: Map<string, Dentry> | undefined;
  readonly inode: Inode;
  /** Unlinked, rmdir'ed or replaced by a rename. */
  deleted: boolean;
  /**
   * The tree holds one reference on this dentry: it was created by a kernfs operation
   * (mkdir, open O_CREAT…) or looked up from an inode whose `keep()` is true. Dropped when
   * the dentry leaves the tree (unlink, rmdir, rename over it, invalidation, release).
   */
  kept: boolean;
}

/** The package-internal state of `d`. @internal */
export let dentryState!: (d: Dentry) => DentryState;

/**
 * A named pointer to an {@link Inode} in a kernfs filesystem's tree (gVisor's
 * `kernfs.Dentry`); it implements the VFS's `DentryImpl` and owns the VFS `Dentry`
 * ({@link Dentry.vfsd}).
 *
 * @remarks
 * Reference model: a dentry holds one reference on its inode (hard links are several
 * dentries on one inode); a child dentry holds one reference on its parent; file
 * descriptions and the VFS hold references on dentries. The count may drop to 0 and rise
 * again: a dentry with no references that is still reachable stays in the filesystem's
 * LRU cache ({@link FilesystemOptions.maxCachedDentries}) and is evicted from the back
 * when the cache overflows — with the default limit 0, at once. A destroyed dentry has
 * count -1. Eviction drops the reference on the parent, which may evict the parent too.
 *
 * Only kernfs changes the tree; inodes never see it.
 * @public
 */
export class Dentry implements DentryImpl {
  /** The VFS's half of this dentry. */
  readonly vfsd: VfsDentry;
  readonly #s: DentryState;

  static {
    dentryState = (d) => d.#s;
  }

  /**
   * Creates a dentry for `inode` with one reference for the caller (gVisor's
   * `Dentry.Init`). It has no parent until kernfs inserts it into the tree; a parentless
   * dentry that is not the root (an anonymous pipe, a magic link's target) is destroyed
   * as soon as its count reaches zero.
   *
   * @param fs - The filesystem the dentry belongs to.
   * @param inode - The inode; the caller's reference on it passes to the dentry.
   * @precondition The caller holds a reference on `inode`.
   */
  constructor(fs: Filesystem, inode: Inode) {
    const type = inode.mode() & S_IFMT;
    const flags = type === S_IFDIR ? FLAG_DIR : type === S_IFLNK ? FLAG_SYMLINK : type === S_IFREG ? FLAG_REGULAR : 0;
    this.#s = {
      refs: 1,
      fs: filesystemState(fs),
      flags,
      parent: undefined,
      name: "",
      cached: false,
      children: undefined,
      inode,
      deleted: false,
      kept: false,
    };
    this.vfsd = new VfsDentry(this);
    trackObject(this, "kernfs.Dentry", () => this.#s.refs, () => `kernfs.Dentry ${this.fsLocalPath()}`);
    inode.registerDentry(this);
  }

  /** The filesystem the dentry belongs to. */
  filesystem(): Filesystem {
    return this.#s.fs.fs;
  }

  /** The inode the dentry points to. */
  inode(): Inode {
    return this.#s.inode;
  }

  /**
   * The parent dentry, or `undefined` for the root and for parentless dentries.
   * @remarks The tree may change after the call (rename); do not keep the result.
   */
  parent(): Dentry | undefined {
    return this.#s.parent;
  }

  /** The dentry's name in its parent (`""` for the root). */
  name(): string {
    return this.#s.name;
  }

  /** The current reference count: 0 when unreferenced (cached), -1 once destroyed. */
  get refCount(): number {
    return this.#s.refs;
  }

  /** Reports whether the inode is a directory. */
  isDir(): boolean {
    return (this.#s.flags & FLAG_DIR) !== 0;
  }

  /** Reports whether the inode is a symbolic link. */
  isSymlink(): boolean {
    return (this.#s.flags & FLAG_SYMLINK) !== 0;
  }

  /** Reports whether the inode is a regular file. */
  isRegular(): boolean {
    return (this.#s.flags & FLAG_REGULAR) !== 0;
  }

  /** Reports whether the file was unlinked, removed, or replaced by a rename. */
  isDeleted(): boolean {
    return this.#s.deleted;
  }

  /**
   * Takes a reference. Allowed at count 0 (reviving a cached dentry, which leaves the
   * cache).
   * @throws InternalError if the dentry was destroyed.
   */
  incRef(): void {
    const s = this.#s;
    if (s.refs < 0) throw new InternalError("kernfs.Dentry.incRef on a destroyed dentry");
    if (s.refs++ === 0 && s.cached) {
      s.fs.cache.delete(this);
      s.cached = false;
    }
  }

  /** Takes a reference unless the count is zero or the dentry was destroyed. */
  tryIncRef(): boolean {
    const s = this.#s;
    if (s.refs <= 0) return false;
    s.refs++;
    return true;
  }

  /**
   * Drops a reference. At zero, an anonymous dentry is destroyed; any other is cached,
   * or destroyed if it is dead or has no parent — at once outside a kernfs operation, at
   * the end of the operation inside one.
   * @throws InternalError if the count would drop below zero.
   */
  decRef(ctx: Context): void {
    const s = this.#s;
    const refs = --s.refs;
    if (refs > 0) return;
    if (refs < 0) {
      s.refs++;
      throw new InternalError(`kernfs.Dentry.decRef without a reference (${this.fsLocalPath()})`);
    }
    if (s.inode.anonymous()) {
      // Nothing to cache and no parent to find: straight to destruction.
      destroyDentry(ctx, this);
      return;
    }
    const fs = s.fs;
    if (fs.depth > 0) fs.pendingZero.push(this);
    else cacheLocked(ctx, this);
  }

  /**
   * Removes this dentry and its whole subtree from the tree and marks them dead (gVisor's
   * `Dentry.Invalidate`): what a /proc/[pid] directory does when its task exits. Open
   * files keep working; new lookups go to the inode again.
   * @param ctx - The caller's context.
   */
  invalidate(ctx: Context): void {
    const st = this.#s.fs;
    beginOp(st);
    try {
      const parent = this.#s.parent;
      if (parent === undefined) return;
      const siblings = parent.#s.children;
      if (siblings?.get(this.#s.name) !== this) return;
      siblings.delete(this.#s.name);
      invalidateRemovedChild(st, ctx, this);
    } finally {
      endOp(st, ctx);
    }
  }

  /**
   * Walks `path` through the dentry tree from this dentry, for filesystem internals that
   * run before the filesystem is mounted (gVisor's `WalkDentryTree`).
   *
   * @remarks
   * Not a path resolution: no symbolic links are followed and no permissions checked.
   * Absolute and relative paths both start here, and `..` never climbs above this dentry.
   * Children are looked up through the inodes (and revalidated) like in a walk.
   * @param ctx - The caller's context.
   * @param path - The path to walk.
   * @returns The dentry reached, with a reference for the caller.
   * @throws ENOENT - a component does not exist.
   * @throws ENOTDIR - a component before the last is not a directory.
   */
  walkDentryTree(ctx: Context, path: string | Path): Dentry {
    return walkDentryTree(ctx, this, typeof path === "string" ? parse(path) : path);
  }

  /** The absolute path of this dentry from its filesystem's root (gVisor's `FSLocalPath`). */
  fsLocalPath(): string {
    return fsLocalPath(this);
  }

  /** The inotify watches of the inode (shared by its hard links). */
  watches(): Watches {
    return this.#s.inode.watches();
  }

  /**
   * Sends `events` to the parent's watches (with this dentry's name) and then to the
   * inode's own, adding IN_ISDIR for a directory (gVisor's `InotifyWithParent`; Linux
   * notifies the parent first).
   * @param ctx - The context of the operation causing the events.
   * @param events - The event bits.
   * @param cookie - The rename cookie, or 0.
   */
  inotifyWithParent(ctx: Context, events: number, cookie: number): void {
    const s = this.#s;
    if (this.isDir()) events |= InotifyMask.IN_ISDIR;
    const parent = s.parent;
    if (!s.inode.anonymous() && parent !== undefined) {
      parent.#s.inode.watches().notify(ctx, s.name, events, cookie, s.deleted);
    }
    s.inode.watches().notify(ctx, "", events, cookie, s.deleted);
  }
}

function walkDentryTree(ctx: Context, start: Dentry, path: Path): Dentry {
  const st = dentryState(start).fs;
  beginOp(st);
  try {
    let target = start;
    for (let it = path.begin; it.ok(); it = it.next()) {
      if (it.isDot()) continue;
      if (it.isDotDot()) {
        // Never above the starting point, as at a root.
        if (target === start) continue;
        const parent = dentryState(target).parent;
        if (parent === undefined) throw new SysError("ENOENT");
        target = parent;
        continue;
      }
      if (!target.isDir()) throw new SysError("ENOTDIR");
      const next = revalidateChild(st, ctx, target, it.string());
      if (next === undefined) throw new SysError("ENOENT");
      target = next;
    }
    target.incRef();
    return target;
  } finally {
    endOp(st, ctx);
  }
}

function fsLocalPath(d: Dentry): string {
  const builder = new Builder();
  for (let s = dentryState(d); s.parent !== undefined; s = dentryState(s.parent)) builder.prependComponent(s.name);
  builder.prependString("/");
  return builder.toString();
}

// --- Operations, deferral -----------------------------------------------------------------

/** Marks the start of a kernfs operation: no dentry is destroyed until it ends. @internal */
export function beginOp(st: FsState): void {
  st.depth++;
}

/** Ends an operation; the outermost one drops the deferred references. @internal */
export function endOp(st: FsState, ctx: Context): void {
  if (--st.depth === 0) processDeferredDecRefs(st, ctx);
}

/** Drops a reference when the current operation ends (gVisor's `deferDecRef`). @internal */
export function deferDecRef(st: FsState, obj: DecRefable): void {
  st.deferred.push(obj);
}

function processDeferredDecRefs(st: FsState, ctx: Context): void {
  for (;;) {
    const obj = st.deferred.pop();
    if (obj !== undefined) {
      obj.decRef(ctx);
      continue;
    }
    const d = st.pendingZero.pop();
    if (d === undefined) return;
    if (dentryState(d).refs === 0) cacheLocked(ctx, d);
  }
}

/** How many deferred decRefs of `d` the current operation has queued. @internal */
export function pendingDecRefs(st: FsState, d: Dentry): number {
  let n = 0;
  for (const obj of st.deferred) if (obj === d) n++;
  return n;
}

// --- The cache ------------------------------------------------------------------------------

/**
 * Called when `d`'s count reached zero (gVisor's `cacheLocked`): keeps it in the LRU if it
 * is reachable, destroys it otherwise, and evicts the least recently used dentry if the
 * cache overflows.
 */
function cacheLocked(ctx: Context, d: Dentry): void {
  const s = dentryState(d);
  const st = s.fs;
  if (s.refs === -1) return;
  if (s.refs > 0) {
    if (s.cached) {
      st.cache.delete(d);
      s.cached = false;
    }
    return;
  }
  const parent = s.parent;
  const dead = d.vfsd.isDead();
  // A deleted or invalidated dentry, or one without a parent (the released root, a magic
  // link target), can no longer be reached by a walk: drop it now.
  if (dead || parent === undefined) {
    if (!dead) st.vfs.invalidateDentry(ctx, d.vfsd);
    if (s.cached) {
      st.cache.delete(d);
      s.cached = false;
    }
    // Linux sends IN_DELETE_SELF/IN_IGNORED when the last reference to a deleted file goes.
    if (s.deleted) s.inode.watches().handleDeletion(ctx);
    destroyDentry(ctx, d);
    parent?.decRef(ctx);
    return;
  }
  if (d.vfsd.isEvictable()) {
    evictLocked(ctx, d);
    return;
  }
  if (s.cached) {
    // Already cached: move to the front (most recently used).
    st.cache.delete(d);
    st.cache.add(d);
    return;
  }
  st.cache.add(d);
  s.cached = true;
  if (st.cache.size > st.maxCached) evictBack(ctx, st);
}

/** Evicts the least recently used cached dentry. @internal */
export function evictBack(ctx: Context, st: FsState): void {
  const victim = st.cache.values().next().value;
  if (victim !== undefined) evictLocked(ctx, victim);
}

function evictLocked(ctx: Context, d: Dentry): void {
  const s = dentryState(d);
  if (s.cached) {
    s.fs.cache.delete(d);
    s.cached = false;
  }
  if (s.refs !== 0) return;
  const parent = s.parent;
  if (!d.vfsd.isDead()) {
    // An unreferenced dentry is never a mount point (mounts hold references on theirs).
    s.fs.vfs.invalidateDentry(ctx, d.vfsd);
    const siblings = parent === undefined ? undefined : dentryState(parent).children;
    if (siblings?.get(s.name) === d) siblings.delete(s.name);
  }
  destroyDentry(ctx, d);
  parent?.decRef(ctx);
}

function destroyDentry(ctx: Context, d: Dentry): void {
  const s = dentryState(d);
  if (s.refs !== 0) {
    throw new InternalError(s.refs < 0 ? "kernfs.Dentry destroyed twice" : "kernfs.Dentry destroyed with references");
  }
  s.refs = -1;
  s.inode.unregisterDentry(d);
  s.inode.decRef(ctx);
  untrackObject(d);
}

// --- Tree changes ---------------------------------------------------------------------------

/**
 * Makes `child` the entry `name` of directory `parent`; the child takes a reference on
 * the parent. Does not touch the inodes. @internal
 */
export function insertChild(parent: Dentry, name: string, child: Dentry): void {
  const ps = dentryState(parent);
  if ((ps.flags & FLAG_DIR) === 0) throw new InternalError("kernfs: insertChild on a non-directory dentry");
  parent.incRef(); // dropped when the child is destroyed
  const cs = dentryState(child);
  cs.parent = parent;
  cs.name = name;
  (ps.children ??= new Map()).set(name, child);
}

/**
 * `d` has just been removed from its parent's children: give up the tree's reference if
 * it holds one, and make sure an unreferenced `d` is destroyed when the operation ends
 * (it may be sitting in the cache). @internal
 */
export function dropFromTree(st: FsState, d: Dentry): void {
  const s = dentryState(d);
  if (!s.kept) d.incRef(); // forces a zero transition at the end of the operation
  s.kept = false;
  deferDecRef(st, d);
}

/**
 * `d` was removed from its parent's children behind the VFS's back (revalidation failed,
 * or `invalidate`): marks it and its subtree dead and drops them from the tree (gVisor's
 * `invalidateRemovedChildLocked`). @internal
 */
export function invalidateRemovedChild(st: FsState, ctx: Context, d: Dentry): void {
  const stack = [d];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    dropFromTree(st, x);
    st.vfs.invalidateDentry(ctx, x.vfsd);
    const children = dentryState(x).children;
    if (children !== undefined) {
      for (const child of children.values()) stack.push(child);
      children.clear();
    }
  }
}

/**
 * Looks up child `name` of directory `parent`: the cached dentry if its inode says it is
 * still valid, else a new dentry from `parent.inode().lookup` (gVisor's
 * `revalidateChildLocked`). A looked-up dentry whose inode does not `keep()` is dropped
 * when the operation ends unless someone takes a reference.
 * @precondition An operation is in progress; `parent` is a directory; `name` is not `.` or `..`.
 * @returns The child, or `undefined` if there is none.
 * @internal
 */
export function revalidateChild(st: FsState, ctx: Context, parent: Dentry, name: string): Dentry | undefined {
  const ps = dentryState(parent);
  let child = ps.children?.get(name);
  while (child !== undefined) {
    if (dentryState(child).inode.valid(ctx, parent, name)) return child;
    ps.children?.delete(name);
    invalidateRemovedChild(st, ctx, child);
    child = ps.children?.get(name);
  }
  const inode = ps.inode.lookup(ctx, name);
  if (inode === undefined) return undefined;
  child = new Dentry(st.fs, inode);
  insertChild(parent, name, child);
  if (inode.keep()) dentryState(child).kept = true;
  else deferDecRef(st, child); // the lookup's reference: gone at the end unless taken
  return child;
}

/**
 * Drops every reference the tree holds on kept dentries below `root` (gVisor's
 * `releaseKeptDentriesLocked`), when the filesystem is released. @internal
 */
export function releaseKeptDentries(ctx: Context, root: Dentry): void {
  const stack: Dentry[] = [root];
  const kept: Dentry[] = [];
  for (let d = stack.pop(); d !== undefined; d = stack.pop()) {
    const s = dentryState(d);
    if (s.kept && d !== root) kept.push(d);
    if (s.children !== undefined) for (const child of s.children.values()) stack.push(child);
  }
  for (const d of kept) {
    const s = dentryState(d);
    if (!s.kept) continue;
    s.kept = false;
    d.decRef(ctx);
  }
}
