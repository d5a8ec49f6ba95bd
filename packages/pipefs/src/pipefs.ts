// The anonymous pipe filesystem behind pipe2(2): one inode per pipe, named `pipe:[ino]`,
// on a mount that is never connected to any tree. Twin of gVisor's
// pkg/sentry/fsimpl/pipefs/pipefs.go (Linux's fs/pipe.c pipefs + get_pipe_inode).
//
// Built on the VFS directly, not on kernfs: every inode is reached only through the
// descriptions of its ends (no path leads to one), so kernfs's dentry tree, cache and
// lookups would be unused weight; what remains is a handful of metadata fields.
import {
  O_NONBLOCK,
  O_RDONLY,
  O_WRONLY,
  PIPEFS_MAGIC,
  STATX_ATIME,
  STATX_BASIC_STATS,
  STATX_GID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_UID,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  SysError,
  UTIME_NOW,
  UTIME_OMIT,
  type Statfs,
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import {
  Dentry,
  FileDescription,
  Filesystem,
  InternalError,
  PrependPathResult,
  RefCounted,
  VirtualDentry,
  accessTypesForOpenFlags,
  checkSetStat,
  clockFrom,
  genericCheckPermissions,
  genericStatFS,
  type AccessTypes,
  type Context,
  type DentryImpl,
  type FilesystemImpl,
  type FilesystemType,
  type GetDentryOptions,
  type GetFilesystemOptions,
  type GetXattrOptions,
  type MkdirOptions,
  type MknodOptions,
  type Mount,
  type NewFilesystem,
  type OpenOptions,
  type RegisterFilesystemTypeOptions,
  type RenameOptions,
  type ResolvingPath,
  type Restart,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
  type VirtualFilesystem,
} from "@vfskit/vfs";
import { PendingFifoOpen, VFSPipe } from "./fifo.js";
import { PIPE_FILE_DESCRIPTION_OPTIONS, PipeFileDescriptionImpl } from "./pipe-file-description.js";

// The owner IDs and the path builder, named through the VFS's own types so that pipefs
// needs no direct dependency on @vfskit/auth and @vfskit/fspath for three type names.
type KUID = Context["credentials"]["fsKUID"];
type KGID = Context["credentials"]["fsKGID"];
type Builder = Parameters<FilesystemImpl["prependPath"]>[4];

/**
 * The name pipefs is registered under (listed in /proc/filesystems as `nodev\tpipefs`).
 * @public
 */
export const PIPEFS_NAME = "pipefs";

/**
 * How to register {@link PipeFilesystemType}: listed in /proc/filesystems, never mountable
 * by mount(2) (Linux's SB_NOUSER: EINVAL), only through an internal mount.
 * @public
 */
export const PIPEFS_REGISTER_OPTIONS: RegisterFilesystemTypeOptions = { allowUserList: true, noUser: true };

/** A pipe's inode and its only dentry (Linux gives each pipe a pseudo dentry). */
class PipeDentry extends RefCounted implements DentryImpl {
  readonly vfsd: Dentry = new Dentry(this);
  readonly ino: number;
  /** The pipe; `undefined` for the filesystem's root directory. */
  readonly vfsPipe: VFSPipe | undefined;
  mode: number;
  uid: KUID;
  gid: KGID;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;

  readonly devMinor: number;

  constructor(ino: number, devMinor: number, mode: number, uid: KUID, gid: KGID, now: Timespec, vfsPipe: VFSPipe | undefined) {
    super("pipefs.PipeDentry");
    this.devMinor = devMinor;
    this.ino = ino;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
    this.atime = now;
    this.mtime = now;
    this.ctime = now;
    this.vfsPipe = vfsPipe;
  }

  decRef(_ctx: Context): void {
    // Nothing to free: the pipe goes with the last reference to this object.
    this.dropRef();
  }

  stat(): Statx {
    return {
      mask: STATX_BASIC_STATS,
      blksize: 4096,
      attributes: 0,
      nlink: 1,
      uid: this.uid,
      gid: this.gid,
      mode: this.mode,
      ino: this.ino,
      size: 0,
      blocks: 0,
      attributesMask: 0,
      atime: this.atime,
      btime: { sec: 0, nsec: 0 },
      ctime: this.ctime,
      mtime: this.mtime,
      rdevMajor: 0,
      rdevMinor: 0,
      devMajor: 0,
      devMinor: this.devMinor,
      mntId: 0,
    };
  }

  protected override describeForLeakCheck(): string {
    return `PipeDentry(pipe:[${this.ino}])`;
  }
}

/**
 * The pipefs filesystem type (Linux's `pipe_fs_type`, gVisor's `pipefs.filesystemType`):
 * the internal filesystem anonymous pipes live on.
 *
 * @remarks
 * Register it with {@link PIPEFS_REGISTER_OPTIONS} and create its one mount with
 * {@link newPipeMount}; mount(2) cannot mount it. Each `getFilesystem` makes a new, empty
 * filesystem (Linux has one per boot).
 * @public
 */
export class PipeFilesystemType implements FilesystemType {
  /**
   * The type's name.
   * @returns `"pipefs"`.
   */
  name(): string {
    return PIPEFS_NAME;
  }

  /**
   * Creates an empty pipe filesystem.
   *
   * @param ctx - The creator's context (the root directory's owner and time).
   * @param vfs - The VFS.
   * @param _source - Ignored.
   * @param _opts - Ignored.
   * @returns The filesystem and its (unreachable) root, a reference on each.
   * @throws EMFILE - No anonymous device number is left.
   */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, _opts: GetFilesystemOptions): NewFilesystem {
    const fs = new PipeFilesystem(ctx, vfs, this);
    fs.root.incRef(); // the caller's; the filesystem keeps its own
    return { fs: fs.vfsfs, root: fs.root.vfsd };
  }

  /** Nothing to release. */
  release(_ctx: Context): void {}
}

