// Creating files on tmpfs: link, mkdir, mknod, symlink, and the pieces open(O_CREAT) and
// rename's whiteout share. Twin of the create half of gVisor's
// pkg/sentry/fsimpl/tmpfs/filesystem.go (doCreateAt and its callers). The order of checks
// is Linux's (fs/namei.c filename_create, then may_create): gVisor checks a removed
// parent before EROFS; Linux after.
import {
  Capability,
  PATH_MAX,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  S_ISGID,
  S_IXGRP,
  SysError,
  type Timespec,
} from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import {
  MAY_EXEC,
  MAY_WRITE,
  RESTART,
  clockFrom,
  exceedsNameMax,
  hasCapabilityOnFile,
  mayLink,
  type Context,
  type MkdirOptions,
  type MknodOptions,
  type ResolvingPath,
  type Restart,
  type VirtualDentry,
} from "@vfskit/vfs";
import { DirectoryInode } from "./directory.js";
import { BOGO_INODE_SIZE, type TmpfsFilesystem } from "./filesystem.js";
import { InodeKind, TmpfsDentry, type Inode } from "./inode.js";
import { RegularFileInode } from "./regular-file.js";
import { SpecialInode } from "./special-file.js";
import { SHORT_SYMLINK_LEN, SymlinkInode, symlinkTargetBytes } from "./symlink.js";
import { startOf, walkParentDir } from "./walk.js";

/** The whiteout device of overlayfs and RENAME_WHITEOUT: a character device 0:0. */
const WHITEOUT_MODE = S_IFCHR;

/**
 * The owner, group and mode of a new file in `parent` (Linux `inode_init_owner` and
 * `mode_strip_sgid`): the caller's filesystem IDs, except that in a setgid directory
 * the group is the directory's, new directories inherit S_ISGID, and other files lose
 * a setgid-executable bit the caller could not have set. Linux decides that on the mode
 * asked for before the umask (`vfs_prepare_mode` strips, then masks): `requested` is that
 * mode when the caller knows it.
 */
export function newOwner(
  creds: Credentials,
  parent: DirectoryInode | undefined,
  mode: number,
  requested: number = mode,
): { uid: KUID; gid: KGID; mode: number } {
  const uid = creds.fsKUID;
  let gid = creds.fsKGID;
  if (parent !== undefined && (parent.mode & S_ISGID) !== 0) {
    gid = parent.gid;
    if ((mode & S_IFMT) === S_IFDIR) mode |= S_ISGID;
    else if (
      (mode & S_ISGID) !== 0 &&
      (requested & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP) &&
      !creds.inGroup(gid) &&
      !hasCapabilityOnFile(creds, Capability.CAP_FSETID, parent.uid, parent.gid)
    ) {
      mode &= ~S_ISGID;
    }
  }
  return { uid, gid, mode };
}

/** A new regular file inode (accounted). @throws ENOSPC */
export function newRegularFile(
  fs: TmpfsFilesystem,
  creds: Credentials,
  parent: DirectoryInode,
  mode: number,
  now: Timespec,
  requestedMode: number = mode,
): RegularFileInode {
  fs.accountInode();
  const owner = newOwner(creds, parent, S_IFREG | (mode & 0o7777), requestedMode);
  return new RegularFileInode(fs, owner.mode, owner.uid, owner.gid, now);
}

/** Links `inode` into `parent` as `name` under a new dentry, updating the parent's times. */
export function insertEntry(parent: DirectoryInode, inode: Inode, name: string, now: Timespec): TmpfsDentry {
  const dentry = new TmpfsDentry(inode, parent.dentry, name, 0);
  parent.insertChild(dentry, name);
  parent.touchCMtime(now);
  return dentry;
}

/**
 * The checks of Linux's `filename_create` for the last component of `rp`, after the
 * walk to `parent`: parent searchable (EACCES), `.`/`..` (EEXIST), name length
 * (ENAMETOOLONG), existing name (EEXIST), a trailing slash on a non-directory (ENOENT),
 * then a write count on the mount (EROFS). The caller must `endWrite()` the mount.
 */
