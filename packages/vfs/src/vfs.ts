// The virtual filesystem: filesystem types, the mount table, and every path operation.
// Twin of gVisor's pkg/sentry/vfs/vfs.go.
import {
  O_ACCMODE,
  O_APPEND,
  O_ASYNC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_LARGEFILE,
  O_NOATIME,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  S_ISGID,
  S_ISUID,
  S_ISVTX,
  STATX_MNT_ID,
  STATX_TYPE,
  SysError,
  isSysError,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import type { Path } from "@vfskit/fspath";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { FileDescription } from "./file-description.js";
import type { Mount } from "./mount.js";
import { newOPathFileDescription } from "./opath.js";
import {
  MAY_EXEC,
  MAY_READ,
  MAY_WRITE,
  type AccessTypes,
  type GetDentryOptions,
  type GetXattrOptions,
  type MkdirOptions,
  type MknodOptions,
  type OpenOptions,
  type RenameOptions,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
} from "./options.js";
import {
  RESTART,
  beginResolvingPath,
  endResolvingPath,
  handleRestart,
  setMustBeDir,
  type ResolvingPath,
  type Restart,
} from "./resolving-path.js";
import { VirtualDentry } from "./virtual-dentry.js";
import { VirtualFilesystemBase, vfsState } from "./vfs-base.js";

/**
 * The path an operation works on (gVisor's `PathOperation`).
 *
 * @remarks
 * References on `root` and `start` are borrowed from the caller for the duration of the
 * call. For an absolute path `start` should be `root`. An empty relative path with
 * `root` = `start` = a file's position addresses that file itself (AT_EMPTY_PATH).
 * @public
 */
export interface PathOperation {
  /** The caller's root directory: `..` and absolute symlinks never go above it. */
  readonly root: VirtualDentry;
  /** Where a relative path starts (the cwd or a directory file descriptor). */
  readonly start: VirtualDentry;
  /** The parsed path (`parse` from `@vfskit/fspath`). */
  readonly path: Path;
  /** Follow a symbolic link at the last component. */
  readonly followFinalSymlink: boolean;
}

// open(2) flags the VFS passes on; the rest (O_CLOEXEC, unknown bits) are dropped.
const OPEN_FLAGS_KEPT =
  O_ACCMODE |
  O_CREAT |
  O_EXCL |
  O_NOCTTY |
  O_TRUNC |
  O_APPEND |
  O_NONBLOCK |
  O_DSYNC |
  O_ASYNC |
  O_DIRECT |
  O_LARGEFILE |
  O_DIRECTORY |
  O_NOFOLLOW |
  O_NOATIME |
  O_SYNC |
  O_PATH |
  O_TMPFILE;
// O_TMPFILE includes O_DIRECTORY; this is the bit that means "temporary file".
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;
const RENAME_FLAGS = RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT;


function emptyPathError(pop: PathOperation, absoluteCode: "EEXIST" | "EBUSY" | "EISDIR", syscall: string): SysError {
  return new SysError(pop.path.absolute ? absoluteCode : "ENOENT", { syscall, path: pop.path.toString() });
}

/** Whether the last component of `path` is `.` or `..`. */
function isDotOrDotDotPath(path: Path): boolean {
  const text = path.toString().replace(/\/+$/u, "");
  return text === "." || text === ".." || text.endsWith("/.") || text.endsWith("/..");
}

function followFinalError(syscall: string): SysError {
  return new SysError("EINVAL", { syscall, detail: "the final component of a create or delete is never followed" });
}

/**
 * The virtual filesystem: registered filesystem types, every mount, and the path
 * operations that walk them (gVisor's `VirtualFilesystem`).
 *
 * @remarks
 * Every path operation takes a {@link Context} (credentials, and optionally the caller's
 * mount namespace and root under {@link MountNamespaceKey} and {@link RootKey}) and a
 * {@link PathOperation}. It walks the path through the filesystems it crosses — a
 * filesystem resolves components and returns {@link RESTART} when the walk continues on
 * another mount — and applies the VFS-level rules Linux applies before the filesystem is
 * asked (empty paths, flags). Errors are `SysError`s whose `code` is the Linux errno.
 *
 * Everything is synchronous and runs to completion (DESIGN.md D2).
 * @public
 */
export class VirtualFilesystem extends VirtualFilesystemBase {
  // ---------------------------------------------------------------------------------
  // Path operations

  /** Runs one filesystem operation over `pop`, following restarts. */
  #walk<T>(ctx: Context, pop: PathOperation, op: (rp: ResolvingPath) => T | Restart): T {
    const pool = vfsState(this).rpPool;
    const rp = beginResolvingPath(this, pool, ctx.credentials, pop);
    try {
      for (;;) {
        const result = op(rp);
        if (result !== RESTART) return result;
        handleRestart(rp, ctx);
      }
    } finally {
      endResolvingPath(rp, ctx, pool);
    }
  }

  /**
   * access(2): checks that `ctx.credentials` may access the file with `ats`.
   *
   * @param ats - MAY_READ | MAY_WRITE | MAY_EXEC bits; 0 tests existence.
   * @throws EINVAL - `ats` has other bits.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EACCES - access denied.
   * @throws EROFS - write access on a read-only mount.
   */
  accessAt(ctx: Context, pop: PathOperation, ats: AccessTypes): void {
    if ((ats & ~(MAY_READ | MAY_WRITE | MAY_EXEC)) !== 0) throw new SysError("EINVAL", { syscall: "access", detail: "bad mode" });
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.accessAt(ctx, rp, ats));
  }

  /**
   * Resolves `pop` to an existing file and returns its position with a reference (drop it
   * with `decRef`).
   *
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws ENOTDIR - `opts.checkSearchable` and not a directory.
   * @throws EACCES - `opts.checkSearchable` and not searchable.
   */
  getDentryAt(ctx: Context, pop: PathOperation, opts: GetDentryOptions = {}): VirtualDentry {
    let mount: Mount | undefined;
    const dentry = this.#walk(ctx, pop, (rp) => {
      const d = rp.mount().fs.impl.getDentryAt(ctx, rp, opts);
      if (d !== RESTART) mount = rp.mount();
      return d;
    });
    (mount as Mount).incRef();
    return new VirtualDentry(mount as Mount, dentry);
  }

  /**
   * Like {@link VirtualFilesystem.getDentryAt}, but returns `undefined` instead of
   * throwing ENOENT (a hot negative lookup, like `existsSync`); no error object is built
   * when the filesystem implements `tryGetDentryAt`.
   *
   * @throws Every error of `getDentryAt` but ENOENT.
   */
  tryGetDentryAt(ctx: Context, pop: PathOperation, opts: GetDentryOptions = {}): VirtualDentry | undefined {
    let mount: Mount | undefined;
    const dentry = this.#walk(ctx, pop, (rp) => {
      const impl = rp.mount().fs.impl;
      let d: Dentry | Restart | undefined;
      if (impl.tryGetDentryAt !== undefined) d = impl.tryGetDentryAt(ctx, rp, opts);
      else {
        try {
          d = impl.getDentryAt(ctx, rp, opts);
        } catch (error) {
          if (!isSysError(error, "ENOENT")) throw error;
          d = undefined;
        }
      }
      if (d !== RESTART && d !== undefined) mount = rp.mount();
      return d;
    });
    if (dentry === undefined) return undefined;
    (mount as Mount).incRef();
    return new VirtualDentry(mount as Mount, dentry);
  }

  /**
   * Resolves all but the last component of `pop` and returns that directory (with a
   * reference) and the last component, which may be `.` or `..`.
   *
   * @precondition `pop.path` has at least one component.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   */
  getParentDentryAt(ctx: Context, pop: PathOperation): { readonly parent: VirtualDentry; readonly name: string } {
    let mount: Mount | undefined;
    let name = "";
    const dentry = this.#walk(ctx, pop, (rp) => {
      const d = rp.mount().fs.impl.getParentDentryAt(ctx, rp);
      if (d !== RESTART) {
        mount = rp.mount();
        name = rp.component();
      }
      return d;
    });
    (mount as Mount).incRef();
    return { parent: new VirtualDentry(mount as Mount, dentry), name };
  }

  /**
   * link(2): creates `newpop` as a new name for the file at `oldpop`.
   *
   * @remarks `oldpop.followFinalSymlink` is AT_SYMLINK_FOLLOW.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - resolving `oldpop`.
   * @throws EEXIST - `newpop` is empty and absolute (`/`).
   * @throws ENOENT - `newpop` is empty and relative.
   * @throws EINVAL - `newpop.followFinalSymlink`.
   * @throws EEXIST, ENOENT, EXDEV, EPERM, EACCES, EROFS - from the filesystem (see
   * {@link FilesystemImpl.linkAt}).
   */
  linkAt(ctx: Context, oldpop: PathOperation, newpop: PathOperation): void {
    const old = this.getDentryAt(ctx, oldpop);
    try {
      if (!newpop.path.hasComponents()) throw emptyPathError(newpop, "EEXIST", "link");
      if (newpop.followFinalSymlink) throw followFinalError("link");
      this.#walk(ctx, newpop, (rp) => rp.mount().fs.impl.linkAt(ctx, rp, old));
    } finally {
      old.decRef(ctx);
    }
  }

  /**
   * mkdir(2).
   *
   * @remarks The mode keeps the permission bits and S_ISVTX (as mkdir(2) says); the
   * caller has applied the umask.
   * @throws EEXIST - empty absolute path (`/`).
   * @throws ENOENT - empty relative path.
   * @throws EINVAL - `pop.followFinalSymlink`.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the parent.
   * @throws EEXIST, ENOENT, EACCES, EROFS - from the filesystem.
   */
  mkdirAt(ctx: Context, pop: PathOperation, opts: MkdirOptions): void {
    if (!pop.path.hasComponents()) throw emptyPathError(pop, "EEXIST", "mkdir");
    if (pop.followFinalSymlink) throw followFinalError("mkdir");
    const masked: MkdirOptions = { ...opts, mode: opts.mode & (0o777 | S_ISVTX) };
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.mkdirAt(ctx, rp, masked));
  }

  /**
   * mknod(2): creates a regular file, FIFO, socket or device node.
   *
   * @throws EPERM - the mode's type is S_IFDIR.
   * @throws EINVAL - the mode's type is not a file, device, FIFO or socket.
   * @throws EEXIST - empty absolute path.
   * @throws ENOENT - empty relative path.
   * @throws EINVAL - `pop.followFinalSymlink`.
   * @throws EEXIST, ENOENT, EACCES, EPERM, EINVAL, EROFS - from the filesystem.
   */
  mknodAt(ctx: Context, pop: PathOperation, opts: MknodOptions): void {
    // Linux's may_mknod(), before the lookup.
    switch (opts.mode & S_IFMT) {
      case 0:
      case S_IFREG:
      case S_IFCHR:
      case S_IFBLK:
      case S_IFIFO:
      case S_IFSOCK:
        break;
      case S_IFDIR:
        throw new SysError("EPERM", { syscall: "mknod", detail: "use mkdir for directories" });
      default:
        throw new SysError("EINVAL", { syscall: "mknod", detail: "bad file type" });
    }
    if (!pop.path.hasComponents()) throw emptyPathError(pop, "EEXIST", "mknod");
    if (pop.followFinalSymlink) throw followFinalError("mknod");
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.mknodAt(ctx, rp, opts));
  }

  /**
   * open(2): returns a new {@link FileDescription} holding one reference for the caller.
   *
   * @remarks
   * Before the filesystem is asked: O_CLOEXEC and unknown flags are dropped; O_SYNC
   * implies O_DSYNC; O_PATH keeps only O_DIRECTORY and O_NOFOLLOW and opens without
   * permission checks; the mode keeps 07777; O_NOFOLLOW stops following a final symlink;
   * O_DIRECTORY makes the final file a directory. With `opts.fileExec` the opened file
   * must be a regular file on a mount without noexec.
   * @throws EINVAL - O_CREAT with O_DIRECTORY (also catching O_TMPFILE with O_CREAT).
   * @throws EINVAL - O_TMPFILE read-only.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws ENOTDIR - O_DIRECTORY (or a trailing slash) on a non-directory.
   * @throws ELOOP - O_NOFOLLOW on a symbolic link.
   * @throws EEXIST, EISDIR, EACCES, EROFS, EOPNOTSUPP - from the filesystem.
   * @throws EACCES - `fileExec` on a noexec mount or a non-regular file.
   */
  openAt(ctx: Context, pop: PathOperation, opts: OpenOptions): FileDescription {
    let flags = opts.flags & OPEN_FLAGS_KEPT;
    // Linux's open(2) drops every flag O_PATH does not use before anything else.
    if ((flags & O_PATH) !== 0) flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH;
    if ((flags & O_SYNC) !== 0) flags |= O_DSYNC;
    // Linux ≥ 6.4 refuses O_CREAT|O_DIRECTORY outright (it used to create a regular file;
    // gVisor answers EISDIR or ENOTDIR later).
    if ((flags & (O_CREAT | O_DIRECTORY)) === (O_CREAT | O_DIRECTORY)) {
      throw new SysError("EINVAL", { syscall: "open", detail: "O_CREAT with O_DIRECTORY" });
    }
    if ((flags & TMPFILE_BIT) !== 0) {
      if ((flags & O_DIRECTORY) === 0 || (flags & O_CREAT) !== 0 || (flags & O_ACCMODE) === O_RDONLY) {
        throw new SysError("EINVAL", { syscall: "open", detail: "bad O_TMPFILE flags" });
      }
    }
    const mode = opts.mode & (0o777 | S_ISUID | S_ISGID | S_ISVTX);
    const follow = (flags & O_NOFOLLOW) === 0 && pop.followFinalSymlink;
    const walkPop: PathOperation = follow === pop.followFinalSymlink ? pop : { ...pop, followFinalSymlink: follow };
    if ((flags & O_PATH) !== 0) return this.#openOPath(ctx, walkPop, flags);
    // Reuse the caller's options unless masking changed them (open is a hot path).
    const fileOpts: OpenOptions = flags === opts.flags && mode === opts.mode ? opts : { ...opts, flags, mode };
    const pool = vfsState(this).rpPool;
    const rp = beginResolvingPath(this, pool, ctx.credentials, walkPop);
    let fd: FileDescription;
    try {
      if ((flags & O_DIRECTORY) !== 0) setMustBeDir(rp);
      for (;;) {
        const result = rp.mount().fs.impl.openAt(ctx, rp, fileOpts);
        if (result !== RESTART) {
          fd = result;
          break;
        }
        handleRestart(rp, ctx);
      }
    } finally {
      endResolvingPath(rp, ctx, pool);
    }
    if (opts.fileExec === true) {
      try {
        if (fd.mount().noExec()) throw new SysError("EACCES", { syscall: "execve", detail: "noexec mount" });
        const stat = fd.stat(ctx, { mask: STATX_TYPE, sync: 0 });
        if ((stat.mask & STATX_TYPE) === 0 || (stat.mode & S_IFMT) !== S_IFREG) {
          throw new SysError("EACCES", { syscall: "execve", detail: "not a regular file" });
        }
      } catch (error) {
        fd.decRef(ctx);
        throw error;
      }
    }
    return fd;
  }

  // O_PATH: resolve without opening or checking permission on the file itself.
  #openOPath(ctx: Context, pop: PathOperation, flags: number): FileDescription {
    const vd = this.getDentryAt(ctx, pop);
    try {
      return newOPathFileDescription(ctx, vd, flags);
    } finally {
      vd.decRef(ctx);
    }
  }

  /**
   * readlink(2): the target of the symbolic link at `pop` (whose final component is not
   * followed).
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EINVAL - not a symbolic link.
   */
  readlinkAt(ctx: Context, pop: PathOperation): string {
    return this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.readlinkAt(ctx, rp));
  }

  /**
   * renameat2(2): renames `oldpop` to `newpop`.
   *
   * @remarks A trailing slash on the old path requires the renamed file to be a directory.
   * @throws EINVAL - unknown flags, or RENAME_EXCHANGE with RENAME_NOREPLACE or
   * RENAME_WHITEOUT.
   * @throws EBUSY - the old path is empty and absolute (`/`).
   * @throws ENOENT - the old path is empty and relative.
   * @throws EINVAL - `oldpop.followFinalSymlink`.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the old parent.
   * @throws EBUSY - the old path ends in `.` or `..`.
   * @throws EBUSY - the new path is empty and absolute.
   * @throws ENOENT - the new path is empty and relative.
   * @throws EINVAL - `newpop.followFinalSymlink`.
   * @throws EEXIST, EBUSY, EXDEV, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, EACCES, EPERM,
   * ENOENT, EROFS - from the filesystem (see {@link FilesystemImpl.renameAt}).
   */
  renameAt(ctx: Context, oldpop: PathOperation, newpop: PathOperation, opts: RenameOptions): void {
    const flags = opts.flags;
    if ((flags & ~RENAME_FLAGS) !== 0) throw new SysError("EINVAL", { syscall: "renameat2", detail: "unknown flags" });
    if ((flags & RENAME_EXCHANGE) !== 0 && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) !== 0) {
      throw new SysError("EINVAL", { syscall: "renameat2", detail: "RENAME_EXCHANGE with another flag" });
    }
    if (oldpop.followFinalSymlink || newpop.followFinalSymlink) throw followFinalError("rename");
    // Linux (do_renameat2) resolves both parents before it looks at either last component:
    // rename(".", "missing/x") is ENOENT, not EBUSY; rename("/", x) walks x's parent first.
    if (!oldpop.path.hasComponents()) {
      if (!oldpop.path.absolute) throw emptyPathError(oldpop, "EBUSY", "rename");
      this.#renameBusy(ctx, undefined, newpop, opts.flags, true);
    }
    const { parent, name } = this.getParentDentryAt(ctx, oldpop);
    try {
      const oldBusy = name === "." || name === "..";
      if (oldBusy || !newpop.path.hasComponents() || isDotOrDotDotPath(newpop.path)) {
        this.#renameBusy(ctx, parent, newpop, opts.flags, oldBusy);
      }
      const renameOpts: RenameOptions = oldpop.path.dir ? { ...opts, mustBeDir: true } : opts;
      this.#walk(ctx, newpop, (rp) => rp.mount().fs.impl.renameAt(ctx, rp, parent, name, renameOpts));
    } finally {
      parent.decRef(ctx);
    }
  }

  /**
   * The end of renameat2 when a last component is `/`, `.` or `..`, in Linux's order:
   * the new parent's walk errors, EXDEV, EBUSY for the old name, then EEXIST
   * (RENAME_NOREPLACE) or EBUSY for the new one. Always throws.
   */
  #renameBusy(ctx: Context, oldParent: VirtualDentry | undefined, newpop: PathOperation, flags: number, oldBusy: boolean): never {
    let newMount: Mount | undefined;
    if (!newpop.path.hasComponents()) {
      if (!newpop.path.absolute) throw emptyPathError(newpop, "EBUSY", "rename");
      newMount = newpop.root.mount;
    } else {
      const np = this.getParentDentryAt(ctx, newpop);
      newMount = np.parent.mount;
      np.parent.decRef(ctx);
    }
    if (oldParent !== undefined && oldParent.mount !== newMount) throw new SysError("EXDEV", { syscall: "rename" });
    if (oldBusy) throw new SysError("EBUSY", { syscall: "rename", detail: "the old name is /, . or .." });
    const code = (flags & RENAME_NOREPLACE) !== 0 ? "EEXIST" : "EBUSY";
    throw new SysError(code, { syscall: "rename", path: newpop.path.toString(), detail: "the new name is /, . or .." });
  }

  /**
   * rmdir(2).
   * @throws EBUSY - empty absolute path (`rmdir("/")`).
   * @throws ENOENT - empty relative path.
   * @throws EINVAL - `pop.followFinalSymlink`.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the parent.
   * @throws EINVAL, ENOTEMPTY, ENOENT, ENOTDIR, EACCES, EPERM, EBUSY, EROFS - from the
   * filesystem.
   */
  rmdirAt(ctx: Context, pop: PathOperation): void {
    if (!pop.path.hasComponents()) throw emptyPathError(pop, "EBUSY", "rmdir");
    if (pop.followFinalSymlink) throw followFinalError("rmdir");
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.rmdirAt(ctx, rp));
  }

  /**
   * chmod, chown, utimensat, truncate by path.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EPERM, EACCES, EINVAL, EISDIR, EFBIG, EROFS - from the filesystem.
   */
  setStatAt(ctx: Context, pop: PathOperation, opts: SetStatOptions): void {
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.setStatAt(ctx, rp, opts));
  }

  /**
   * statx(2). Fills the mount ID when STATX_MNT_ID is asked for.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   */
  statAt(ctx: Context, pop: PathOperation, opts: StatOptions): Statx {
    // The hot path: no closure, one pooled ResolvingPath, nothing allocated per component.
    const pool = vfsState(this).rpPool;
    const rp = beginResolvingPath(this, pool, ctx.credentials, pop);
    try {
      for (;;) {
        const mount = rp.mount();
        const stat = mount.fs.impl.statAt(ctx, rp, opts);
        if (stat !== RESTART) {
          if ((opts.mask & STATX_MNT_ID) !== 0) {
            stat.mntId = mount.id;
            stat.mask |= STATX_MNT_ID;
          }
          return stat;
        }
        handleRestart(rp, ctx);
      }
    } finally {
      endResolvingPath(rp, ctx, pool);
    }
  }

  /**
   * Like {@link VirtualFilesystem.statAt}, but returns `undefined` instead of throwing
   * ENOENT; no error object is built when the filesystem implements `tryStatAt`.
   * @throws Every error of `statAt` but ENOENT.
   */
  tryStatAt(ctx: Context, pop: PathOperation, opts: StatOptions): Statx | undefined {
    const pool = vfsState(this).rpPool;
    const rp = beginResolvingPath(this, pool, ctx.credentials, pop);
    try {
      for (;;) {
        const mount = rp.mount();
        const impl = mount.fs.impl;
        let stat: Statx | Restart | undefined;
        if (impl.tryStatAt !== undefined) stat = impl.tryStatAt(ctx, rp, opts);
        else {
          try {
            stat = impl.statAt(ctx, rp, opts);
          } catch (error) {
            if (!isSysError(error, "ENOENT")) throw error;
            stat = undefined;
          }
        }
        if (stat !== RESTART) {
          if (stat !== undefined && (opts.mask & STATX_MNT_ID) !== 0) {
            stat.mntId = mount.id;
            stat.mask |= STATX_MNT_ID;
          }
          return stat;
        }
        handleRestart(rp, ctx);
      }
    } finally {
      endResolvingPath(rp, ctx, pool);
    }
  }

  /**
   * statfs(2). The mount's flags (ST_RDONLY, ST_NOSUID, ST_NODEV, ST_NOEXEC, and
   * ST_NOATIME or ST_RELATIME) are ORed into `flags`.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   */
  statFSAt(ctx: Context, pop: PathOperation): Statfs {
    let mount: Mount | undefined;
    const statfs = this.#walk(ctx, pop, (rp) => {
      const result = rp.mount().fs.impl.statFSAt(ctx, rp);
      if (result !== RESTART) mount = rp.mount();
      return result;
    });
    statfs.flags |= (mount as Mount).statfsFlags();
    return statfs;
  }

  /**
   * symlink(2): creates a symbolic link at `pop` to `target`.
   * @throws ENOENT - empty `target` (Linux rejects it while copying the name in, before any walk).
   * @throws EEXIST - empty absolute path.
   * @throws ENOENT - empty relative path.
   * @throws EINVAL - `pop.followFinalSymlink`.
   * @throws EEXIST, ENOENT, EACCES, EROFS - from the filesystem.
   */
  symlinkAt(ctx: Context, pop: PathOperation, target: string): void {
    if (target === "") throw new SysError("ENOENT", { syscall: "symlink", detail: "empty symlink target" });
    if (!pop.path.hasComponents()) throw emptyPathError(pop, "EEXIST", "symlink");
    if (pop.followFinalSymlink) throw followFinalError("symlink");
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.symlinkAt(ctx, rp, target));
  }

  /**
   * unlink(2).
   * @throws EISDIR - empty absolute path (`unlink("/")`).
   * @throws ENOENT - empty relative path.
   * @throws EINVAL - `pop.followFinalSymlink`.
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the parent.
   * @throws EISDIR, ENOENT, ENOTDIR, EACCES, EPERM, EBUSY, EROFS - from the filesystem.
   */
  unlinkAt(ctx: Context, pop: PathOperation): void {
    // Linux: "/" is LAST_ROOT, which do_unlinkat answers with EISDIR (gVisor: EBUSY).
    if (!pop.path.hasComponents()) throw emptyPathError(pop, "EISDIR", "unlink");
    if (pop.followFinalSymlink) throw followFinalError("unlink");
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.unlinkAt(ctx, rp));
  }

  /**
   * listxattr(2). A filesystem without extended attributes gives an empty list (Linux
   * falls back to the security module, which has none by default).
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws ERANGE - the list does not fit in a non-zero `size`.
   */
  listXattrAt(ctx: Context, pop: PathOperation, size: number): string[] {
    return this.#walk(ctx, pop, (rp) => {
      try {
        return rp.mount().fs.impl.listXattrAt(ctx, rp, size);
      } catch (error) {
        if (isSysError(error, "EOPNOTSUPP")) return [];
        throw error;
      }
    });
  }

  /**
   * getxattr(2).
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EOPNOTSUPP, ENODATA, ERANGE, EACCES - from the filesystem.
   */
  getXattrAt(ctx: Context, pop: PathOperation, opts: GetXattrOptions): Uint8Array {
    return this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.getXattrAt(ctx, rp, opts));
  }

  /**
   * setxattr(2).
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EOPNOTSUPP, EEXIST, ENODATA, EPERM, EACCES, EROFS - from the filesystem.
   */
  setXattrAt(ctx: Context, pop: PathOperation, opts: SetXattrOptions): void {
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.setXattrAt(ctx, rp, opts));
  }

  /**
   * removexattr(2).
   * @throws ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EACCES - resolving the path.
   * @throws EOPNOTSUPP, ENODATA, EPERM, EACCES, EROFS - from the filesystem.
   */
  removeXattrAt(ctx: Context, pop: PathOperation, name: string): void {
    this.#walk(ctx, pop, (rp) => rp.mount().fs.impl.removeXattrAt(ctx, rp, name));
  }
}
