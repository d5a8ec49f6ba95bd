// The kernel: the VFS with its root mount namespace, the PID and UTS namespaces, the
// clocks, and the tasks. Twin of gVisor's pkg/sentry/kernel/kernel.go (the parts a
// filesystem stack needs).
import { Credentials, type UserNamespace } from "@vfskit/auth";
import { PIPEFS_NAME, PIPEFS_REGISTER_OPTIONS, PipeFilesystemType, newPipeMount } from "@vfskit/pipefs";
import { TmpfsFilesystemType } from "@vfskit/tmpfs";
import {
  ClockKey,
  MountNamespaceKey,
  RootKey,
  VirtualFilesystem,
  createContext,
  type Clock,
  type Context,
  type ContextKey,
  type Mount,
  type MountNamespace,
  type VirtualDentry,
} from "@vfskit/vfs";
import type { Timespec } from "@vfskit/abi";
import { FDTable } from "./fd-table.js";
import { FifoOpenerKey, KernelFifoOpener } from "./fifo-open.js";
import { FSContext } from "./fs-context.js";
import { LimitSet } from "./limits.js";
import { PIDNamespace } from "./pid-namespace.js";
import { Task, exitTask, reapTask } from "./task.js";
import { UTSNamespace } from "./uts-namespace.js";

/**
 * Options of {@link Kernel.create}.
 * @public
 */
export interface KernelOptions {
  /**
   * The type of the root filesystem (default `"tmpfs"`). Types other than tmpfs must be
   * registered by {@link KernelOptions.registerFilesystems}.
   */
  readonly rootFilesystem?: string;
  /** mount(2) data for the root filesystem (`"mode=755"`). */
  readonly rootData?: string;
  /** Opaque data for the root filesystem type (`GetFilesystemOptions.internalData`). */
  readonly rootInternalData?: unknown;
  /**
   * Registers more filesystem types before the root is mounted (tmpfs is registered by
   * the kernel unless this hook registered a type of that name).
   */
  readonly registerFilesystems?: (vfs: VirtualFilesystem) => void;
  /** The real-time clock (timestamps, boot time). Default: `Date.now()`. */
  readonly clock?: Clock;
  /**
   * A monotonic clock in nanoseconds (uptime, task start times, system-call time).
   * Default: `performance.now()` where it exists, else `Date.now()`.
   */
  readonly monotonicClock?: () => number;
  /** Measure the time spent in each system call (default true; costs two clock reads per call). */
  readonly accountSyscallTime?: boolean;
  /** The credentials of init (PID 1). Default: root of a new root user namespace. */
  readonly credentials?: Credentials;
  /** The initial host name (default `"localhost"`). */
  readonly hostname?: string;
  /** The initial NIS domain name (default `"(none)"`, as Linux). */
  readonly domainname?: string;
  /** The kernel release uname(2) reports (default `"6.1.0-vfskit"`). */
  readonly release?: string;
  /** The kernel version string uname(2) reports (default `"#1 SMP vfskit"`). */
  readonly version?: string;
  /** init's command name (default `"init"`). */
  readonly initComm?: string;
  /** init's umask (default 022). */
  readonly initUmask?: number;
  /** Extra values every task's context carries (keys of other packages). */
  readonly contextValues?: Iterable<readonly [ContextKey<unknown>, unknown]>;
}

const systemClock: Clock = {
  now(): Timespec {
    const ms = Date.now();
    return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1_000_000 };
  },
};

function defaultMonotonicClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  if (perf !== undefined && typeof perf.now === "function") return () => perf.now() * 1e6;
  return () => Date.now() * 1e6;
}

/**
 * A small Linux-like kernel: one VFS and its root mount namespace, a PID namespace, a UTS
 * namespace, clocks, and the tasks that run system calls against them.
 *
 * @remarks
 * Boot with {@link Kernel.create}; the kernel starts init (PID 1) with the root of the
 * mount namespace as its root and working directory. Create more tasks with
 * {@link Task.fork}. {@link Kernel.shutdown} exits every task, reaps them, and releases
 * the namespace, the anonymous pipe mount and the VFS, returning every counted object.
 *
 * There is no scheduler: a task is a set of state plus methods, called by whoever holds
 * it. Blocking is modelled by the async variants of system calls (DESIGN.md D2).
 * @public
 */
export class Kernel {
  /** The virtual filesystem. */
  readonly vfs: VirtualFilesystem;
  /** The PID namespace. */
  readonly pidNamespace: PIDNamespace;
  /** The UTS namespace (host and domain names). */
  readonly uts: UTSNamespace;
  /** The root user namespace (of init's credentials). */
  readonly userNamespace: UserNamespace;
  /** The real-time clock. */
  readonly clock: Clock;
  /** When the kernel booted, by {@link Kernel.clock}. */
  readonly bootTime: Timespec;
  /** The monotonic clock reading at boot, in nanoseconds. */
  readonly bootTimeNs: number;
  /** Whether system-call time is measured (see {@link KernelOptions.accountSyscallTime}). */
  readonly accountSyscallTime: boolean;
  /** The kernel release string. */
  readonly release: string;
  /** The kernel version string. */
  readonly version: string;
  /**
   * The kernel's own context: init's initial credentials, the clock, the root mount
   * namespace and its root, the FIFO opener, and {@link KernelOptions.contextValues}.
   */
  readonly ctx: Context;
  readonly #monotonic: () => number;
  readonly #mntns: MountNamespace;
  readonly #root: VirtualDentry;
  readonly #pipeMount: Mount;
  readonly #init: Task;
  #down = false;

