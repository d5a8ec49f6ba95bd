// The state of a task and the plumbing every system call shares: entering and leaving a
// call (counters, CPU time), turning numbers into descriptions and paths into path
// operations, and filling in errors. Twin of the state half of gVisor's
// pkg/sentry/kernel/task.go and of pkg/sentry/syscalls/linux/path.go.
import { AT_FDCWD, SIGPIPE, SIGXFSZ, SysError, isSysError, type Timespec } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import {
  ClockKey,
  ContextKey,
  FileSizeLimitKey,
  InternalError,
  MountNamespaceKey,
  RootKey,
  WaiterQueue,
  checkPathname,
  type Context,
  type FileDescription,
  type MountNamespace,
  type PathOperation,
  type VirtualDentry,
} from "@vfskit/vfs";
import type { FDTable } from "./fd-table.js";
import type { PendingFifo } from "./fifo-open.js";
import type { FSContext } from "./fs-context.js";
import type { Kernel } from "./kernel.js";
import { RLIMIT_FSIZE, RLIMIT_NOFILE, type LimitSet, type Rlimit } from "./limits.js";
import type { Task } from "./task.js";
import { Interrupter } from "./wait.js";

/**
 * The calling task, carried by every task's {@link @vfskit/vfs#Context} (DESIGN.md
 * D12): procfs reads it to answer /proc/self.
 * @public
 */
export const TaskKey = new ContextKey<Task>("kernel.task");

/**
 * The task in `ctx`, or `undefined` (a context not made by the kernel).
 * @public
 */
export function taskFromContext(ctx: Context): Task | undefined {
  return ctx.value(TaskKey);
}

/**
 * Where a task is in its life: `running` until it exits, then `zombie` until its parent
 * reaps it with wait, then `dead`.
 * @public
 */
export type TaskRunState = "running" | "zombie" | "dead";

/**
 * One signal sent to a task. The kernel has no signal handlers: signals are recorded,
 * not acted on.
 * @public
 */
export interface SignalRecord {
  /** The signal number (SIGPIPE, SIGXFSZ, SIGCHLD…). */
  readonly signo: number;
  /** What sent it: the system call that failed (`write`), `exit` of a child, `kill`. */
  readonly reason: string;
  /** The PID of the sender, 0 for the kernel. */
  readonly senderPid: number;
}

/**
 * The I/O counters of /proc/[pid]/io.
 * @public
 */
export interface TaskIOCounters {
  /** Bytes returned by read-like calls (read, pread64, readv, getdents64 not included). */
  readonly rchar: number;
  /** Bytes accepted by write-like calls. */
  readonly wchar: number;
  /** Read-like calls made. */
  readonly syscr: number;
  /** Write-like calls made. */
  readonly syscw: number;
}

/**
 * CPU time used by a task, in nanoseconds.
 * @public
 */
export interface TaskCPUTimes {
  /**
   * Time in user mode: always 0. JavaScript between system calls cannot be attributed
   * to a task (any code may call any task's methods), so nothing is reported rather
   * than a guess.
   */
  readonly utimeNs: number;
  /**
   * Time spent inside this task's system calls, measured with the kernel's monotonic
   * clock around each call (0 when the kernel was created with
   * `accountSyscallTime: false`).
   */
  readonly stimeNs: number;
}

/** Mutable per-task state shared by the system-call layers. @internal */
export interface TaskInternals {
  readonly kernel: Kernel;
  readonly task: Task;
  credentials: Credentials;
  fs: FSContext | undefined;
  fdTable: FDTable | undefined;
  mntns: MountNamespace | undefined;
  limits: LimitSet;
  /** RLIMIT_NOFILE's soft limit, cached for the hot paths. */
  nofile: number;
  comm: string;
  argv: readonly string[];
  envp: readonly string[];
  exe: VirtualDentry | undefined;
  parent: Task | undefined;
  readonly children: Set<Task>;
  state: TaskRunState;
  exitCode: number;
  readonly signals: SignalRecord[];
  rchar: number;
  wchar: number;
  syscr: number;
  syscw: number;
  stimeNs: number;
  readonly startTime: Timespec;
  readonly startTimeNs: number;
  /** Fired when the task exits: its async waits end with EINTR. */
  readonly interrupter: Interrupter;
  /** Notified when a child becomes a zombie (for waitAsync). */
  readonly childEvents: WaiterQueue;
  /** Set while an async open runs: a FIFO open that must wait leaves its ticket here. */
  fifoSlot: { pending: PendingFifo | undefined } | undefined;
}