function beginCreate(rp: ResolvingPath, parent: TmpfsDentry, dir: boolean): string {
  const creds = rp.credentials();
  parent.inode.checkPermissions(creds, MAY_EXEC);
  if (rp.isDot() || rp.isDotDot()) throw new SysError("EEXIST");
  const name = rp.component();
  if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
  if ((parent.inode as DirectoryInode).lookup(name) !== undefined) throw new SysError("EEXIST");
  if (!dir && rp.mustBeDir()) throw new SysError("ENOENT", { detail: "trailing slash on a new non-directory" });
  rp.mount().checkBeginWrite();
  return name;
}

/**
 * Linux's `may_create` after `beginCreate`: the parent still exists (ENOENT) and is
 * writable (EACCES).
 */
function mayCreate(rp: ResolvingPath, parent: TmpfsDentry): void {
  if (parent.vfsd.isDead()) throw new SysError("ENOENT", { detail: "the directory was removed" });
  parent.inode.checkPermissions(rp.credentials(), MAY_WRITE | MAY_EXEC);
}

/**
 * link(2).
 * @throws EACCES - the parent is not searchable.
 * @throws EEXIST - the last component is `.` or `..`, or the name exists.
 * @throws ENAMETOOLONG - the name is over 255 bytes.
 * @throws ENOENT - the new name has a trailing slash.
 * @throws EROFS - a read-only mount.
 * @throws EXDEV - `vd` is on another mount.
 * @throws EPERM - not the owner and the source is not a safe regular file (protected hard links).
 * @throws ENOENT - the parent was removed.
 * @throws EACCES - the parent is not writable.
 * @throws EPERM - the source is a directory.
 * @throws ENOENT - the source has no links left (and is not a linkable O_TMPFILE file).
 * @throws ENOSPC - `nr_inodes` is exhausted (every hard link takes a slot, as in Linux).
 */
