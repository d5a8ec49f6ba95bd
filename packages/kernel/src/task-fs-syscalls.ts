// System calls about a task's place in the tree and the tree itself: chdir, fchdir,
// getcwd, chroot, umask, mount, umount2, sync. Twin of gVisor's
// pkg/sentry/syscalls/linux/sys_thread.go (umask), sys_file.go (chdir, chroot, getcwd),
// sys_mount.go and sys_sync.go (Linux's fs/open.c, fs/d_path.c, fs/namespace.c).
import {
  AT_FDCWD,
  Capability,
  MS_BIND,
  MS_MOVE,
  MS_NOATIME,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_REMOUNT,
  MS_SHARED,
  MS_SLAVE,
  MS_UNBINDABLE,
  SysError,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { utf8ByteLength, type FileDescription, type MountOptions, type PathOperation } from "@vfskit/vfs";
import { enter, failure, fsOf, getFile, leave, pathOperation, taskInternals } from "./task-base.js";
import { TaskXattrSyscalls } from "./task-xattr-syscalls.js";

const EMPTY_PATH = parse("");

/** mount(2)'s magic number in the top 16 bits of old callers' flags (MS_MGC_VAL). */
const MS_MGC_MSK = 0xffff0000;
const MS_MGC_VAL = 0xc0ed0000;
/** Internal-only flag (MS_NOUSER): refused from user space. */
const MS_NOUSER = 1 << 31;
const PROPAGATION_FLAGS = MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE;

/** The per-mount flags and read-only state mount(2)'s flags ask for. */
function mountOptionsOf(flags: number, data: string | undefined): MountOptions {
  return {
    flags: {
      noExec: (flags & MS_NOEXEC) !== 0,
      noDev: (flags & MS_NODEV) !== 0,
      noSUID: (flags & MS_NOSUID) !== 0,
      noATime: (flags & MS_NOATIME) !== 0,
    },
    readOnly: (flags & MS_RDONLY) !== 0,
    ...(data !== undefined ? { getFilesystemOptions: { data } } : {}),
  };
}

/**
 * The system calls about a task's working directory, root and umask, and about mounts.
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files.
 * @public
 */
export abstract class TaskFSSyscalls extends TaskXattrSyscalls {
  /**
   * chdir(2).
   * @param path - The new working directory.
   * @throws ENOENT, EINVAL, ENAMETOOLONG - The path.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws ENOTDIR - Not a directory.
   * @throws EACCES - No search permission on it.
   */
  chdir(path: string): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, AT_FDCWD, path, { follow: true });
      const vd = s.kernel.vfs.getDentryAt(this.ctx, r.pop, { checkSearchable: true });
      try {
        fsOf(s).setCwd(this.ctx, vd);
      } finally {
        vd.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "chdir", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * fchdir(2) (O_PATH descriptors included).
   * @param fd - A directory descriptor.
   * @throws EBADF - `fd` is not open.
   * @throws ENOTDIR - Not a directory.
   * @throws EACCES - No search permission on it.
   */
  fchdir(fd: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      const fs = fsOf(s);
      const pop = { root: fs.root(), start: file.vd, path: EMPTY_PATH, followFinalSymlink: false };
      const vd = s.kernel.vfs.getDentryAt(this.ctx, pop, { checkSearchable: true });
      try {
        fs.setCwd(this.ctx, vd);
      } finally {
        vd.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "fchdir");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * getcwd(2): the working directory's path as seen from the task's root, or prefixed
   * with `(unreachable)` when it is outside the root (after a chroot).
   * @param size - The caller's buffer size (the path and its NUL must fit), or omitted
   * for no limit.
   * @returns The path.
   * @throws ENOENT - The working directory was removed.
   * @throws ERANGE - The path does not fit in `size` bytes.
   */
  getcwd(size?: number): string {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const fs = fsOf(s);
      const path = s.kernel.vfs.pathnameForGetcwd(this.ctx, fs.root(), fs.cwd());
      if (size !== undefined && utf8ByteLength(path) + 1 > size) throw new SysError("ERANGE", { detail: "buffer too small" });
      return path;
    } catch (error) {
      throw failure(error, "getcwd");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * chroot(2): makes a directory the task's root. The working directory is not moved, as
   * in Linux (it may end up outside the root).
   * @param path - The new root.
   * @throws ENOENT, EINVAL, ENAMETOOLONG - The path.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws ENOTDIR - Not a directory.
   * @throws EACCES - No search permission on it.
   * @throws EPERM - No CAP_SYS_CHROOT.
   */
  chroot(path: string): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, AT_FDCWD, path, { follow: true });
      const vd = s.kernel.vfs.getDentryAt(this.ctx, r.pop, { checkSearchable: true });
      try {
        if (!s.credentials.hasCapability(Capability.CAP_SYS_CHROOT)) throw new SysError("EPERM", { detail: "CAP_SYS_CHROOT required" });
        fsOf(s).setRoot(this.ctx, vd);
      } finally {
        vd.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "chroot", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * umask(2): sets the file-creation mask.
   * @param mask - The new mask (only 0777 bits are kept).
   * @returns The previous mask.
   */
  umask(mask: number): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      return fsOf(s).swapUmask(mask);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * mount(2).
   *
   * @remarks
   * As Linux's `path_mount` dispatches on the flags: MS_REMOUNT (with or without
   * MS_BIND) changes the per-mount flags and read-only state of the mount at `target`
   * (superblock options in `data` are not re-applied); MS_BIND makes `source` visible at
   * `target` (MS_REC: with its submounts); MS_PRIVATE makes a mount private, which every
   * mount already is; otherwise a new filesystem of type `fstype` is mounted at
   * `target`, with MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME applied and
   * `data` passed to the filesystem. Shared, slave and unbindable propagation and
   * MS_MOVE are not offered by the VFS: EINVAL.
   * @param source - The source (a path for MS_BIND; any string, usually `"none"`, for
   * a new filesystem).
   * @param target - Where to mount (followed if a symbolic link).
   * @param fstype - The filesystem type (`"tmpfs"`).
   * @param flags - MS_* flags.
   * @param data - Filesystem options (`"size=1m,mode=700"`).
   * @throws EINVAL - MS_NOUSER.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - Resolving `target`.
   * @throws EPERM - No CAP_SYS_ADMIN over the mount namespace.
   * @throws ENODEV - Unknown or not user-mountable `fstype`.
   * @throws EINVAL - MS_REMOUNT of something that is not a mount root; a propagation
   * change with several types or on a non-root; MS_SHARED, MS_SLAVE, MS_UNBINDABLE,
   * MS_MOVE; bad filesystem options.
   * @throws ENOTDIR - MS_BIND of a directory onto a file or the reverse.
   * @throws EBUSY - Remount read-only with files open for writing.
   * @throws ENOSPC - Too many mounts.
   */
  mount(source: string, target: string, fstype: string, flags: number, data?: string): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if (((flags >>> 0) & MS_MGC_MSK) >>> 0 === MS_MGC_VAL) flags = (flags >>> 0) & ~MS_MGC_MSK;
      if ((flags & MS_NOUSER) !== 0) throw new SysError("EINVAL", { detail: "MS_NOUSER" });
      const vfs = s.kernel.vfs;
      const ctx = this.ctx;
      const targetPop = pathOperation(s, AT_FDCWD, target, { follow: true }).pop;
      if ((flags & MS_REMOUNT) !== 0) {
        vfs.remountAt(ctx, targetPop, mountOptionsOf(flags, undefined));
      } else if ((flags & MS_BIND) !== 0) {
        const sourcePop = pathOperation(s, AT_FDCWD, source, { follow: true }).pop;
        vfs.bindAt(ctx, sourcePop, targetPop, { recursive: (flags & MS_REC) !== 0 });
      } else if ((flags & PROPAGATION_FLAGS) !== 0) {
        this.#changePropagation(flags, targetPop);
      } else if ((flags & MS_MOVE) !== 0) {
        // Resolve the target first, as Linux does, then refuse.
        vfs.getDentryAt(ctx, targetPop).decRef(ctx);
        this.#checkMayMount();
        throw new SysError("EINVAL", { detail: "MS_MOVE is not supported by the VFS" });
      } else {
        vfs.mountAt(ctx, source, targetPop, fstype, mountOptionsOf(flags, data));
      }
    } catch (error) {
      throw failure(error, "mount", target);
    } finally {
      leave(s, t0);
    }
  }

  // Linux's do_change_type: exactly one type, on a mount root. Every mount is private.
  #changePropagation(flags: number, targetPop: PathOperation): void {
    const vfs = this.kernel.vfs;
    const ctx = this.ctx;
    const vd = vfs.getDentryAt(ctx, targetPop);
    try {
      this.#checkMayMount();
      const type = flags & PROPAGATION_FLAGS;
      if ((type & (type - 1)) !== 0) throw new SysError("EINVAL", { detail: "more than one propagation type" });
      if (!vd.dentry.isMountpoint() && vd.dentry !== vd.mount.root()) throw new SysError("EINVAL", { detail: "not a mount point" });
      if (type !== MS_PRIVATE) throw new SysError("EINVAL", { detail: "only private propagation is supported" });
    } finally {
      vd.decRef(ctx);
    }
  }

  // Linux's may_mount(): CAP_SYS_ADMIN over the task's mount namespace.
  #checkMayMount(): void {
    const s = taskInternals(this);
    if (!s.credentials.hasCapabilityIn(Capability.CAP_SYS_ADMIN, this.mountNamespace.owner)) {
      throw new SysError("EPERM", { detail: "CAP_SYS_ADMIN required" });
    }
  }

  /**
   * umount2(2).
   * @param target - The mount point (a mount's root).
   * @param flags - MNT_FORCE, MNT_DETACH (lazy: detach now, free when unused),
   * UMOUNT_NOFOLLOW.
   * @throws EINVAL - Unknown flags (MNT_EXPIRE included).
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - Resolving `target`.
   * @throws EINVAL - Not a mount root, a locked mount, not in the task's namespace, or
   * the namespace's root.
   * @throws EPERM - No CAP_SYS_ADMIN.
   * @throws EBUSY - Without MNT_DETACH: open files, working directories or submounts.
   */
  umount2(target: string, flags: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, AT_FDCWD, target, { follow: true });
      s.kernel.vfs.umountAt(this.ctx, r.pop, { flags });
    } catch (error) {
      throw failure(error, "umount2", target);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * umount(2): {@link TaskFSSyscalls.umount2} without flags.
   * @param target - The mount point.
   * @throws Every error of {@link TaskFSSyscalls.umount2}.
   */
  umount(target: string): void {
    this.umount2(target, 0);
  }

  /**
   * sync(2): syncs every filesystem (in memory: nothing to write). Errors are not
   * reported, as sync(2) reports none.
   */
  sync(): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      s.kernel.vfs.syncAllFilesystems(this.ctx);
    } catch {
      // sync(2) returns nothing.
    } finally {
      leave(s, t0);
    }
  }

  /**
   * syncfs(2): syncs the filesystem holding `fd`'s file.
   * @param fd - A descriptor.
   * @throws EBADF - `fd` is not open.
   */
  syncfs(fd: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      file.mount().fs.impl.sync(this.ctx);
    } catch (error) {
      throw failure(error, "syncfs");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }
}