/**
 * What a new task starts with; the kernel and {@link Task.fork} build it (the task takes
 * over one reference on `fs`, `fdTable`, `mntns` and `exe`).
 * @public
 */
export interface TaskInit {
  /** The parent, or `undefined` for init. */
  readonly parent: Task | undefined;
  /** The credentials. */
  readonly credentials: Credentials;
  /** Root, working directory and umask. */
  readonly fs: FSContext;
  /** The descriptor table. */
  readonly fdTable: FDTable;
  /** The mount namespace. */
  readonly mntns: MountNamespace;
  /** Resource limits. */
  readonly limits: LimitSet;
  /** The command name (cut to 15 bytes). */
  readonly comm: string;
  /** The arguments. */
  readonly argv: readonly string[];
  /** The environment. */
  readonly envp: readonly string[];
  /** The executable's position, or `undefined`. */
  readonly exe: VirtualDentry | undefined;
}

/** The internal state of `task`. @internal */
export let taskInternals!: (task: TaskBase) => TaskInternals;

/** The context a task's operations run with: its credentials and keys, read live. */
class TaskContext implements Context {
  readonly #s: TaskInternals;

  constructor(s: TaskInternals) {
    this.#s = s;
  }

  get credentials(): Credentials {
    return this.#s.credentials;
  }

  value<T>(key: ContextKey<T>): T | undefined {
    const s = this.#s;
    let value: unknown;
    if (key === (TaskKey as ContextKey<unknown>)) value = s.task;
    else if (key === (MountNamespaceKey as ContextKey<unknown>)) value = s.mntns;
    else if (key === (RootKey as ContextKey<unknown>)) value = s.fs?.root();
    else if (key === (FileSizeLimitKey as ContextKey<unknown>)) {
      const limit = s.limits.get(RLIMIT_FSIZE).cur;
      value = limit === Infinity ? undefined : limit;
    } else if (key === (ClockKey as ContextKey<unknown>)) value = s.kernel.clock;
    else value = s.kernel.ctx.value(key);
    return value as T | undefined;
  }
}

/** The longest prefix of `name` that fits in TASK_COMM_LEN - 1 = 15 UTF-8 bytes. */
export function truncateComm(name: string): string {
  let bytes = 0;
  let end = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > 15) break;
    bytes += size;
    end += ch.length;
  }
  return name.slice(0, end);
}

/**
 * The state every task has, and its accessors: identity, credentials, limits, signals and
 * counters. The system calls are added by the classes above it; use {@link Task}.
 *
 * @remarks
 * Exists because one class cannot span several source files: read it as part of
 * {@link Task}.
 * @public
 */
export abstract class TaskBase {
  /** The task's PID (also its thread ID: there are no threads). */
  readonly pid: number;
  /** The kernel the task belongs to. */
  readonly kernel: Kernel;
  /**
   * The context the task's operations run with (DESIGN.md D12): its current credentials,
   * and under {@link TaskKey}, `MountNamespaceKey`, `RootKey`, `ClockKey` and
   * `FileSizeLimitKey` the task itself, its mount namespace, its root directory, the
   * kernel's clock and its RLIMIT_FSIZE. Values are read live, so the context stays
   * valid when credentials or the root change.
   */
  readonly ctx: Context;
  readonly #s: TaskInternals;

  static {
    taskInternals = (task) => task.#s;
  }

