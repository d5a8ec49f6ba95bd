// kernfs's extended-attribute operations: for inodes implementing InodeWithXattrs,
// permission-checked as Linux's fs/xattr.c does; ENOTSUP for every other inode. Twin of
// the xattr methods of gVisor's pkg/sentry/fsimpl/kernfs/filesystem.go.
import { SysError } from "@vfskit/abi";
import {
  MAY_READ,
  MAY_WRITE,
  RESTART,
  checkXattrPermissions,
  genericCheckPermissions,
  type AccessTypes,
  type Context,
  type GetXattrOptions,
  type ResolvingPath,
  type Restart,
  type SetXattrOptions,
} from "@vfskit/vfs";
import { isInodeWithXattrs, type Inode, type InodeWithXattrs } from "./inode.js";
import { beginOp, endOp, type Dentry, type FsState } from "./kernfs.js";
import { walkExistingOrThrow } from "./walk.js";
import { InotifyMask } from "./watches.js";

/** Walks to the file and returns it with its xattr-capable inode (EOPNOTSUPP otherwise). */
function xattrTarget(st: FsState, ctx: Context, rp: ResolvingPath): { d: Dentry; inode: Inode & InodeWithXattrs } | Restart {
  const d = walkExistingOrThrow(st, ctx, rp);
  if (d === RESTART) return RESTART;
  const inode = d.inode();
  if (!isInodeWithXattrs(inode)) throw new SysError("EOPNOTSUPP");
  return { d, inode };
}

/**
 * Linux's `xattr_permission`: the namespace rules (`checkXattrPermissions`), then the
 * inode's permission for `user.*` and unknown namespaces; `security.*`, `system.*` and an
 * allowed `trusted.*` need no inode permission. (gVisor checks the inode permission first,
 * and for every namespace.)
 */
function xattrPermission(rp: ResolvingPath, inode: Inode, ats: AccessTypes, name: string): void {
  const creds = rp.credentials();
  const mode = inode.mode();
  checkXattrPermissions(creds, ats, mode, inode.uid(), name);
  if (name.startsWith("security.") || name.startsWith("system.") || name.startsWith("trusted.")) return;
  genericCheckPermissions(creds, ats, mode, inode.uid(), inode.gid());
}

/** Implements {@link Filesystem.listXattrAt}: the names the caller may see. @internal */
export function listXattrAt(st: FsState, ctx: Context, rp: ResolvingPath, size: number): string[] | Restart {
  beginOp(st);
  try {
    const target = xattrTarget(st, ctx, rp);
    if (target === RESTART) return RESTART;
    const { inode } = target;
    const creds = rp.credentials();
    return inode.listXattr(ctx, size).filter((name) => {
      try {
        checkXattrPermissions(creds, MAY_READ, inode.mode(), inode.uid(), name);
        return true;
      } catch {
        return false;
      }
    });
  } finally {
    endOp(st, ctx);
  }
}

/** Implements {@link Filesystem.getXattrAt}. @internal */
export function getXattrAt(st: FsState, ctx: Context, rp: ResolvingPath, opts: GetXattrOptions): Uint8Array | Restart {
  beginOp(st);
  try {
    const target = xattrTarget(st, ctx, rp);
    if (target === RESTART) return RESTART;
    xattrPermission(rp, target.inode, MAY_READ, opts.name);
    return target.inode.getXattr(ctx, opts);
  } finally {
    endOp(st, ctx);
  }
}

/** Implements {@link Filesystem.setXattrAt}; sends IN_ATTRIB. @internal */
export function setXattrAt(st: FsState, ctx: Context, rp: ResolvingPath, opts: SetXattrOptions): Restart | undefined {
  beginOp(st);
  try {
    const target = xattrTarget(st, ctx, rp);
    if (target === RESTART) return RESTART;
    xattrPermission(rp, target.inode, MAY_WRITE, opts.name);
    target.inode.setXattr(ctx, opts);
    target.d.inotifyWithParent(ctx, InotifyMask.IN_ATTRIB, 0);
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/** Implements {@link Filesystem.removeXattrAt}; sends IN_ATTRIB. @internal */
export function removeXattrAt(st: FsState, ctx: Context, rp: ResolvingPath, name: string): Restart | undefined {
  beginOp(st);
  try {
    const target = xattrTarget(st, ctx, rp);
    if (target === RESTART) return RESTART;
    xattrPermission(rp, target.inode, MAY_WRITE, name);
    target.inode.removeXattr(ctx, name);
    target.d.inotifyWithParent(ctx, InotifyMask.IN_ATTRIB, 0);
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}
