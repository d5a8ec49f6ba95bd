// The proc filesystem type and filesystem. Twin of gVisor's
// pkg/sentry/fsimpl/proc/filesystem.go (Linux's fs/proc/root.c).
import { SysError } from "@vfskit/abi";
import { Filesystem } from "@vfskit/kernfs";
import { taskFromContext, type Kernel, type Task } from "@vfskit/kernel";
import type { Context, FilesystemType, GetFilesystemOptions, NewFilesystem, VirtualFilesystem } from "@vfskit/vfs";
import { defaultHostInfo, type ProcHostInfo } from "./host-info.js";
import { kernelProcState, type KernelProcState } from "./kernel-state.js";
import { childIdentity, type ProcInodeIdentity } from "./proc-inodes.js";
import { ProcRoot } from "./root.js";
import type { TaskDirectory } from "./task-dir.js";

/** The default of the `dentry_cache_limit` mount option (gVisor's procfs default). @public */
export const DEFAULT_DENTRY_CACHE_LIMIT = 1000;

/**
 * The minor device numbers procfs filesystems use (major 0). The VFS has no allocator of
 * anonymous device numbers yet; this range stays clear of testfs (from 1), the kernel's
 * pipefs (0x80) and tmpfs (from 0x101) for the first 64 procfs mounts.
 */
const PROC_DEV_MINOR_BASE = 0x40;
let procMounts = 0;

/**
 * Options of {@link ProcFilesystemType}.
 * @public
 */
export interface ProcFilesystemTypeOptions {
  /**
   * The kernel whose tasks /proc shows. Default: the kernel of the task in the mounting
   * context (`task.mount("proc", "/proc", "proc", 0, "")` provides it).
   */
  readonly kernel?: Kernel;
  /** The host description (CPUs, memory, randomness). Default: {@link defaultHostInfo}. */
  readonly hostInfo?: ProcHostInfo;
}

/**
 * Parses procfs mount data: `dentry_cache_limit=N` (a non-negative integer).
 * @throws EINVAL - an unknown option, or a bad value.
 */
function parseOptions(data: string | undefined): { limit: number; shown: string } {
  let limit = DEFAULT_DENTRY_CACHE_LIMIT;
  let shown = "";
  for (const option of (data ?? "").split(",")) {
    if (option === "") continue;
    const eq = option.indexOf("=");
    const key = eq < 0 ? option : option.slice(0, eq);
    const value = eq < 0 ? undefined : option.slice(eq + 1);
    if (key !== "dentry_cache_limit") {
      throw new SysError("EINVAL", { syscall: "mount", detail: `procfs: unknown mount option ${JSON.stringify(option)}` });
    }
    if (value === undefined || !/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new SysError("EINVAL", { syscall: "mount", detail: `procfs: bad dentry_cache_limit ${JSON.stringify(value ?? "")}` });
    }
    limit = Number(value);
    shown = `dentry_cache_limit=${limit}`;
  }
  return { limit, shown };
}

/** What procfs's modules share about a filesystem. @internal */
export interface ProcFilesystemInternals {
  readonly state: KernelProcState;
  /** The task directory inodes alive now (for pruning). */
  readonly taskDirectories: Set<TaskDirectory>;
}

/** The internals of `fs`. @internal */
export let procInternals!: (fs: ProcFilesystem) => ProcFilesystemInternals;

/** A fresh identity (inode number, device, owning task) for an inode of `fs`. @internal */
export function identity(fs: ProcFilesystem, task?: Task): ProcInodeIdentity {
  return childIdentity(() => fs.nextIno(), fs.devMinor, task);
}

/**
 * One mounted /proc: a kernfs filesystem whose root lists the kernel's tasks (gVisor's
 * proc `filesystem`).
 * @public
 */
export class ProcFilesystem extends Filesystem {
  /** The kernel shown. */
  readonly kernel: Kernel;
  /** The host description. */
  readonly host: ProcHostInfo;
  /** st_dev's minor number (the major is 0, an anonymous device as Linux gives proc). */
  readonly devMinor: number;
  readonly #shownOptions: string;

  /** @internal */
  constructor(vfs: VirtualFilesystem, fsType: FilesystemType, kernel: Kernel, host: ProcHostInfo, limit: number, shown: string) {
    super(vfs, fsType, { maxCachedDentries: limit });
    this.kernel = kernel;
    this.host = host;
    this.devMinor = PROC_DEV_MINOR_BASE + (procMounts++ % 64);
    this.#internals = { state: kernelProcState(kernel, host), taskDirectories: new Set() };
    this.#shownOptions = shown;
  }

