// testfs open(2), in the order of Linux's open_last_lookups(), do_open() and may_open().
import {
  O_CREAT,
  O_DIRECT,
  O_EXCL,
  O_NOATIME,
  O_TMPFILE,
  O_DIRECTORY,
  O_TRUNC,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFREG,
  S_IFSOCK,
  SysError,
} from "@vfskit/abi";
import { clockFrom, type Context } from "../context.js";
import { FileDescription, type FileDescriptionOptions } from "../file-description.js";
import type { FileDescriptionImpl } from "../file-description-impl.js";
import { MAY_EXEC, MAY_WRITE, type OpenOptions } from "../options.js";
import { accessTypesForOpenFlags, canActAsOwner } from "../permissions.js";
import { RESTART, exceedsNameMax, type ResolvingPath, type Restart } from "../resolving-path.js";
import { VirtualDentry } from "../virtual-dentry.js";
import type { TestFilesystem } from "./test-filesystem.js";
import { TestDirectoryFD, TestRegularFileFD, TestSpecialFileFD } from "./testfs-fd.js";
import type { TestDentry } from "./testfs-node.js";
import { resolveExisting, startOf, step, walkParentDir } from "./testfs-walk.js";

const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

/** Implements TestFilesystem.openAt. */
export function openAt(fs: TestFilesystem, ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
  if ((opts.flags & TMPFILE_BIT) !== 0) throw new SysError("EOPNOTSUPP", { syscall: "open", detail: "testfs has no O_TMPFILE" });
  if ((opts.flags & O_CREAT) === 0) {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return openDentry(ctx, rp, d, opts, false);
  }
  const mustCreate = (opts.flags & O_EXCL) !== 0;
  let start = startOf(rp);
  if (rp.done()) {
    // open("/", O_CREAT), or an empty path relative to a directory descriptor.
    if (rp.mustBeDir()) throw new SysError("EISDIR", { syscall: "open" });
    if (mustCreate) throw new SysError("EEXIST", { syscall: "open" });
    return openDentry(ctx, rp, start, opts, false);
  }
  const creds = rp.credentials();
  for (;;) {
    const parent = walkParentDir(ctx, rp, start);
    if (parent === RESTART) return RESTART;
    parent.inode.checkPermissions(creds, MAY_EXEC);
    if (rp.isDot() || rp.isDotDot()) {
      const d = step(ctx, rp, parent);
      if (d === RESTART) return RESTART;
      return openExisting(ctx, rp, d as TestDentry, opts);
    }
    if (rp.mustBeDir()) throw new SysError("EISDIR", { syscall: "open", detail: "trailing slash with O_CREAT" });
    const name = rp.component();
    if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG", { syscall: "open" });
    const child = (parent.inode.children as Map<string, TestDentry>).get(name);
    if (child === undefined) return create(fs, ctx, rp, parent, name, opts);
    if (rp.checkMount(ctx, child.vfsd) === RESTART) return RESTART;
    // O_EXCL implies O_NOFOLLOW (Linux's build_open_flags): an existing link is EEXIST.
    if (child.inode.isSymlink() && !mustCreate && rp.shouldFollowSymlink()) {
      const jump = child.inode.jump;
      if (jump !== undefined) return rp.handleJump(jump());
      if (rp.handleSymlink(child.inode.target) === RESTART) return RESTART;
      start = parent;
      continue;
    }
    rp.advance();
    return openExisting(ctx, rp, child, opts);
  }
}

function openExisting(ctx: Context, rp: ResolvingPath, d: TestDentry, opts: OpenOptions): FileDescription {
  if ((opts.flags & O_EXCL) !== 0) throw new SysError("EEXIST", { syscall: "open" });
  if (d.inode.isDir()) throw new SysError("EISDIR", { syscall: "open", detail: "O_CREAT on a directory" });
  return openDentry(ctx, rp, d, opts, false);
}

