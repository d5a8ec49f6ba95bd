// The state of one path walk, shared between the VFS and the filesystems it crosses. Twin
// of gVisor's pkg/sentry/vfs/resolving_path.go (Linux's struct nameidata).
//
// Restarts are returned values (DESIGN.md D4). A walk may have to continue on another
// filesystem: the component is a mount point (checkMount), `..` leaves a mount's root
// (checkRoot), a symlink is absolute (handleSymlink) or a magic link jumps (handleJump).
// The ResolvingPath method that detects this records where to continue and returns the
// RESTART symbol; the filesystem method returns RESTART at once, unchanged; the VFS loop
// sees it, moves the ResolvingPath to the recorded mount and dentry, and calls the same
// operation on that mount's filesystem. No exception is built and nothing is allocated.
import { MAXSYMLINKS, NAME_MAX, SysError } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import { Cursor, parse, type Path } from "@vfskit/fspath";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { Mount } from "./mount.js";
import { getMountAt, getMountpointAt } from "./mount-tree.js";
import type { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";

/**
 * The value a filesystem method returns when path resolution must continue on another
 * mount (see {@link ResolvingPath}).
 * @public
 */
export const RESTART: unique symbol = Symbol("vfskit.restart");

/**
 * The type of {@link RESTART}.
 * @public
 */
export type Restart = typeof RESTART;

const enum Pending {
  None,
  /** `..` at a mount root, or a magic-link jump: continue at nextMount/nextStart, keep the component. */
  MountRootOrJump,
  /** The component is a mount point: continue at nextMount's root, consume the component. */
  MountPoint,
  /** Absolute symlink: continue at the root, consume the link, prepend the target. */
  AbsSymlink,
}

/** A cursor past the end of an empty path, used to drop references to finished paths. */
const endOfPath = new Cursor();

/** What a path walk starts from. @internal */
export interface ResolvingPathInit {
  readonly root: VirtualDentry;
  readonly start: VirtualDentry;
  readonly path: Path;
  readonly followFinalSymlink: boolean;
}

let rpInit!: (rp: ResolvingPath, vfs: VirtualFilesystem, creds: Credentials, init: ResolvingPathInit) => void;
let rpRestart!: (rp: ResolvingPath, ctx: Context) => void;
let rpFinish!: (rp: ResolvingPath, ctx: Context) => void;
let rpSetMustBeDir!: (rp: ResolvingPath) => void;
let rpCreate!: () => ResolvingPath;

/** Starts a walk with a pooled or new ResolvingPath. @internal */
export function beginResolvingPath(
  vfs: VirtualFilesystem,
  pool: ResolvingPath[],
  creds: Credentials,
  init: ResolvingPathInit,
): ResolvingPath {
  const rp = pool.pop() ?? rpCreate();
  rpInit(rp, vfs, creds, init);
  return rp;
}

/** Ends a walk: drops what the walk holds and returns the object to `pool`. @internal */
export function endResolvingPath(rp: ResolvingPath, ctx: Context, pool: ResolvingPath[]): void {
  rpFinish(rp, ctx);
  if (pool.length < 8) pool.push(rp);
}

/**
 * Applies the restart a filesystem method asked for by returning RESTART.
 * @internal
 */
export function handleRestart(rp: ResolvingPath, ctx: Context): void {
  rpRestart(rp, ctx);
}

/** Forces the final file to be a directory (open with O_DIRECTORY). @internal */
export function setMustBeDir(rp: ResolvingPath): void {
  rpSetMustBeDir(rp);
}

/**
 * The UTF-8 length of `text` in bytes (lone surrogates count 3, as U+FFFD).
 * @public
 */
export function utf8ByteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        bytes += 2; // 4 bytes for 2 units
        i++;
        continue;
      }
      bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Reports whether a file name is longer than NAME_MAX (255) UTF-8 bytes, as Linux counts.
 *
 * @remarks Filesystems throw ENAMETOOLONG when this is true for a name they look up or
 * create. Costs nothing for names of up to 85 UTF-16 units.
 * @public
 */
