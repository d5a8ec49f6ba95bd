// Permission checks shared by every filesystem (gVisor's vfs/permissions.go), written from
// Linux's fs/namei.c (generic_permission, may_linkat, check_sticky), fs/attr.c
// (setattr_prepare, may_setattr), fs/inode.c (inode_owner_or_capable) and fs/xattr.c
// (xattr_permission). Where gVisor differs from Linux, Linux wins (DESIGN.md D1).
import {
  Capability,
  O_ACCMODE,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_IFDIR,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  S_ISVTX,
  S_IXGRP,
  STATX_ATIME,
  STATX_GID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_UID,
  SysError,
  UTIME_NOW,
  UTIME_OMIT,
  XATTR_SECURITY_PREFIX,
  XATTR_TRUSTED_PREFIX,
  XATTR_USER_PREFIX,
} from "@vfskit/abi";
import { NO_ID, type Credentials, type KGID, type KUID } from "@vfskit/auth";
import { ContextKey, type Context } from "./context.js";
import {
  MAY_EXEC,
  MAY_READ,
  MAY_WRITE,
  type AccessTypes,
  type OpenOptions,
  type SetStatAttributes,
  type SetStatOptions,
} from "./options.js";

// --- The credential questions every check asks. ---

/** The caller's filesystem UID: Linux checks current_fsuid() (gVisor the effective UID). */
function callerUID(creds: Credentials): KUID {
  return creds.fsKUID;
}

/** in_group_p(): the filesystem GID or a supplementary group. */
function callerInGroup(creds: Credentials, kgid: KGID): boolean {
  return creds.inGroup(kgid);
}

/** capable_wrt_inode_uidgid(): the capability in the caller's namespace, with both IDs mapped there. */
function capableOnFile(creds: Credentials, cap: number, kuid: KUID, kgid: KGID): boolean {
  return creds.hasCapabilityOnFile(cap, kuid, kgid);
}

/** capable(): the capability in the root user namespace. */
function capableInRoot(creds: Credentials, cap: number): boolean {
  return creds.hasRootCapability(cap);
}

/** ns_capable(current_user_ns(), cap) with the UID mapped in that namespace. */
function capableOverUID(creds: Credentials, cap: number, kuid: KUID): boolean {
  return creds.hasCapability(cap) && creds.userNamespace.mapFromKUID(kuid) !== NO_ID;
}

// --- Access types and open flags. ---

/**
 * The permissions needed to open a file with `opts.flags` (and `opts.fileExec`).
 *
 * @remarks
 * Not the same as what the opened description allows: O_RDONLY|O_TRUNC needs write
 * permission but gives a read-only description, and access mode 3 ("check for read and
 * write permission and return a descriptor that can be used for neither", open(2))
 * needs read and write.
 *
 * Opening for execve asks only for MAY_EXEC, as Linux's `open_exec` does (its
 * `acc_mode` is MAY_EXEC | MAY_OPEN): a program with mode 0711 runs for a user who may
 * not read it. gVisor asks for MAY_READ | MAY_EXEC.
 *
 * @returns MAY_READ for O_RDONLY (plus MAY_WRITE with O_TRUNC), MAY_WRITE for O_WRONLY,
 * MAY_READ|MAY_WRITE for O_RDWR and for mode 3; MAY_EXEC alone when opening for execve.
 * @public
 */
export function accessTypesForOpenFlags(opts: OpenOptions): AccessTypes {
  if (opts.fileExec === true) return MAY_EXEC;
  switch (opts.flags & O_ACCMODE) {
    case O_RDONLY:
      return MAY_READ | ((opts.flags & O_TRUNC) !== 0 ? MAY_WRITE : 0);
    case O_WRONLY:
      return MAY_WRITE;
    default:
      return MAY_READ | MAY_WRITE;
  }
}

/**
 * True if a description opened with `flags` may be read (O_RDONLY or O_RDWR; not mode 3).
 * @public
 */
export function mayReadFileWithOpenFlags(flags: number): boolean {
  const mode = flags & O_ACCMODE;
  return mode === O_RDONLY || mode === O_RDWR;
}

/**
 * True if a description opened with `flags` may be written (O_WRONLY or O_RDWR; not mode 3).
 * @public
 */
export function mayWriteFileWithOpenFlags(flags: number): boolean {
  const mode = flags & O_ACCMODE;
  return mode === O_WRONLY || mode === O_RDWR;
}

// --- generic_permission. ---