/**
 * Creates a pipe filesystem and its disconnected mount, where {@link newPipe} makes pipes
 * (Linux's `kern_mount(&pipe_fs_type)` at boot).
 *
 * @param ctx - The creator's context.
 * @param vfs - A VFS where {@link PipeFilesystemType} is registered as {@link PIPEFS_NAME}.
 * @returns The mount (one reference for the caller; dropping it frees the filesystem
 * once no pipe remains).
 * @throws ENODEV - pipefs is not registered.
 * @throws EMFILE - No anonymous device number is left.
 * @public
 */
export function newPipeMount(ctx: Context, vfs: VirtualFilesystem): Mount {
  const { fs, root } = vfs.newFilesystem(ctx, PIPEFS_NAME, PIPEFS_NAME, { internalMount: true });
  try {
    return vfs.newDisconnectedMount(fs, root);
  } finally {
    root.decRef(ctx);
    fs.decRef(ctx);
  }
}

/**
 * The two descriptions {@link newPipe} returns, as pipe2(2) returns two descriptors.
 * @public
 */
export interface PipeFDs {
  /** The read end: O_RDONLY (and O_NONBLOCK if asked). */
  readonly reader: FileDescription;
  /** The write end: O_WRONLY (and O_NONBLOCK if asked). */
  readonly writer: FileDescription;
}

/**
 * Creates an anonymous pipe: a new pipefs inode (S_IFIFO | 0600, owned by the caller's
 * filesystem IDs) and a read-only and a write-only description of it (gVisor's
 * `NewConnectedPipeFDs`, Linux's `create_pipe_files`).
 *
 * @param ctx - The creator's context (owner, timestamps).
 * @param mount - The pipefs mount from {@link newPipeMount}.
 * @param flags - O_NONBLOCK applies to both descriptions; other bits are ignored (the
 * caller checks pipe2's flags).
 * @returns The two descriptions, one reference on each for the caller.
 * @public
 */
export function newPipe(ctx: Context, mount: Mount, flags: number): PipeFDs {
  const fs = mount.fs.impl;
  if (!(fs instanceof PipeFilesystem)) throw new InternalError("newPipe: not a pipefs mount");
  const dentry = fs.newPipeDentry(ctx);
  try {
    const vfsPipe = dentry.vfsPipe as VFSPipe;
    const [readEnd, writeEnd] = vfsPipe.readerWriterPair();
    const vd = new VirtualDentry(mount, dentry.vfsd);
    const reader = new FileDescription();
    reader.init(ctx, new PipeFileDescriptionImpl(readEnd), O_RDONLY | (flags & O_NONBLOCK), vd, PIPE_FILE_DESCRIPTION_OPTIONS);
    const writer = new FileDescription();
    writer.init(ctx, new PipeFileDescriptionImpl(writeEnd), O_WRONLY | (flags & O_NONBLOCK), vd, PIPE_FILE_DESCRIPTION_OPTIONS);
    return { reader, writer };
  } finally {
    dentry.decRef(ctx); // the descriptions hold their own references
  }
}

function notDirectory(): SysError {
  return new SysError("ENOTDIR", { detail: "a pipe is not a directory" });
}

