// DynamicBytesFile: a regular file whose contents are generated when read (every /proc
// and /sys text file). Twin of gVisor's pkg/sentry/fsimpl/kernfs/dynamic_bytes_file.go.
import { READABLE_EVENTS, S_IFREG, SysError, WRITABLE_EVENTS, type Statx } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import {
  DYNAMIC_BYTES_POLL_EVENTS,
  DynamicBytesFileDescriptionImpl,
  FileDescription,
  InternalError,
  VirtualDentry,
  type Context,
  type DynamicBytesPoller,
  type DynamicBytesSource,
  type FileLocks,
  type Filesystem as VfsFilesystem,
  type OpenOptions,
  type PollableDynamicBytesSource,
  type ResolvingPath,
  type SetStatOptions,
  type StatOptions,
  type Waiter,
} from "@vfskit/vfs";
import { InodeAttrs, type InodeAttrsInit, type InodeSetStatOptions } from "./inode-attrs.js";
import { InodeNotDirectory } from "./inode-impl-util.js";
import type { Inode } from "./inode.js";
import type { Dentry } from "./kernfs.js";

/**
 * Supplies a {@link DynamicBytesFile}'s source at each open instead of a fixed one
 * (gVisor's `DataSourceProvider`), for files whose contents depend on who opens them.
 * @public
 */
export interface DataSourceProvider {
  /**
   * The source for a description being opened.
   * @throws Any SysError, which fails the open.
   */
  dataSource(ctx: Context): DynamicBytesSource;
}

/**
 * What a new {@link DynamicBytesFile} starts with.
 * @public
 */
export interface DynamicBytesFileInit extends Omit<InodeAttrsInit, "mode"> {
  /** Permission bits only (`0o444`). */
  readonly perm: number;
  /**
   * Generates the contents. If it also implements `WritableDynamicBytesSource`, the file
   * accepts writes; if it implements `PollableDynamicBytesSource`, its descriptions can
   * be polled for changes.
   */
  readonly data: DynamicBytesSource;
}

function isPollable(source: DynamicBytesSource): source is PollableDynamicBytesSource {
  return typeof (source as Partial<PollableDynamicBytesSource>).getDynamicBytesPoller === "function";
}

/**
 * A regular file whose contents a {@link @vfskit/vfs#DynamicBytesSource} generates on demand
 * (gVisor's `DynamicBytesFile`): the building block of /proc and /sys files.
 *
 * @remarks
 * Reading from offset 0 (or after a seek back) regenerates the contents, so a reader sees
 * one consistent snapshot from start to end, as Linux's seq_file gives (the rules are the
 * VFS's `DynamicBytesFileDescriptionImpl`). Writes go to a writable source, else fail with
 * EIO. Attributes cannot change (EPERM). The size reported by stat is 0, as in procfs.
 * @public
 */
export class DynamicBytesFile extends InodeNotDirectory {
  readonly #data: DynamicBytesSource;
  #provider: DataSourceProvider | undefined = undefined;

  /**
   * @param ctx - Owner (its credentials) and clock.
   * @param init - Inode number, permissions, source.
   * @throws InternalError if `init.perm` has bits other than permission bits.
   */
  constructor(ctx: Context, init: DynamicBytesFileInit) {
    if ((init.perm & ~0o7777) !== 0) throw new InternalError(`kernfs.DynamicBytesFile: perm 0${init.perm.toString(8)} has non-permission bits`);
    const { perm, data, ...ids } = init;
    super(new InodeAttrs(ctx, { ...ids, mode: S_IFREG | perm }));
    this.#data = data;
  }

  /** Makes every later open ask `provider` for its source (gVisor's `SetDataSourceProvider`). */
  setDataSourceProvider(provider: DataSourceProvider): void {
    this.#provider = provider;
  }

  /** The source a description opened now would read (gVisor's `Data`). */
  data(ctx: Context): DynamicBytesSource {
    return this.#provider?.dataSource(ctx) ?? this.#data;
  }