/**
 * Checks that `creds` may access a file with the given mode and owner in the ways `ats`
 * asks (Linux `generic_permission`, without ACLs).
 *
 * @remarks
 * First the permission bits of exactly one class: the owner's if the caller's filesystem
 * UID is the file's owner, else the group's if the caller is in the file's group (its
 * filesystem GID or a supplementary group), else the others'. The
 * first matching class decides: an owner denied by the owner bits is denied even if the
 * group or other bits would allow. Then capabilities, each held in the caller's user
 * namespace with the file's UID and GID mapped there:
 *
 * - CAP_DAC_READ_SEARCH allows reading and searching directories and reading files;
 *
 * - CAP_DAC_OVERRIDE allows everything on directories, reading and writing files, and
 *   executing files that have at least one execute bit (so root cannot execute a 0644
 *   file).
 *
 * @param creds - The caller.
 * @param ats - MAY_READ / MAY_WRITE / MAY_EXEC bits wanted (MAY_EXEC on a directory is search).
 * @param mode - The file's mode, type bits included.
 * @param kuid - The file's owner.
 * @param kgid - The file's group.
 * @throws EACCES - Access is not allowed.
 * @public
 */
export function genericCheckPermissions(creds: Credentials, ats: AccessTypes, mode: number, kuid: KUID, kgid: KGID): void {
  if (!mayAccess(creds, ats, mode, kuid, kgid)) throw new SysError("EACCES");
}

/** The boolean form of {@link genericCheckPermissions}. */
function mayAccess(creds: Credentials, ats: AccessTypes, mode: number, kuid: KUID, kgid: KGID): boolean {
  const wanted = ats & (MAY_READ | MAY_WRITE | MAY_EXEC);
  let perms = mode & 0o7;
  if (callerUID(creds) === kuid) {
    perms = (mode >> 6) & 0o7;
  } else if (callerInGroup(creds, kgid)) {
    perms = (mode >> 3) & 0o7;
  }
  if ((wanted & ~perms) === 0) return true;

  if ((mode & S_IFMT) === S_IFDIR) {
    // DACs are overridable for directories.
    if ((wanted & MAY_WRITE) === 0 && capableOnFile(creds, Capability.CAP_DAC_READ_SEARCH, kuid, kgid)) return true;
    return capableOnFile(creds, Capability.CAP_DAC_OVERRIDE, kuid, kgid);
  }
  if (wanted === MAY_READ && capableOnFile(creds, Capability.CAP_DAC_READ_SEARCH, kuid, kgid)) return true;
  // Read and write are always overridable; execute only if some execute bit is set.
  if ((wanted & MAY_EXEC) === 0 || (mode & 0o111) !== 0) {
    return capableOnFile(creds, Capability.CAP_DAC_OVERRIDE, kuid, kgid);
  }
  return false;
}

/**
 * True if `creds` may act as the owner of a file owned by `kuid` (Linux
 * `inode_owner_or_capable`): the caller's filesystem UID is `kuid`, or it has CAP_FOWNER
 * in its user namespace and `kuid` is mapped there.
 *
 * @remarks
 * Linux compares the filesystem UID, gVisor the effective UID; they differ only after
 * setfsuid(2). Every check in this file uses the filesystem IDs, as Linux does.
 * @public
 */
export function canActAsOwner(creds: Credentials, kuid: KUID): boolean {
  if (callerUID(creds) === kuid) return true;
  return capableOverUID(creds, Capability.CAP_FOWNER, kuid);
}

/**
 * True if `creds` holds capability `cap` in its own user namespace and the file's UID and
 * GID are both mapped there (Linux `capable_wrt_inode_uidgid`).
 * @public
 */
export function hasCapabilityOnFile(creds: Credentials, cap: number, kuid: KUID, kgid: KGID): boolean {
  return capableOnFile(creds, cap, kuid, kgid);
}

/**
 * Checks that `creds` may create a hard link to a file with the given mode and owner
 * (Linux `may_linkat` with fs.protected_hardlinks = 1, the default of every distribution).
 *
 * @remarks
 * Whoever can act as the owner may link anything. Anyone else may link only a "safe"
 * source: a regular file that is not setuid, not setgid-and-group-executable, and that
 * the caller may both read and write. (gVisor skips the setgid rule; Linux has it.)
 * Linking a directory is refused earlier, by the filesystem (EPERM).
 *
 * @throws EPERM - The caller is not the owner and the source is not safe.
 * @public
 */