/**
 * The pipe filesystem (internal): a root directory nobody can reach and one inode per pipe, each
 * reached only through the descriptions of its ends (Linux's pipefs).
 *
 * @remarks
 * Paths never lead anywhere from a pipe: any component after one is ENOTDIR, as Linux's
 * path walk reports for a non-directory starting point. An empty path addresses the pipe
 * itself, which is how descriptions with `useDentryMetadata` reach `statAt`, `setStatAt`
 * and `statFSAt`, and how /proc/[pid]/fd/N reopens a pipe (`openAt`, never blocking, as
 * for every anonymous pipe). Metadata follows Linux's `get_pipe_inode`: S_IFIFO | 0600,
 * owned by the creator's filesystem IDs, one link, size 0; chmod, chown and utimes work
 * as on any file (`simple_setattr`; gVisor allows only chown). Timestamps are not updated
 * by reads and writes (Linux updates them; gVisor does not).
 */
class PipeFilesystem implements FilesystemImpl {
  readonly vfsfs: Filesystem;
  readonly root: PipeDentry;
  /** st_dev is 0:devMinor, an anonymous device number of the VFS. */
  readonly devMinor: number;
  #nextIno = 1;

  constructor(ctx: Context, vfs: VirtualFilesystem, fsType: FilesystemType) {
    this.devMinor = vfs.getAnonBlockDevMinor();
    this.vfsfs = new Filesystem(vfs, fsType, this);
    const creds = ctx.credentials;
    const now = clockFrom(ctx).now();
    this.root = new PipeDentry(this.#nextIno++, this.devMinor, S_IFDIR | 0o600, creds.fsKUID, creds.fsKGID, now, undefined);
  }

  /** A new pipe inode with one reference for the caller. */
  newPipeDentry(ctx: Context): PipeDentry {
    const creds = ctx.credentials;
    const now = clockFrom(ctx).now();
    return new PipeDentry(this.#nextIno++, this.devMinor, S_IFIFO | 0o600, creds.fsKUID, creds.fsKGID, now, new VFSPipe());
  }

  release(ctx: Context): void {
    this.root.decRef(ctx);
    this.vfsfs.vfs.putAnonBlockDevMinor(this.devMinor);
  }

  sync(_ctx: Context): void {}

  /** The file the walk addresses: only an empty path leads anywhere. */
  #resolve(rp: ResolvingPath): PipeDentry {
    const d = rp.start().impl as PipeDentry;
    if (!rp.done()) {
      if (d.vfsPipe !== undefined) throw notDirectory();
      throw new SysError("ENOENT");
    }
    return d;
  }

  accessAt(_ctx: Context, rp: ResolvingPath, ats: AccessTypes): Restart | undefined {
    const d = this.#resolve(rp);
    genericCheckPermissions(rp.credentials(), ats, d.mode, d.uid, d.gid);
    return undefined;
  }

  getDentryAt(_ctx: Context, rp: ResolvingPath, opts: GetDentryOptions): Dentry | Restart {
    const d = this.#resolve(rp);
    if (opts.checkSearchable === true && d.vfsPipe !== undefined) throw notDirectory();
    d.incRef();
    return d.vfsd;
  }

  getParentDentryAt(_ctx: Context, rp: ResolvingPath): Dentry | Restart {
    this.#resolve(rp);
    throw notDirectory(); // unreachable: the path has at least one component
  }

  linkAt(_ctx: Context, rp: ResolvingPath, _vd: VirtualDentry): Restart | undefined {
    return this.#noCreate(rp);
  }

  mkdirAt(_ctx: Context, rp: ResolvingPath, _opts: MkdirOptions): Restart | undefined {
    return this.#noCreate(rp);
  }

  mknodAt(_ctx: Context, rp: ResolvingPath, _opts: MknodOptions): Restart | undefined {
    return this.#noCreate(rp);
  }

  symlinkAt(_ctx: Context, rp: ResolvingPath, _target: string): Restart | undefined {
    return this.#noCreate(rp);
  }

  renameAt(_ctx: Context, rp: ResolvingPath, _old: VirtualDentry, _oldName: string, _opts: RenameOptions): Restart | undefined {
    return this.#noCreate(rp);
  }

  rmdirAt(_ctx: Context, rp: ResolvingPath): Restart | undefined {
    return this.#noCreate(rp);
  }

  unlinkAt(_ctx: Context, rp: ResolvingPath): Restart | undefined {
    return this.#noCreate(rp);
  }

  // Creating or deleting needs a parent directory, and no path leads to one.
  #noCreate(rp: ResolvingPath): Restart | undefined {
    this.#resolve(rp);
    throw notDirectory();
  }

