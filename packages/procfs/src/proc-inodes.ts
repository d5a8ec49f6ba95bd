// The inode classes every procfs file is made of: files generated on read, symbolic
// links computed per caller (and magic links), and directories with dynamic entries, all
// optionally owned by a task. Twin of the helpers of gVisor's
// pkg/sentry/fsimpl/proc/subtasks.go, task.go (taskOwnedInode) and filesystem.go.
import {
  PAGE_SIZE,
  PROC_SUPER_MAGIC,
  READABLE_EVENTS,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  SysError,
  WRITABLE_EVENTS,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import { ROOT_KGID, ROOT_KUID, type Credentials, type KGID, type KUID } from "@vfskit/auth";
import {
  DynamicBytesFD,
  GenericDirectoryFD,
  InodeAttrs,
  InodeDirectory,
  InodeNotDirectory,
  InodeSymlink,
  OrderedChildren,
  SeekEnd,
  type Dentry,
  type Inode,
  type InodeSetStatOptions,
  type LinkTarget,
} from "@vfskit/kernfs";
import type { Task } from "@vfskit/kernel";
import {
  DYNAMIC_BYTES_POLL_EVENTS,
  FileDescription,
  MAY_WRITE,
  VirtualDentry,
  accessTypesForOpenFlags,
  genericCheckPermissions,
  genericStatFS,
  type AccessTypes,
  type Context,
  type DynamicBytesSource,
  type Filesystem as VfsFilesystem,
  type IterDirentsCallback,
  type Mount,
  type OpenOptions,
  type ResolvingPath,
  type StatOptions,
  type Waiter,
  type WaiterQueue,
} from "@vfskit/vfs";

/** statfs(2) anywhere in /proc (Linux's `simple_statfs` for PROC_SUPER_MAGIC). @internal */
export function procStatFS(): Statfs {
  return genericStatFS(PROC_SUPER_MAGIC, { bsize: PAGE_SIZE, frsize: PAGE_SIZE });
}

/** Where an inode's identity comes from. @internal */
export interface ProcInodeIdentity {
  readonly ino: number;
  readonly devMinor: number;
  /** The task owning the inode (its files follow the task's effective IDs). */
  readonly task?: Task | undefined;
}

/**
 * The owner of a file of `task` with file type and permission `mode` (Linux's
 * `task_dump_owner`): the task's effective IDs, except that a task without memory (a
 * zombie) has its files — but not its 0555 directories — owned by root.
 * @internal
 */
export function taskOwner(task: Task, mode: number): { uid: KUID; gid: KGID } {
  if (mode !== (S_IFDIR | 0o555) && task.state !== "running") return { uid: ROOT_KUID, gid: ROOT_KGID };
  const creds = task.credentials;
  return { uid: creds.effectiveKUID, gid: creds.effectiveKGID };
}

/**
 * InodeAttrs whose owner follows a task (gVisor's `taskOwnedInode`): Linux recomputes the
 * owner of /proc/[pid] files at every revalidation, so `stat` shows the task's current
 * effective IDs.
 * @internal
 */
export class ProcInodeAttrs extends InodeAttrs {
  readonly #task: Task | undefined;

  constructor(ctx: Context, id: ProcInodeIdentity, mode: number) {
    const owner = id.task === undefined ? undefined : taskOwner(id.task, mode);
    super(ctx, {
      ino: id.ino,
      mode,
      devMajor: 0,
      devMinor: id.devMinor,
      // Files not owned by a task belong to root (the namespace's, Linux's proc_dir_entry).
      uid: owner?.uid ?? ROOT_KUID,
      gid: owner?.gid ?? ROOT_KGID,
    });
    this.#task = id.task;
  }

  override uid(): KUID {
    return this.#task === undefined ? super.uid() : taskOwner(this.#task, this.mode()).uid;
  }

  override gid(): KGID {
    return this.#task === undefined ? super.gid() : taskOwner(this.#task, this.mode()).gid;
  }

  override stat(): Statx {
    const stat = super.stat();
    if (this.#task === undefined) return stat;
    const owner = taskOwner(this.#task, stat.mode);
    return { ...stat, uid: owner.uid, gid: owner.gid };
  }

  override checkPermissions(_ctx: Context, creds: Credentials, ats: AccessTypes): void {
    genericCheckPermissions(creds, ats, this.mode(), this.uid(), this.gid());
  }
}

/**
 * Something that changes at known moments: a sequence number and a queue of waiters
 * (the kernel's `ChangePoller`, the VFS's `MountChangePoller`).
 * @internal
 */
export interface ChangeSource {
  readonly sequence: number;
  readonly queue: WaiterQueue;
}

/**
 * A dynamic file's description that reports a change of its source as readable |
 * EPOLLPRI | EPOLLERR once (Linux's `proc_sys_poll` and `mounts_poll`).
 * @internal
 */
export class ChangeNotifiedFD extends DynamicBytesFD {
  readonly #source: ChangeSource;
  #seen: number;

  constructor(inode: Inode, data: DynamicBytesSource, source: ChangeSource) {
    super(inode, data);
    this.#source = source;
    this.#seen = source.sequence;
  }

  override epollable(): boolean {
    return true;
  }

  override readiness(mask: number): number {
    const seq = this.#source.sequence;
    let events = READABLE_EVENTS | WRITABLE_EVENTS;
    if (seq !== this.#seen) {
      this.#seen = seq;
      events = READABLE_EVENTS | DYNAMIC_BYTES_POLL_EVENTS;
    }
    return events & mask;
  }

  override eventRegister(waiter: Waiter, mask: number): void {
    this.#source.queue.register(waiter, mask);
  }

  override eventUnregister(waiter: Waiter): void {
    this.#source.queue.unregister(waiter);
  }
}

/** What a {@link ProcFile} is made of. @internal */
export interface ProcFileInit extends ProcInodeIdentity {
  /** Permission bits. */
  readonly perm: number;
  /** The contents (writable sources accept writes). */
  readonly data: DynamicBytesSource;
  /** chmod/chown/utimes allowed (gVisor's `dynamicBytesFileSetAttr`). */
  readonly setAttr?: boolean;
  /** Makes the file pollable for changes of this source. */
  readonly changes?: (ctx: Context) => ChangeSource;
  /** Checks run at open, after the permission check (EACCES, ESRCH, EINVAL…). */
  readonly checkOpen?: (ctx: Context, opts: OpenOptions) => void;
  /** Grants access the mode bits would refuse (comm for the task's own thread group). */
  readonly grant?: (ctx: Context, ats: AccessTypes) => boolean;
}

/**
 * A regular file of /proc whose contents are generated when read: a kernfs
 * `DynamicBytesFile` with procfs's ownership, open checks and poll rules.
 * @internal
 */
export class ProcFile extends InodeNotDirectory {
  readonly #init: ProcFileInit;

  constructor(ctx: Context, init: ProcFileInit) {
    super(new ProcInodeAttrs(ctx, init, S_IFREG | init.perm));
    this.#init = init;
  }

  /** Valid while its task, if any, has not been reaped. */
  override valid(_ctx: Context, _parent: Dentry, _name: string): boolean {
    return this.#init.task === undefined || this.#init.task.state !== "dead";
  }

  /** The contents' source. */
  get data(): DynamicBytesSource {
    return this.#init.data;
  }

  override checkPermissions(ctx: Context, creds: Credentials, ats: AccessTypes): void {
    if (this.#init.grant?.(ctx, ats) === true) return;
    this.attrs.checkPermissions(ctx, creds, ats);
  }

  open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription {
    this.#init.checkOpen?.(ctx, opts);
    const changes = this.#init.changes?.(ctx);
    const impl = changes === undefined ? new DynamicBytesFD(this, this.#init.data) : new ChangeNotifiedFD(this, this.#init.data, changes);
    return impl.init(ctx, rp, d, opts.flags);
  }

  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return procStatFS();
  }

  /** @throws EPERM - unless the file allows attribute changes. */
  override setStat(ctx: Context, _fs: VfsFilesystem, creds: Credentials, opts: InodeSetStatOptions): void {
    if (this.#init.setAttr !== true) throw new SysError("EPERM");
    this.attrs.setStat(ctx, creds, opts);
  }
}

/** What a {@link ProcSymlink} is made of. @internal */
export interface ProcSymlinkInit extends ProcInodeIdentity {
  /** Permission bits (0777 except for magic links). */
  readonly perm?: number;
  /** readlink(2). */
  readonly readlink: (ctx: Context, mnt: Mount) => string;
  /** Path resolution: a path to follow, or a position (with a reference) to jump to. */
  readonly getlink?: (ctx: Context, mnt: Mount) => LinkTarget;
}

/**
 * A symbolic link of /proc whose target is computed at each use: `self`, `thread-self`
 * (a path for the caller) and the magic links `cwd`, `root`, `exe`, `fd/N`, `ns/*`.
 * @internal
 */
export class ProcSymlink extends InodeSymlink {
  readonly #init: ProcSymlinkInit;

  constructor(ctx: Context, init: ProcSymlinkInit) {
    super(new ProcInodeAttrs(ctx, init, S_IFLNK | (init.perm ?? 0o777)));
    this.#init = init;
  }

  /** Valid while its task, if any, has not been reaped. */
  override valid(_ctx: Context, _parent: Dentry, _name: string): boolean {
    return this.#init.task === undefined || this.#init.task.state !== "dead";
  }

  readlink(ctx: Context, mnt: Mount): string {
    return this.#init.readlink(ctx, mnt);
  }

  getlink(ctx: Context, mnt: Mount): LinkTarget {
    return (this.#init.getlink ?? this.#init.readlink)(ctx, mnt);
  }

  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return procStatFS();
  }

  /** @throws EPERM - links of /proc do not change. */
  override setStat(_ctx: Context, _fs: VfsFilesystem, _creds: Credentials, _opts: InodeSetStatOptions): void {
    throw new SysError("EPERM");
  }
}

/**
 * The description of a /proc directory: kernfs's GenericDirectoryFD, except that a
 * directory of a task that is gone fails to list with ENOENT (Linux's
 * `proc_pident_readdir`, `proc_task_readdir`).
 * @internal
 */
export class ProcDirectoryFD extends GenericDirectoryFD {
  readonly #alive: (() => boolean) | undefined;

  constructor(children: OrderedChildren, alive: (() => boolean) | undefined) {
    super(children, undefined, { seekEnd: SeekEnd.Zero });
    this.#alive = alive;
  }

  override iterDirents(ctx: Context, cb: IterDirentsCallback): void {
    if (this.#alive !== undefined && !this.#alive()) throw new SysError("ENOENT", { syscall: "getdents64" });
    super.iterDirents(ctx, cb);
  }

  override stat(ctx: Context, opts: StatOptions): Statx {
    if (this.#alive !== undefined && !this.#alive()) throw new SysError("ENOENT", { syscall: "fstat" });
    return super.stat(ctx, opts);
  }
}

/**
 * A directory of /proc: fixed entries in an OrderedChildren plus, in subclasses, dynamic
 * ones (`lookup` and `iterDirents`). SEEK_END goes to offset 0, as Linux's
 * `generic_file_llseek` does on a directory of size 0.
 * @internal
 */
export class ProcDirectory extends InodeDirectory {
  /** The task owning the directory, if any. */
  readonly task: Task | undefined;

  constructor(ctx: Context, id: ProcInodeIdentity, perm: number, children: Iterable<readonly [string, Inode]> = []) {
    super(new ProcInodeAttrs(ctx, id, S_IFDIR | perm), { children: new OrderedChildren(), fdOptions: { seekEnd: SeekEnd.Zero } });
    this.task = id.task;
    this.attrs.incLinks(this.children.populate(children));
  }

  /** Reports whether the directory can still be listed (its task was not reaped). */
  alive(): boolean {
    return this.task === undefined || this.task.state !== "dead";
  }

  /** Valid while its task, if any, has not been reaped. */
  override valid(_ctx: Context, _parent: Dentry, _name: string): boolean {
    return this.alive();
  }

  /** Static entries, none once the task is reaped (Linux's `proc_pident_lookup`: ENOENT). */
  override lookup(ctx: Context, name: string): Inode | undefined {
    if (!this.alive()) return undefined;
    return super.lookup(ctx, name);
  }

  override open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription {
    if ((accessTypesForOpenFlags(opts) & MAY_WRITE) !== 0) throw new SysError("EISDIR");
    const impl = new ProcDirectoryFD(this.children, this.task === undefined ? undefined : () => this.alive());
    const fd = new FileDescription();
    fd.init(ctx, impl, opts.flags, new VirtualDentry(rp.mount(), d.vfsd));
    return fd;
  }

  override statFS(_ctx: Context, _fs: VfsFilesystem): Statfs {
    return procStatFS();
  }

  /** @throws EPERM - /proc directories do not change. */
  override setStat(_ctx: Context, _fs: VfsFilesystem, _creds: Credentials, _opts: InodeSetStatOptions): void {
    throw new SysError("EPERM");
  }
}

/** A fresh identity for an inode of a procfs filesystem. @internal */
export function childIdentity(nextIno: () => number, devMinor: number, task?: Task): ProcInodeIdentity {
  return { ino: nextIno(), devMinor, task };
}