export function mayLink(creds: Credentials, mode: number, kuid: KUID, kgid: KGID): void {
  if (canActAsOwner(creds, kuid)) return;
  const safe =
    (mode & S_IFMT) === S_IFREG &&
    (mode & S_ISUID) === 0 &&
    (mode & (S_ISGID | S_IXGRP)) !== (S_ISGID | S_IXGRP) &&
    mayAccess(creds, MAY_READ | MAY_WRITE, mode, kuid, kgid);
  if (!safe) throw new SysError("EPERM", { syscall: "link", detail: "protected hard link" });
}

/**
 * Checks the sticky-directory rule for deleting or renaming a child (Linux
 * `check_sticky`): in a directory with S_ISVTX, only the child's owner, the directory's
 * owner, or a caller with CAP_FOWNER over the child may remove or rename it.
 *
 * @param parentMode - The directory's mode.
 * @param parentKUID - The directory's owner.
 * @param childKUID - The child's owner.
 * @param childKGID - The child's group.
 * @throws EPERM - The directory is sticky and none of the above holds.
 * @public
 */
export function checkDeleteSticky(creds: Credentials, parentMode: number, parentKUID: KUID, childKUID: KUID, childKGID: KGID): void {
  if ((parentMode & S_ISVTX) === 0) return;
  const uid = callerUID(creds);
  if (uid === childKUID || uid === parentKUID) return;
  if (capableOnFile(creds, Capability.CAP_FOWNER, childKUID, childKGID)) return;
  throw new SysError("EPERM", { detail: "sticky directory" });
}

/**
 * True if changing a file's mode to `mode` must silently drop S_ISGID (chmod(2)): the new
 * mode has it, and the caller is neither in the group `kgid` nor holds CAP_FSETID over
 * the file.
 *
 * @param mode - The new mode.
 * @param kuid - The file's owner.
 * @param kgid - The file's group (the new group, when the same call changes it).
 * @public
 */
export function shouldClearSGID(creds: Credentials, mode: number, kuid: KUID, kgid: KGID): boolean {
  return (mode & S_ISGID) !== 0 && !callerInGroup(creds, kgid) && !capableOnFile(creds, Capability.CAP_FSETID, kuid, kgid);
}

/**
 * The mode after a change of owner or a write by someone else: setuid always cleared,
 * setgid cleared if group-execute is set (a setgid file without group-execute marks
 * mandatory locking, which stays); directories unchanged.
 * @public
 */
export function clearSUIDAndSGID(mode: number): number {
  if ((mode & S_IFMT) === S_IFDIR) return mode;
  mode &= ~S_ISUID;
  if ((mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP)) mode &= ~S_ISGID;
  return mode;
}

// --- File size limit. ---

/**
 * The caller's file-size limit (RLIMIT_FSIZE) in bytes, carried by the context; absent
 * means unlimited. The kernel package sets it from the task's rlimits.
 * @public
 */
export const FileSizeLimitKey = new ContextKey<number>("vfs.fileSizeLimit");

/**
 * Applies the caller's file-size limit to a write of `size` bytes at `offset` (gVisor's
 * `CheckLimit`, Linux `generic_write_check_limits`).
 *
 * @returns How many of the `size` bytes may be written.
 * @throws EFBIG - `offset` is at or beyond the limit (Linux also sends SIGXFSZ; that is the kernel's part).
 * @public
 */
export function checkLimit(ctx: Context, offset: number, size: number): number {
  const limit = ctx.value(FileSizeLimitKey);
  if (limit === undefined) return size;
  if (offset >= limit) throw new SysError("EFBIG", { detail: "file size limit exceeded" });
  return Math.min(size, limit - offset);
}

// --- setattr_prepare. ---

/**
 * What {@link checkSetStat} decided beyond "allowed": adjustments the caller must apply.
 * @public
 */
export interface SetStatCheck {
  /**
   * The mode to store when the change includes STATX_MODE: the requested mode, without
   * S_ISGID if chmod must drop it silently ({@link shouldClearSGID}); `undefined` otherwise.
   */
  readonly mode: number | undefined;
  /** True if S_ISGID was dropped from the requested mode. */
  readonly clearSGID: boolean;
}

const NO_ADJUSTMENT: SetStatCheck = { mode: undefined, clearSGID: false };

