// System calls that create, open, link, rename and remove by path. Twin of gVisor's
// pkg/sentry/syscalls/linux/sys_file.go and path.go (Linux's fs/open.c, fs/namei.c).
import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  Capability,
  O_ACCMODE,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_LARGEFILE,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
  S_IFMT,
  SysError,
  isSysError,
  major,
  minor,
} from "@vfskit/abi";
import { checkPathname, type FileDescription } from "@vfskit/vfs";
import { FIFO_WAIT_EVENTS, fifoDescription, type PendingFifo } from "./fifo-open.js";
import {
  enter,
  failure,
  fdTableOf,
  fsOf,
  leave,
  pathOperation,
  resume,
  taskInternals,
  type ResolvedPath,
  type TaskInternals,
} from "./task-base.js";
import { TaskIOSyscalls, type AsyncSyscallOptions } from "./task-io-syscalls.js";
import { waitForEvents } from "./wait.js";

// O_TMPFILE includes O_DIRECTORY; this is the bit that means "temporary file".
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;

/** Linux's build_open_flags checks, made before the path is even read. */
function checkOpenFlags(flags: number): void {
  // Linux (build_open_how): O_PATH beats everything else; its other flags are dropped
  // before any check, so O_PATH|O_CREAT|O_DIRECTORY is an O_PATH|O_DIRECTORY open.
  if ((flags & O_PATH) !== 0) flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH;
  if ((flags & (O_CREAT | O_DIRECTORY)) === (O_CREAT | O_DIRECTORY)) {
    throw new SysError("EINVAL", { detail: "O_CREAT with O_DIRECTORY" });
  }
  if ((flags & TMPFILE_BIT) !== 0) {
    if ((flags & O_TMPFILE) !== O_TMPFILE || (flags & O_CREAT) !== 0 || (flags & O_ACCMODE) === O_RDONLY) {
      throw new SysError("EINVAL", { detail: "bad O_TMPFILE flags" });
    }
  }
}

/**
 * The path system calls of a task: open and create, link, rename, remove, readlink.
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files. Every
 * call takes Linux's arguments: a directory descriptor (or AT_FDCWD) and a path, checked
 * as Linux checks them (PATH_MAX counted in UTF-8 bytes, a NUL is EINVAL, an empty path
 * is ENOENT unless AT_EMPTY_PATH applies), and modes filtered through the umask.
 * @public
 */
