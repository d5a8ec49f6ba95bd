// The VFS half of an open file description (gVisor's vfs/file_description.go, Linux's
// struct file). The filesystem half is a FileDescriptionImpl (file-description-impl.ts);
// default implementations of it live in file-description-impl-util.ts.
import type { Credentials, KUID } from "@vfskit/auth";
import {
  AT_STATX_DONT_SYNC,
  O_APPEND,
  O_ASYNC,
  O_CREAT,
  O_DIRECT,
  O_EXCL,
  O_NOATIME,
  O_NOCTTY,
  O_NONBLOCK,
  O_PATH,
  O_TRUNC,
  STATX_MNT_ID,
  STATX_UID,
  SysError,
  isSysError,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { FileDescriptionImpl, IterDirentsCallback } from "./file-description-impl.js";
import { LOCK_EOF, type LockRange } from "./lock.js";
import type { Mount } from "./mount.js";
import type {
  GetXattrOptions,
  ReadOptions,
  SetStatOptions,
  SetXattrOptions,
  StatOptions,
  WriteOptions,
} from "./options.js";
import { canActAsOwner, mayReadFileWithOpenFlags, mayWriteFileWithOpenFlags } from "./permissions.js";
import { RefCounted } from "./refs.js";
import type { PathOperation } from "./vfs.js";
import type { VirtualDentry } from "./virtual-dentry.js";
import type { Waitable, Waiter } from "./waiter.js";

/**
 * Options of {@link FileDescription.init} (gVisor's `FileDescriptionOptions`).
 * @public
 */
export interface FileDescriptionOptions {
  /** O_DIRECT may be set on the description (at open or with F_SETFL); otherwise EINVAL. */
  readonly allowDirectIO?: boolean;
  /** pread (and preadv) fail with ESPIPE: pipes, sockets, FIFOs, character devices. */
  readonly denyPRead?: boolean;
  /** pwrite (and pwritev) fail with ESPIPE. */
  readonly denyPWrite?: boolean;
  /**
   * Metadata calls (stat, setStat, statFS, the four xattr calls) go to the filesystem's
   * `*At` methods on the description's own dentry instead of to the impl.
   *
   * @remarks
   * For descriptions implemented outside the filesystem that holds their dentry: pipes
   * and FIFOs, sockets, device files, epoll and inotify instances. Pair with
   * `DentryMetadataFileDescriptionImpl`.
   */
  readonly useDentryMetadata?: boolean;
  /** splice(2) into this description is refused. */
  readonly denySpliceIn?: boolean;
  /**
   * A special file (FIFO, device): opening it for writing takes no write count on the
   * mount, so it works on a read-only mount, as in Linux.
   */
  readonly specialFile?: boolean;
}

// Linux's FMODE_READ, FMODE_WRITE and FMODE_CREATED (this open created the file).
const FMODE_READ = 0x1;
const FMODE_WRITE = 0x2;
const FMODE_CREATED = 0x100000;

/** STATX_ATTR_APPEND (include/uapi/linux/stat.h): append-only (chattr +a). Not yet in abi. */
const STATX_ATTR_APPEND = 0x20;

/** open(2) flags that act at open time only and are not kept as status flags. */
const FILE_CREATION_FLAGS = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC;

/** Status flags fcntl(F_SETFL) may change (Linux's SETFL_MASK). */
const SETTABLE_STATUS_FLAGS = O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_NONBLOCK;

const NO_OPTIONS: FileDescriptionOptions = {};
const PLAIN_READ: ReadOptions = { flags: 0 };
const PLAIN_WRITE: WriteOptions = { flags: 0 };

let emptyPath: PathOperation["path"] | undefined;
const WHOLE_FILE: LockRange = { start: 0, end: LOCK_EOF };

/**
 * An open file description: what a file descriptor refers to (POSIX "open file
 * description", Linux's `struct file`, gVisor's `vfs.FileDescription`).
 *
 * @remarks
 * A filesystem creates one empty, pairs it with its {@link FileDescriptionImpl} and calls
 * {@link FileDescription.init}:
 *
 * ```ts
 * const impl = new MyRegularFileFD(inode);
 * const fd = new FileDescription();
 * fd.init(ctx, impl, opts.flags, vd); // impl.vfsfd === fd from now on
 * return fd;
 * ```
 *
 * The VFS half keeps what every file has — the location it was opened at (a
 * {@link VirtualDentry} it holds references on), the credentials of the opener, the status
 * flags of fcntl(F_GETFL) and the access mode — and enforces the rules Linux applies
 * before a file's own operation runs: EBADF for a read on a write-only description (and
 * the reverse) or for any I/O on an O_PATH description, ESPIPE for positional I/O on
 * pipes and the like. Everything else is delegated to the impl.
 *
 * Reference counting (DESIGN.md D3): the count starts at 1, owned by whoever created the
 * description (usually the file-descriptor table). When the last reference goes, the impl
 * is released, the mount's write count is returned if the description took one, and the
 * references on the dentry and then on the mount are dropped, in that order (a dentry
 * does not hold its filesystem).
 *
 * Not done yet: inotify events, epoll interest cleanup on close, O_ASYNC signal delivery.
 * Locking through a description is in lock.ts (`lockBSD`, `lockPOSIX`…).
 *
 * @public
 */
export class FileDescription extends RefCounted implements Waitable {
  #impl: FileDescriptionImpl | undefined;
  #vd: VirtualDentry | undefined;
  #credentials: Credentials | undefined;
  #statusFlags = 0;
  #fmode = 0;
  #opts: FileDescriptionOptions = NO_OPTIONS;
  #selfOperation: PathOperation | undefined;

  /** Creates an uninitialised description; call {@link FileDescription.init} next. */
  constructor() {
    super("FileDescription");
  }

  /**
   * Initialises the description: must be called once, before any other method.
   *
   * @remarks
   * In order: if `flags` open the file for writing (O_WRONLY or O_RDWR) and
   * `opts.specialFile` is not set, takes a write count on the mount (EROFS on a read-only
   * mount); records the access mode; keeps `ctx.credentials` as the opener's credentials;
   * keeps `flags` minus O_CREAT, O_EXCL, O_NOCTTY and O_TRUNC as the status flags (as
   * Linux's `do_dentry_open` does); takes a reference on `vd` (mount and dentry); sets
   * `impl.vfsfd` to this description.
   *
   * If it throws, the description is dead (its count is 0, nothing is held): drop it
   * without calling {@link FileDescription.decRef}.
   *
   * @param ctx - The opener's context; its credentials are kept.
   * @param impl - The filesystem's half of the description.
   * @param flags - The open(2) flags, usually all of them (access mode, O_APPEND, O_NONBLOCK…).
   * @param vd - Where the file was opened; borrowed, this description takes its own references.
   * @param opts - Options; see {@link FileDescriptionOptions}.
   * @throws EROFS - `flags` open for writing, the mount is read-only and `opts.specialFile` is not set.
   * @precondition `init` was not called before on this description.
   * @postcondition `impl.vfsfd === this`; `vd.mount` and `vd.dentry` carry one more reference each.
   */
  init(ctx: Context, impl: FileDescriptionImpl, flags: number, vd: VirtualDentry, opts: FileDescriptionOptions = NO_OPTIONS): void {
    if (this.#impl !== undefined) throw new InternalError("FileDescription.init called twice");
    let fmode = 0;
    // Linux gives an O_PATH file neither FMODE_READ nor FMODE_WRITE, so it takes no write
    // count either (gVisor marks O_PATH descriptions readable; its wrappers catch it later).
    const opath = (flags & O_PATH) !== 0;
    if (!opath && mayWriteFileWithOpenFlags(flags)) {
      // Special files (FIFOs, devices) can be opened for writing through read-only mounts.
      if (opts.specialFile !== true) {
        try {
          vd.mount.checkBeginWrite();
        } catch (error) {
          // Nothing was taken: retire this never-initialised object so it is not a leak.
          this.dropRef();
          throw error;
        }
      }
      fmode |= FMODE_WRITE;
    }
    if (!opath && mayReadFileWithOpenFlags(flags)) fmode |= FMODE_READ;
    this.#fmode = fmode;
    this.#credentials = ctx.credentials;
    this.#statusFlags = flags & ~FILE_CREATION_FLAGS;
    this.#opts = opts;
    vd.incRef();
    this.#vd = vd;
    this.#impl = impl;
    impl.vfsfd = this;
  }

  /**
   * Drops a reference; the last one releases the description.
   *
   * @remarks
   * On the last reference: its flock lock and OFD locks are released, then
   * `impl.release(ctx)`, then the mount's write count is returned
   * if {@link FileDescription.init} took one, then the dentry's reference and then the
   * mount's are dropped.
   */
  decRef(ctx: Context): void {
    if (!this.dropRef()) return;
    const impl = this.#impl;
    const vd = this.#vd;
    if (impl === undefined || vd === undefined) return; // released before init: nothing held
    // flock locks belong to the description; so do OFD locks (F_OFD_SETLK).
    const locks = impl.fileLocks?.();
    if (locks !== undefined) {
      locks.unlockBSD(this);
      locks.unlockPOSIX(this, WHOLE_FILE);
    }
    impl.release(ctx);
    if (this.isWritable() && this.#opts.specialFile !== true) vd.mount.endWrite();
    vd.decRef(ctx);
  }

  /** The filesystem's half of this description. */
  get impl(): FileDescriptionImpl {
    const impl = this.#impl;
    if (impl === undefined) throw new InternalError("FileDescription used before init");
    return impl;
  }

  /** Where the file was opened; this description holds references on it (do not drop them). */
  get vd(): VirtualDentry {
    const vd = this.#vd;
    if (vd === undefined) throw new InternalError("FileDescription used before init");
    return vd;
  }

  /** The mount the file was opened on (no new reference). */
  mount(): Mount {
    return this.vd.mount;
  }

  /** The dentry the file was opened at (no new reference). */
  dentry(): Dentry {
    return this.vd.dentry;
  }

  /** The credentials of the opener (immutable; used for permission checks made on behalf of the opener). */
  credentials(): Credentials {
    const creds = this.#credentials;
    if (creds === undefined) throw new InternalError("FileDescription used before init");
    return creds;
  }

  /** The options given to {@link FileDescription.init}. */
  options(): FileDescriptionOptions {
    return this.#opts;
  }

  /** The status flags, as fcntl(F_GETFL) returns them (access mode included). */
  statusFlags(): number {
    return this.#statusFlags;
  }

  /**
   * Changes the status flags, as fcntl(F_SETFL) does (Linux `setfl()`).
   *
   * @remarks
   * Only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME and O_NONBLOCK change; other bits of
   * `flags` are ignored. The caller's credentials come from `ctx`.
   *
   * @param flags - The new flags (the whole F_SETFL argument).
   * @throws EBADF - The description is O_PATH (fcntl allows only F_GETFL and the FD flags on those).
   * @throws EPERM - O_APPEND would change on an append-only file.
   * @throws EPERM - O_NOATIME would be set and the caller neither owns the file nor has CAP_FOWNER.
   * @throws EINVAL - O_DIRECT is set and the file does not allow direct I/O.
   */
  setStatusFlags(ctx: Context, flags: number): void {
    if (this.#isOPath()) throw new SysError("EBADF", { syscall: "fcntl" });
    const oldFlags = this.#statusFlags;
    // Linux refuses any change of O_APPEND (not only clearing it) on an append-only inode.
    if (((flags ^ oldFlags) & O_APPEND) !== 0) {
      const stat = this.stat(ctx, { mask: 0, sync: AT_STATX_DONT_SYNC });
      if ((stat.attributesMask & STATX_ATTR_APPEND) !== 0 && (stat.attributes & STATX_ATTR_APPEND) !== 0) {
        throw new SysError("EPERM", { syscall: "fcntl", detail: "append-only file" });
      }
    }
    if ((flags & O_NOATIME) !== 0 && (oldFlags & O_NOATIME) === 0) {
      const stat = this.stat(ctx, { mask: STATX_UID, sync: AT_STATX_DONT_SYNC });
      if ((stat.mask & STATX_UID) === 0 || !canActAsOwner(ctx.credentials, stat.uid as KUID)) {
        throw new SysError("EPERM", { syscall: "fcntl", detail: "O_NOATIME needs ownership or CAP_FOWNER" });
      }
    }
    if ((flags & O_DIRECT) !== 0 && this.#opts.allowDirectIO !== true) {
      throw new SysError("EINVAL", { syscall: "fcntl", detail: "O_DIRECT not supported" });
    }
    this.#statusFlags = (oldFlags & ~SETTABLE_STATUS_FLAGS) | (flags & SETTABLE_STATUS_FLAGS);
  }

  /** True if the description was opened for reading (O_RDONLY or O_RDWR). */
  isReadable(): boolean {
    return (this.#fmode & FMODE_READ) !== 0;
  }

  /** True if the description was opened for writing (O_WRONLY or O_RDWR). */
  isWritable(): boolean {
    return (this.#fmode & FMODE_WRITE) !== 0;
  }

  /**
   * Marks the description as having created its file (Linux's FMODE_CREATED): an O_TRUNC
   * open then reports no IN_MODIFY.
   * @precondition Called by the filesystem's open, before the description is returned.
   */
  setCreated(): void {
    this.#fmode |= FMODE_CREATED;
  }

  /** True if the open that produced this description created the file. */
  wasCreated(): boolean {
    return (this.#fmode & FMODE_CREATED) !== 0;
  }

  /**
   * close(2) was called on one file descriptor referring to this description.
   * @remarks The caller closes the descriptor whatever this throws.
   */
  onClose(ctx: Context): void {
    this.impl.onClose(ctx);
  }

  /**
   * fstat / statx(AT_EMPTY_PATH).
   *
   * @remarks
   * Works on O_PATH descriptions. With `useDentryMetadata` the filesystem holding the
   * dentry answers; otherwise the impl. When STATX_MNT_ID is requested the mount ID is
   * filled in here.
   *
   * @throws Whatever the impl or the filesystem throws.
   */
  stat(ctx: Context, opts: StatOptions): Statx {
    let stat: Statx;
    if (this.#opts.useDentryMetadata === true) {
      stat = this.vd.mount.vfs.statAt(ctx, this.#self(), opts);
    } else {
      stat = this.impl.stat(ctx, opts);
    }
    if ((opts.mask & STATX_MNT_ID) !== 0) {
      // A copy: the impl may hand out a cached object.
      stat = { ...stat, mntId: this.vd.mount.id, mask: stat.mask | STATX_MNT_ID };
    }
    return stat;
  }

  /**
   * fchmod, fchown, futimens, ftruncate.
   *
   * @remarks
   * The impl (or, with `useDentryMetadata`, the filesystem) checks permissions, usually
   * with `checkSetStat`.
   *
   * @throws EBADF - The description is O_PATH.
   * @throws Whatever the impl or the filesystem throws (EPERM, EACCES, EINVAL…).
   */
  setStat(ctx: Context, opts: SetStatOptions): void {
    this.#rejectOPath("setStat");
    if (this.#opts.useDentryMetadata === true) {
      this.vd.mount.vfs.setStatAt(ctx, this.#self(), opts);
      return;
    }
    this.impl.setStat(ctx, opts);
  }

  /**
   * fstatfs.
   *
   * @remarks
   * Works on O_PATH descriptions. With `useDentryMetadata` it goes through the VFS's
   * `statFSAt`, which also reports the mount's flags in `f_flags`, as Linux's fstatfs does
   * (gVisor calls the filesystem directly and leaves them out).
   *
   * @throws ENOSYS - The file's filesystem does not implement statfs.
   */
  statFS(ctx: Context): Statfs {
    if (this.#opts.useDentryMetadata === true) return this.vd.mount.vfs.statFSAt(ctx, this.#self());
    return this.impl.statFS(ctx);
  }

  /**
   * fallocate(2) with the given mode over `[offset, offset + length)`.
   *
   * @remarks
   * Argument validation (negative offset, zero length, unknown mode bits) is the syscall
   * layer's job and comes before these checks in Linux.
   *
   * @throws EBADF - O_PATH, or the description is not open for writing.
   * @throws EISDIR - A directory (from the impl).
   * @throws ESPIPE - A pipe or FIFO (from the impl).
   * @throws ENODEV - The file does not support allocation (the default).
   */
  allocate(ctx: Context, mode: number, offset: number, length: number): void {
    this.#rejectOPath("fallocate");
    if (!this.isWritable()) throw new SysError("EBADF", { syscall: "fallocate" });
    this.impl.allocate(ctx, mode, offset, length);
  }

  /** The subset of `mask` that is ready now (poll(2)). */
  readiness(mask: number): number {
    return this.impl.readiness(mask);
  }

  /** Registers `waiter` for the events in `mask`. */
  eventRegister(waiter: Waiter, mask: number): void {
    this.impl.eventRegister(waiter, mask);
  }

  /** Unregisters `waiter`. */
  eventUnregister(waiter: Waiter): void {
    this.impl.eventUnregister(waiter);
  }

  /** True if epoll may watch this description. */
  epollable(): boolean {
    return this.impl.epollable();
  }

  /**
   * pread(2): reads into `dst` at `offset` without moving the file offset.
   *
   * @returns The number of bytes read; 0 at end of file.
   * @throws EINVAL - `offset` is negative (checked first, as pread64 does).
   * @throws EBADF - The description is O_PATH.
   * @throws ESPIPE - The file does not support positional reads (pipes, FIFOs, sockets).
   * @throws EBADF - The description is not open for reading.
   * @throws Whatever the impl throws (EINVAL by default, EISDIR for directories, EAGAIN…).
   */
  pread(ctx: Context, dst: Uint8Array, offset: number, opts: ReadOptions = PLAIN_READ): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pread64" });
    this.#rejectOPath("pread64");
    if (this.#opts.denyPRead === true) throw new SysError("ESPIPE", { syscall: "pread64" });
    if (!this.isReadable()) throw new SysError("EBADF", { syscall: "pread64" });
    return this.impl.pread(ctx, dst, offset, opts);
  }

  /**
   * read(2): reads into `dst` at the file offset and advances it.
   *
   * @returns The number of bytes read; 0 at end of file.
   * @throws EBADF - The description is O_PATH or not open for reading.
   * @throws Whatever the impl throws (EINVAL by default, EISDIR for directories, EAGAIN…).
   */
  read(ctx: Context, dst: Uint8Array, opts: ReadOptions = PLAIN_READ): number {
    this.#rejectOPath("read");
    if (!this.isReadable()) throw new SysError("EBADF", { syscall: "read" });
    return this.impl.read(ctx, dst, opts);
  }

  /**
   * pwrite(2): writes `src` at `offset` without moving the file offset (with O_APPEND,
   * Linux writes at the end regardless of `offset`).
   *
   * @returns The number of bytes written.
   * @throws EINVAL - `offset` is negative (checked first, as pwrite64 does).
   * @throws EBADF - The description is O_PATH.
   * @throws ESPIPE - The file does not support positional writes (pipes, FIFOs, sockets).
   * @throws EBADF - The description is not open for writing.
   * @throws Whatever the impl throws (EINVAL by default, EISDIR, EFBIG, EAGAIN, EPIPE…).
   */
  pwrite(ctx: Context, src: Uint8Array, offset: number, opts: WriteOptions = PLAIN_WRITE): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pwrite64" });
    this.#rejectOPath("pwrite64");
    if (this.#opts.denyPWrite === true) throw new SysError("ESPIPE", { syscall: "pwrite64" });
    if (!this.isWritable()) throw new SysError("EBADF", { syscall: "pwrite64" });
    return this.impl.pwrite(ctx, src, offset, opts);
  }

  /**
   * write(2): writes `src` at the file offset (at the end with O_APPEND) and advances it.
   *
   * @returns The number of bytes written.
   * @throws EBADF - The description is O_PATH or not open for writing.
   * @throws Whatever the impl throws (EINVAL by default, EISDIR, EFBIG, EAGAIN, EPIPE…).
   */
  write(ctx: Context, src: Uint8Array, opts: WriteOptions = PLAIN_WRITE): number {
    this.#rejectOPath("write");
    if (!this.isWritable()) throw new SysError("EBADF", { syscall: "write" });
    return this.impl.write(ctx, src, opts);
  }

  /**
   * getdents64(2): delivers entries from the current position until `cb` returns false or
   * the directory ends.
   *
   * @throws EBADF - The description is O_PATH.
   * @throws ENOTDIR - Not a directory (the default).
   */
  iterDirents(ctx: Context, cb: IterDirentsCallback): void {
    this.#rejectOPath("getdents64");
    this.impl.iterDirents(ctx, cb);
  }

  /**
   * lseek(2).
   *
   * @returns The new file offset.
   * @throws EBADF - The description is O_PATH.
   * @throws ESPIPE - The file is not seekable (the default).
   * @throws EINVAL - Bad `whence` or a negative result (from the impl).
   */
  seek(ctx: Context, offset: number, whence: number): number {
    this.#rejectOPath("lseek");
    return this.impl.seek(ctx, offset, whence);
  }

  /**
   * fsync(2).
   *
   * @throws EBADF - The description is O_PATH.
   * @throws EINVAL - The file does not support syncing (the default).
   */
  sync(ctx: Context): void {
    this.#rejectOPath("fsync");
    this.impl.sync(ctx);
  }

  /**
   * ioctl(2).
   *
   * @returns The syscall's return value.
   * @throws EBADF - The description is O_PATH.
   * @throws ENOTTY - Unknown request (the default).
   */
  ioctl(ctx: Context, request: number, arg: unknown): number {
    this.#rejectOPath("ioctl");
    return this.impl.ioctl(ctx, request, arg);
  }

  /**
   * flistxattr(2).
   *
   * @remarks
   * A file that does not support extended attributes has none: EOPNOTSUPP from the impl
   * becomes an empty list, as in Linux.
   *
   * @param size - The caller's buffer size; 0 asks for everything (no ERANGE).
   * @throws EBADF - The description is O_PATH.
   * @throws ERANGE - The names do not fit in a non-zero `size` (from the impl).
   */
  listXattr(ctx: Context, size: number): string[] {
    this.#rejectOPath("flistxattr");
    if (this.#opts.useDentryMetadata === true) return this.vd.mount.vfs.listXattrAt(ctx, this.#self(), size);
    try {
      return this.impl.listXattr(ctx, size);
    } catch (error) {
      if (isSysError(error, "EOPNOTSUPP")) return [];
      throw error;
    }
  }

  /**
   * fgetxattr(2).
   *
   * @throws EBADF - The description is O_PATH.
   * @throws EOPNOTSUPP - The file does not support extended attributes (the default).
   * @throws ENODATA - No such attribute, or not visible to the caller.
   * @throws ERANGE - The value does not fit in a non-zero `opts.size`.
   */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    this.#rejectOPath("fgetxattr");
    if (this.#opts.useDentryMetadata === true) return this.vd.mount.vfs.getXattrAt(ctx, this.#self(), opts);
    return this.impl.getXattr(ctx, opts);
  }

  /**
   * fsetxattr(2).
   *
   * @throws EBADF - The description is O_PATH.
   * @throws EOPNOTSUPP - The file does not support extended attributes (the default).
   * @throws EPERM, EACCES, EEXIST, ENODATA - As the filesystem decides (see `checkXattrPermissions`).
   */
  setXattr(ctx: Context, opts: SetXattrOptions): void {
    this.#rejectOPath("fsetxattr");
    if (this.#opts.useDentryMetadata === true) {
      this.vd.mount.vfs.setXattrAt(ctx, this.#self(), opts);
      return;
    }
    this.impl.setXattr(ctx, opts);
  }

  /**
   * fremovexattr(2).
   *
   * @throws EBADF - The description is O_PATH.
   * @throws EOPNOTSUPP - The file does not support extended attributes (the default).
   * @throws ENODATA - No such attribute.
   */
  removeXattr(ctx: Context, name: string): void {
    this.#rejectOPath("fremovexattr");
    if (this.#opts.useDentryMetadata === true) {
      this.vd.mount.vfs.removeXattrAt(ctx, this.#self(), name);
      return;
    }
    this.impl.removeXattr(ctx, name);
  }

  protected override describeForLeakCheck(): string {
    const vd = this.#vd;
    return vd === undefined ? "FileDescription (not initialised)" : `FileDescription on mount ${vd.mount.id}`;
  }

  #isOPath(): boolean {
    return (this.#statusFlags & O_PATH) !== 0;
  }

  /** Linux's fdget() refuses O_PATH files for everything but fstat, fstatfs and a few fcntls. */
  #rejectOPath(syscall: string): void {
    if ((this.#statusFlags & O_PATH) !== 0) throw new SysError("EBADF", { syscall, detail: "O_PATH descriptor" });
  }

  /** The path operation addressing this description's own dentry: empty path, root = start = vd. */
  #self(): PathOperation {
    let pop = this.#selfOperation;
    if (pop === undefined) {
      emptyPath ??= parse("");
      pop = { root: this.vd, start: this.vd, path: emptyPath, followFinalSymlink: false };
      this.#selfOperation = pop;
    }
    return pop;
  }
}
