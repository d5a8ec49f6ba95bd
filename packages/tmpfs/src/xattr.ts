// Extended attributes of tmpfs inodes: the `user.`, `trusted.` and `security.`
// namespaces, with the checks and limits of Linux's fs/xattr.c and mm/shmem.c
// (shmem_xattr_handler_set). gVisor keeps them in vfs/memxattr.
import {
  MAY_READ,
  MAY_WRITE,
  checkXattrPermissions,
  clockFrom,
  utf8ByteLength,
  type Context,
  type GetXattrOptions,
  type Mount,
  type SetXattrOptions,
} from "@vfskit/vfs";
import {
  Capability,
  SysError,
  XATTR_CREATE,
  XATTR_LIST_MAX,
  XATTR_NAME_MAX,
  XATTR_REPLACE,
  XATTR_SECURITY_PREFIX,
  XATTR_SIZE_MAX,
  XATTR_TRUSTED_PREFIX,
  XATTR_USER_PREFIX,
} from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import type { Inode } from "./inode.js";

/**
 * What one attribute costs against `nr_inodes` (Linux's `simple_xattr_space`: a fixed 40
 * bytes plus the name and the value).
 */
function xattrSpace(name: string, size: number): number {
  return 40 + size + utf8ByteLength(name);
}

/**
 * The argument checks of the system calls (Linux's setxattr/getxattr/removexattr copy
 * the name in before anything else, even before resolving the path). The VFS does not
 * make them yet, so tmpfs makes them, after the walk.
 * @throws ERANGE - an empty name, or one over 255 bytes.
 */
function checkName(name: string): void {
  if (name.length === 0 || (name.length > XATTR_NAME_MAX / 3 && utf8ByteLength(name) > XATTR_NAME_MAX)) {
    throw new SysError("ERANGE", { detail: "bad extended attribute name length" });
  }
}

/**
 * The namespace handler lookup (Linux `xattr_resolve_name` over shmem's handlers):
 * `user.`, `trusted.` and `security.` are stored; `system.` would be POSIX ACLs, which
 * tmpfs does not support yet.
 * @throws EOPNOTSUPP - an unknown or unsupported namespace.
 * @throws EINVAL - the name is a bare prefix (`user.`).
 */
function resolveNamespace(name: string): void {
  let prefix: string;
  if (name.startsWith(XATTR_USER_PREFIX)) prefix = XATTR_USER_PREFIX;
  else if (name.startsWith(XATTR_TRUSTED_PREFIX)) prefix = XATTR_TRUSTED_PREFIX;
  else if (name.startsWith(XATTR_SECURITY_PREFIX)) prefix = XATTR_SECURITY_PREFIX;
  else throw new SysError("EOPNOTSUPP", { detail: "unsupported extended attribute namespace" });
  if (name.length === prefix.length) throw new SysError("EINVAL", { detail: "empty extended attribute name" });
}

/**
 * Linux `xattr_permission` for tmpfs: the namespace rules (`checkXattrPermissions`), then
 * the inode's own read or write permission, which `security.*` and `trusted.*` skip.
 */
function checkAccess(creds: Credentials, inode: Inode, ats: number, name: string): void {
  checkXattrPermissions(creds, ats, inode.mode, inode.uid, name);
  if (name.startsWith(XATTR_SECURITY_PREFIX) || name.startsWith(XATTR_TRUSTED_PREFIX)) return;
  inode.checkPermissions(creds, ats);
}

/**
 * listxattr: the names the caller may see (`trusted.*` only with CAP_SYS_ADMIN).
 *
 * @remarks
 * No permission on the file is needed, as in Linux.
 * @param size - The caller's buffer size: 0 asks for every name; otherwise the names and
 * one NUL each must fit in `min(size, 65536)` bytes.
 * @throws ERANGE - the list does not fit in `size`.
 * @throws E2BIG - the list is longer than 65536 bytes and `size` is at least that.
 * @internal
 */
export function listXattr(creds: Credentials, inode: Inode, size: number): string[] {
  const xattrs = inode.xattrs;
  if (xattrs === undefined) return [];
  const trusted = creds.hasRootCapability(Capability.CAP_SYS_ADMIN);
  const names: string[] = [];
  let total = 0;
  for (const name of xattrs.keys()) {
    if (!trusted && name.startsWith(XATTR_TRUSTED_PREFIX)) continue;
    names.push(name);
    total += utf8ByteLength(name) + 1;
  }
  if (size !== 0) {
    const room = Math.min(size, XATTR_LIST_MAX);
    if (total > room) throw new SysError(size >= XATTR_LIST_MAX ? "E2BIG" : "ERANGE", { syscall: "listxattr" });
  }
  return names;
}

/**
 * getxattr.
 * @throws ERANGE - an empty name or one over 255 bytes.
 * @throws ENODATA - `trusted.*` without CAP_SYS_ADMIN; `user.*` on a file that is neither
 * regular nor a directory.
 * @throws EACCES - `user.*` without read permission.
 * @throws EOPNOTSUPP - an unsupported namespace.
 * @throws EINVAL - a bare prefix.
 * @throws ENODATA - no such attribute.
 * @throws ERANGE - the value is longer than a non-zero `opts.size`.
 * @internal
 */
