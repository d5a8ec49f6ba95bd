// Path resolution over the kernfs dentry tree, and the shared checks of create and delete
// operations. Twin of the first half of gVisor's pkg/sentry/fsimpl/kernfs/filesystem.go
// (stepExistingLocked, walkExistingLocked, walkParentDirLocked, checkCreateLocked,
// checkDeleteLocked), in Linux's order where gVisor's differs (DESIGN.md D1).
import { SysError } from "@vfskit/abi";
import {
  MAY_EXEC,
  MAY_WRITE,
  RESTART,
  checkDeleteSticky,
  exceedsNameMax,
  type Context,
  type ResolvingPath,
  type Restart,
  type VirtualDentry,
} from "@vfskit/vfs";
import { type Dentry, type FsState, dentryState, deferDecRef, revalidateChild } from "./kernfs.js";

/** A component that does not exist (the caller throws ENOENT, or `try*` returns undefined). @internal */
export const MISSING: unique symbol = Symbol("kernfs.missing");
/** The type of {@link MISSING}. @internal */
export type Missing = typeof MISSING;

let followedSymlink = false;

/**
 * Reports whether the last {@link stepExisting} followed a symbolic link (whether it then
 * returned the parent or RESTART). open(O_CREAT|O_EXCL) needs it.
 * @internal
 */
export function lastStepFollowedSymlink(): boolean {
  return followedSymlink;
}

/** The kernfs dentry of the VFS dentry a walk starts at. @internal */
export function startOf(rp: ResolvingPath): Dentry {
  return rp.start().impl as Dentry;
}

/** The kernfs dentry of a VFS dentry of this filesystem. @internal */
export function kernfsDentry(vfsd: VirtualDentry["dentry"]): Dentry {
  return vfsd.impl as Dentry;
}

/**
 * Resolves the current component of `rp` in directory `d` (gVisor's
 * `stepExistingLocked`, Linux's `walk_component`).
 *
 * @returns The dentry reached; `d` itself for `.`, for `..` at a root, and after following
 * a relative symbolic link (whose target now heads the remaining components); RESTART
 * when the walk continues elsewhere; MISSING for a name that does not exist.
 * @throws ENOTDIR - `d` is not a directory.
 * @throws EACCES - `d` is not searchable.
 * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
 * @throws ELOOP, ENOENT - following a symbolic link (too many links, empty target).
 * @internal
 */
export function stepExisting(st: FsState, ctx: Context, rp: ResolvingPath, d: Dentry): Dentry | Restart | Missing {
  followedSymlink = false;
  const s = dentryState(d);
  if (!d.isDir()) throw new SysError("ENOTDIR");
  s.inode.checkPermissions(ctx, rp.credentials(), MAY_EXEC);
  // `.` and `..` are never revalidated: the current directory or its parent cannot become
  // valid again, so retrying would loop (Linux's handle_dots skips d_revalidate too).
  const dots = rp.stepDots(ctx, d, s.parent);
  if (dots !== undefined) return dots;
  const name = rp.component();
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  const next = revalidateChild(st, ctx, d, name);
  if (next === undefined) return MISSING;
  if (rp.checkMount(ctx, next.vfsd) === RESTART) return RESTART;
  if (next.isSymlink() && rp.shouldFollowSymlink()) {
    followedSymlink = true;
    const target = dentryState(next).inode.getlink(ctx, rp.mount());
    if (typeof target !== "string") {
      // A magic link: jump to the position. handleJump takes its own references.
      deferDecRef(st, target);
      return rp.handleJump(target);
    }
    if (rp.handleSymlink(target) === RESTART) return RESTART;
    return d;
  }
  rp.advance();
  return next;
}

/**
 * Resolves `rp` to an existing file (gVisor's `walkExistingLocked`, Linux's
 * `path_lookupat`), applying the trailing-slash rule at the end.
 * @returns The dentry, RESTART, or MISSING.
 * @throws ENOTDIR - a trailing slash (or O_DIRECTORY) on a non-directory.
 * @internal
 */
export function walkExisting(st: FsState, ctx: Context, rp: ResolvingPath): Dentry | Restart | Missing {
  let d = startOf(rp);
  while (!rp.done()) {
    const next = stepExisting(st, ctx, rp, d);
    if (next === RESTART || next === MISSING) return next;
    d = next;
  }
  if (rp.mustBeDir() && !d.isDir()) throw new SysError("ENOTDIR");
  return d;
}

/** {@link walkExisting}, with ENOENT for a missing file. @internal */
export function walkExistingOrThrow(st: FsState, ctx: Context, rp: ResolvingPath): Dentry | Restart {
  const d = walkExisting(st, ctx, rp);
  if (d === MISSING) throw new SysError("ENOENT");
  return d;
}

