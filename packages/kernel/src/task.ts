// A task: fork, execve, exit and wait, signals as a log, and the UTS calls, on top of
// every system call the classes below add. Twin of gVisor's pkg/sentry/kernel/task.go,
// task_clone.go, task_exec.go, task_exit.go (Linux's kernel/fork.c, fs/exec.c,
// kernel/exit.c).
import { AT_FDCWD, Capability, O_RDONLY, SIGCHLD, SysError, type Timespec } from "@vfskit/abi";
import { InternalError, type Waitable, type Waiter } from "@vfskit/vfs";
import { closeDescription } from "./fd-table.js";
import type { Kernel } from "./kernel.js";
import { PID_MAX } from "./pid-namespace.js";
import {
  enter,
  failure,
  fdTableOf,
  fsOf,
  leave,
  pathOperation,
  resume,
  sendSignal,
  taskInternals,
  truncateComm,
  type TaskInit,
  type TaskInternals,
} from "./task-base.js";
import { TaskFSSyscalls } from "./task-fs-syscalls.js";
import type { AsyncSyscallOptions } from "./task-io-syscalls.js";
import type { Utsname } from "./uts-namespace.js";
import { waitForEvents } from "./wait.js";

/** The largest signal number (Linux's _NSIG, 64). @public */
export const SIGNAL_MAX = 64;

/**
 * Options of {@link Task.fork}.
 * @public
 */
export interface ForkOptions {
  /** The child's command name (default: the parent's). */
  readonly comm?: string;
}

/**
 * Options of {@link Task.wait4}.
 * @public
 */
export interface WaitOptions {
  /** WNOHANG: return `undefined` instead of failing when no child has exited yet. */
  readonly nohang?: boolean;
}

/**
 * A reaped child, as wait4(2) reports it.
 * @public
 */
export interface WaitResult {
  /** The child's PID. */
  readonly pid: number;
  /** The wait status: `exitCode << 8` (WIFEXITED, WEXITSTATUS). */
  readonly status: number;
  /** The child's exit code. */
  readonly exitCode: number;
}

/** The event a task's child-exit queue carries. */
const CHILD_EXITED = 1;

/** The last path component (Linux's kbasename). */
function basename(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? path : path.slice(slash + 1);
}

/**
 * A task: a process of the kernel, with credentials, a root and working directory
 * (its {@link FSContext}), a file descriptor table, a mount namespace, resource limits,
 * a parent and children, and every system call as a method.
 *
 * @remarks
 * Tasks are created by {@link Kernel.create} (init, PID 1) and {@link Task.fork}. A task
 * runs until {@link Task.exit}, which closes its descriptors and drops its root, working
 * directory and namespace; it then stays a zombie until its parent reaps it with
 * {@link Task.wait4} (children of an exiting task go to init). There are no threads and
 * no scheduler: methods run synchronously when called. Where Linux would block, the
 * synchronous call fails with EAGAIN and an async variant (`readAsync`, `writeAsync`,
 * `openatAsync`, `waitAsync`) waits; an exit interrupts those waits with EINTR.
 *
 * System calls throw `SysError` with `syscall` and `path` filled in. A task that has
 * exited may not make system calls (InternalError).
 *
 * Reference model: the task holds one reference on its FSContext (which holds its root
 * and working directory), its FDTable (which holds its descriptions), its mount
 * namespace and its executable's position; {@link Task.exit} drops them all.
 * @public
 */
export class Task extends TaskFSSyscalls {
  private constructor(kernel: Kernel, init: TaskInit) {
    super(kernel, init);
  }

  /** Creates a task; only the kernel and fork do. @internal */
  static create(kernel: Kernel, init: TaskInit): Task {
    return new Task(kernel, init);
  }

