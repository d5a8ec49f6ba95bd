// open(2) on tmpfs, with O_CREAT and O_TMPFILE. Twin of gVisor's tmpfs OpenAt and
// dentry.open (pkg/sentry/fsimpl/tmpfs/filesystem.go); the order of checks is Linux's
// (fs/namei.c open_last_lookups, lookup_open, do_open, may_open).
import {
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_EXCL,
  O_NOATIME,
  O_TMPFILE,
  O_TRUNC,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFSOCK,
  SysError,
} from "@vfskit/abi";
import {
  FifoOpenerKey,
  FileDescription,
  InternalError,
  MAY_EXEC,
  MAY_WRITE,
  RESTART,
  VirtualDentry,
  accessTypesForOpenFlags,
  canActAsOwner,
  clockFrom,
  exceedsNameMax,
  type Context,
  type OpenOptions,
  type ResolvingPath,
  type Restart,
} from "@vfskit/vfs";
import { DirectoryFD, type DirectoryInode } from "./directory.js";
import { insertEntry, newRegularFile } from "./filesystem-create.js";
import type { TmpfsFilesystem } from "./filesystem.js";
import { InodeKind, TmpfsDentry, type Inode } from "./inode.js";
import { RegularFileFD, type RegularFileInode } from "./regular-file.js";
import type { SpecialInode } from "./special-file.js";
import type { SymlinkInode } from "./symlink.js";
import { resolveExisting, startOf, walkParentDir } from "./walk.js";

/** O_TMPFILE without the O_DIRECTORY it includes. */
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

/**
 * open(2), with O_CREAT and O_TMPFILE (Linux's path_openat: open_last_lookups,
 * lookup_open, do_open, may_open).
 *
 * @throws EISDIR - O_CREAT with a trailing slash, on `.`/`..`, or on a directory.
 * @throws EEXIST - O_CREAT|O_EXCL and the name exists (a symbolic link included).
 * @throws ENAMETOOLONG - the name is over 255 bytes.
 * @throws ENOENT - creating in a removed directory.
 * @throws EROFS - creating, or O_TRUNC, or writing, on a read-only mount.
 * @throws EACCES - creating without write permission on the parent; no permission on
 * the file; opening a device on a `nodev` mount.
 * @throws ENOSPC - `nr_inodes` is exhausted.
 * @throws ENOTDIR - O_DIRECTORY on a non-directory.
 * @throws ELOOP - opening a symbolic link (O_NOFOLLOW).
 * @throws EPERM - O_NOATIME by someone who is not the owner.
 * @throws EINVAL - O_DIRECT on a directory.
 * @throws ENXIO - a socket or device (no driver; see the README); a FIFO when the
 * context carries no `FifoOpenerKey`; a FIFO opened O_WRONLY | O_NONBLOCK without reader.
 * @throws EINVAL - a FIFO opened with access mode 3.
 * @throws EAGAIN - a FIFO open that must wait for the other side.
 */