export function linkAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  const name = beginCreate(rp, parent, false);
  const mount = rp.mount();
  try {
    if (mount !== vd.mount) throw new SysError("EXDEV", { syscall: "link" });
    const target = (vd.dentry.impl as TmpfsDentry).inode;
    const creds = rp.credentials();
    mayLink(creds, target.mode, target.uid, target.gid);
    mayCreate(rp, parent);
    if (target.kind === InodeKind.Directory) throw new SysError("EPERM", { syscall: "link", detail: "hard link to a directory" });
    const tmpfile = target.nlink === 0;
    if (tmpfile && !fs.linkable.has(target)) throw new SysError("ENOENT", { syscall: "link", detail: "the file was deleted" });
    const now = clockFrom(ctx).now();
    if (tmpfile) {
      // An O_TMPFILE file gets its first name: the links take their reference again.
      fs.linkable.delete(target);
      target.incRef();
      target.nlink = 1;
    } else {
      if (!fs.reserveSpace(BOGO_INODE_SIZE)) throw new SysError("ENOSPC", { syscall: "link" });
      target.incLinks();
    }
    target.touchCtime(now);
    insertEntry(parent.inode as DirectoryInode, target, name, now);
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/**
 * mkdir(2).
 * @throws EACCES, EEXIST, ENAMETOOLONG, EROFS - as {@link linkAt} (no
 * ENOENT for a trailing slash).
 * @throws ENOENT - the parent was removed.
 * @throws EACCES - the parent is not writable.
 * @throws ENOSPC - `nr_inodes` is exhausted.
 */
export function mkdirAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  const name = beginCreate(rp, parent, true);
  const mount = rp.mount();
  try {
    mayCreate(rp, parent);
    const creds = rp.credentials();
    const dir = parent.inode as DirectoryInode;
    fs.accountInode();
    const owner = newOwner(creds, dir, S_IFDIR | (opts.mode & 0o1777));
    const now = clockFrom(ctx).now();
    const child = new DirectoryInode(fs, owner.mode, owner.uid, owner.gid, now);
    child.dentry = insertEntry(dir, child, name, now);
    dir.incLinks(); // the new directory's ".."
    dir.incRef(); // a directory holds its parent
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/**
 * mknod(2): regular files (type 0 or S_IFREG), FIFOs, sockets, character and block
 * devices.
 * @throws EPERM - the type is S_IFDIR (Linux's may_mknod, checked here after the walk).
 * @throws EINVAL - another unknown type.
 * @throws EACCES, EEXIST, ENAMETOOLONG, ENOENT, EROFS - as {@link linkAt}.
 * @throws EPERM - a device node without CAP_MKNOD (except the 0:0 whiteout).
 * @throws ENOSPC - `nr_inodes` is exhausted.
 */
export function mknodAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  let type = opts.mode & S_IFMT;
  switch (type) {
    case 0:
      type = S_IFREG;
      break;
    case S_IFREG:
    case S_IFIFO:
    case S_IFCHR:
    case S_IFBLK:
    case S_IFSOCK:
      break;
    case S_IFDIR:
      throw new SysError("EPERM", { syscall: "mknod", detail: "use mkdir" });
    default:
      throw new SysError("EINVAL", { syscall: "mknod", detail: "bad file type" });
  }
  const name = beginCreate(rp, parent, false);
  const mount = rp.mount();
  try {
    mayCreate(rp, parent);
    const creds = rp.credentials();
    const device = type === S_IFCHR || type === S_IFBLK;
    const whiteout = type === S_IFCHR && opts.devMajor === 0 && opts.devMinor === 0;
    if (device && !whiteout && !creds.hasRootCapability(Capability.CAP_MKNOD)) {
      throw new SysError("EPERM", { syscall: "mknod", detail: "CAP_MKNOD required" });
    }
    const dir = parent.inode as DirectoryInode;
    const now = clockFrom(ctx).now();
    let inode: Inode;
    if (type === S_IFREG) {
      inode = newRegularFile(fs, creds, dir, opts.mode, now, opts.requestedMode);
    } else {
      fs.accountInode();
      const owner = newOwner(creds, dir, type | (opts.mode & 0o7777), opts.requestedMode);
      inode = new SpecialInode(fs, owner.mode, owner.uid, owner.gid, now, opts.devMajor, opts.devMinor);
    }
    insertEntry(dir, inode, name, now);
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/**
 * symlink(2).
 * @throws ENOENT - an empty target (Linux rejects it when copying the argument in).
 * @throws ENAMETOOLONG - a target of 4096 bytes or more.
 * @throws EACCES, EEXIST, ENAMETOOLONG, ENOENT, EROFS - as {@link linkAt}.
 * @throws ENOSPC - `nr_inodes` is exhausted, or a long target finds no page under `size=`.
 */
export function symlinkAt(fs: TmpfsFilesystem, ctx: Context, rp: ResolvingPath, target: string): Restart | undefined {
  const parent = walkParentDir(ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  if (target.length === 0) throw new SysError("ENOENT", { syscall: "symlink", detail: "empty target" });
  const targetBytes = symlinkTargetBytes(target);
  if (targetBytes >= PATH_MAX) throw new SysError("ENAMETOOLONG", { syscall: "symlink" });
  const name = beginCreate(rp, parent, false);
  const mount = rp.mount();
  try {
    mayCreate(rp, parent);
    const creds = rp.credentials();
    const dir = parent.inode as DirectoryInode;
    fs.accountInode();
    if (targetBytes >= SHORT_SYMLINK_LEN) {
      // Linux stores a long target in a page, which counts against size=.
      if (fs.freePages() < 1) {
        fs.unaccountInode();
        throw new SysError("ENOSPC", { syscall: "symlink" });
      }
      fs.addPages(1);
    }
    const owner = newOwner(creds, dir, S_IFLNK | 0o777);
    const now = clockFrom(ctx).now();
    const inode = new SymlinkInode(fs, owner.mode, owner.uid, owner.gid, now, target, targetBytes);
    insertEntry(dir, inode, name, now);
    return undefined;
  } finally {
    mount.endWrite();
  }
}

/** The whiteout node RENAME_WHITEOUT leaves behind (Linux's shmem_whiteout). */
export function newWhiteout(fs: TmpfsFilesystem, creds: Credentials, parent: DirectoryInode, now: Timespec): Inode {
  fs.accountInode();
  const owner = newOwner(creds, parent, WHITEOUT_MODE);
  return new SpecialInode(fs, owner.mode, owner.uid, owner.gid, now, 0, 0);
}