  /** @internal */
  protected constructor(kernel: Kernel, init: TaskInit) {
    this.kernel = kernel;
    const now = kernel.monotonicNow();
    const self = this as unknown as Task;
    const s: TaskInternals = {
      kernel,
      task: self,
      credentials: init.credentials,
      fs: init.fs,
      fdTable: init.fdTable,
      mntns: init.mntns,
      limits: init.limits,
      nofile: init.limits.get(RLIMIT_NOFILE).cur,
      comm: truncateComm(init.comm),
      argv: init.argv,
      envp: init.envp,
      exe: init.exe,
      parent: init.parent,
      children: new Set(),
      state: "running",
      exitCode: 0,
      signals: [],
      rchar: 0,
      wchar: 0,
      syscr: 0,
      syscw: 0,
      stimeNs: 0,
      startTime: kernel.clock.now(),
      startTimeNs: now - kernel.bootTimeNs,
      interrupter: new Interrupter(),
      childEvents: new WaiterQueue(),
      fifoSlot: undefined,
    };
    this.#s = s;
    this.ctx = new TaskContext(s);
    this.pid = kernel.pidNamespace.allocate(self);
  }

  /** The thread ID: equal to {@link TaskBase.pid} (each task is a single-threaded process). */
  get tid(): number {
    return this.pid;
  }

  /** The parent task, or `undefined` for init (and for tasks orphaned by init's exit). */
  get parent(): Task | undefined {
    return this.#s.parent;
  }

  /** The parent's PID as getppid(2) reports it: 0 without a parent. */
  get ppid(): number {
    return this.#s.parent?.pid ?? 0;
  }

