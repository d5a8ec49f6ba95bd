// Process IDs. Twin of gVisor's PIDNamespace in pkg/sentry/kernel/threads.go (Linux's
// kernel/pid.c alloc_pid with its cyclic allocation).
import { SysError } from "@vfskit/abi";
import type { UserNamespace } from "@vfskit/auth";
import type { Task } from "./task.js";

/** The highest PID plus one (Linux's default `kernel.pid_max`; gVisor's TasksLimit). @public */
export const PID_MAX = 65_536;

/** PIDs below this are skipped when allocation wraps around (Linux's RESERVED_PIDS). @public */
export const RESERVED_PIDS = 300;

/**
 * A PID namespace: the numbers tasks are known by (gVisor's `PIDNamespace`).
 *
 * @remarks
 * PIDs are allocated as Linux allocates them: cyclically, each new task getting the
 * number after the last one handed out, wrapping to {@link RESERVED_PIDS} after
 * {@link PID_MAX} - 1, and skipping numbers still in use (a zombie keeps its PID until it
 * is reaped). There are no threads: a task's thread ID is its PID. Only one namespace,
 * the kernel's root, exists.
 * @public
 */
export class PIDNamespace {
  /** The user namespace owning this one. */
  readonly owner: UserNamespace;
  readonly #tasks = new Map<number, Task>();
  #last = 0;

  /**
   * @param owner - The owning user namespace.
   */
  constructor(owner: UserNamespace) {
    this.owner = owner;
  }

  /**
   * The next free PID, registered to `task` (Linux's `alloc_pid`).
   * @param task - The task that will carry the PID.
   * @throws EAGAIN - Every PID is in use (fork(2)'s error).
   * @internal
   */
  allocate(task: Task): number {
    if (this.#tasks.size >= PID_MAX - 1) throw new SysError("EAGAIN", { syscall: "fork", detail: "no free PID" });
    let pid = this.#last;
    for (;;) {
      pid++;
      if (pid >= PID_MAX) pid = RESERVED_PIDS;
      if (!this.#tasks.has(pid)) break;
    }
    this.#last = pid;
    this.#tasks.set(pid, task);
    return pid;
  }

  /**
   * Forgets `pid` (the task was reaped).
   * @internal
   */
  release(pid: number): void {
    this.#tasks.delete(pid);
  }

  /**
   * The task with PID `pid`, zombies included, or `undefined`.
   * @param pid - A PID.
   */
  task(pid: number): Task | undefined {
    return this.#tasks.get(pid);
  }

  /** The number of tasks (zombies included). */
  get size(): number {
    return this.#tasks.size;
  }

  /** Every task, zombies included, in increasing PID order (as /proc lists them). */
  tasks(): Task[] {
    return [...this.#tasks.values()].sort((a, b) => a.pid - b.pid);
  }
}
