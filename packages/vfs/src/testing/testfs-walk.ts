// testfs path walking, done exactly as a real filesystem must do it with a ResolvingPath
// (gVisor's tmpfs stepLocked / walkParentDirLocked / resolveLocked).
import { SysError } from "@vfskit/abi";
import type { Context } from "../context.js";
import { MAY_EXEC } from "../options.js";
import { RESTART, exceedsNameMax, type ResolvingPath, type Restart } from "../resolving-path.js";
import type { TestDentry } from "./testfs-node.js";

/** A missing component: the caller throws ENOENT or, for `try*` lookups, returns undefined. */
export const MISSING = null;

/** The dentry `rp` starts at. */
export function startOf(rp: ResolvingPath): TestDentry {
  return rp.start().impl as TestDentry;
}

/**
 * Resolves the current component of `rp` from directory `d` (Linux's walk_component).
 *
 * @returns The dentry reached (`d` itself after `.`, or after a relative symlink whose
 * target now heads the remaining components), RESTART, or MISSING for a name that does
 * not exist.
 * @throws ENOTDIR - `d` is not a directory.
 * @throws EACCES - `d` is not searchable.
 * @throws ENAMETOOLONG - the name is over NAME_MAX bytes.
 * @throws ELOOP, ENOENT - from following a symbolic link.
 */
export function step(ctx: Context, rp: ResolvingPath, d: TestDentry): TestDentry | Restart | typeof MISSING {
  const inode = d.inode;
  const children = inode.children;
  if (children === undefined) throw new SysError("ENOTDIR");
  // Search permission. The owner's own x bit answers at once (generic_permission would
  // pick the owner class and grant); everything else goes through the full check.
  const creds = rp.credentials();
  if (creds.effectiveKUID !== inode.uid || (inode.mode & 0o100) === 0) inode.checkPermissions(creds, MAY_EXEC);
  const dots = rp.stepDots(ctx, d, d.parent);
  if (dots !== undefined) return dots;
  const name = rp.component();
  const child = children.get(name);
  if (child === undefined) {
    // A name over NAME_MAX can never be found, so the length is checked on a miss only.
    if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
    return MISSING;
  }
  if (rp.checkMount(ctx, child.vfsd) === RESTART) return RESTART;
  if (child.inode.isSymlink() && rp.shouldFollowSymlink()) {
    const jump = child.inode.jump;
    if (jump !== undefined) return rp.handleJump(jump());
    if (rp.handleSymlink(child.inode.target) === RESTART) return RESTART;
    return d;
  }
  rp.advance();
  return child;
}

/**
 * Resolves every component but the last, from `d` (Linux's path_parentat). Does not
 * check that the result is searchable.
 * @throws ENOENT - a component is missing.
 * @throws ENOTDIR - the parent is not a directory.
 */
export function walkParentDir(ctx: Context, rp: ResolvingPath, d: TestDentry): TestDentry | Restart {
  while (!rp.final()) {
    const next = step(ctx, rp, d);
    if (next === RESTART) return RESTART;
    if (next === MISSING) throw new SysError("ENOENT");
    d = next;
  }
  if (!d.inode.isDir()) throw new SysError("ENOTDIR");
  return d;
}

/**
 * Resolves `rp` to an existing file (Linux's path_lookupat), or MISSING.
 *
 * @remarks An empty path addresses the starting dentry itself and never follows it, even
 * if it is a symbolic link (as Linux does with AT_EMPTY_PATH).
 * @throws ENOTDIR - the file is not a directory but the path required one.
 */
export function resolve(ctx: Context, rp: ResolvingPath): TestDentry | Restart | typeof MISSING {
  let d = startOf(rp);
  while (!rp.done()) {
    const next = step(ctx, rp, d);
    if (next === RESTART || next === MISSING) return next;
    d = next;
  }
  if (rp.mustBeDir() && !d.inode.isDir()) throw new SysError("ENOTDIR");
  return d;
}

/** {@link resolve}, throwing ENOENT for a missing file. */
export function resolveExisting(ctx: Context, rp: ResolvingPath): TestDentry | Restart {
  const d = resolve(ctx, rp);
  if (d === MISSING) throw new SysError("ENOENT");
  return d;
}