  /** The children not yet reaped, zombies included, in the order they became children. */
  children(): Task[] {
    return [...this.#s.children];
  }

  /** Where the task is in its life. */
  get state(): TaskRunState {
    return this.#s.state;
  }

  /** The exit code given to {@link Task.exit} (low 8 bits), 0 while running. */
  get exitCode(): number {
    return this.#s.exitCode;
  }

  /** The command name (at most 15 UTF-8 bytes; /proc/[pid]/comm). */
  get comm(): string {
    return this.#s.comm;
  }

  /**
   * Sets the command name, as prctl(PR_SET_NAME) and writes to /proc/[pid]/comm do: only
   * the first 15 bytes are kept (TASK_COMM_LEN is 16 with the NUL).
   *
   * @remarks
   * Linux cuts at a byte, possibly inside a multi-byte character; a JavaScript string
   * cannot hold half a character, so the cut is at the last whole character that fits.
   * @param name - The new name.
   */
  setComm(name: string): void {
    this.#s.comm = truncateComm(name);
  }

  /** The arguments (/proc/[pid]/cmdline). */
  get argv(): readonly string[] {
    return this.#s.argv;
  }

  /** The environment, `NAME=value` strings (/proc/[pid]/environ). */
  get envp(): readonly string[] {
    return this.#s.envp;
  }

  /** The credentials the task runs with. */
  get credentials(): Credentials {
    return this.#s.credentials;
  }

  /**
   * Replaces the task's credentials (credentials are immutable values: compute the new
   * ones with `Credentials` methods such as `setresuid`, then install them here). Files
   * already open keep the credentials they were opened with.
   * @param credentials - The new credentials.
   */
  setCredentials(credentials: Credentials): void {
    this.#s.credentials = credentials;
  }

  /** The task's file descriptor table (borrowed). @throws InternalError after exit. */
  get fdTable(): FDTable {
    const table = this.#s.fdTable;
    if (table === undefined) throw new InternalError(`task ${this.pid} has exited`);
    return table;
  }

  /** The task's root, working directory and umask (borrowed). @throws InternalError after exit. */
  get fsContext(): FSContext {
    const fs = this.#s.fs;
    if (fs === undefined) throw new InternalError(`task ${this.pid} has exited`);
    return fs;
  }

  /** The task's mount namespace (borrowed). @throws InternalError after exit. */
  get mountNamespace(): MountNamespace {
    const ns = this.#s.mntns;
    if (ns === undefined) throw new InternalError(`task ${this.pid} has exited`);
    return ns;
  }

  /**
   * The file the task "executes" (/proc/[pid]/exe): what the last {@link Task.execve}
   * opened, inherited across fork; `undefined` if none (borrowed).
   */
  get executable(): VirtualDentry | undefined {
    return this.#s.exe;
  }

  /** The task's resource limits. */
  get limits(): LimitSet {
    return this.#s.limits;
  }

  /**
   * getrlimit(2).
   * @param resource - An RLIMIT_* number.
   * @returns The soft and hard limits (`Infinity` for RLIM_INFINITY).
   * @throws EINVAL - Unknown resource.
   */
  getrlimit(resource: number): Rlimit {
    return this.#s.limits.get(resource);
  }

  /**
   * setrlimit(2).
   * @param resource - An RLIMIT_* number.
   * @param limit - The new soft and hard limits.
   * @throws EINVAL - Unknown resource, or the soft limit above the hard one.
   * @throws EPERM - RLIMIT_NOFILE above fs.nr_open (1048576).
   * @throws EPERM - Raising a hard limit without CAP_SYS_RESOURCE.
   */
  setrlimit(resource: number, limit: Rlimit): void {
    const s = this.#s;
    try {
      s.limits = s.limits.set(s.credentials, resource, limit);
      s.nofile = s.limits.get(RLIMIT_NOFILE).cur;
    } catch (error) {
      throw failure(error, "setrlimit");
    }
  }

  /** When the task started, by the kernel's (real-time) clock. */
  get startTime(): Timespec {
    return this.#s.startTime;
  }

  /** When the task started, in nanoseconds since the kernel booted (/proc/[pid]/stat field 22). */
  get startTimeSinceBootNs(): number {
    return this.#s.startTimeNs;
  }

  /** The I/O counters of /proc/[pid]/io. */
  ioCounters(): TaskIOCounters {
    const s = this.#s;
    return { rchar: s.rchar, wchar: s.wchar, syscr: s.syscr, syscw: s.syscw };
  }

  /** The CPU time the task used; see {@link TaskCPUTimes} for what is measured. */
  cpuTimes(): TaskCPUTimes {
    return { utimeNs: 0, stimeNs: this.#s.stimeNs };
  }

  /**
   * Every signal sent to the task since it started (or since
   * {@link TaskBase.clearSignals}), oldest first. Signals are only recorded: there are
   * no handlers, and no signal stops or kills a task.
   */
  signalLog(): readonly SignalRecord[] {
    return this.#s.signals;
  }

  /** The signal numbers of {@link TaskBase.signalLog}, oldest first. */
  pendingSignals(): number[] {
    return this.#s.signals.map((record) => record.signo);
  }

  /** Forgets every recorded signal (as if all were handled). */
  clearSignals(): void {
    this.#s.signals.length = 0;
  }
}

// ------------------------------------------------------------------------------------
// System-call plumbing, shared by the classes that add the calls.

/** Starts a system call: checks the task is alive, returns the start time. @internal */
export function enter(s: TaskInternals): number {
  if (s.state !== "running") throw new InternalError(`task ${s.task.pid} has exited`);
  return s.kernel.accountSyscallTime ? s.kernel.monotonicNow() : 0;
}

/**
 * Continues an async call after a wait: if the task exited meanwhile (after the wait was
 * already satisfied), the call ends with EINTR, as it would have been interrupted.
 * @internal
 */
export function resume(s: TaskInternals, syscall: string): void {
  if (s.state !== "running") throw new SysError("EINTR", { syscall, detail: "the task exited" });
}

/** Ends a system call: adds its duration to the task's system time. @internal */
export function leave(s: TaskInternals, start: number): void {
  if (s.kernel.accountSyscallTime) s.stimeNs += s.kernel.monotonicNow() - start;
}

/** Records a signal sent to `s`'s task. @internal */
export function sendSignal(s: TaskInternals, signo: number, reason: string, senderPid = 0): void {
  if (s.state === "dead") return;
  s.signals.push({ signo, reason, senderPid });
}

/**
 * The signals a failed call raises, as Linux raises them: SIGPIPE for EPIPE from a write,
 * SIGXFSZ for EFBIG from a write or truncate beyond RLIMIT_FSIZE.
 * @internal
 */
export function signalForError(s: TaskInternals, error: unknown, syscall: string): void {
  if (!isSysError(error)) return;
  if (error.code === "EPIPE") sendSignal(s, SIGPIPE, syscall);
  else if (error.code === "EFBIG" && s.limits.get(RLIMIT_FSIZE).cur !== Infinity) sendSignal(s, SIGXFSZ, syscall);
}

/**
 * `error` with the system call and paths filled in where it lacks them (SysError
 * `withContext`); other errors are returned as they are.
 * @internal
 */
export function failure(error: unknown, syscall: string, path?: string, dest?: string): unknown {
  if (!isSysError(error)) return error;
  if (error.syscall !== undefined && (path === undefined || error.path !== undefined) && (dest === undefined || error.dest !== undefined)) {
    return error;
  }
  return error.withContext({
    syscall,
    ...(path !== undefined ? { path } : {}),
    ...(dest !== undefined ? { dest } : {}),
  });
}

/** The task's descriptor table. @internal */
export function fdTableOf(s: TaskInternals): FDTable {
  const table = s.fdTable;
  if (table === undefined) throw new InternalError(`task ${s.task.pid} has exited`);
  return table;
}

/** The task's filesystem context. @internal */
export function fsOf(s: TaskInternals): FSContext {
  const fs = s.fs;
  if (fs === undefined) throw new InternalError(`task ${s.task.pid} has exited`);
  return fs;
}

/**
 * The description of `fd` with a reference for the caller (Linux's fdget).
 * @throws EBADF - `fd` is not open.
 * @internal
 */
export function getFile(s: TaskInternals, fd: number): FileDescription {
  const file = fdTableOf(s).get(fd);
  if (file === undefined) throw new SysError("EBADF", { detail: `fd ${fd} is not open` });
  file.incRef();
  return file;
}

/** A path operation and the directory description it borrows its start from. @internal */
export interface ResolvedPath {
  readonly pop: PathOperation;
  /** The dirfd's description, holding a reference the caller drops when done. */
  readonly dir: FileDescription | undefined;
}

/** How {@link pathOperation} treats a path. @internal */
export interface PathOptions {
  /** Follow a symbolic link at the last component. */
  readonly follow: boolean;
  /** An empty path is allowed (AT_EMPTY_PATH) and addresses `dirfd` itself. */
  readonly allowEmpty?: boolean;
}

/**
 * Builds the path operation for `(dirfd, path)` as Linux's path_init does: the path is
 * checked (PATH_MAX, NUL, empty), then the walk starts at the root for an absolute path,
 * at the working directory for AT_FDCWD, or at `dirfd`'s file. A non-directory `dirfd`
 * with a non-empty relative path fails in the walk with ENOTDIR.
 *
 * @throws ENOENT - `path` is empty and `opts.allowEmpty` is not set.
 * @throws EINVAL - `path` contains a NUL character.
 * @throws ENAMETOOLONG - `path` is 4096 UTF-8 bytes or longer.
 * @throws EBADF - A relative (or empty) path and `dirfd` is neither AT_FDCWD nor open.
 * @internal
 */
export function pathOperation(s: TaskInternals, dirfd: number, path: string, opts: PathOptions): ResolvedPath {
  checkPathname(path, opts.allowEmpty === true ? EMPTY_ALLOWED : EMPTY_REFUSED);
  const fs = fsOf(s);
  const root = fs.root();
  const parsed = parse(path);
  if (parsed.absolute) return { pop: { root, start: root, path: parsed, followFinalSymlink: opts.follow }, dir: undefined };
  if (dirfd === AT_FDCWD) return { pop: { root, start: fs.cwd(), path: parsed, followFinalSymlink: opts.follow }, dir: undefined };
  const dir = getFile(s, dirfd);
  return { pop: { root, start: dir.vd, path: parsed, followFinalSymlink: opts.follow }, dir };
}

const EMPTY_ALLOWED = { allowEmpty: true } as const;
const EMPTY_REFUSED = { allowEmpty: false } as const;