/**
 * Checks that the caller may change a file's attributes as `opts` says (Linux
 * `may_setattr` + `setattr_prepare`); filesystems call it from `setStat` / `setStatAt`
 * and then apply the change.
 *
 * @remarks
 * In Linux's order: write permission for truncate by path (`opts.needWritePerm`); setting
 * both timestamps to "now" (utimes(NULL), or UTIME_NOW twice) needs ownership or write
 * permission; the new size against the file-size limit in `ctx` ({@link FileSizeLimitKey});
 * chown to another user needs CAP_CHOWN (the owner may "change" the owner to itself);
 * chgrp needs the owner switching to its own group or to the current group, or
 * CAP_CHOWN; chmod needs ownership or CAP_FOWNER, and silently loses S_ISGID when the
 * caller is not in the file's (new) group and lacks CAP_FSETID; any other timestamp
 * change (an explicit time, or only one of the two set to now) needs ownership or
 * CAP_FOWNER. (gVisor lets a non-owner with write permission set a single timestamp to
 * now; Linux does not.)
 *
 * A timestamp counts as changed when its STATX_ATIME / STATX_MTIME bit is set and its
 * `nsec` is not UTIME_OMIT.
 *
 * @param ctx - The caller's context (for the file-size limit).
 * @param creds - The caller's credentials.
 * @param opts - The change.
 * @param mode - The file's current mode.
 * @param kuid - The file's current owner.
 * @param kgid - The file's current group.
 * @returns The adjustments to apply (the mode without S_ISGID when it must be dropped).
 * @throws EACCES - `opts.needWritePerm` and no write permission.
 * @throws EACCES - Both timestamps set to now by a non-owner without write permission.
 * @throws EFBIG - The new size exceeds the file-size limit.
 * @throws EPERM - chown to another user without CAP_CHOWN.
 * @throws EPERM - chgrp by a non-owner, or to a group the owner is not in, without CAP_CHOWN.
 * @throws EPERM - chmod by a non-owner without CAP_FOWNER.
 * @throws EPERM - A timestamp set explicitly (or only one set to now) by a non-owner without CAP_FOWNER.
 * @public
 */
export function checkSetStat(
  ctx: Context,
  creds: Credentials,
  opts: SetStatOptions,
  mode: number,
  kuid: KUID,
  kgid: KGID,
): SetStatCheck {
  const stat = opts.stat;
  // vfs_truncate checks write permission before notify_change runs at all.
  if (opts.needWritePerm === true) genericCheckPermissions(creds, MAY_WRITE, mode, kuid, kgid);

  const times = timestampChange(stat);
  // may_setattr: utimes(NULL) and (UTIME_NOW, UTIME_NOW) need ownership or write permission.
  if (times === "touch" && !canActAsOwner(creds, kuid)) genericCheckPermissions(creds, MAY_WRITE, mode, kuid, kgid);

  if ((stat.mask & STATX_SIZE) !== 0) {
    const limit = ctx.value(FileSizeLimitKey);
    if (limit !== undefined && (stat.size ?? 0) > limit) throw new SysError("EFBIG", { detail: "file size limit exceeded" });
  }
  const uid = callerUID(creds);
  if ((stat.mask & STATX_UID) !== 0 && stat.uid !== undefined) {
    const ownerKeepsFile = uid === kuid && stat.uid === kuid;
    if (!ownerKeepsFile && !capableOnFile(creds, Capability.CAP_CHOWN, kuid, kgid)) {
      throw new SysError("EPERM", { syscall: "chown" });
    }
  }
  let newGID = kgid;
  if ((stat.mask & STATX_GID) !== 0 && stat.gid !== undefined) {
    newGID = stat.gid as KGID;
    const ownerMayChgrp = uid === kuid && (newGID === kgid || callerInGroup(creds, newGID));
    if (!ownerMayChgrp && !capableOnFile(creds, Capability.CAP_CHOWN, kuid, kgid)) {
      throw new SysError("EPERM", { syscall: "chown" });
    }
  }
  let result = NO_ADJUSTMENT;
  if ((stat.mask & STATX_MODE) !== 0 && stat.mode !== undefined) {
    if (!canActAsOwner(creds, kuid)) throw new SysError("EPERM", { syscall: "chmod" });
    // setattr_prepare tests the new group, if this same change sets one.
    const clearSGID = (stat.mode & S_ISGID) !== 0 && !callerInGroup(creds, newGID) && !capableOnFile(creds, Capability.CAP_FSETID, kuid, kgid);
    result = { mode: clearSGID ? stat.mode & ~S_ISGID : stat.mode, clearSGID };
  }
  if (times === "explicit" && !canActAsOwner(creds, kuid)) {
    throw new SysError("EPERM", { syscall: "utimensat" });
  }
  return result;
}