/**
 * Resolves every component of `rp` but the last, from `d` (gVisor's
 * `walkParentDirLocked`, Linux's `path_parentat`). Does not check that the result is
 * searchable: callers do, with {@link checkSearchable}.
 * @precondition `!rp.done()`.
 * @throws ENOENT - a component is missing.
 * @throws ENOTDIR - the parent is not a directory.
 * @internal
 */
export function walkParentDir(st: FsState, ctx: Context, rp: ResolvingPath, d: Dentry): Dentry | Restart {
  while (!rp.final()) {
    const next = stepExisting(st, ctx, rp, d);
    if (next === RESTART) return RESTART;
    if (next === MISSING) throw new SysError("ENOENT");
    d = next;
  }
  if (!d.isDir()) throw new SysError("ENOTDIR");
  return d;
}

/**
 * Checks search permission on the directory holding the last component. Linux's
 * `link_path_walk` checks it (`may_lookup`) before handing the last component to the
 * operation; gVisor's walkParentDir skips it, so `rmdir("nosearch/.")` would be EINVAL
 * there and is EACCES in Linux.
 * @throws EACCES - not searchable.
 * @internal
 */
export function checkSearchable(ctx: Context, rp: ResolvingPath, dir: Dentry): void {
  dentryState(dir).inode.checkPermissions(ctx, rp.credentials(), MAY_EXEC);
}

/**
 * The checks that come before creating `name` in `parent` and do not depend on the
 * operation, in Linux's order (`filename_create`): `.` or `..` → EEXIST, name too long,
 * a dead parent, an existing entry.
 *
 * @remarks
 * Linux looks the name up for real (`lookup_one_qstr_excl`), so an entry a dynamic
 * directory would produce counts as existing; gVisor only consults the dentry cache.
 * @returns The looked-up existing child, or `undefined` when the name is free.
 * @throws EEXIST - the name is `.` or `..`.
 * @throws ENAMETOOLONG - the name is longer than NAME_MAX bytes.
 * @throws ENOENT - the parent directory was removed.
 * @internal
 */
export function lookupForCreate(st: FsState, ctx: Context, parent: Dentry, name: string): Dentry | undefined {
  if (name === "." || name === "..") throw new SysError("EEXIST");
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  if (parent.vfsd.isDead()) throw new SysError("ENOENT");
  return revalidateChild(st, ctx, parent, name);
}

/**
 * Linux's `may_create` after the lookup: the parent must still exist and be writable and
 * searchable.
 * @throws ENOENT - the parent directory was removed.
 * @throws EACCES - the parent is not writable and searchable.
 * @internal
 */
export function mayCreate(ctx: Context, rp: ResolvingPath, parent: Dentry): void {
  if (parent.vfsd.isDead()) throw new SysError("ENOENT");
  dentryState(parent).inode.checkPermissions(ctx, rp.credentials(), MAY_WRITE | MAY_EXEC);
}

/**
 * Checks that `d` may be removed from its directory (gVisor's `checkDeleteLocked`, Linux's
 * `may_delete` permission part).
 * @throws EBUSY - `d` is the filesystem's root.
 * @throws ENOENT - the parent directory was removed.
 * @throws EINVAL - `d` itself was already removed (unlinkat through a directory file
 * descriptor of an orphan whose name was reused).
 * @throws EACCES - the parent is not writable and searchable.
 * @throws EPERM - the parent is sticky and the caller owns neither it nor `d`.
 * @internal
 */
export function checkDelete(ctx: Context, rp: ResolvingPath, d: Dentry): void {
  const parent = dentryState(d).parent;
  if (parent === undefined) throw new SysError("EBUSY");
  if (parent.vfsd.isDead()) throw new SysError("ENOENT");
  if (d.vfsd.isDead()) throw new SysError("EINVAL");
  const parentInode = dentryState(parent).inode;
  const creds = rp.credentials();
  parentInode.checkPermissions(ctx, creds, MAY_WRITE | MAY_EXEC);
  const inode = dentryState(d).inode;
  checkDeleteSticky(creds, parentInode.mode(), parentInode.uid(), inode.uid(), inode.gid());
}

/** Reports whether `ancestor` is `d` or one of its ancestors in the tree. @internal */
export function isAncestorOrSelf(ancestor: Dentry, d: Dentry): boolean {
  for (let x: Dentry | undefined = d; x !== undefined; x = dentryState(x).parent) {
    if (x === ancestor) return true;
  }
  return false;
}
