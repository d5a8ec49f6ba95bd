// Path walking on tmpfs with a ResolvingPath (gVisor's tmpfs stepLocked,
// walkParentDirLocked, resolveLocked; Linux's walk_component, path_parentat,
// path_lookupat). Nothing is allocated per component: the component string is the one
// the ResolvingPath caches, and the result is a dentry or a marker.
import { S_IFDIR, S_IFLNK, S_IFMT, SysError } from "@vfskit/abi";
import { MAY_EXEC, RESTART, exceedsNameMax, type Context, type ResolvingPath, type Restart } from "@vfskit/vfs";
import type { DirectoryInode } from "./directory.js";
import type { TmpfsDentry } from "./inode.js";
import type { SymlinkInode } from "./symlink.js";

/** The marker for a component that does not exist (so that misses build no error object). @internal */
export const MISSING = null;

/** The dentry `rp` starts at. @internal */
export function startOf(rp: ResolvingPath): TmpfsDentry {
  return rp.start().impl as TmpfsDentry;
}

/**
 * Resolves the current component of `rp` from directory `d` (Linux's walk_component).
 *
 * @returns The dentry reached (`d` itself after `.`, or after a relative symbolic link
 * whose target now heads the remaining components), RESTART, or MISSING.
 * @throws ENOTDIR - `d` is not a directory.
 * @throws EACCES - `d` is not searchable.
 * @throws ENAMETOOLONG - the component is longer than 255 bytes.
 * @throws ELOOP, ENOENT - following a symbolic link (too many, empty target).
 * @internal
 */
export function step(ctx: Context, rp: ResolvingPath, d: TmpfsDentry): TmpfsDentry | Restart | typeof MISSING {
  const inode = d.inode;
  // File types are read from the mode (one field at the same offset in every inode class)
  // rather than through the `kind` getter: the walk is the hottest path there is.
  if ((inode.mode & S_IFMT) !== S_IFDIR) throw new SysError("ENOTDIR");
  inode.checkPermissions(rp.credentials(), MAY_EXEC);
  const dots = rp.stepDots(ctx, d, d.parent);
  if (dots !== undefined) return dots;
  const name = rp.component();
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  const child = (inode as DirectoryInode).children?.get(name);
  if (child === undefined) return MISSING;
  if (rp.checkMount(ctx, child.vfsd) === RESTART) return RESTART;
  const childInode = child.inode;
  if ((childInode.mode & S_IFMT) === S_IFLNK && rp.shouldFollowSymlink()) {
    // Following a link is an access to it (Linux's pick_link → touch_atime).
    childInode.touchAtime(ctx, rp.mount());
    if (rp.handleSymlink((childInode as SymlinkInode).target) === RESTART) return RESTART;
    return d;
  }
  rp.advance();
  return child;
}

/**
 * Resolves every component but the last, from `d` (Linux's path_parentat). Does not
 * check that the result is searchable.
 * @throws ENOENT - a component is missing.
 * @throws ENOTDIR - a component, or the parent reached, is not a directory.
 * @internal
 */
export function walkParentDir(ctx: Context, rp: ResolvingPath, d: TmpfsDentry): TmpfsDentry | Restart {
  while (!rp.final()) {
    const next = step(ctx, rp, d);
    if (next === RESTART) return RESTART;
    if (next === MISSING) throw new SysError("ENOENT");
    d = next;
  }
  if ((d.inode.mode & S_IFMT) !== S_IFDIR) throw new SysError("ENOTDIR");
  return d;
}

/**
 * Resolves `rp` to an existing file (Linux's path_lookupat), or MISSING.
 *
 * @remarks An empty path addresses the starting dentry itself and does not follow it
 * even if it is a symbolic link, as Linux does with AT_EMPTY_PATH.
 * @throws ENOTDIR - the path required a directory (trailing slash, O_DIRECTORY) and the
 * file is not one.
 * @internal
 */
export function resolve(ctx: Context, rp: ResolvingPath): TmpfsDentry | Restart | typeof MISSING {
  let d = startOf(rp);
  while (!rp.done()) {
    const next = step(ctx, rp, d);
    if (next === RESTART || next === MISSING) return next;
    d = next;
  }
  if (rp.mustBeDir() && (d.inode.mode & S_IFMT) !== S_IFDIR) throw new SysError("ENOTDIR");
  return d;
}

/**
 * {@link resolve}, with ENOENT for a missing file.
 * @internal
 */
export function resolveExisting(ctx: Context, rp: ResolvingPath): TmpfsDentry | Restart {
  const d = resolve(ctx, rp);
  if (d === MISSING) throw new SysError("ENOENT");
  return d;
}