/** How a change touches timestamps: not at all, both to now ("touch"), or otherwise. */
function timestampChange(stat: SetStatAttributes): "none" | "touch" | "explicit" {
  const atime = (stat.mask & STATX_ATIME) !== 0 && stat.atime !== undefined && stat.atime.nsec !== UTIME_OMIT ? stat.atime : undefined;
  const mtime = (stat.mask & STATX_MTIME) !== 0 && stat.mtime !== undefined && stat.mtime.nsec !== UTIME_OMIT ? stat.mtime : undefined;
  if (atime === undefined && mtime === undefined) return "none";
  if (atime?.nsec === UTIME_NOW && mtime?.nsec === UTIME_NOW) return "touch";
  return "explicit";
}

// --- xattr_permission. ---

/**
 * Checks the namespace rules for accessing extended attribute `name` (Linux
 * `xattr_permission` plus the capability module's `cap_inode_setxattr` /
 * `cap_inode_removexattr` / `cap_convert_nscap`), without the final inode permission
 * check, which the filesystem makes for `user.*` and `trusted.*`, and without the
 * immutable/append-only checks.
 *
 * @remarks
 * - `trusted.*`: only with CAP_SYS_ADMIN in the root user namespace; others get EPERM
 *   for writes and ENODATA for reads (the attribute seems not to exist);
 *
 * - `user.*`: only on regular files and directories (others: EPERM to write, ENODATA to
 *   read); on a sticky directory only its owner or a CAP_FOWNER holder may write;
 *
 * - `security.*`: reads are not restricted; writing `security.capability` needs
 *   CAP_SETFCAP over the file; writing any other `security.*` name needs CAP_SYS_ADMIN
 *   (EPERM otherwise). Whether the filesystem stores it is the filesystem's business
 *   (Linux's tmpfs does). gVisor instead refuses every `security.*` write except
 *   `security.capability` with EOPNOTSUPP; Linux (checked on the host: root may set
 *   `security.foo` on tmpfs, others get EPERM) wins;
 *
 * - anything else (`system.*`) passes: the filesystem or the syscall layer rejects
 *   names it does not know (EOPNOTSUPP).
 *
 * @param ats - MAY_READ for get/list, MAY_WRITE for set/remove.
 * @param mode - The file's mode.
 * @param kuid - The file's owner.
 * @param name - The full attribute name.
 * @throws EPERM - Writing `trusted.*` without CAP_SYS_ADMIN in the root namespace.
 * @throws ENODATA - Reading `trusted.*` without CAP_SYS_ADMIN in the root namespace.
 * @throws EPERM - Writing `user.*` on other than a regular file or directory, or on a sticky directory one does not own (without CAP_FOWNER).
 * @throws ENODATA - Reading `user.*` on other than a regular file or directory.
 * @throws EPERM - Writing `security.capability` without CAP_SETFCAP, or another `security.*` name without CAP_SYS_ADMIN.
 * @public
 */
export function checkXattrPermissions(creds: Credentials, ats: AccessTypes, mode: number, kuid: KUID, name: string): void {
  const writing = (ats & MAY_WRITE) !== 0;
  if (name.startsWith(XATTR_SECURITY_PREFIX)) {
    if (!writing) return;
    if (name === SECURITY_CAPABILITY) {
      // cap_convert_nscap / cap_inode_removexattr: CAP_SETFCAP over the file.
      if (capableOverUID(creds, Capability.CAP_SETFCAP, kuid)) return;
    } else if (capableInRoot(creds, Capability.CAP_SYS_ADMIN)) {
      return;
    }
    throw new SysError("EPERM");
  }
  if (name.startsWith(XATTR_TRUSTED_PREFIX)) {
    if (capableInRoot(creds, Capability.CAP_SYS_ADMIN)) return;
    throw new SysError(writing ? "EPERM" : "ENODATA");
  }
  if (name.startsWith(XATTR_USER_PREFIX)) {
    const type = mode & S_IFMT;
    if (type !== S_IFREG && type !== S_IFDIR) throw new SysError(writing ? "EPERM" : "ENODATA");
    if (type === S_IFDIR && (mode & S_ISVTX) !== 0 && writing && !canActAsOwner(creds, kuid)) {
      throw new SysError("EPERM", { detail: "sticky directory" });
    }
  }
}

/** The file-capabilities attribute (include/uapi/linux/xattr.h XATTR_NAME_CAPS). */
const SECURITY_CAPABILITY = "security.capability";
