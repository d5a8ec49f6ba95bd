// Pathnames of positions in the mount tree, as Linux's d_path, __d_path, dentry_path and
// getcwd produce them. Twin of gVisor's pkg/sentry/vfs/pathname.go.
import { PATH_MAX, SysError } from "@vfskit/abi";
import { Builder } from "@vfskit/fspath";
import type { Context } from "./context.js";
import { PrependPathResult } from "./filesystem.js";
import type { Mount } from "./mount.js";
import { getMountpointAt } from "./mount-tree.js";
import { utf8ByteLength } from "./resolving-path.js";
import type { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";

/**
 * Checks a pathname as the system-call layer does before any lookup.
 *
 * @remarks
 * Linux copies a pathname in with a PATH_MAX limit that counts the terminating NUL, so a
 * path of 4095 UTF-8 bytes is the longest accepted. A NUL inside a JavaScript string
 * cannot reach Linux at all (C strings end there); vfskit refuses it (DESIGN.md D7). An
 * empty pathname is ENOENT unless the call allows it (AT_EMPTY_PATH).
 * @param pathname - The pathname given to the call.
 * @param opts - `allowEmpty`: the call has AT_EMPTY_PATH.
 * @throws ENOENT - the pathname is empty and `opts.allowEmpty` is not set.
 * @throws EINVAL - the pathname contains a NUL character.
 * @throws ENAMETOOLONG - the pathname is 4096 UTF-8 bytes or longer.
 * @public
 */
export function checkPathname(pathname: string, opts: { readonly allowEmpty?: boolean } = {}): void {
  if (pathname.length === 0 && opts.allowEmpty !== true) throw new SysError("ENOENT", { path: pathname, detail: "empty path" });
  if (pathname.includes("\0")) throw new SysError("EINVAL", { path: pathname, detail: "NUL in path" });
  if (pathname.length >= PATH_MAX || pathname.length * 3 >= PATH_MAX) {
    if (utf8ByteLength(pathname) >= PATH_MAX) {
      throw new SysError("ENAMETOOLONG", { detail: `path longer than ${PATH_MAX - 1} bytes` });
    }
  }
}

const enum Walk {
  Reached,
  Unreachable,
  Synthetic,
}

/**
 * Prepends the path of `vd` to `builder`, crossing mount points, up to `vfsroot` or the
 * global root. Says whether `vfsroot` (or a root mount) was reached.
 */
function prependToRoot(
  vfs: VirtualFilesystem,
  ctx: Context,
  vfsroot: VirtualDentry | undefined,
  vd: VirtualDentry,
  builder: Builder,
): Walk {
  let mount: Mount = vd.mount;
  let dentry = vd.dentry;
  let held: VirtualDentry | undefined;
  try {
    for (;;) {
      const result = mount.fs.impl.prependPath(ctx, vfsroot, mount, dentry, builder);
      switch (result) {
        case PrependPathResult.AtMountRoot: {
          if (vfsroot !== undefined && mount === vfsroot.mount && mount.root() === vfsroot.dentry) return Walk.Reached;
          const next = getMountpointAt(vfs, ctx, mount, vfsroot);
          // A root mount that is not the contextual root: reachable only without one.
          if (next === undefined) return vfsroot === undefined ? Walk.Reached : Walk.Unreachable;
          held?.decRef(ctx);
          held = next;
          mount = next.mount;
          dentry = next.dentry;
          break;
        }
        case PrependPathResult.AtVFSRoot:
          return Walk.Reached;
        case PrependPathResult.AtNonMountRoot:
          return Walk.Unreachable;
        case PrependPathResult.Synthetic:
          return Walk.Synthetic;
      }
    }
  } finally {
    held?.decRef(ctx);
  }
}

/** Implements VirtualFilesystem.pathnameWithDeleted. */
export function pathnameWithDeleted(
  vfs: VirtualFilesystem,
  ctx: Context,
  vfsroot: VirtualDentry | undefined,
  vd: VirtualDentry,
): string {
  const builder = new Builder();
  // Linux's d_path prints a path that does not reach the root from wherever it stops.
  if (prependToRoot(vfs, ctx, vfsroot, vd, builder) === Walk.Synthetic) return builder.toString();
  builder.prependString("/");
  if (vd.dentry.isDead()) builder.appendString(" (deleted)");
  return builder.toString();
}

/** Implements VirtualFilesystem.pathnameReachable. */
export function pathnameReachable(vfs: VirtualFilesystem, ctx: Context, vfsroot: VirtualDentry, vd: VirtualDentry): string {
  const builder = new Builder();
  if (prependToRoot(vfs, ctx, vfsroot, vd, builder) !== Walk.Reached) return "";
  builder.prependString("/");
  return builder.toString();
}

/** Implements VirtualFilesystem.pathnameInFilesystem. */
export function pathnameInFilesystem(ctx: Context, vd: VirtualDentry): string {
  const builder = new Builder();
  // The walk stops at the filesystem's own root (AtNonMountRoot), as intended.
  vd.mount.fs.impl.prependPath(ctx, undefined, undefined, vd.dentry, builder);
  builder.prependString("/");
  if (vd.dentry.isDead()) builder.appendString("//deleted");
  return builder.toString();
}

/** Implements VirtualFilesystem.pathnameForGetcwd. */
export function pathnameForGetcwd(vfs: VirtualFilesystem, ctx: Context, vfsroot: VirtualDentry, vd: VirtualDentry): string {
  if (vd.dentry.isDead()) throw new SysError("ENOENT", { syscall: "getcwd", detail: "the directory was removed" });
  const builder = new Builder();
  const walk = prependToRoot(vfs, ctx, vfsroot, vd, builder);
  builder.prependString("/");
  if (walk !== Walk.Reached) builder.prependString("(unreachable)");
  return builder.toString();
}