  readonly #internals: ProcFilesystemInternals;

  static {
    procInternals = (fs) => fs.#internals;
  }

  /** The number of /proc/[pid] and task/[tid] directory inodes alive now. */
  taskDirectoryCount(): number {
    return this.#internals.taskDirectories.size;
  }

  /**
   * The mount options /proc/mounts shows: `dentry_cache_limit=N` when it was given
   * (Linux's proc shows only options that differ from the defaults).
   */
  override mountOptions(): string {
    return this.#shownOptions;
  }

  /**
   * Drops the cached dentries of tasks that were reaped (their /proc/[pid] directories
   * and everything below). Listing /proc and looking names up in it do this too; a
   * kernel that can report task exits may call it then.
   * @param ctx - The caller's context.
   */
  pruneExitedTasks(ctx: Context): void {
    for (const dir of [...this.#internals.taskDirectories]) {
      if (dir.isCurrent()) continue;
      for (const d of dir.dentries()) d.invalidate(ctx);
    }
  }
}

/**
 * The `proc` filesystem type: register it with {@link registerProcfs} (or
 * `vfs.registerFilesystemType("proc", new ProcFilesystemType(), …)`) and mount it with
 * `task.mount("proc", "/proc", "proc", 0, "")`.
 *
 * @remarks
 * Mount data: `dentry_cache_limit=N` (default 1000) bounds the unreferenced dentries kept
 * cached; an unknown option or a bad value is EINVAL. Each mount is a new filesystem
 * (root inode 1) showing the same kernel.
 * @public
 */
export class ProcFilesystemType implements FilesystemType {
  readonly #kernel: Kernel | undefined;
  readonly #host: ProcHostInfo | undefined;

  /**
   * @param opts - The kernel and the host description.
   */
  constructor(opts: ProcFilesystemTypeOptions = {}) {
    this.#kernel = opts.kernel;
    this.#host = opts.hostInfo;
  }

  /** `proc`. */
  name(): string {
    return "proc";
  }

  /**
   * Creates a procfs filesystem.
   * @returns The filesystem and its root, one reference each for the caller.
   * @throws EINVAL - No kernel: none given to the type and no task in `ctx`.
   * @throws EINVAL - Unknown mount option, or a bad `dentry_cache_limit`.
   */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, opts: GetFilesystemOptions): NewFilesystem {
    const kernel = this.#kernel ?? taskFromContext(ctx)?.kernel;
    if (kernel === undefined) throw new SysError("EINVAL", { syscall: "mount", detail: "procfs needs a kernel (a task in the context)" });
    const { limit, shown } = parseOptions(opts.data);
    const fs = new ProcFilesystem(vfs, this, kernel, this.#host ?? kernelHost(kernel), limit, shown);
    const rootInode = new ProcRoot(ctx, fs);
    const root = fs.initRoot(rootInode);
    return { fs: fs.vfsfs, root: root.vfsd };
  }

  /** Nothing to release. */
  release(_ctx: Context): void {}
}

const defaultHosts = new WeakMap<Kernel, ProcHostInfo>();

/** One default host per kernel, so that every mount shows the same boot ID. */
function kernelHost(kernel: Kernel): ProcHostInfo {
  let host = defaultHosts.get(kernel);
  if (host === undefined) {
    host = defaultHostInfo();
    defaultHosts.set(kernel, host);
  }
  return host;
}

/**
 * Registers the `proc` filesystem type with `kernel`'s VFS (user-mountable, listed in
 * /proc/filesystems), so that `task.mount("proc", "/proc", "proc", 0, "")` works.
 * @param kernel - The kernel to show.
 * @param opts - The host description.
 * @returns The registered type.
 * @throws InternalError if a type named `proc` is already registered.
 * @public
 */
export function registerProcfs(kernel: Kernel, opts: Omit<ProcFilesystemTypeOptions, "kernel"> = {}): ProcFilesystemType {
  const fsType = new ProcFilesystemType({ ...opts, kernel });
  kernel.vfs.registerFilesystemType("proc", fsType, { allowUserMount: true, allowUserList: true });
  return fsType;
}