export function openAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
  const flags = opts.flags;
  if ((flags & TMPFILE_BIT) !== 0) return openTmpfile(fs, ctx, rp, opts);
  if ((flags & O_CREAT) === 0) {
    const d = resolveExisting(ctx, rp);
    if (d === RESTART) return RESTART;
    return openExisting(fs, ctx, rp, d, opts, false);
  }
  const mustCreate = (flags & O_EXCL) !== 0;
  let start = startOf(rp);
  if (rp.done()) {
    // open("/", O_CREAT) and the like: the file exists and is a directory here. "/" and
    // "//" are LAST_ROOT in Linux: handle_dots, then do_open, where O_EXCL's EEXIST comes
    // before EISDIR, trailing slash or not.
    if (mustCreate) throw new SysError("EEXIST", { syscall: "open" });
    if (rp.mustBeDir()) throw new SysError("EISDIR", { syscall: "open" });
    return openExisting(fs, ctx, rp, start, opts, false);
  }
  for (;;) {
    const parent = walkParentDir(ctx, rp, start);
    if (parent === RESTART) return RESTART;
    const dir = parent.inode as DirectoryInode;
    const creds = rp.credentials();
    dir.checkPermissions(creds, MAY_EXEC);
    if (rp.isDot() || rp.isDotDot()) {
      // handle_dots, then do_open on the directory reached.
      throw new SysError(mustCreate ? "EEXIST" : "EISDIR", { syscall: "open" });
    }
    if (rp.mustBeDir()) throw new SysError("EISDIR", { syscall: "open", detail: "trailing slash with O_CREAT" });
    if (parent.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "open", detail: "the directory was removed" });
    const name = rp.component();
    if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG", { syscall: "open" });
    const child = dir.lookup(name);
    // Something mounted on an existing name: the open continues there (as existing).
    if (child !== undefined && rp.checkMount(ctx, child.vfsd) === RESTART) return RESTART;
    if (child !== undefined && child.inode.kind === InodeKind.Symlink && rp.shouldFollowSymlink()) {
      if (mustCreate) throw new SysError("EEXIST", { syscall: "open" });
      child.inode.touchAtime(ctx, rp.mount());
      if (rp.handleSymlink((child.inode as SymlinkInode).target) === RESTART) return RESTART;
      // The target's components now head the path, relative to the same directory.
      start = parent;
      continue;
    }
    if (child !== undefined) {
      if (mustCreate) throw new SysError("EEXIST", { syscall: "open" });
      rp.advance();
      return openExisting(fs, ctx, rp, child, opts, false);
    }
    // Create. Linux reports EROFS before EACCES here (lookup_open's got_write).
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      dir.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
      const now = clockFrom(ctx).now();
      const inode = newRegularFile(fs, creds, dir, opts.mode, now, opts.requestedMode);
      const dentry = insertEntry(dir, inode, name, now);
      rp.advance();
      const fd = openExisting(fs, ctx, rp, dentry, opts, true);
      fd.setCreated();
      return fd;
    } finally {
      mount.endWrite();
    }
  }
}

/**
 * Opens the existing (or just created) file at `d` (Linux's do_open and may_open, then
 * the file's open).
 */
function openExisting(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, d: TmpfsDentry, opts: OpenOptions, created: boolean): FileDescription {
  const inode = d.inode;
  const flags = opts.flags;
  const mount = rp.mount();
  if ((flags & O_CREAT) !== 0 && inode.kind === InodeKind.Directory) throw new SysError("EISDIR", { syscall: "open" });
  if (rp.mustBeDir() && inode.kind !== InodeKind.Directory) throw new SysError("ENOTDIR", { syscall: "open" });
  const truncate = !created && inode.kind === InodeKind.Regular && (flags & O_TRUNC) !== 0;
  if (truncate) mount.checkBeginWrite();
  try {
    if (!created) mayOpen(rp, inode, opts);
    switch (inode.kind) {
      case InodeKind.Regular: {
        const impl = new RegularFileFD(d, inode as RegularFileInode);
        const fd = new FileDescription();
        fd.init(ctx, impl, flags, new VirtualDentry(mount, d.vfsd), { allowDirectIO: true });
        if (truncate) {
          // handle_truncate: size 0, mtime and ctime, privileges dropped as for a write.
          const creds = ctx.credentials;
          inode.truncate(ctx, 0);
          if (inode.shouldRemovePrivs(creds)) inode.removePrivs(creds);
          inode.touchCMtime(clockFrom(ctx).now());
        }
        return fd;
      }
      case InodeKind.Directory: {
        if ((flags & O_DIRECT) !== 0) throw new SysError("EINVAL", { syscall: "open", detail: "O_DIRECT on a directory" });
        const impl = new DirectoryFD(d, inode as DirectoryInode);
        const fd = new FileDescription();
        fd.init(ctx, impl, flags, new VirtualDentry(mount, d.vfsd));
        return fd;
      }
      case InodeKind.Symlink:
        throw new SysError("ELOOP", { syscall: "open" });
      case InodeKind.Special: {
        const special = inode as SpecialInode;
        if (special.isFifo()) {
          // Linux's fifo_open, generic over filesystems: the opener in the context keeps
          // the pipe (pipefs's PipeFifoOpener; the kernel's also waits). O_TRUNC does
          // nothing to a FIFO, and opening one for writing is fine on a read-only mount.
          const opener = ctx.value(FifoOpenerKey);
          if (opener === undefined) throw new SysError("ENXIO", { syscall: "open", detail: "no FifoOpener in the context" });
          return opener.open(ctx, new VirtualDentry(mount, d.vfsd), inode, flags);
        }
        if (special.isDevice()) throw new SysError("ENXIO", { syscall: "open", detail: "no device registry yet" });
        throw new SysError("ENXIO", { syscall: "open", detail: "cannot open a socket" });
      }
    }
    throw new InternalError(`tmpfs: unknown inode kind ${String(inode.kind)}`);
  } finally {
    if (truncate) mount.endWrite();
  }
}