  /**
   * fork(2): a child task with copies of this task's descriptor table (the same numbers
   * and flags, sharing the descriptions), root, working directory and umask, the same
   * credentials, limits, mount namespace, command name, arguments and environment. The
   * child has no recorded signals and zeroed counters.
   * @param opts - The child's command name.
   * @returns The child, running.
   * @throws EAGAIN - No free PID.
   */
  fork(opts: ForkOptions = {}): Task {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if (this.kernel.pidNamespace.size >= PID_MAX - 1) throw new SysError("EAGAIN", { detail: "no free PID" });
      const mntns = this.mountNamespace;
      mntns.incRef();
      s.exe?.incRef();
      const child = new Task(this.kernel, {
        parent: this,
        credentials: s.credentials,
        fs: fsOf(s).fork(),
        fdTable: fdTableOf(s).fork(),
        mntns,
        limits: s.limits,
        comm: opts.comm ?? s.comm,
        argv: s.argv,
        envp: s.envp,
        exe: s.exe,
      });
      s.children.add(child);
      return child;
    } catch (error) {
      throw failure(error, "fork");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * execve(2), as far as a kernel without programs goes: checks that `path` is an
   * executable regular file, then closes the descriptors marked close-on-exec, records
   * the file as the task's executable (/proc/[pid]/exe), replaces the arguments and
   * environment, and sets the command name to the file name (15 bytes at most). No
   * program runs; credentials do not change (set-user-ID bits are ignored).
   * @param path - The program.
   * @param argv - The new arguments.
   * @param envp - The new environment.
   * @throws ENOENT, EINVAL, ENAMETOOLONG - The path.
   * @throws ENOENT, ENOTDIR, ELOOP, EACCES - Resolving the path.
   * @throws EACCES - Not a regular file, no execute permission, or a noexec mount.
   */
  execve(path: string, argv: readonly string[], envp: readonly string[]): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const r = pathOperation(s, AT_FDCWD, path, { follow: true });
      const file = s.kernel.vfs.openAt(this.ctx, r.pop, { flags: O_RDONLY, mode: 0, fileExec: true });
      const vd = file.vd;
      vd.incRef();
      file.decRef(this.ctx);
      for (const closed of fdTableOf(s).removeCloseOnExec()) closeDescription(this.ctx, closed);
      s.exe?.decRef(this.ctx);
      s.exe = vd;
      s.argv = [...argv];
      s.envp = [...envp];
      s.comm = truncateComm(basename(path));
    } catch (error) {
      throw failure(error, "execve", path);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * exit_group(2): the task stops. Its descriptors are closed, its root, working
   * directory, executable and mount namespace released, and its pending async calls end
   * with EINTR. Its children go to init (or, if init is the one exiting, are reaped
   * when they exit). It stays a zombie until its parent reaps it; the parent is sent
   * SIGCHLD. A task without a parent is reaped at once.
   * @param status - The exit code (the low 8 bits are kept).
   * @throws InternalError - The task has already exited.
   */
  exit(status: number): void {
    exitTask(this, status);
  }

  /**
   * wait4(2): reaps an exited child.
   * @param pid - The child's PID, or -1 for any child.
   * @param opts - WNOHANG.
   * @returns The reaped child; `undefined` with `nohang` when no matching child has
   * exited yet.
   * @throws EINVAL - `pid` is 0 or below -1 (process groups are not modelled).
   * @throws ECHILD - No child matches `pid`.
   * @throws EAGAIN - Without `nohang`, no matching child has exited yet (Linux would
   * block; use {@link Task.waitAsync}).
   */
  wait4(pid = -1, opts: WaitOptions = {}): WaitResult | undefined {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const zombie = findZombie(s, pid);
      if (zombie !== undefined) return reap(zombie);
      if (opts.nohang === true) return undefined;
      throw new SysError("EAGAIN", { detail: "no child has exited yet" });
    } catch (error) {
      throw failure(error, "wait4");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * wait4(2) that waits for a matching child to exit.
   * @param pid - The child's PID, or -1 for any child.
   * @param opts - An optional abort signal.
   * @returns The reaped child.
   * @throws EINVAL - `pid` is 0 or below -1.
   * @throws ECHILD - No child matches `pid` (also if one is reaped elsewhere meanwhile).
   * @throws EINTR - The signal fired, or this task exited, while waiting.
   */
  async waitAsync(pid = -1, opts: AsyncSyscallOptions = {}): Promise<WaitResult> {
    const s = taskInternals(this);
    const events: Waitable = {
      readiness: (mask) => (findZombie(s, pid) !== undefined ? mask & CHILD_EXITED : 0),
      eventRegister: (waiter: Waiter, mask: number) => s.childEvents.register(waiter, mask),
      eventUnregister: (waiter: Waiter) => s.childEvents.unregister(waiter),
    };
    for (;;) {
      const result = this.wait4(pid, { nohang: true });
      if (result !== undefined) return result;
      await waitForEvents(events, CHILD_EXITED, s.interrupter, opts.signal, "wait4");
      resume(s, "wait4");
    }
  }

  /**
   * kill(2): sends signal `signo` to task `pid`. Signals are only recorded in the
   * target's {@link TaskBase.signalLog}; nothing else happens. Signal 0 only checks.
   * @param pid - The target's PID (process groups and broadcast are not modelled).
   * @param signo - 0 to 64.
   * @throws EINVAL - Bad `signo`, or `pid` not positive.
   * @throws ESRCH - No such task.
   * @throws EPERM - The caller's real or effective UID matches neither the target's real
   * nor saved UID, and it lacks CAP_KILL.
   */
  kill(pid: number, signo: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if (!Number.isInteger(signo) || signo < 0 || signo > SIGNAL_MAX) throw new SysError("EINVAL", { detail: "bad signal" });
      if (!(pid > 0)) throw new SysError("EINVAL", { detail: "process groups are not modelled" });
      const target = this.kernel.task(pid);
      if (target === undefined || target.state === "dead") throw new SysError("ESRCH");
      const sender = s.credentials;
      const receiver = target.credentials;
      const uidOk =
        sender.effectiveKUID === receiver.realKUID ||
        sender.effectiveKUID === receiver.savedKUID ||
        sender.realKUID === receiver.realKUID ||
        sender.realKUID === receiver.savedKUID;
      if (!uidOk && !sender.hasCapabilityIn(Capability.CAP_KILL, receiver.userNamespace)) throw new SysError("EPERM");
      if (signo !== 0 && target.state === "running") sendSignal(taskInternals(target), signo, "kill", this.pid);
    } catch (error) {
      throw failure(error, "kill");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * uname(2).
   * @returns The system's names.
   */
  uname(): Utsname {
    const uts = this.kernel.uts;
    return {
      sysname: "Linux",
      nodename: uts.hostname(),
      release: this.kernel.release,
      version: this.kernel.version,
      machine: "x86_64",
      domainname: uts.domainname(),
    };
  }

  /**
   * sethostname(2).
   * @param name - The new host name.
   * @throws EPERM - No CAP_SYS_ADMIN in the UTS namespace's owner.
   * @throws EINVAL - Longer than 64 bytes, or contains a NUL.
   */
  sethostname(name: string): void {
    try {
      this.kernel.uts.setHostname(this.credentials, name);
    } catch (error) {
      throw failure(error, "sethostname");
    }
  }

  /**
   * setdomainname(2).
   * @param name - The new NIS domain name.
   * @throws EPERM - No CAP_SYS_ADMIN in the UTS namespace's owner.
   * @throws EINVAL - Longer than 64 bytes, or contains a NUL.
   */
  setdomainname(name: string): void {
    try {
      this.kernel.uts.setDomainname(this.credentials, name);
    } catch (error) {
      throw failure(error, "setdomainname");
    }
  }

  /** The task's start time, for debugging output. */
  override toString(): string {
    const start: Timespec = this.startTime;
    return `Task(${this.pid} ${this.comm}, ${this.state}, started ${start.sec}s)`;
  }
}

/** The first zombie child matching `pid` (-1: any), checking that some child matches. */
function findZombie(s: TaskInternals, pid: number): Task | undefined {
  if (pid === 0 || pid < -1) throw new SysError("EINVAL", { detail: "process groups are not modelled" });
  let matched = false;
  for (const child of s.children) {
    if (pid !== -1 && child.pid !== pid) continue;
    matched = true;
    if (child.state === "zombie") return child;
  }
  if (!matched) throw new SysError("ECHILD");
  return undefined;
}

/** Reaps the zombie `child`: its PID is freed and its parent forgets it. */
function reap(child: Task): WaitResult {
  const code = child.exitCode;
  reapTask(child);
  return { pid: child.pid, status: (code & 0xff) << 8, exitCode: code };
}

/**
 * Frees `task`'s PID and detaches it from its parent (wait4, or the kernel reaping an
 * orphan).
 * @internal
 */
export function reapTask(task: Task): void {
  const s = taskInternals(task);
  if (s.state === "dead") return;
  if (s.state !== "zombie") throw new InternalError(`reaping task ${task.pid}, which has not exited`);
  s.state = "dead";
  if (s.parent !== undefined) taskInternals(s.parent).children.delete(task);
  s.parent = undefined;
  task.kernel.pidNamespace.release(task.pid);
}

/**
 * Implements {@link Task.exit}.
 * @internal
 */
export function exitTask(task: Task, status: number): void {
  const s = taskInternals(task);
  if (s.state !== "running") throw new InternalError(`task ${task.pid} has already exited`);
  const ctx = task.ctx;
  s.exitCode = status & 0xff;
  // Its waits end first (EINTR), before closing its files wakes them with other news.
  s.interrupter.abort(new SysError("EINTR"));
  // Release what the task holds, in Linux's do_exit order: files, fs, namespaces.
  const table = s.fdTable;
  s.fdTable = undefined;
  table?.decRef(ctx);
  const exe = s.exe;
  s.exe = undefined;
  exe?.decRef(ctx);
  const fs = s.fs;
  s.fs = undefined;
  fs?.decRef(ctx);
  const mntns = s.mntns;
  s.mntns = undefined;
  mntns?.decRef(ctx);
  s.state = "zombie";
  // Children go to init (Linux's forget_original_parent), unless init is the one leaving.
  const init = task.kernel.init;
  const heir = task !== init && init.state === "running" ? init : undefined;
  for (const child of s.children) {
    const cs = taskInternals(child);
    cs.parent = heir;
    if (heir !== undefined) {
      taskInternals(heir).children.add(child);
      if (child.state === "zombie") notifyParent(heir, child);
    } else if (child.state === "zombie") {
      reapTask(child);
    }
  }
  s.children.clear();
  if (s.parent !== undefined && s.parent.state === "running") notifyParent(s.parent, task);
  else reapTask(task);
}

/** Tells `parent` that `child` exited: SIGCHLD, and wake its waits. */
function notifyParent(parent: Task, child: Task): void {
  const ps = taskInternals(parent);
  sendSignal(ps, SIGCHLD, "exit", child.pid);
  ps.childEvents.notify(CHILD_EXITED);
}