  openAt(ctx: Context, rp: ResolvingPath, opts: OpenOptions): FileDescription | Restart {
    const d = this.#resolve(rp);
    const vfsPipe = d.vfsPipe;
    if (vfsPipe === undefined) throw new SysError("ENXIO", { syscall: "open" });
    genericCheckPermissions(rp.credentials(), accessTypesForOpenFlags(opts), d.mode, d.uid, d.gid);
    // An anonymous pipe never waits for the other side.
    const end = vfsPipe.open(opts.flags);
    if (end instanceof PendingFifoOpen) {
      end.cancel();
      throw new SysError("EAGAIN", { syscall: "open" });
    }
    const fd = new FileDescription();
    fd.init(ctx, new PipeFileDescriptionImpl(end), opts.flags, new VirtualDentry(rp.mount(), d.vfsd), PIPE_FILE_DESCRIPTION_OPTIONS);
    return fd;
  }

  readlinkAt(_ctx: Context, rp: ResolvingPath): string | Restart {
    this.#resolve(rp);
    throw new SysError("EINVAL", { syscall: "readlink" });
  }

  setStatAt(ctx: Context, rp: ResolvingPath, opts: SetStatOptions): Restart | undefined {
    const d = this.#resolve(rp);
    const stat = opts.stat;
    if ((stat.mask & STATX_SIZE) !== 0) throw new SysError("EINVAL", { syscall: "truncate" });
    const check = checkSetStat(ctx, rp.credentials(), opts, d.mode, d.uid, d.gid);
    const now = clockFrom(ctx).now();
    if (check.mode !== undefined) d.mode = (d.mode & S_IFMT) | (check.mode & 0o7777);
    if ((stat.mask & STATX_UID) !== 0 && stat.uid !== undefined) d.uid = stat.uid as KUID;
    if ((stat.mask & STATX_GID) !== 0 && stat.gid !== undefined) d.gid = stat.gid as KGID;
    if ((stat.mask & STATX_ATIME) !== 0 && stat.atime !== undefined && stat.atime.nsec !== UTIME_OMIT) {
      d.atime = stat.atime.nsec === UTIME_NOW ? now : stat.atime;
    }
    if ((stat.mask & STATX_MTIME) !== 0 && stat.mtime !== undefined && stat.mtime.nsec !== UTIME_OMIT) {
      d.mtime = stat.mtime.nsec === UTIME_NOW ? now : stat.mtime;
    }
    if ((stat.mask & (STATX_MODE | STATX_UID | STATX_GID | STATX_ATIME | STATX_MTIME)) !== 0) d.ctime = now;
    return undefined;
  }

  statAt(_ctx: Context, rp: ResolvingPath, _opts: StatOptions): Statx | Restart {
    return this.#resolve(rp).stat();
  }

  statFSAt(_ctx: Context, rp: ResolvingPath): Statfs | Restart {
    this.#resolve(rp);
    return genericStatFS(PIPEFS_MAGIC);
  }

  // Linux's pipefs has no extended-attribute handlers.
  listXattrAt(_ctx: Context, rp: ResolvingPath, _size: number): string[] | Restart {
    this.#resolve(rp);
    throw new SysError("EOPNOTSUPP");
  }

  getXattrAt(_ctx: Context, rp: ResolvingPath, _opts: GetXattrOptions): Uint8Array | Restart {
    this.#resolve(rp);
    throw new SysError("EOPNOTSUPP");
  }

  setXattrAt(_ctx: Context, rp: ResolvingPath, _opts: SetXattrOptions): Restart | undefined {
    this.#resolve(rp);
    throw new SysError("EOPNOTSUPP");
  }

  removeXattrAt(_ctx: Context, rp: ResolvingPath, _name: string): Restart | undefined {
    this.#resolve(rp);
    throw new SysError("EOPNOTSUPP");
  }

  /** A pipe's path is the synthetic `pipe:[ino]` (Linux's pipefs_dname). */
  prependPath(_ctx: Context, _vfsroot: VirtualDentry | undefined, mount: Mount | undefined, dentry: Dentry, builder: Builder): PrependPathResult {
    const d = dentry.impl as PipeDentry;
    if (d.vfsPipe !== undefined) {
      builder.prependString(`pipe:[${d.ino}]`);
      return PrependPathResult.Synthetic;
    }
    return mount !== undefined && mount.root() === dentry ? PrependPathResult.AtMountRoot : PrependPathResult.AtNonMountRoot;
  }

  isDescendant(vfsroot: VirtualDentry, vd: VirtualDentry): boolean {
    return vd.dentry === vfsroot.dentry;
  }

  mountOptions(): string {
    return "";
  }
}
