// System calls about a file's attributes: stat, statx, access, chmod, chown, utimensat,
// truncate, statfs. Twin of gVisor's pkg/sentry/syscalls/linux/sys_stat.go,
// sys_utimes.go, sys_file.go (Linux's fs/stat.c, fs/open.c, fs/utimes.c, fs/statfs.c).
import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_NO_AUTOMOUNT,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  Capability,
  O_PATH,
  R_OK,
  STATX_ATIME,
  STATX_BASIC_STATS,
  STATX_GID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_TYPE,
  STATX_UID,
  STATX__RESERVED,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  S_IXGRP,
  SysError,
  UTIME_NOW,
  UTIME_OMIT,
  W_OK,
  X_OK,
  type Statfs,
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import { CapabilitySet, NO_ID, orOverflow, type Credentials, type GID, type KGID, type KUID, type UID } from "@vfskit/auth";
import { withCredentials, type FileDescription, type PathOperation, type SetStatAttributes, type StatOptions } from "@vfskit/vfs";
import {
  enter,
  failure,
  getFile,
  leave,
  pathOperation,
  signalForError,
  taskInternals,
  type ResolvedPath,
  type TaskInternals,
} from "./task-base.js";
import { TaskPathSyscalls } from "./task-path-syscalls.js";

const KILL_PRIVS_MASK = STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID;

/**
 * chown(-1, -1) still clears set-user-ID (and set-group-ID where Linux's
 * `setattr_should_drop_sgid` says so) on a non-directory: `chown_common` asks for
 * ATTR_KILL_SUID, which `notify_change` turns into a mode change, so a caller who is
 * neither the owner nor holds CAP_FOWNER gets EPERM. Without such bits it changes nothing.
 * (gVisor changes nothing.)
 */
function chownKillPrivs(creds: Credentials, st: Statx): SetStatAttributes {
  if ((st.mode & S_IFMT) === S_IFDIR) return { mask: 0 };
  let drop = st.mode & S_ISUID;
  if ((st.mode & S_ISGID) !== 0) {
    const keep =
      (st.mode & S_IXGRP) === 0 &&
      (creds.inGroup(st.gid as KGID) || creds.hasCapabilityOnFile(Capability.CAP_FSETID, st.uid as KUID, st.gid as KGID));
    if (!keep) drop |= S_ISGID;
  }
  return drop === 0 ? { mask: 0 } : { mask: STATX_MODE, mode: st.mode & 0o7777 & ~drop };
}

const STAT_FLAGS = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE;
const NOW: Timespec = { sec: 0, nsec: UTIME_NOW };

/** `stat` with the owner and group as the caller's user namespace numbers them. */
function userView(creds: Credentials, stat: Statx): Statx {
  const ns = creds.userNamespace;
  const uid = orOverflow(ns.mapFromKUID(stat.uid as KUID)) as number;
  const gid = orOverflow(ns.mapFromKGID(stat.gid as KGID)) as number;
  if (uid === stat.uid && gid === stat.gid) return stat;
  return { ...stat, uid, gid };
}

/**
 * The credentials access(2) checks with (Linux's access_override_creds): the real IDs
 * as filesystem IDs, and no capabilities unless the real UID is root (then the permitted
 * set).
 */
function accessCredentials(creds: Credentials): Credentials {
  const rootKUID = creds.userNamespace.mapToKUID(0 as UID);
  const caps = creds.realKUID === rootKUID ? creds.permittedCaps : CapabilitySet.EMPTY;
  if (creds.fsKUID === creds.realKUID && creds.fsKGID === creds.realKGID && creds.effectiveCaps.equals(caps)) return creds;
  return creds.with({ fsKUID: creds.realKUID, fsKGID: creds.realKGID, effectiveCaps: caps });
}

/** A timestamp argument is valid: 0–999,999,999 ns, UTIME_NOW or UTIME_OMIT. */
function validNsec(ts: Timespec): boolean {
  return (ts.nsec >= 0 && ts.nsec <= 999_999_999 && Number.isInteger(ts.nsec)) || ts.nsec === UTIME_NOW || ts.nsec === UTIME_OMIT;
}

