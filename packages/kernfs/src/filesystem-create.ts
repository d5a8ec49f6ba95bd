// kernfs operations that create files: link, mkdir, mknod, symlink and open (with and
// without O_CREAT). Twin of the matching methods of gVisor's
// pkg/sentry/fsimpl/kernfs/filesystem.go; the order of checks is Linux's (fs/namei.c:
// filename_create, may_create, do_linkat, open_last_lookups, do_open, may_open), which
// differs from gVisor's in a few places noted below (DESIGN.md D1).
import { O_CREAT, O_DIRECT, O_DIRECTORY, O_EXCL, O_TMPFILE, O_TRUNC, SysError, isSysError } from "@vfskit/abi";
import {
  MAY_WRITE,
  RESTART,
  accessTypesForOpenFlags,
  exceedsNameMax,
  mayLink,
  type AccessTypes,
  type Context,
  type FileDescription,
  type MkdirOptions,
  type MknodOptions,
  type OpenOptions,
  type ResolvingPath,
  type Restart,
  type VirtualDentry,
} from "@vfskit/vfs";
import type { Inode } from "./inode.js";
import { Dentry, beginOp, dentryState, endOp, insertChild, type FsState } from "./kernfs.js";
import { newSyntheticDirectory } from "./synthetic-directory.js";
import {
  MISSING,
  checkSearchable,
  kernfsDentry,
  lastStepFollowedSymlink,
  lookupForCreate,
  mayCreate,
  startOf,
  stepExisting,
  walkExistingOrThrow,
  walkParentDir,
} from "./walk.js";
import { InotifyMask } from "./watches.js";

/** O_TMPFILE without the O_DIRECTORY bit it includes. */
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

/** Puts a dentry for a newly created inode into the tree; the tree keeps it (kept). */
function insertCreated(st: FsState, parent: Dentry, name: string, inode: Inode): Dentry {
  const child = new Dentry(st.fs, inode);
  insertChild(parent, name, child);
  dentryState(child).kept = true;
  return child;
}

/**
 * The common start of mkdir, mknod and symlink (Linux's `filename_create`): walk to the
 * parent, check it is searchable, check the name, and refuse an existing entry.
 * @returns The parent directory, or RESTART.
 */
function startCreate(st: FsState, ctx: Context, rp: ResolvingPath): Dentry | Restart {
  const parent = walkParentDir(st, ctx, rp, startOf(rp));
  if (parent === RESTART) return RESTART;
  checkSearchable(ctx, rp, parent);
  if (lookupForCreate(st, ctx, parent, rp.component()) !== undefined) throw new SysError("EEXIST");
  return parent;
}

/**
 * link(2) in this filesystem.
 *
 * @remarks
 * Linux's order: the name checks of `filename_create` (EEXIST, ENAMETOOLONG, EEXIST,
 * trailing slash → ENOENT), then EROFS, then EXDEV, then the protected-hardlink rule,
 * then `may_create` (EACCES), then a directory source (EPERM) and a source without links
 * (ENOENT). gVisor checks EXDEV first and EROFS last.
 * @throws EEXIST, ENAMETOOLONG, ENOENT, EROFS, EXDEV, EPERM, EACCES
 * @internal
 */