export function exceedsNameMax(name: string): boolean {
  if (name.length * 3 <= NAME_MAX) return false;
  if (name.length > NAME_MAX) return true;
  return utf8ByteLength(name) > NAME_MAX;
}

/**
 * One path walk in progress, shared between the VFS and the filesystem methods it calls
 * (gVisor's `ResolvingPath`, Linux's `struct nameidata`).
 *
 * @remarks
 * The VFS creates it from a `PathOperation` and passes it to a {@link FilesystemImpl}
 * method. From the filesystem's side it is: a starting dentry on that filesystem
 * ({@link ResolvingPath.start}, already referenced), a stream of components to consume
 * ({@link ResolvingPath.component}, {@link ResolvingPath.advance}), and the caller's
 * credentials. Components are read in place from the pathname (no split); symlink
 * targets are spliced in front of the remainder with a fixed stack of cursors.
 *
 * A filesystem walks like this, for each component: check the current directory is a
 * searchable directory; `.` stays; `..` calls {@link ResolvingPath.checkRoot} first (the
 * contextual root and mount roots are handled by the VFS), then steps to the parent and
 * calls {@link ResolvingPath.checkMount}; a name is looked up, then
 * {@link ResolvingPath.checkMount}; a symbolic link, when
 * {@link ResolvingPath.shouldFollowSymlink}, goes to {@link ResolvingPath.handleSymlink}
 * (or {@link ResolvingPath.handleJump} for magic links). Whenever one of these returns
 * {@link RESTART}, the filesystem method returns `RESTART` immediately. At the end, a
 * non-directory with {@link ResolvingPath.mustBeDir} set is ENOTDIR.
 *
 * A ResolvingPath is only valid during the filesystem call it was passed to.
 * @public
 */
export class ResolvingPath {
  #vfs!: VirtualFilesystem;
  #creds!: Credentials;
  #root!: VirtualDentry; // borrowed from the PathOperation
  #mount!: Mount;
  #start!: Dentry;
  #haveMountRef = false;
  #haveStartRef = false;
  readonly #cursor = new Cursor();
  // Saved positions of enclosing path segments while inside relative symlink targets.
  readonly #parts: Cursor[] = [];
  #curPart = 0;
  #followFinal = false;
  #mustBeDir = false;
  // O_DIRECTORY: the final file must be a directory, but unlike a trailing slash this does
  // not make a final symbolic link followed (Linux: LOOKUP_DIRECTORY without LOOKUP_FOLLOW;
  // gVisor follows it, so O_DIRECTORY|O_NOFOLLOW opened a linked directory).
  #openDirectory = false;
  #symlinks = 0;
  #pending = Pending.None;
  #nextMount: Mount | undefined = undefined; // reference held
  #nextStart: Dentry | undefined = undefined; // reference held
  #absTarget: Path | undefined = undefined;