/** Linux's may_open for an existing file: type rules, then permission, then O_NOATIME. */
function mayOpen(rp: ResolvingPath, inode: Inode, opts: OpenOptions): void {
  const ats = accessTypesForOpenFlags(opts);
  const creds = rp.credentials();
  switch (inode.mode & S_IFMT) {
    case S_IFLNK:
      throw new SysError("ELOOP", { syscall: "open" });
    case S_IFDIR:
      if ((ats & MAY_WRITE) !== 0) throw new SysError("EISDIR", { syscall: "open" });
      if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
      break;
    case S_IFBLK:
    case S_IFCHR:
      if (rp.mount().noDev()) throw new SysError("EACCES", { syscall: "open", detail: "nodev mount" });
      if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
      break;
    case S_IFIFO:
    case S_IFSOCK:
      if ((ats & MAY_EXEC) !== 0) throw new SysError("EACCES", { syscall: "open" });
      break;
    default:
      if ((ats & MAY_EXEC) !== 0 && rp.mount().noExec()) throw new SysError("EACCES", { syscall: "open", detail: "noexec mount" });
  }
  inode.checkPermissions(creds, ats);
  if ((opts.flags & O_NOATIME) !== 0 && !canActAsOwner(creds, inode.uid)) {
    throw new SysError("EPERM", { syscall: "open", detail: "O_NOATIME needs ownership" });
  }
}

/**
 * open(O_TMPFILE): an unnamed regular file in the directory at `rp` (Linux's
 * do_tmpfile + shmem_tmpfile). Without O_EXCL it may later get a name with linkat.
 */
function openTmpfile(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
  const d = resolveExisting(ctx, rp);
  if (d === RESTART) return RESTART;
  if (d.inode.kind !== InodeKind.Directory) throw new SysError("ENOTDIR", { syscall: "open" });
  const mount = rp.mount();
  mount.checkBeginWrite();
  try {
    const creds = rp.credentials();
    d.inode.checkPermissions(creds, MAY_WRITE | MAY_EXEC);
    if (d.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "open", detail: "the directory was removed" });
    const inode = newRegularFile(fs, creds, d.inode as DirectoryInode, opts.mode, clockFrom(ctx).now());
    // Linux's d_tmpfile names the dentry "#<ino>" and leaves it unhashed (deleted).
    const dentry = new TmpfsDentry(inode, d, `#${inode.ino}`, 0);
    fs.vfsfs.vfs.invalidateDentry(ctx, dentry.vfsd);
    const impl = new RegularFileFD(dentry, inode);
    const fd = new FileDescription();
    try {
      fd.init(ctx, impl, opts.flags & ~O_CREAT, new VirtualDentry(mount, dentry.vfsd), { allowDirectIO: true });
    } finally {
      inode.decLinks(ctx); // no name: the description's reference is the only one
    }
    if ((opts.flags & O_EXCL) === 0) fs.linkable.add(inode); // until linked or released
    fd.setCreated();
    return fd;
  } finally {
    mount.endWrite();
  }
}
