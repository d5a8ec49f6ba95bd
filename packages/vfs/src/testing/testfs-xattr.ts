// testfs extended attributes (the `user.` namespace only) and statfs.
import { TMPFS_MAGIC, XATTR_CREATE, XATTR_REPLACE, XATTR_USER_PREFIX, SysError, type Statfs } from "@vfskit/abi";
import type { Context } from "../context.js";
import type { Mount } from "../mount.js";
import { genericStatFS } from "../mount-options.js";
import { MAY_READ, MAY_WRITE, type GetXattrOptions, type SetXattrOptions } from "../options.js";
import { checkXattrPermissions } from "../permissions.js";
import type { TestDentry } from "./testfs-node.js";

/** testfs's statfs: a tmpfs-like in-memory filesystem. */
export function testStatFS(): Statfs {
  return genericStatFS(TMPFS_MAGIC);
}

// Linux's xattr_permission(), then the filesystem's handler: testfs has one for `user.`.
function checkAccess(ctx: Context, d: TestDentry, ats: number, name: string): void {
  const inode = d.inode;
  checkXattrPermissions(ctx.credentials, ats, inode.mode, inode.uid, name);
  inode.checkPermissions(ctx.credentials, ats);
  if (!name.startsWith(XATTR_USER_PREFIX)) throw new SysError("EOPNOTSUPP", { detail: "testfs supports user.* only" });
}

/**
 * listxattr: the `user.` names (testfs has no others).
 * @throws ERANGE - the list does not fit in a non-zero `size`.
 */
export function listXattr(_ctx: Context, d: TestDentry, size: number): string[] {
  const names = [...d.inode.xattrs.keys()];
  if (size !== 0) {
    let bytes = 0;
    for (const name of names) bytes += name.length + 1;
    if (bytes > size) throw new SysError("ERANGE", { syscall: "listxattr" });
  }
  return names;
}

/**
 * getxattr.
 * @throws ENODATA - no such attribute.
 * @throws ERANGE - longer than a non-zero `opts.size`.
 */
export function getXattr(ctx: Context, d: TestDentry, opts: GetXattrOptions): Uint8Array {
  checkAccess(ctx, d, MAY_READ, opts.name);
  const value = d.inode.xattrs.get(opts.name);
  if (value === undefined) throw new SysError("ENODATA", { syscall: "getxattr" });
  if (opts.size !== 0 && value.length > opts.size) throw new SysError("ERANGE", { syscall: "getxattr" });
  return value.slice();
}

/**
 * setxattr.
 * @throws EROFS - read-only mount.
 * @throws EEXIST - XATTR_CREATE and the attribute exists.
 * @throws ENODATA - XATTR_REPLACE and it does not.
 */
export function setXattr(ctx: Context, mount: Mount, d: TestDentry, opts: SetXattrOptions): void {
  mount.checkBeginWrite();
  try {
    checkAccess(ctx, d, MAY_WRITE, opts.name);
    const exists = d.inode.xattrs.has(opts.name);
    if ((opts.flags & XATTR_CREATE) !== 0 && exists) throw new SysError("EEXIST", { syscall: "setxattr" });
    if ((opts.flags & XATTR_REPLACE) !== 0 && !exists) throw new SysError("ENODATA", { syscall: "setxattr" });
    d.inode.xattrs.set(opts.name, opts.value.slice());
  } finally {
    mount.endWrite();
  }
}

/**
 * removexattr.
 * @throws EROFS - read-only mount.
 * @throws ENODATA - no such attribute.
 */
export function removeXattr(ctx: Context, mount: Mount, d: TestDentry, name: string): void {
  mount.checkBeginWrite();
  try {
    checkAccess(ctx, d, MAY_WRITE, name);
    if (!d.inode.xattrs.delete(name)) throw new SysError("ENODATA", { syscall: "removexattr" });
  } finally {
    mount.endWrite();
  }
}