export abstract class TaskPathSyscalls extends TaskIOSyscalls {
  /**
   * openat(2): opens (with O_CREAT, maybe creates) a file and returns the lowest free
   * descriptor.
   *
   * @remarks
   * The descriptor number is reserved before the path is looked up, so a full table
   * fails with EMFILE even for a missing file, as in Linux. A created file's mode is
   * `mode & ~umask`. O_CLOEXEC sets FD_CLOEXEC; O_LARGEFILE is always added, as 64-bit
   * Linux adds it (F_GETFL shows it). A FIFO whose open must wait for the other side
   * fails with EAGAIN here; {@link TaskPathSyscalls.openatAsync} waits.
   * @param dirfd - Where a relative path starts: AT_FDCWD or a directory descriptor.
   * @param path - The path.
   * @param flags - open(2) flags.
   * @param mode - Permission bits for a created file.
   * @returns The new descriptor.
   * @throws EINVAL - O_CREAT with O_DIRECTORY, or bad O_TMPFILE flags.
   * @throws ENOENT - `path` is empty.
   * @throws EINVAL - `path` contains a NUL character.
   * @throws ENAMETOOLONG - `path` is 4096 bytes or longer, or a component over 255.
   * @throws EBADF - `dirfd` is not AT_FDCWD and not open (relative paths).
   * @throws EMFILE - No free descriptor below RLIMIT_NOFILE.
   * @throws ENOTDIR - `dirfd` is not a directory, or a path component is not one.
   * @throws ENOENT, ELOOP, EACCES - Resolving the path.
   * @throws EEXIST, EISDIR, ENOTDIR, EACCES, EPERM, EROFS, ENXIO, ETXTBSY - Opening the file.
   * @throws EAGAIN - A FIFO open that would block.
   */
  openat(dirfd: number, path: string, flags: number, mode = 0): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      return this.#openat(s, dirfd, path, flags, mode);
    } catch (error) {
      throw failure(error, "openat", path);
    } finally {
      leave(s, t0);
    }
  }

  #openat(s: TaskInternals, dirfd: number, path: string, flags: number, mode: number): number {
    checkOpenFlags(flags);
    const { pop, dir } = pathOperation(s, dirfd, path, { follow: true });
    const table = fdTableOf(s);
    let fd = -1;
    try {
      fd = table.reserve(0, s.nofile);
      const creates = (flags & (O_CREAT | TMPFILE_BIT)) !== 0;
      const createMode = creates ? mode & 0o7777 & ~fsOf(s).umask() : 0;
      const file = s.kernel.vfs.openAt(this.ctx, pop, {
        flags: flags | O_LARGEFILE,
        mode: createMode,
        ...(creates ? { requestedMode: mode & 0o7777 } : {}),
      });
      table.install(fd, file, { closeOnExec: (flags & O_CLOEXEC) !== 0 });
      return fd;
    } catch (error) {
      if (fd >= 0) table.unreserve(fd);
      throw error;
    } finally {
      dir?.decRef(this.ctx);
    }
  }

  /**
   * open(2): {@link TaskPathSyscalls.openat} from the working directory.
   * @param path - The path.
   * @param flags - open(2) flags.
   * @param mode - Permission bits for a created file.
   * @returns The new descriptor.
   * @throws Every error of {@link TaskPathSyscalls.openat} but EBADF.
   */
  open(path: string, flags: number, mode = 0): number {
    return this.openat(AT_FDCWD, path, flags, mode);
  }

  /**
   * creat(2): open(path, O_CREAT | O_WRONLY | O_TRUNC, mode).
   * @param path - The path.
   * @param mode - Permission bits for a created file.
   * @returns The new descriptor.
   * @throws Every error of {@link TaskPathSyscalls.openat} but EBADF.
   */
  creat(path: string, mode: number): number {
    return this.openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
  }

  /**
   * openat(2) that waits, as a blocking open of a FIFO does in Linux: O_RDONLY waits for
   * a writer, O_WRONLY for a reader (unless O_NONBLOCK). Other files open at once.
   *
   * @remarks
   * The FIFO must be opened through the kernel's {@link @vfskit/vfs#FifoOpener} (a
   * filesystem that reads {@link @vfskit/vfs#FifoOpenerKey} from the context, as tmpfs
   * does). The descriptor number is allocated when the wait is over.
   * @param dirfd - AT_FDCWD or a directory descriptor.
   * @param path - The path.
   * @param flags - open(2) flags.
   * @param mode - Permission bits for a created file.
   * @param opts - An optional abort signal.
   * @returns The new descriptor.
   * @throws EINTR - The signal fired, or the task exited, while waiting.
   * @throws Every other error of {@link TaskPathSyscalls.openat} but EAGAIN.
   */
  async openatAsync(dirfd: number, path: string, flags: number, mode = 0, opts: AsyncSyscallOptions = {}): Promise<number> {
    const s = taskInternals(this);
    const slot: { pending: PendingFifo | undefined } = { pending: undefined };
    s.fifoSlot = slot;
    try {
      return this.openat(dirfd, path, flags, mode);
    } catch (error) {
      if (slot.pending === undefined || !isSysError(error, "EAGAIN")) throw error;
    } finally {
      if (s.fifoSlot === slot) s.fifoSlot = undefined;
    }
    const pending = slot.pending;
    try {
      try {
        await waitForEvents(pending.ticket, FIFO_WAIT_EVENTS, s.interrupter, opts.signal, "openat");
        resume(s, "openat");
      } catch (error) {
        pending.ticket.cancel();
        throw failure(error, "openat", path);
      }
      const end = pending.ticket.complete();
      const t0 = enter(s);
      let file: FileDescription | undefined;
      try {
        file = fifoDescription(this.ctx, end, pending.vd, pending.flags);
        const fd = fdTableOf(s).newFD(file, { closeOnExec: (flags & O_CLOEXEC) !== 0 }, 0, s.nofile);
        file = undefined;
        return fd;
      } catch (error) {
        throw failure(error, "openat", path);
      } finally {
        file?.decRef(this.ctx);
        leave(s, t0);
      }
    } finally {
      pending.vd.decRef(this.ctx);
    }
  }

  /**
   * mkdirat(2): creates a directory with mode `mode & ~umask` (S_ISVTX kept).
   * @param dirfd - AT_FDCWD or a directory descriptor.
   * @param path - The path (a trailing slash is allowed).
   * @param mode - Permission bits.
   * @throws ENOENT - `path` is empty.
   * @throws EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd` (see {@link TaskPathSyscalls.openat}).
   * @throws ENOTDIR, ENOENT, ELOOP, EACCES - Resolving the parent.
   * @throws EEXIST - The name exists (also for `.` and `..`, and `/`).
   * @throws EACCES - No write permission on the parent.
   * @throws EROFS, ENOSPC - From the filesystem.
   */
  mkdirat(dirfd: number, path: string, mode: number): void {
    this.#pathCall(dirfd, path, false, "mkdirat", (r) => {
      const masked = mode & 0o1777 & ~fsOf(taskInternals(this)).umask();
      this.kernel.vfs.mkdirAt(this.ctx, r.pop, { mode: masked });
    });
  }

  /**
   * mkdir(2): {@link TaskPathSyscalls.mkdirat} from the working directory.
   * @param path - The path.
   * @param mode - Permission bits.
   * @throws Every error of {@link TaskPathSyscalls.mkdirat} but EBADF.
   */
  mkdir(path: string, mode: number): void {
    this.mkdirat(AT_FDCWD, path, mode);
  }

  /**
   * mknodat(2): creates a regular file, FIFO, socket node or device node; the permission
   * bits are masked by the umask.
   * @param dirfd - AT_FDCWD or a directory descriptor.
   * @param path - The path.
   * @param mode - File type (S_IFREG or 0, S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK) and permissions.
   * @param dev - The device number (`makedev(major, minor)`) for device nodes.
   * @throws EPERM - The type is S_IFDIR.
   * @throws EINVAL - An unknown file type.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOTDIR, ENOENT, ELOOP, EACCES - Resolving the parent.
   * @throws EEXIST - The name exists.
   * @throws EPERM - A device node without CAP_MKNOD.
   * @throws EACCES, EROFS, ENOSPC - From the filesystem.
   */
  mknodat(dirfd: number, path: string, mode: number, dev = 0): void {
    this.#pathCall(dirfd, path, false, "mknodat", (r) => {
      const umask = fsOf(taskInternals(this)).umask();
      const masked = (mode & S_IFMT) | (mode & 0o7777 & ~umask);
      this.kernel.vfs.mknodAt(this.ctx, r.pop, { mode: masked, requestedMode: mode & 0o7777, devMajor: major(dev), devMinor: minor(dev) });
    });
  }

  /**
   * mknod(2): {@link TaskPathSyscalls.mknodat} from the working directory.
   * @param path - The path.
   * @param mode - File type and permissions.
   * @param dev - The device number for device nodes.
   * @throws Every error of {@link TaskPathSyscalls.mknodat} but EBADF.
   */
  mknod(path: string, mode: number, dev = 0): void {
    this.mknodat(AT_FDCWD, path, mode, dev);
  }

  /**
   * symlinkat(2): creates `linkpath` as a symbolic link to `target` (which need not exist).
   * @param target - The link's contents.
   * @param newdirfd - AT_FDCWD or a directory descriptor for `linkpath`.
   * @param linkpath - Where to create the link.
   * @throws ENOENT - `target` is empty.
   * @throws EINVAL, ENAMETOOLONG - `target` has a NUL or is 4096 bytes or longer.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - `linkpath` or `newdirfd`.
   * @throws ENOTDIR, ENOENT, ELOOP, EACCES - Resolving the parent.
   * @throws EEXIST - `linkpath` exists.
   * @throws EACCES, EROFS, ENOSPC - From the filesystem.
   */
  symlinkat(target: string, newdirfd: number, linkpath: string): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      checkPathname(target);
      const r = pathOperation(s, newdirfd, linkpath, { follow: false });
      try {
        this.kernel.vfs.symlinkAt(this.ctx, r.pop, target);
      } finally {
        r.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "symlinkat", linkpath);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * symlink(2): {@link TaskPathSyscalls.symlinkat} from the working directory.
   * @param target - The link's contents.
   * @param linkpath - Where to create the link.
   * @throws Every error of {@link TaskPathSyscalls.symlinkat} but EBADF.
   */
  symlink(target: string, linkpath: string): void {
    this.symlinkat(target, AT_FDCWD, linkpath);
  }

  /**
   * linkat(2): makes `newpath` a new name of the file at `oldpath`.
   *
   * @remarks
   * AT_SYMLINK_FOLLOW follows a final symlink in `oldpath` (by default it is linked
   * itself). AT_EMPTY_PATH links the file `olddirfd` refers to, if it was opened with
   * the caller's own credentials or the caller has CAP_DAC_READ_SEARCH in the opener's
   * user namespace (Linux 6.10's rule), else ENOENT.
   * @param olddirfd - AT_FDCWD or a directory descriptor for `oldpath`.
   * @param oldpath - The existing file.
   * @param newdirfd - AT_FDCWD or a directory descriptor for `newpath`.
   * @param newpath - The new name.
   * @param flags - AT_SYMLINK_FOLLOW, AT_EMPTY_PATH.
   * @throws EINVAL - Other flags.
   * @throws ENOENT - `oldpath` empty without AT_EMPTY_PATH, or AT_EMPTY_PATH not allowed.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES, EBADF - Resolving `oldpath`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES, EBADF - Resolving `newpath`'s parent.
   * @throws EEXIST - `newpath` exists.
   * @throws EXDEV - Different mounts.
   * @throws EPERM - `oldpath` is a directory, or a file the caller may not link.
   * @throws EACCES, EROFS - From the filesystem.
   */
  linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags = 0): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError("EINVAL", { detail: "bad flags" });
      const emptyOk = (flags & AT_EMPTY_PATH) !== 0;
      const oldr = pathOperation(s, olddirfd, oldpath, { follow: (flags & AT_SYMLINK_FOLLOW) !== 0, allowEmpty: emptyOk });
      try {
        if (emptyOk && oldpath === "" && oldr.dir !== undefined) {
          const opener = oldr.dir.credentials();
          if (opener !== s.credentials && !s.credentials.hasCapabilityIn(Capability.CAP_DAC_READ_SEARCH, opener.userNamespace)) {
            throw new SysError("ENOENT", { detail: "AT_EMPTY_PATH on a file opened with other credentials" });
          }
        }
        let newr: ReturnType<typeof pathOperation>;
        try {
          newr = pathOperation(s, newdirfd, newpath, { follow: false });
        } catch (error) {
          // Linux (do_linkat) reports a bad new name only after resolving the old path.
          this.kernel.vfs.getDentryAt(this.ctx, oldr.pop).decRef(this.ctx);
          throw error;
        }
        try {
          this.kernel.vfs.linkAt(this.ctx, oldr.pop, newr.pop);
        } finally {
          newr.dir?.decRef(this.ctx);
        }
      } finally {
        oldr.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "linkat", oldpath, newpath);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * link(2): {@link TaskPathSyscalls.linkat} from the working directory, no flags.
   * @param oldpath - The existing file.
   * @param newpath - The new name.
   * @throws Every error of {@link TaskPathSyscalls.linkat} but EBADF and EINVAL.
   */
  link(oldpath: string, newpath: string): void {
    this.linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
  }

  /**
   * unlinkat(2): removes a name, or with AT_REMOVEDIR an empty directory.
   * @param dirfd - AT_FDCWD or a directory descriptor.
   * @param path - The path.
   * @param flags - 0 or AT_REMOVEDIR.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOTDIR, ENOENT, ELOOP, EACCES - Resolving the parent.
   * @throws EISDIR - Without AT_REMOVEDIR: a directory (or `.`/`..`).
   * @throws EINVAL - AT_REMOVEDIR on `.`.
   * @throws ENOTEMPTY - AT_REMOVEDIR on `..` or a non-empty directory.
   * @throws ENOTDIR - AT_REMOVEDIR on a non-directory.
   * @throws EBUSY - A mount point, or `/`.
   * @throws EACCES, EPERM, EROFS - From the filesystem (EPERM: the sticky bit).
   */
  unlinkat(dirfd: number, path: string, flags = 0): void {
    if ((flags & ~AT_REMOVEDIR) !== 0) throw new SysError("EINVAL", { syscall: "unlinkat", path, detail: "bad flags" });
    const removeDir = (flags & AT_REMOVEDIR) !== 0;
    this.#pathCall(dirfd, path, false, "unlinkat", (r) => {
      if (removeDir) this.kernel.vfs.rmdirAt(this.ctx, r.pop);
      else this.kernel.vfs.unlinkAt(this.ctx, r.pop);
    });
  }

  /**
   * unlink(2): {@link TaskPathSyscalls.unlinkat} from the working directory.
   * @param path - The path.
   * @throws Every error of {@link TaskPathSyscalls.unlinkat} without AT_REMOVEDIR, but EBADF.
   */
  unlink(path: string): void {
    this.unlinkat(AT_FDCWD, path, 0);
  }

  /**
   * rmdir(2): {@link TaskPathSyscalls.unlinkat} with AT_REMOVEDIR from the working
   * directory.
   * @param path - The path.
   * @throws Every error of {@link TaskPathSyscalls.unlinkat} with AT_REMOVEDIR, but EBADF.
   */
  rmdir(path: string): void {
    this.unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
  }

  /**
   * renameat2(2).
   * @param olddirfd - AT_FDCWD or a directory descriptor for `oldpath`.
   * @param oldpath - The file to rename.
   * @param newdirfd - AT_FDCWD or a directory descriptor for `newpath`.
   * @param newpath - Its new name.
   * @param flags - RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT.
   * @throws EINVAL - Unknown flags, or RENAME_EXCHANGE with another flag.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The paths or descriptors.
   * @throws EBUSY - A path ends in `.` or `..`, is `/`, or names a mount point.
   * @throws EEXIST, ENOENT, EXDEV, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, EACCES, EPERM,
   * EROFS - From the filesystem (see `FilesystemImpl.renameAt`).
   */
  renameat2(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags = 0): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      // Linux (do_renameat2) checks the flags before either name.
      if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) !== 0) {
        throw new SysError("EINVAL", { detail: "unknown flags" });
      }
      if ((flags & RENAME_EXCHANGE) !== 0 && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) !== 0) {
        throw new SysError("EINVAL", { detail: "RENAME_EXCHANGE with another flag" });
      }
      const oldr = pathOperation(s, olddirfd, oldpath, { follow: false });
      try {
        let newr: ReturnType<typeof pathOperation>;
        try {
          newr = pathOperation(s, newdirfd, newpath, { follow: false });
        } catch (error) {
          // Linux reports a bad new name only after walking the old name's parent.
          if (oldr.pop.path.hasComponents()) this.kernel.vfs.getParentDentryAt(this.ctx, oldr.pop).parent.decRef(this.ctx);
          throw error;
        }
        try {
          this.kernel.vfs.renameAt(this.ctx, oldr.pop, newr.pop, { flags });
        } finally {
          newr.dir?.decRef(this.ctx);
        }
      } finally {
        oldr.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "renameat2", oldpath, newpath);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * rename(2): {@link TaskPathSyscalls.renameat2} from the working directory, no flags.
   * @param oldpath - The file to rename.
   * @param newpath - Its new name.
   * @throws Every error of {@link TaskPathSyscalls.renameat2} but EBADF.
   */
  rename(oldpath: string, newpath: string): void {
    this.renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
  }

  /**
   * readlinkat(2): the target of a symbolic link (never followed). An empty `path`
   * addresses `dirfd` itself (an O_PATH | O_NOFOLLOW descriptor of a link), as Linux
   * allows.
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path.
   * @returns The target.
   * @throws EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws ENOENT - `path` is empty and `dirfd` is not a symbolic link.
   * @throws EINVAL - Not a symbolic link.
   */
  readlinkat(dirfd: number, path: string): string {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, dirfd, path, { follow: false, allowEmpty: true });
      try {
        return this.kernel.vfs.readlinkAt(this.ctx, r.pop);
      } catch (error) {
        // do_readlinkat: an empty path that is not a link is ENOENT, not EINVAL.
        if (path === "" && isSysError(error, "EINVAL")) throw new SysError("ENOENT", { detail: "not a symbolic link" });
        throw error;
      } finally {
        r.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "readlinkat", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * readlink(2): {@link TaskPathSyscalls.readlinkat} from the working directory.
   * @param path - The path.
   * @returns The target.
   * @throws Every error of {@link TaskPathSyscalls.readlinkat} but EBADF.
   */
  readlink(path: string): string {
    return this.readlinkat(AT_FDCWD, path);
  }

  /** Runs `op` on the path operation of `(dirfd, path)`, with the usual plumbing. */
  #pathCall(dirfd: number, path: string, follow: boolean, syscall: string, op: (r: ResolvedPath) => void): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, dirfd, path, { follow });
      try {
        op(r);
      } finally {
        r.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, syscall, path);
    } finally {
      leave(s, t0);
    }
  }
}