  private constructor(opts: KernelOptions) {
    const credentials = opts.credentials ?? Credentials.root();
    this.userNamespace = credentials.userNamespace;
    this.clock = opts.clock ?? systemClock;
    this.#monotonic = opts.monotonicClock ?? defaultMonotonicClock();
    this.accountSyscallTime = opts.accountSyscallTime ?? true;
    this.bootTime = this.clock.now();
    this.bootTimeNs = this.#monotonic();
    this.release = opts.release ?? "6.1.0-vfskit";
    this.version = opts.version ?? "#1 SMP vfskit";
    this.pidNamespace = new PIDNamespace(this.userNamespace);
    this.uts = new UTSNamespace(this.userNamespace, opts.hostname ?? "localhost", opts.domainname ?? "(none)");

    const vfs = new VirtualFilesystem();
    this.vfs = vfs;
    opts.registerFilesystems?.(vfs);
    if (vfs.getFilesystemType("tmpfs") === undefined) {
      vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
    }
    vfs.registerFilesystemType(PIPEFS_NAME, new PipeFilesystemType(), PIPEFS_REGISTER_OPTIONS);

    const fifoOpener = new KernelFifoOpener();
    const extra = [...(opts.contextValues ?? [])];
    const bootCtx = createContext(credentials, [[ClockKey, this.clock], [FifoOpenerKey, fifoOpener], ...extra]);
    const rootType = opts.rootFilesystem ?? "tmpfs";
    this.#mntns = vfs.newMountNamespace(bootCtx, "none", rootType, {
      getFilesystemOptions: {
        ...(opts.rootData !== undefined ? { data: opts.rootData } : {}),
        ...(opts.rootInternalData !== undefined ? { internalData: opts.rootInternalData } : {}),
      },
    });
    this.#root = this.#mntns.root(bootCtx);
    this.ctx = createContext(credentials, [
      [ClockKey, this.clock],
      [FifoOpenerKey, fifoOpener],
      [MountNamespaceKey, this.#mntns],
      [RootKey, this.#root],
      ...extra,
    ]);

    this.#pipeMount = newPipeMount(this.ctx, vfs);

    // init: root and working directory at the namespace root.
    this.#root.incRef();
    this.#root.incRef();
    this.#mntns.incRef();
    this.#init = Task.create(this, {
      parent: undefined,
      credentials,
      fs: new FSContext(this.#root, this.#root, opts.initUmask ?? 0o022),
      fdTable: new FDTable(),
      mntns: this.#mntns,
      limits: LimitSet.defaults(),
      comm: opts.initComm ?? "init",
      argv: [opts.initComm ?? "init"],
      envp: [],
      exe: undefined,
    });
  }

  /**
   * Boots a kernel: creates the VFS, registers tmpfs (and the types of
   * `opts.registerFilesystems`), mounts the root filesystem in a new mount namespace, and
   * starts init.
   *
   * @param opts - See {@link KernelOptions}.
   * @returns The running kernel; {@link Kernel.init} is PID 1.
   * @throws ENODEV - `opts.rootFilesystem` is not a registered type.
   * @throws EINVAL - The root filesystem refused `opts.rootData`.
   */
  static create(opts: KernelOptions = {}): Kernel {
    return new Kernel(opts);
  }

  /** PID 1. */
  get init(): Task {
    return this.#init;
  }

  /** The root mount namespace (borrowed). */
  get rootMountNamespace(): MountNamespace {
    return this.#mntns;
  }

  /** The mount holding anonymous pipes (never connected to a tree; borrowed). */
  get anonPipeMount(): Mount {
    return this.#pipeMount;
  }

  /** True once {@link Kernel.shutdown} has run. */
  get isShutDown(): boolean {
    return this.#down;
  }

  /** The monotonic clock, in nanoseconds. */
  monotonicNow(): number {
    return this.#monotonic();
  }

  /** Nanoseconds since boot (/proc/uptime). */
  uptimeNs(): number {
    return this.#monotonic() - this.bootTimeNs;
  }

  /**
   * The task with PID `pid` (zombies included), or `undefined`.
   * @param pid - A PID.
   */
  task(pid: number): Task | undefined {
    return this.pidNamespace.task(pid);
  }

  /** Every task not yet reaped, in PID order. */
  tasks(): Task[] {
    return this.pidNamespace.tasks();
  }

  /**
   * Stops the kernel: every running task exits (highest PID first, so init goes last),
   * every zombie is reaped, and the root mount namespace, the anonymous pipe mount and
   * the VFS are released. Afterwards the kernel holds no counted object; calling it
   * again does nothing.
   */
  shutdown(): void {
    if (this.#down) return;
    this.#down = true;
    const ctx = this.ctx;
    for (const task of this.pidNamespace.tasks().reverse()) {
      if (task.state === "running") exitTask(task, 0);
    }
    for (const task of this.pidNamespace.tasks()) reapTask(task);
    this.#pipeMount.decRef(ctx);
    this.#root.decRef(ctx);
    this.#mntns.decRef(ctx);
    this.vfs.release(ctx);
  }
}