/**
 * The attribute system calls of a task: stat and statx, access, chmod, chown, utimensat,
 * truncate, statfs.
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files.
 * Owners and groups cross the boundary as the task's user namespace numbers them:
 * results are mapped from kernel IDs (unmapped IDs show as 65534), arguments are mapped
 * to kernel IDs.
 * @public
 */
export abstract class TaskAttrSyscalls extends TaskPathSyscalls {
  /**
   * newfstatat(2): the file's metadata (the STATX_BASIC_STATS fields).
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path; with AT_EMPTY_PATH an empty path is `dirfd` itself.
   * @param flags - AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_* sync flags.
   * @returns The metadata.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   */
  fstatat(dirfd: number, path: string, flags = 0): Statx {
    return this.#stat(dirfd, path, flags, STATX_BASIC_STATS, "newfstatat");
  }

  /**
   * stat(2): {@link TaskAttrSyscalls.fstatat} from the working directory, following links.
   * @param path - The path.
   * @returns The metadata.
   * @throws Every error of {@link TaskAttrSyscalls.fstatat} but EBADF.
   */
  stat(path: string): Statx {
    return this.#stat(AT_FDCWD, path, 0, STATX_BASIC_STATS, "stat");
  }

  /**
   * lstat(2): like {@link TaskAttrSyscalls.stat} without following a final link.
   * @param path - The path.
   * @returns The metadata.
   * @throws Every error of {@link TaskAttrSyscalls.fstatat} but EBADF.
   */
  lstat(path: string): Statx {
    return this.#stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, "lstat");
  }