  static {
    rpInit = (rp, vfs, creds, init) => {
      rp.#vfs = vfs;
      rp.#creds = creds;
      rp.#root = init.root;
      rp.#mount = init.start.mount;
      rp.#start = init.start.dentry;
      rp.#haveMountRef = false;
      rp.#haveStartRef = false;
      rp.#cursor.set(init.path.begin);
      rp.#curPart = 0;
      rp.#followFinal = init.followFinalSymlink;
      rp.#mustBeDir = init.path.dir;
      rp.#openDirectory = false;
      rp.#symlinks = 0;
      rp.#pending = Pending.None;
    };
    rpRestart = (rp, ctx) => rp.#restart(ctx);
    rpFinish = (rp, ctx) => {
      rp.#dropStartAndMount(ctx);
      rp.#releasePending(ctx);
      rp.#absTarget = undefined;
      // A pooled walk must not keep a released VFS, its mounts or its path strings
      // reachable until it is reused: forget everything the walk borrowed.
      rp.#vfs = undefined!;
      rp.#creds = undefined!;
      rp.#root = undefined!;
      rp.#mount = undefined!;
      rp.#start = undefined!;
      rp.#cursor.set(endOfPath);
      for (const part of rp.#parts) part.set(endOfPath);
      rp.#curPart = 0;
    };
    rpSetMustBeDir = (rp) => {
      rp.#openDirectory = true;
    };
    rpCreate = () => new ResolvingPath();
  }

  private constructor() {}

  /** The VFS performing the walk. */
  virtualFilesystem(): VirtualFilesystem {
    return this.#vfs;
  }

  /** The credentials of the caller. */
  credentials(): Credentials {
    return this.#creds;
  }

  /** The mount the walk is on now (no reference is taken). */
  mount(): Mount {
    return this.#mount;
  }

  /** The dentry the remaining components are relative to (no reference is taken). */
  start(): Dentry {
    return this.#start;
  }

  /** Reports whether every component was consumed. */
  done(): boolean {
    return !this.#cursor.ok();
  }

  /**
   * Reports whether exactly one component remains and it is the path's last (not the
   * last of a symlink target being expanded).
   * @precondition `!rp.done()`.
   */
  final(): boolean {
    return this.#curPart === 0 && !this.#cursor.nextOk();
  }

  /**
   * The current component (a substring, cached until the walk advances).
   * @precondition `!rp.done()`.
   */
  component(): string {
    return this.#cursor.string();
  }

  /** Reports whether the current component is `.` (without building a string). */
  isDot(): boolean {
    return this.#cursor.isDot();
  }

  /** Reports whether the current component is `..` (without building a string). */
  isDotDot(): boolean {
    return this.#cursor.isDotDot();
  }

  /**
   * Consumes the current component; at the end of a symlink target, continues with the
   * rest of the enclosing path.
   * @precondition `!rp.done()`.
   */
  advance(): void {
    const cursor = this.#cursor;
    if (cursor.nextOk() || this.#curPart === 0) {
      cursor.advance();
    } else {
      this.#curPart--;
      cursor.set(this.#parts[this.#curPart] as Cursor);
    }
  }

  /**
   * Calls `emit` with every remaining component, without consuming them, until it
   * returns `false`.
   * @param excludeLast - Skip the path's last component.
   * @param emit - Receives each component.
   */
  getComponents(excludeLast: boolean, emit: (component: string) => boolean): void {
    const cursor = this.#cursor.clone();
    let part = this.#curPart;
    while (cursor.ok()) {
      if (excludeLast && part === 0 && !cursor.nextOk()) break;
      if (!emit(cursor.string())) break;
      if (cursor.nextOk() || part === 0) cursor.advance();
      else {
        part--;
        cursor.set(this.#parts[part] as Cursor);
      }
    }
  }

  /**
   * An independent copy of this walk's state (for a filesystem that must try two walks,
   * such as a union of layers). Using the copy does not change the original.
   * @returns The copy; end it with {@link ResolvingPath.release}.
   */
  copy(): ResolvingPath {
    const rp = rpCreate();
    rp.#vfs = this.#vfs;
    rp.#creds = this.#creds;
    rp.#root = this.#root;
    rp.#mount = this.#mount;
    rp.#start = this.#start;
    rp.#haveMountRef = this.#haveMountRef;
    rp.#haveStartRef = this.#haveStartRef;
    if (rp.#haveStartRef) rp.#start.incRef();
    if (rp.#haveMountRef) rp.#mount.incRef();
    rp.#cursor.set(this.#cursor);
    for (let i = 0; i < this.#curPart; i++) rp.#parts.push((this.#parts[i] as Cursor).clone());
    rp.#curPart = this.#curPart;
    rp.#followFinal = this.#followFinal;
    rp.#mustBeDir = this.#mustBeDir;
    rp.#openDirectory = this.#openDirectory;
    rp.#symlinks = this.#symlinks;
    return rp;
  }

  /**
   * Ends a walk made with {@link ResolvingPath.copy}: drops the references it holds.
   * (The VFS ends the walks it creates itself.)
   */
  release(ctx: Context): void {
    rpFinish(this, ctx);
  }

  /** Reports whether the final file must be a directory (trailing slash, O_DIRECTORY). */
  mustBeDir(): boolean {
    return this.#mustBeDir || this.#openDirectory;
  }

  /**
   * Reports whether a symbolic link at the current component should be followed: always
   * for components before the last, for the last one if the operation follows final
   * links or the path ended with a slash.
   * @precondition `!rp.done()`.
   */
  shouldFollowSymlink(): boolean {
    return this.#followFinal || !this.final() || this.#mustBeDir;
  }

  /**
   * Called before resolving `..` from `dentry`.
   *
   * @param ctx - The operation's context.
   * @param dentry - The directory the walk is at, on the current mount.
   * @returns `true` if `dentry` is the contextual root (after chroot) or the root of the
   * root mount: treat `..` as `.`. `false`: step to the parent normally. {@link RESTART}:
   * `dentry` is the root of a mounted filesystem; return RESTART, the VFS re-resolves the
   * `..` from the mount point in the parent mount.
   */
  checkRoot(ctx: Context, dentry: Dentry): boolean | Restart {
    const root = this.#root;
    if (dentry === root.dentry && this.#mount === root.mount) return true;
    if (dentry !== this.#mount.root()) return false;
    const point = getMountpointAt(this.#vfs, ctx, this.#mount, root);
    if (point === undefined) return true;
    this.#nextMount = point.mount;
    this.#nextStart = point.dentry;
    this.#pending = Pending.MountRootOrJump;
    return RESTART;
  }

  /**
   * Called after stepping to `dentry` (a child, or the parent for `..`).
   *
   * @param ctx - The operation's context.
   * @param dentry - The dentry just reached on the current mount.
   * @returns {@link RESTART} if a mount covers `dentry` (the walk continues at the root of
   * the topmost mount stacked there, the component consumed); otherwise `undefined`.
   */
  checkMount(ctx: Context, dentry: Dentry): Restart | undefined {
    if (!dentry.isMountpoint()) return undefined;
    const next = getMountAt(this.#vfs, ctx, this.#mount, dentry);
    if (next === undefined) return undefined;
    this.#nextMount = next;
    this.#pending = Pending.MountPoint;
    return RESTART;
  }

  /**
   * Resolves a `.` or `..` component the way every filesystem must (Linux's handle_dots):
   * `.` stays at `current`; `..` stays put at the contextual (chroot) root or the global
   * root, leaves a mount's root for the mount point below it ({@link RESTART}, the `..` is
   * then resolved again there), or moves to `parent` and enters the topmost mount on it.
   *
   * @param current - The directory the component is looked up in; the caller has already
   *   checked that it is a searchable directory.
   * @param parent - `current`'s parent in the same filesystem, or null/undefined at the
   *   filesystem's root.
   * @returns The dentry to continue from (the component is consumed), {@link RESTART}, or
   *   `undefined` if the component is neither `.` nor `..`.
   */
  stepDots<D extends { readonly vfsd: Dentry }>(ctx: Context, current: D, parent: D | null | undefined): D | Restart | undefined {
    if (this.isDot()) {
      this.advance();
      return current;
    }
    if (!this.isDotDot()) return undefined;
    const isRoot = this.checkRoot(ctx, current.vfsd);
    if (isRoot === RESTART) return RESTART;
    if (isRoot || parent === null || parent === undefined) {
      this.advance();
      return current;
    }
    if (this.checkMount(ctx, parent.vfsd) === RESTART) return RESTART;
    this.advance();
    return parent;
  }

  /**
   * Follows a symbolic link whose target is `target` at the current component.
   *
   * @remarks
   * A relative target is spliced in front of the remaining components and the walk
   * continues on the same filesystem (returns `undefined`; the link's component is
   * consumed). An absolute target returns {@link RESTART}: the walk restarts at the root
   * (which may be on another mount). A trailing slash in the target makes the final file
   * a directory when the link was the last component; it never clears that requirement.
   * @param target - The link's contents.
   * @returns {@link RESTART} or `undefined`.
   * @throws ELOOP - 40 links were already followed in this walk.
   * @throws ENOENT - the target is empty.
   * @precondition `!rp.done()`.
   * @postcondition When it returns `undefined`, `!rp.done()`.
   */
  handleSymlink(target: string): Restart | undefined {
    if (this.#symlinks >= MAXSYMLINKS) throw new SysError("ELOOP");
    if (target.length === 0) throw new SysError("ENOENT");
    this.#symlinks++;
    const path = parse(target);
    if (path.absolute) {
      this.#absTarget = path;
      this.#pending = Pending.AbsSymlink;
      return RESTART;
    }
    this.advance();
    this.#prepend(path);
    return undefined;
  }

  /**
   * Follows a magic link (such as /proc/[pid]/fd/N) to `target` at the current
   * component. Counts towards the 40-link limit; always returns {@link RESTART}.
   * @param target - Where the link leads; a reference is taken on it.
   * @throws ELOOP - 40 links were already followed in this walk.
   * @precondition `!rp.done()`.
   */
  handleJump(target: VirtualDentry): Restart {
    if (this.#symlinks >= MAXSYMLINKS) throw new SysError("ELOOP");
    this.#symlinks++;
    this.advance();
    target.incRef();
    this.#nextMount = target.mount;
    this.#nextStart = target.dentry;
    this.#pending = Pending.MountRootOrJump;
    return RESTART;
  }

  // Splices a relative path in front of the remaining components.
  #prepend(path: Path): void {
    const cursor = this.#cursor;
    if (cursor.ok()) {
      let saved = this.#parts[this.#curPart];
      if (saved === undefined) this.#parts.push((saved = new Cursor()));
      saved.set(cursor);
      cursor.set(path.begin);
      this.#curPart++;
    } else {
      // The link was the last component: its target is now the whole remaining path.
      cursor.set(path.begin);
      if (path.dir) this.#mustBeDir = true;
    }
  }

  #restart(ctx: Context): void {
    switch (this.#pending) {
      case Pending.MountRootOrJump: {
        // The references on nextMount/nextStart become the walk's. The component that led
        // here (a `..`) is not consumed: it is resolved again on the new mount.
        this.#dropStartAndMount(ctx);
        this.#mount = this.#nextMount as Mount;
        this.#start = this.#nextStart as Dentry;
        this.#haveMountRef = true;
        this.#haveStartRef = true;
        break;
      }
      case Pending.MountPoint: {
        // The mount reference becomes the walk's; its root is borrowed from the mount.
        this.#dropStartAndMount(ctx);
        const mount = this.#nextMount as Mount;
        this.#mount = mount;
        this.#start = mount.root();
        this.#haveMountRef = true;
        this.#haveStartRef = false;
        this.advance();
        break;
      }
      case Pending.AbsSymlink: {
        // Continue from the root; its references are borrowed from the PathOperation.
        this.#dropStartAndMount(ctx);
        this.#mount = this.#root.mount;
        this.#start = this.#root.dentry;
        this.#haveMountRef = false;
        this.#haveStartRef = false;
        this.advance();
        const target = this.#absTarget as Path;
        this.#absTarget = undefined;
        if (target.hasComponents()) this.#prepend(target);
        else if (target.dir && this.done()) this.#mustBeDir = true;
        break;
      }
      case Pending.None:
        throw new InternalError("a filesystem returned RESTART without a pending restart");
    }
    this.#pending = Pending.None;
    this.#nextMount = undefined;
    this.#nextStart = undefined;
  }

  #dropStartAndMount(ctx: Context): void {
    if (this.#haveStartRef) this.#start.decRef(ctx);
    if (this.#haveMountRef) this.#mount.decRef(ctx);
    this.#haveStartRef = false;
    this.#haveMountRef = false;
  }

  #releasePending(ctx: Context): void {
    this.#nextStart?.decRef(ctx);
    this.#nextMount?.decRef(ctx);
    this.#nextStart = undefined;
    this.#nextMount = undefined;
    this.#pending = Pending.None;
  }
}