  /**
   * Opens a {@link PollableDynamicBytesFD} if the source is pollable, else a
   * {@link DynamicBytesFD}.
   * @throws Whatever the data-source provider throws.
   */
  open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription {
    const data = this.data(ctx);
    const impl = isPollable(data) ? new PollableDynamicBytesFD(this, data, data.getDynamicBytesPoller(ctx)) : new DynamicBytesFD(this, data);
    return impl.init(ctx, rp, d, opts.flags);
  }

  /** @throws EPERM - the attributes of a dynamic file do not change. */
  override setStat(_ctx: Context, _fs: VfsFilesystem, _creds: Credentials, _opts: InodeSetStatOptions): void {
    throw new SysError("EPERM");
  }
}

/**
 * The description of an open {@link DynamicBytesFile} (gVisor's `DynamicBytesFD`):
 * seq_file-style reads from the VFS's `DynamicBytesFileDescriptionImpl`, metadata from
 * the inode, locks from the inode, splice into it refused.
 * @public
 */
export class DynamicBytesFD extends DynamicBytesFileDescriptionImpl {
  /** The file's inode. */
  readonly inode: Inode & { locks?(): FileLocks };

  /**
   * @param inode - The file's inode.
   * @param data - The source to read (and maybe write).
   */
  constructor(inode: Inode & { locks?(): FileLocks }, data: DynamicBytesSource) {
    super(data);
    this.inode = inode;
  }

  /**
   * Wraps this impl in a new description on `d` (gVisor's `Init`).
   * @returns The description, one reference for the caller.
   * @throws EROFS - opened for writing on a read-only mount.
   */
  init(ctx: Context, rp: ResolvingPath, d: Dentry, flags: number): FileDescription {
    const fd = new FileDescription();
    fd.init(ctx, this, flags, new VirtualDentry(rp.mount(), d.vfsd), { denySpliceIn: true });
    return fd;
  }

  /** Nothing to release. */
  release(_ctx: Context): void {}

  /** The inode's metadata. */
  stat(ctx: Context, opts: StatOptions): Statx {
    return this.inode.stat(ctx, this.vfsfd.mount().fs, opts);
  }

  /** @throws EPERM - dynamic files are immutable. */
  setStat(_ctx: Context, _opts: SetStatOptions): void {
    throw new SysError("EPERM");
  }

  /** The inode's lock state, if it has one. */
  override fileLocks(): FileLocks | undefined {
    return this.inode.locks?.();
  }
}

/**
 * A {@link DynamicBytesFD} that can be polled for changes (gVisor's
 * `PollableDynamicBytesFD`): /proc/[pid]/mounts and mountinfo.
 *
 * @remarks
 * Normally readable and writable; once after each change signalled by the source's
 * poller, readable plus EPOLLPRI and EPOLLERR (what Linux's mounts files report after a
 * mount change).
 * @public
 */
export class PollableDynamicBytesFD extends DynamicBytesFD {
  readonly #poller: DynamicBytesPoller;
  #snapshot: number;

  /**
   * @param inode - The file's inode.
   * @param data - The source.
   * @param poller - Signals changes of the contents.
   */
  constructor(inode: Inode, data: DynamicBytesSource, poller: DynamicBytesPoller) {
    super(inode, data);
    this.#poller = poller;
    this.#snapshot = poller.seq();
  }

  /** `true`: epoll may watch it. */
  override epollable(): boolean {
    return true;
  }

  /** Readable and writable, or readable + EPOLLPRI + EPOLLERR once after a change. */
  override readiness(mask: number): number {
    const seq = this.#poller.seq();
    let events = READABLE_EVENTS | WRITABLE_EVENTS;
    if (seq !== this.#snapshot) {
      this.#snapshot = seq;
      events = READABLE_EVENTS | DYNAMIC_BYTES_POLL_EVENTS;
    }
    return events & mask;
  }

  /** Registers `waiter` with the poller. */
  override eventRegister(waiter: Waiter, mask: number): void {
    this.#poller.eventRegister(waiter, mask);
  }

  /** Unregisters `waiter`. */
  override eventUnregister(waiter: Waiter): void {
    this.#poller.eventUnregister(waiter);
  }
}
