// testfs rename(2) and renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE, in the
// order of Linux's do_renameat2() and vfs_rename().
import { RENAME_EXCHANGE, RENAME_NOREPLACE, SysError } from "@vfskit/abi";
import { clockFrom, type Context } from "../context.js";
import { mountNamespaceFromContext } from "../namespace.js";
import { MAY_EXEC, MAY_WRITE, type RenameOptions } from "../options.js";
import { checkDeleteSticky } from "../permissions.js";
import { RESTART, exceedsNameMax, type ResolvingPath, type Restart } from "../resolving-path.js";
import type { VirtualDentry } from "../virtual-dentry.js";
import type { TestFilesystem } from "./test-filesystem.js";
import type { TestDentry } from "./testfs-node.js";
import { startOf, walkParentDir } from "./testfs-walk.js";

/** True if `ancestor` is `d` or one of its ancestors. */
function isAncestorOrSelf(ancestor: TestDentry, d: TestDentry): boolean {
  for (let cur: TestDentry | undefined = d; cur !== undefined; cur = cur.parent) if (cur === ancestor) return true;
  return false;
}

/** Implements TestFilesystem.renameAt. */
export function renameAt(
  fs: TestFilesystem,
  ctx: Context,
  rp: ResolvingPath,
  oldParentVD: VirtualDentry,
  oldName: string,
  opts: RenameOptions,
): Restart | undefined {
  const newParent = walkParentDir(ctx, rp, startOf(rp));
  if (newParent === RESTART) return RESTART;
  const flags = opts.flags;
  if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) !== 0) {
    throw new SysError("EINVAL", { syscall: "renameat2", detail: "testfs supports RENAME_NOREPLACE and RENAME_EXCHANGE" });
  }
  if (rp.mount() !== oldParentVD.mount) throw new SysError("EXDEV", { syscall: "rename" });
  if (rp.isDot() || rp.isDotDot()) throw new SysError((flags & RENAME_NOREPLACE) !== 0 ? "EEXIST" : "EBUSY", { syscall: "rename" });
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  const creds = rp.credentials();
  const mount = rp.mount();
  mount.checkBeginWrite();
  try {
    const oldParent = oldParentVD.dentry.impl as TestDentry;
    // The two lookups.
    oldParent.inode.checkPermissions(creds, MAY_EXEC);
    if (exceedsNameMax(oldName)) throw new SysError("ENAMETOOLONG", { syscall: "rename" });
    const renamed = (oldParent.inode.children as Map<string, TestDentry>).get(oldName);
    if (renamed === undefined) throw new SysError("ENOENT", { syscall: "rename" });
    newParent.inode.checkPermissions(creds, MAY_EXEC);
    const newName = rp.component();
    if (exceedsNameMax(newName)) throw new SysError("ENAMETOOLONG", { syscall: "rename" });
    const replaced = (newParent.inode.children as Map<string, TestDentry>).get(newName);
    if (exchange && replaced === undefined) throw new SysError("ENOENT", { syscall: "renameat2" });
    if (replaced !== undefined && (flags & RENAME_NOREPLACE) !== 0) throw new SysError("EEXIST", { syscall: "renameat2" });
    // Trailing slashes: a non-directory may not be named with one.
    const renamedIsDir = renamed.inode.isDir();
    if (!renamedIsDir && (opts.mustBeDir === true || (!exchange && rp.mustBeDir()))) {
      throw new SysError("ENOTDIR", { syscall: "rename" });
    }
    if (exchange && !(replaced as TestDentry).inode.isDir() && rp.mustBeDir()) throw new SysError("ENOTDIR", { syscall: "rename" });
    // Neither end may be an ancestor of the other's parent.
    if (isAncestorOrSelf(renamed, newParent)) throw new SysError("EINVAL", { syscall: "rename", detail: "moving a directory below itself" });
    if (replaced !== undefined && isAncestorOrSelf(replaced, oldParent)) {
      throw new SysError(exchange ? "EINVAL" : "ENOTEMPTY", { syscall: "rename", detail: "replacing an ancestor" });
    }
    if (replaced !== undefined && replaced.inode === renamed.inode) return undefined; // same file: nothing to do
    // may_delete(old), then may_create / may_delete(new), as vfs_rename does.
    oldParent.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
    checkDeleteSticky(creds, oldParent.inode.mode, oldParent.inode.uid, renamed.inode.uid, renamed.inode.gid);
    if (replaced === undefined) {
      if (newParent.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "rename", detail: "directory was removed" });
      newParent.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
    } else {
      newParent.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
      checkDeleteSticky(creds, newParent.inode.mode, newParent.inode.uid, replaced.inode.uid, replaced.inode.gid);
      if (!exchange) {
        if (renamedIsDir && !replaced.inode.isDir()) throw new SysError("ENOTDIR", { syscall: "rename" });
        if (!renamedIsDir && replaced.inode.isDir()) throw new SysError("EISDIR", { syscall: "rename" });
      }
      if (newParent.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "rename", detail: "directory was removed" });
    }
    // Moving a directory to another parent rewrites its "..": it must be writable.
    if (oldParent !== newParent) {
      if (renamedIsDir) renamed.inode.checkPermissions(creds, MAY_WRITE);
      if (exchange && (replaced as TestDentry).inode.isDir()) (replaced as TestDentry).inode.checkPermissions(creds, MAY_WRITE);
    }
    const vfs = fs.vfsfs.vfs;
    const ticket = vfs.prepareRenameDentry(mountNamespaceFromContext(ctx), renamed.vfsd, replaced?.vfsd);
    if (!exchange && replaced !== undefined && replaced.inode.isDir() && (replaced.inode.children as Map<string, TestDentry>).size !== 0) {
      ticket.abort();
      throw new SysError("ENOTEMPTY", { syscall: "rename" });
    }
    const oldChildren = oldParent.inode.children as Map<string, TestDentry>;
    const newChildren = newParent.inode.children as Map<string, TestDentry>;
    if (exchange) {
      const other = replaced as TestDentry;
      oldChildren.set(oldName, other);
      newChildren.set(newName, renamed);
      other.parent = oldParent;
      other.name = oldName;
      if (other.inode.isDir() !== renamedIsDir) {
        const delta = renamedIsDir ? 1 : -1;
        newParent.inode.nlink += delta;
        oldParent.inode.nlink -= delta;
      }
    } else {
      if (replaced !== undefined) fs.remove(replaced);
      oldChildren.delete(oldName);
      newChildren.set(newName, renamed);
      if (renamedIsDir && oldParent !== newParent) {
        oldParent.inode.nlink--;
        newParent.inode.nlink++;
      }
    }
    renamed.parent = newParent;
    renamed.name = newName;
    const now = clockFrom(ctx).now();
    for (const dir of [oldParent, newParent]) {
      dir.inode.mtime = now;
      dir.inode.ctime = now;
    }
    renamed.inode.ctime = now;
    if (exchange) ticket.commitExchange();
    else ticket.commitReplace(ctx);
  } finally {
    mount.endWrite();
  }
  return undefined;
}