export function linkAt(st: FsState, ctx: Context, rp: ResolvingPath, vd: VirtualDentry): Restart | undefined {
  if (rp.done()) throw new SysError("EEXIST");
  beginOp(st);
  try {
    const parent = startCreate(st, ctx, rp);
    if (parent === RESTART) return RESTART;
    const name = rp.component();
    if (rp.mustBeDir()) throw new SysError("ENOENT");
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      if (vd.mount !== mount) throw new SysError("EXDEV");
      const target = kernfsDentry(vd.dentry);
      const inode = target.inode();
      const creds = rp.credentials();
      mayLink(creds, inode.mode(), inode.uid(), inode.gid());
      mayCreate(ctx, rp, parent);
      if (target.isDir()) throw new SysError("EPERM", { syscall: "link", detail: "hard link to a directory" });
      if (target.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "link", detail: "the file has no links left" });
      const parentInode = parent.inode();
      const childInode = parentInode.newLink(ctx, name, inode);
      insertCreated(st, parent, name, childInode);
      parentInode.watches().notify(ctx, name, InotifyMask.IN_CREATE, 0, false);
      inode.watches().notify(ctx, "", InotifyMask.IN_ATTRIB, 0, false);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/**
 * mkdir(2) in this filesystem.
 *
 * @remarks
 * Linux's order: EEXIST for `.`/`..`, ENAMETOOLONG, ENOENT for a removed parent, EEXIST
 * for an existing entry, EROFS, EACCES. (gVisor reports EACCES before EROFS.) A trailing
 * slash is allowed. With `opts.forSyntheticMountpoint`, a directory that refuses `newDir`
 * gets a synthetic directory instead (unless the refusal is EEXIST).
 * @throws EEXIST, ENAMETOOLONG, ENOENT, EROFS, EACCES, EPERM
 * @internal
 */
export function mkdirAt(st: FsState, ctx: Context, rp: ResolvingPath, opts: MkdirOptions): Restart | undefined {
  if (rp.done()) throw new SysError("EEXIST");
  beginOp(st);
  try {
    const parent = startCreate(st, ctx, rp);
    if (parent === RESTART) return RESTART;
    const name = rp.component();
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      mayCreate(ctx, rp, parent);
      const parentInode = parent.inode();
      let child: Inode;
      try {
        child = parentInode.newDir(ctx, name, opts);
      } catch (error) {
        if (opts.forSyntheticMountpoint !== true || isSysError(error, "EEXIST")) throw error;
        child = newSyntheticDirectory(ctx, st.fs, opts.mode & 0o7777);
      }
      insertCreated(st, parent, name, child);
      parentInode.watches().notify(ctx, name, InotifyMask.IN_CREATE | InotifyMask.IN_ISDIR, 0, false);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/**
 * mknod(2) in this filesystem.
 * @remarks Linux's order, as {@link mkdirAt}, plus a trailing slash → ENOENT after the
 * existence check (gVisor checks it after EACCES).
 * @throws EEXIST, ENAMETOOLONG, ENOENT, EROFS, EACCES, EPERM
 * @internal
 */
export function mknodAt(st: FsState, ctx: Context, rp: ResolvingPath, opts: MknodOptions): Restart | undefined {
  if (rp.done()) throw new SysError("EEXIST");
  beginOp(st);
  try {
    const parent = startCreate(st, ctx, rp);
    if (parent === RESTART) return RESTART;
    const name = rp.component();
    if (rp.mustBeDir()) throw new SysError("ENOENT");
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      mayCreate(ctx, rp, parent);
      const parentInode = parent.inode();
      insertCreated(st, parent, name, parentInode.newNode(ctx, name, opts));
      parentInode.watches().notify(ctx, name, InotifyMask.IN_CREATE, 0, false);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/**
 * symlink(2) in this filesystem.
 * @remarks Linux's order, as {@link mknodAt}.
 * @throws EEXIST, ENAMETOOLONG, ENOENT, EROFS, EACCES, EPERM
 * @internal
 */
export function symlinkAt(st: FsState, ctx: Context, rp: ResolvingPath, target: string): Restart | undefined {
  if (rp.done()) throw new SysError("EEXIST");
  beginOp(st);
  try {
    const parent = startCreate(st, ctx, rp);
    if (parent === RESTART) return RESTART;
    const name = rp.component();
    if (rp.mustBeDir()) throw new SysError("ENOENT");
    const mount = rp.mount();
    mount.checkBeginWrite();
    try {
      mayCreate(ctx, rp, parent);
      const parentInode = parent.inode();
      insertCreated(st, parent, name, parentInode.newSymlink(ctx, name, target));
      parentInode.watches().notify(ctx, name, InotifyMask.IN_CREATE, 0, false);
    } finally {
      mount.endWrite();
    }
    return undefined;
  } finally {
    endOp(st, ctx);
  }
}

/**
 * open(2) in this filesystem.
 *
 * @remarks
 * Without O_CREAT: walk (following a final symbolic link unless O_NOFOLLOW), then
 * {@link openExisting}.
 *
 * With O_CREAT, Linux's `open_last_lookups` order: no components (`open("/", O_CREAT)`) →
 * EISDIR with a trailing slash, EEXIST with O_EXCL, else the existing file; otherwise
 * walk to the parent, which must be searchable (EACCES); a trailing slash → EISDIR; a
 * last component `.` or `..` → EISDIR; a removed parent → ENOENT; a name too long →
 * ENAMETOOLONG. Then the last component is looked up: a symbolic link that would be
 * followed is EEXIST under O_EXCL (O_EXCL implies O_NOFOLLOW), else followed — and a
 * dangling link creates its target. A missing file is created: EROFS, then EACCES on the
 * parent (gVisor: EACCES first), then `newFile`, and the description is marked created.
 * An existing file is EEXIST under O_EXCL, EISDIR if it is a directory (Linux checks this
 * before permissions; gVisor after), else opened as without O_CREAT.
 *
 * O_TMPFILE: kernfs directories cannot make unnamed files; as Linux's `do_tmpfile` for a
 * filesystem without `tmpfile`, the directory is resolved, a read-only mount is EROFS,
 * and then EOPNOTSUPP.
 * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES, EISDIR, EEXIST, EROFS, EINVAL,
 * EOPNOTSUPP
 * @internal
 */
export function openAt(st: FsState, ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
  const ats = accessTypesForOpenFlags(opts);
  beginOp(st);
  try {
    if ((opts.flags & TMPFILE_BIT) !== 0) {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      const mount = rp.mount();
      mount.checkBeginWrite();
      mount.endWrite();
      throw new SysError("EOPNOTSUPP", { syscall: "open", detail: "O_TMPFILE" });
    }
    if ((opts.flags & O_CREAT) === 0) {
      const d = walkExistingOrThrow(st, ctx, rp);
      if (d === RESTART) return RESTART;
      return openExisting(ctx, rp, d, opts, ats);
    }
    const mustCreate = (opts.flags & O_EXCL) !== 0;
    let start = startOf(rp);
    if (rp.done()) {
      if (rp.mustBeDir()) throw new SysError("EISDIR");
      if (mustCreate) throw new SysError("EEXIST");
      if (start.isDir()) throw new SysError("EISDIR");
      return openExisting(ctx, rp, start, opts, ats);
    }
    for (;;) {
      const parent = walkParentDir(st, ctx, rp, start);
      if (parent === RESTART) return RESTART;
      checkSearchable(ctx, rp, parent);
      if (rp.mustBeDir()) throw new SysError("EISDIR");
      const name = rp.component();
      if (name === "." || name === "..") throw new SysError("EISDIR");
      if (parent.vfsd.isDead()) throw new SysError("ENOENT");
      if (exceedsNameMax(name)) throw new SysError("ENAMETOOLONG");
      const child = stepExisting(st, ctx, rp, parent);
      if (lastStepFollowedSymlink()) {
        // EEXIST even for a dangling or absolute link: O_EXCL never follows.
        if (mustCreate) throw new SysError("EEXIST");
        if (child === RESTART) return RESTART;
        // A relative target now heads the remaining components: resolve it from here.
        start = parent;
        continue;
      }
      if (child === RESTART) return RESTART;
      if (child === MISSING) {
        rp.advance();
        return createAndOpen(st, ctx, rp, parent, name, opts);
      }
      if (mustCreate) throw new SysError("EEXIST");
      if (child.isDir()) throw new SysError("EISDIR");
      return openExisting(ctx, rp, child, opts, ats);
    }
  } finally {
    endOp(st, ctx);
  }
}

/** Creates `name` in `parent` with `newFile` and opens it (Linux's `lookup_open` create path). */
function createAndOpen(
  st: FsState,
  ctx: Context,
  rp: ResolvingPath,
  parent: Dentry,
  name: string,
  opts: OpenOptions,
): FileDescription {
  const mount = rp.mount();
  mount.checkBeginWrite();
  try {
    mayCreate(ctx, rp, parent);
    const parentInode = parent.inode();
    const inode = parentInode.newFile(ctx, name, opts);
    const child = insertCreated(st, parent, name, inode);
    // A created file is opened without a permission check and is not truncated (do_open).
    const fd = inode.open(ctx, rp, child, opts);
    parentInode.watches().notify(ctx, name, InotifyMask.IN_CREATE, 0, false);
    fd.setCreated();
    return fd;
  } finally {
    mount.endWrite();
  }
}

/**
 * Opens an existing file, in the order of Linux's `do_open` and `may_open`: O_TRUNC of a
 * regular file needs a writable mount (EROFS) first; a symbolic link reached here (not
 * followed) is ELOOP; a directory opened for writing (or O_TRUNC) is EISDIR before any
 * permission check; then permissions (EACCES); then O_DIRECT on a directory is EINVAL.
 * (gVisor checks permissions first.)
 */
function openExisting(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions, ats: AccessTypes): FileDescription {
  const inode = d.inode();
  const mount = rp.mount();
  const trunc = (opts.flags & O_TRUNC) !== 0 && d.isRegular();
  if (trunc) mount.checkBeginWrite();
  try {
    if (d.isSymlink()) throw new SysError("ELOOP");
    if (d.isDir() && (ats & MAY_WRITE) !== 0) throw new SysError("EISDIR");
    inode.checkPermissions(ctx, rp.credentials(), ats);
    if (d.isDir() && (opts.flags & O_DIRECT) !== 0) throw new SysError("EINVAL");
    return inode.open(ctx, rp, d, opts);
  } finally {
    if (trunc) mount.endWrite();
  }
}