// Linux's may_o_create(): EROFS, a removed directory, write permission; then the file.
function create(fs: TestFilesystem, ctx: Context, rp: ResolvingPath, parent: TestDentry, name: string, opts: OpenOptions): FileDescription {
  const mount = rp.mount();
  mount.checkBeginWrite();
  let child: TestDentry;
  try {
    if (parent.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "open", detail: "directory was removed" });
    parent.inode.checkPermissions(rp.credentials(), MAY_WRITE | MAY_EXEC);
    child = fs.insert(parent, name, fs.newInode(ctx, parent, S_IFREG | (opts.mode & 0o7777)));
    const now = clockFrom(ctx).now();
    parent.inode.mtime = now;
    parent.inode.ctime = now;
  } finally {
    mount.endWrite();
  }
  rp.advance();
  const fd = openDentry(ctx, rp, child, opts, true);
  fd.setCreated();
  return fd;
}

/**
 * Opens `d` (Linux's may_open() then do_dentry_open()). A file just created by this open
 * is neither permission-checked nor truncated.
 */
export function openDentry(ctx: Context, rp: ResolvingPath, d: TestDentry, opts: OpenOptions, afterCreate: boolean): FileDescription {
  const inode = d.inode;
  const flags = opts.flags;
  const ats = afterCreate ? 0 : accessTypesForOpenFlags(opts);
  const mount = rp.mount();
  // do_open: truncating a regular file needs a write on the mount before anything else.
  const truncate = !afterCreate && inode.isRegular() && (flags & O_TRUNC) !== 0;
  if (truncate) mount.checkBeginWrite();
  try {
    switch (inode.type()) {
      case S_IFLNK:
        throw new SysError("ELOOP", { syscall: "open", detail: "symbolic link with O_NOFOLLOW" });
      case S_IFDIR:
        if ((ats & MAY_WRITE) !== 0) throw new SysError("EISDIR", { syscall: "open" });
        if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
        break;
      case S_IFCHR:
      case S_IFBLK:
        if (mount.flags().noDev) throw new SysError("EACCES", { syscall: "open", detail: "nodev mount" });
        if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
        break;
      case S_IFIFO:
      case S_IFSOCK:
        if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
        break;
      default:
        if ((ats & MAY_EXEC) !== 0 && mount.flags().noExec) throw new SysError("EACCES", { syscall: "open", detail: "noexec mount" });
    }
    if (!afterCreate) inode.checkPermissions(rp.credentials(), ats);
    if ((flags & O_NOATIME) !== 0 && !canActAsOwner(rp.credentials(), inode.uid)) {
      throw new SysError("EPERM", { syscall: "open", detail: "O_NOATIME needs ownership" });
    }
    let impl: FileDescriptionImpl;
    let fdOpts: FileDescriptionOptions;
    switch (inode.type()) {
      case S_IFREG:
        impl = new TestRegularFileFD(d);
        fdOpts = { allowDirectIO: true };
        break;
      case S_IFDIR:
        if ((flags & O_DIRECT) !== 0) throw new SysError("EINVAL", { syscall: "open", detail: "O_DIRECT on a directory" });
        impl = new TestDirectoryFD(d);
        fdOpts = {};
        break;
      case S_IFSOCK:
        throw new SysError("ENXIO", { syscall: "open", detail: "socket" });
      default:
        // FIFOs and device nodes: plain nodes, writable even on a read-only mount.
        impl = new TestSpecialFileFD(d);
        fdOpts = { specialFile: true, denyPRead: true, denyPWrite: true };
    }
    const fd = new FileDescription();
    fd.init(ctx, impl, flags, new VirtualDentry(mount, d.vfsd), fdOpts);
    if (truncate && inode.size !== 0) {
      inode.truncate(0);
      const now = clockFrom(ctx).now();
      inode.mtime = now;
      inode.ctime = now;
    }
    return fd;
  } finally {
    if (truncate) mount.endWrite();
  }
}