export function getXattr(creds: Credentials, inode: Inode, opts: GetXattrOptions): Uint8Array {
  const name = opts.name;
  checkName(name);
  checkAccess(creds, inode, MAY_READ, name);
  resolveNamespace(name);
  const value = inode.xattrs?.get(name);
  if (value === undefined) throw new SysError("ENODATA", { syscall: "getxattr" });
  if (opts.size !== 0 && value.length > opts.size) throw new SysError("ERANGE", { syscall: "getxattr" });
  return value.slice();
}

/**
 * setxattr.
 * @throws EINVAL - unknown flags.
 * @throws ERANGE - an empty name or one over 255 bytes.
 * @throws E2BIG - a value over 65536 bytes.
 * @throws EROFS - a read-only mount.
 * @throws EPERM - `trusted.*` or `security.*` without CAP_SYS_ADMIN (CAP_SETFCAP for
 * `security.capability`); `user.*` on a file that is neither regular nor a directory, or
 * on a sticky directory one does not own.
 * @throws EACCES - `user.*` without write permission.
 * @throws EOPNOTSUPP - an unsupported namespace.
 * @throws EINVAL - a bare prefix.
 * @throws ENOSPC - `nr_inodes` space is exhausted.
 * @throws EEXIST - XATTR_CREATE and the attribute exists.
 * @throws ENODATA - XATTR_REPLACE and it does not.
 * @internal
 */
export function setXattr(ctx: Context, mount: Mount, inode: Inode, opts: SetXattrOptions): void {
  const { name, value, flags } = opts;
  if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) !== 0) throw new SysError("EINVAL", { syscall: "setxattr" });
  checkName(name);
  if (value.length > XATTR_SIZE_MAX) throw new SysError("E2BIG", { syscall: "setxattr" });
  mount.checkBeginWrite();
  try {
    checkAccess(ctx.credentials, inode, MAY_WRITE, name);
    resolveNamespace(name);
    const fs = inode.fs;
    const space = xattrSpace(name, value.length);
    if (!fs.reserveSpace(space)) throw new SysError("ENOSPC", { syscall: "setxattr" });
    const xattrs = inode.xattrs;
    const old = xattrs?.get(name);
    if ((flags & XATTR_CREATE) !== 0 && old !== undefined) {
      fs.unreserveSpace(space);
      throw new SysError("EEXIST", { syscall: "setxattr" });
    }
    if ((flags & XATTR_REPLACE) !== 0 && old === undefined) {
      fs.unreserveSpace(space);
      throw new SysError("ENODATA", { syscall: "setxattr" });
    }
    if (old !== undefined) fs.unreserveSpace(xattrSpace(name, old.length));
    (inode.xattrs ??= new Map()).set(name, value.slice());
    inode.touchCtime(clockFrom(ctx).now());
  } finally {
    mount.endWrite();
  }
}

/**
 * removexattr.
 * @throws ERANGE - an empty name or one over 255 bytes.
 * @throws EROFS - a read-only mount.
 * @throws EPERM, EACCES - as for {@link setXattr}.
 * @throws EOPNOTSUPP - an unsupported namespace.
 * @throws EINVAL - a bare prefix.
 * @throws ENODATA - no such attribute.
 * @internal
 */
export function removeXattr(ctx: Context, mount: Mount, inode: Inode, name: string): void {
  checkName(name);
  mount.checkBeginWrite();
  try {
    checkAccess(ctx.credentials, inode, MAY_WRITE, name);
    resolveNamespace(name);
    const xattrs = inode.xattrs;
    const old = xattrs?.get(name);
    if (xattrs === undefined || old === undefined) throw new SysError("ENODATA", { syscall: "removexattr" });
    xattrs.delete(name);
    if (xattrs.size === 0) inode.xattrs = undefined;
    inode.fs.unreserveSpace(xattrSpace(name, old.length));
    inode.touchCtime(clockFrom(ctx).now());
  } finally {
    mount.endWrite();
  }
}

/**
 * Removes attribute `name` without any check (Linux's ATTR_KILL_PRIV dropping
 * `security.capability`); says whether it existed.
 * @internal
 */
export function dropXattr(inode: Inode, name: string): boolean {
  const xattrs = inode.xattrs;
  const old = xattrs?.get(name);
  if (xattrs === undefined || old === undefined) return false;
  xattrs.delete(name);
  if (xattrs.size === 0) inode.xattrs = undefined;
  inode.fs.unreserveSpace(xattrSpace(name, old.length));
  return true;
}

/** Returns the `nr_inodes` space of every attribute of `inode` (the inode is going). @internal */
export function releaseXattrs(inode: Inode): void {
  const xattrs = inode.xattrs;
  if (xattrs === undefined) return;
  let space = 0;
  for (const [name, value] of xattrs) space += xattrSpace(name, value.length);
  inode.fs.unreserveSpace(space);
  inode.xattrs = undefined;
}