  /**
   * statx(2).
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path; with AT_EMPTY_PATH an empty path is `dirfd` itself.
   * @param flags - AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_NO_AUTOMOUNT, one AT_STATX_* sync flag.
   * @param mask - The STATX_* fields wanted (the result's `mask` says which are filled).
   * @returns The metadata.
   * @throws EINVAL - Both AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC.
   * @throws EINVAL - `mask` has STATX__RESERVED.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   */
  statx(dirfd: number, path: string, flags: number, mask: number): Statx {
    if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) {
      throw new SysError("EINVAL", { syscall: "statx", path, detail: "AT_STATX_FORCE_SYNC with AT_STATX_DONT_SYNC" });
    }
    if ((mask & STATX__RESERVED) !== 0) throw new SysError("EINVAL", { syscall: "statx", path, detail: "reserved mask bit" });
    return this.#stat(dirfd, path, flags, mask, "statx");
  }

  /**
   * fstat(2): the metadata of an open file (O_PATH descriptors included).
   * @param fd - The descriptor.
   * @returns The metadata.
   * @throws EBADF - `fd` is not open.
   */
  fstat(fd: number): Statx {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      return userView(s.credentials, file.stat(this.ctx, { mask: STATX_BASIC_STATS, sync: 0 }));
    } catch (error) {
      throw failure(error, "fstat");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  #stat(dirfd: number, path: string, flags: number, mask: number, syscall: string): Statx {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if ((flags & ~STAT_FLAGS) !== 0) throw new SysError("EINVAL", { detail: "bad flags" });
      const opts: StatOptions = { mask, sync: flags & AT_STATX_SYNC_TYPE };
      const r = pathOperation(s, dirfd, path, { follow: (flags & AT_SYMLINK_NOFOLLOW) === 0, allowEmpty: (flags & AT_EMPTY_PATH) !== 0 });
      try {
        // vfs_fstatat: an empty path with AT_EMPTY_PATH is fstat of the descriptor.
        const stat = path === "" && r.dir !== undefined ? r.dir.stat(this.ctx, opts) : s.kernel.vfs.statAt(this.ctx, r.pop, opts);
        return userView(s.credentials, stat);
      } finally {
        r.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, syscall, path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * faccessat2(2): checks whether the task may read, write or execute a file.
   *
   * @remarks
   * Without AT_EACCESS the check (and the walk to the file) runs with the real user and
   * group IDs, and without capabilities unless the real UID is root, as Linux's
   * `access_override_creds` does; with AT_EACCESS it uses the effective IDs.
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path.
   * @param mode - F_OK, or R_OK | W_OK | X_OK.
   * @param flags - AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
   * @throws EINVAL - `mode` has other bits.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EACCES - Access denied.
   * @throws EROFS - W_OK on a read-only mount.
   */
  faccessat2(dirfd: number, path: string, mode: number, flags = 0): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if ((mode & ~(R_OK | W_OK | X_OK)) !== 0) throw new SysError("EINVAL", { detail: "bad mode" });
      if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError("EINVAL", { detail: "bad flags" });
      const creds = (flags & AT_EACCESS) !== 0 ? s.credentials : accessCredentials(s.credentials);
      const ctx = creds === s.credentials ? this.ctx : withCredentials(this.ctx, creds);
      const r = pathOperation(s, dirfd, path, { follow: (flags & AT_SYMLINK_NOFOLLOW) === 0, allowEmpty: (flags & AT_EMPTY_PATH) !== 0 });
      try {
        s.kernel.vfs.accessAt(ctx, r.pop, mode);
      } finally {
        r.dir?.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "faccessat2", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * faccessat(2): {@link TaskAttrSyscalls.faccessat2} without flags.
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path.
   * @param mode - F_OK, or R_OK | W_OK | X_OK.
   * @throws Every error of {@link TaskAttrSyscalls.faccessat2}.
   */
  faccessat(dirfd: number, path: string, mode: number): void {
    this.faccessat2(dirfd, path, mode, 0);
  }

  /**
   * access(2): {@link TaskAttrSyscalls.faccessat2} from the working directory.
   * @param path - The path.
   * @param mode - F_OK, or R_OK | W_OK | X_OK.
   * @throws Every error of {@link TaskAttrSyscalls.faccessat2} but EBADF.
   */
  access(path: string, mode: number): void {
    this.faccessat2(AT_FDCWD, path, mode, 0);
  }

  /**
   * fchmodat2(2) (fchmodat with flags): changes the permission bits (07777).
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path.
   * @param mode - The new permission bits.
   * @param flags - AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EPERM - Not the owner and no CAP_FOWNER.
   * @throws EROFS - A read-only mount.
   */
  fchmodat(dirfd: number, path: string, mode: number, flags = 0): void {
    this.#setStatAt(dirfd, path, flags, "fchmodat", () => ({ mask: STATX_MODE, mode: mode & 0o7777 }));
  }

  /**
   * chmod(2).
   * @param path - The path.
   * @param mode - The new permission bits.
   * @throws Every error of {@link TaskAttrSyscalls.fchmodat} but EBADF.
   */
  chmod(path: string, mode: number): void {
    this.fchmodat(AT_FDCWD, path, mode, 0);
  }

  /**
   * fchmod(2).
   * @param fd - The descriptor.
   * @param mode - The new permission bits.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EPERM - Not the owner and no CAP_FOWNER.
   * @throws EROFS - A read-only mount.
   */
  fchmod(fd: number, mode: number): void {
    this.#setStatFD(fd, "fchmod", () => ({ mask: STATX_MODE, mode: mode & 0o7777 }));
  }

  /**
   * fchownat(2): changes the owner and/or group; -1 leaves one unchanged.
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path.
   * @param owner - The new owner in the task's user namespace, or -1.
   * @param group - The new group in the task's user namespace, or -1.
   * @param flags - AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EINVAL - `owner` or `group` has no mapping in the task's user namespace.
   * @throws EPERM - Not allowed (CAP_CHOWN needed).
   * @throws EROFS - A read-only mount.
   */
  fchownat(dirfd: number, path: string, owner: number, group: number, flags = 0): void {
    this.#setStatAt(dirfd, path, flags, "fchownat", (s, pop) => {
      const stat = this.#chownAttributes(s, owner, group);
      if (stat.mask !== 0 || pop === undefined) return stat;
      return chownKillPrivs(s.credentials, s.kernel.vfs.statAt(this.ctx, pop, { mask: KILL_PRIVS_MASK, sync: 0 }));
    });
  }

  /**
   * chown(2) (follows a final link).
   * @param path - The path.
   * @param owner - The new owner, or -1.
   * @param group - The new group, or -1.
   * @throws Every error of {@link TaskAttrSyscalls.fchownat} but EBADF.
   */
  chown(path: string, owner: number, group: number): void {
    this.fchownat(AT_FDCWD, path, owner, group, 0);
  }

  /**
   * lchown(2) (changes a final link itself).
   * @param path - The path.
   * @param owner - The new owner, or -1.
   * @param group - The new group, or -1.
   * @throws Every error of {@link TaskAttrSyscalls.fchownat} but EBADF.
   */
  lchown(path: string, owner: number, group: number): void {
    this.fchownat(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW);
  }

  /**
   * fchown(2).
   * @param fd - The descriptor.
   * @param owner - The new owner, or -1.
   * @param group - The new group, or -1.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EINVAL - `owner` or `group` has no mapping in the task's user namespace.
   * @throws EPERM - Not allowed.
   * @throws EROFS - A read-only mount.
   */
  fchown(fd: number, owner: number, group: number): void {
    this.#setStatFD(fd, "fchown", (s, file) => {
      const stat = this.#chownAttributes(s, owner, group);
      if (stat.mask !== 0) return stat;
      return chownKillPrivs(s.credentials, file.stat(this.ctx, { mask: KILL_PRIVS_MASK, sync: 0 }));
    });
  }

  #chownAttributes(s: TaskInternals, owner: number, group: number): SetStatAttributes {
    const ns = s.credentials.userNamespace;
    let mask = 0;
    let kuid: number | undefined;
    let kgid: number | undefined;
    if (owner !== -1) {
      kuid = ns.mapToKUID(owner as UID);
      if (kuid === NO_ID) throw new SysError("EINVAL", { detail: `uid ${owner} has no mapping` });
      mask |= STATX_UID;
    }
    if (group !== -1) {
      kgid = ns.mapToKGID(group as GID);
      if (kgid === NO_ID) throw new SysError("EINVAL", { detail: `gid ${group} has no mapping` });
      mask |= STATX_GID;
    }
    return { mask, ...(kuid !== undefined ? { uid: kuid } : {}), ...(kgid !== undefined ? { gid: kgid } : {}) };
  }

  /**
   * utimensat(2): sets the access and modification times.
   *
   * @remarks
   * Without `times` both become now. A time whose `nsec` is UTIME_NOW becomes now, one
   * with UTIME_OMIT is left alone; if both are UTIME_OMIT the call does nothing, not even
   * look the path up, as Linux. Setting both to now needs ownership or write permission;
   * anything else needs ownership or CAP_FOWNER.
   * @param dirfd - AT_FDCWD or a descriptor.
   * @param path - The path; with AT_EMPTY_PATH an empty path is `dirfd` itself.
   * @param times - `[atime, mtime]`, or `undefined` for now.
   * @param flags - AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
   * @throws EINVAL - A `nsec` out of range (and not UTIME_NOW / UTIME_OMIT).
   * @throws EINVAL - Other flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, EBADF - The path or `dirfd`.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EACCES - Both to now, not the owner, no write permission.
   * @throws EPERM - Other changes by a non-owner without CAP_FOWNER.
   * @throws EROFS - A read-only mount.
   */
  utimensat(dirfd: number, path: string, times: readonly [Timespec, Timespec] | undefined, flags = 0): void {
    if (times !== undefined && times[0].nsec === UTIME_OMIT && times[1].nsec === UTIME_OMIT) return;
    if (times !== undefined && (!validNsec(times[0]) || !validNsec(times[1]))) {
      throw new SysError("EINVAL", { syscall: "utimensat", path, detail: "bad nanoseconds" });
    }
    this.#setStatAt(dirfd, path, flags, "utimensat", () => this.#timeAttributes(times));
  }

  /**
   * futimens(3) (utimensat on a descriptor).
   * @param fd - The descriptor.
   * @param times - `[atime, mtime]`, or `undefined` for now.
   * @throws EINVAL - A `nsec` out of range.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EACCES, EPERM, EROFS - As {@link TaskAttrSyscalls.utimensat}.
   */
  futimens(fd: number, times: readonly [Timespec, Timespec] | undefined): void {
    if (times !== undefined && times[0].nsec === UTIME_OMIT && times[1].nsec === UTIME_OMIT) return;
    if (times !== undefined && (!validNsec(times[0]) || !validNsec(times[1]))) {
      throw new SysError("EINVAL", { syscall: "utimensat", detail: "bad nanoseconds" });
    }
    this.#setStatFD(fd, "utimensat", () => this.#timeAttributes(times));
  }

  #timeAttributes(times: readonly [Timespec, Timespec] | undefined): SetStatAttributes {
    const [atime, mtime] = times ?? [NOW, NOW];
    return { mask: STATX_ATIME | STATX_MTIME, atime, mtime };
  }

  /**
   * truncate(2): sets the size of a file by path (following links).
   * @param path - The path.
   * @param length - The new size.
   * @throws EINVAL - `length` is negative.
   * @throws ENOENT, EINVAL, ENAMETOOLONG - The path.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EISDIR - A directory.
   * @throws EINVAL - Not a regular file.
   * @throws EROFS - A read-only mount.
   * @throws EACCES - No write permission.
   * @throws EFBIG - Beyond RLIMIT_FSIZE (and SIGXFSZ is sent).
   */
  truncate(path: string, length: number): void {
    if (length < 0) throw new SysError("EINVAL", { syscall: "truncate", path, detail: "negative length" });
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, AT_FDCWD, path, { follow: true });
      s.kernel.vfs.setStatAt(this.ctx, r.pop, { stat: { mask: STATX_SIZE, size: length }, needWritePerm: true });
    } catch (error) {
      signalForError(s, error, "truncate");
      throw failure(error, "truncate", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * ftruncate(2).
   * @param fd - The descriptor.
   * @param length - The new size.
   * @throws EINVAL - `length` is negative.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EINVAL - Not a regular file, or not open for writing.
   * @throws EFBIG - Beyond RLIMIT_FSIZE (and SIGXFSZ is sent).
   */
  ftruncate(fd: number, length: number): void {
    if (length < 0) throw new SysError("EINVAL", { syscall: "ftruncate", detail: "negative length" });
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      if ((file.statusFlags() & O_PATH) !== 0) throw new SysError("EBADF", { detail: "O_PATH descriptor" });
      const stat = file.stat(this.ctx, { mask: STATX_TYPE, sync: 0 });
      if ((stat.mode & S_IFMT) !== S_IFREG || !file.isWritable()) {
        throw new SysError("EINVAL", { detail: "not a regular file open for writing" });
      }
      file.setStat(this.ctx, { stat: { mask: STATX_SIZE, size: length } });
    } catch (error) {
      signalForError(s, error, "ftruncate");
      throw failure(error, "ftruncate");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * statfs(2): the filesystem holding a file (following links).
   * @param path - The path.
   * @returns The filesystem's statistics, with the mount's ST_* flags.
   * @throws ENOENT, EINVAL, ENAMETOOLONG - The path.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws ENOSYS - The filesystem does not implement statfs.
   */
  statfs(path: string): Statfs {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      return s.kernel.vfs.statFSAt(this.ctx, pathOperation(s, AT_FDCWD, path, { follow: true }).pop);
    } catch (error) {
      throw failure(error, "statfs", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * fstatfs(2) (O_PATH descriptors included).
   * @param fd - The descriptor.
   * @returns The filesystem's statistics.
   * @throws EBADF - `fd` is not open.
   * @throws ENOSYS - The filesystem does not implement statfs.
   */
  fstatfs(fd: number): Statfs {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      return file.statFS(this.ctx);
    } catch (error) {
      throw failure(error, "fstatfs");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  #setStatAt(
    dirfd: number,
    path: string,
    flags: number,
    syscall: string,
    attributes: (s: TaskInternals, pop?: PathOperation) => SetStatAttributes,
  ): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    let r: ResolvedPath | undefined;
    try {
      if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0) throw new SysError("EINVAL", { detail: "bad flags" });
      r = pathOperation(s, dirfd, path, { follow: (flags & AT_SYMLINK_NOFOLLOW) === 0, allowEmpty: (flags & AT_EMPTY_PATH) !== 0 });
      let stat: SetStatAttributes;
      try {
        stat = attributes(s, r.pop);
      } catch (error) {
        // Linux maps the IDs after the lookup: report lookup errors first.
        s.kernel.vfs.statAt(this.ctx, r.pop, { mask: STATX_TYPE, sync: 0 });
        throw error;
      }
      s.kernel.vfs.setStatAt(this.ctx, r.pop, { stat });
    } catch (error) {
      throw failure(error, syscall, path);
    } finally {
      r?.dir?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  #setStatFD(fd: number, syscall: string, attributes: (s: TaskInternals, file: FileDescription) => SetStatAttributes): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      file.setStat(this.ctx, { stat: attributes(s, file) });
    } catch (error) {
      throw failure(error, syscall);
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }
}
