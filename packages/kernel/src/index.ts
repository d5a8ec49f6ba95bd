/**
 * A small Linux-like kernel over the vfskit VFS: tasks with credentials, a root and
 * working directory, file descriptor tables and resource limits, a PID namespace, and a
 * system-call-shaped API (openat, renameat2, pipe2, dup3, getdents64…) with async
 * variants where Linux would block.
 *
 * @remarks
 * Reference model (who holds what, DESIGN.md D3):
 *
 * - The {@link Kernel} holds the root mount namespace and its root position, the
 *   anonymous pipe mount, and (through the VFS) every filesystem type.
 *
 * - A {@link Task} holds one reference on its {@link FSContext}, its {@link FDTable}, its
 *   mount namespace and the position of its executable. The FSContext holds its root and
 *   working directory (a mount and a dentry each); the FDTable holds one reference on
 *   every description it contains. {@link Task.fork} copies the FSContext and FDTable
 *   (the descriptions are shared, each gaining a reference); {@link Task.exit} drops
 *   everything, so a task that exited holds nothing, and a reaped one is gone.
 *
 * - A system call that uses a descriptor takes its own reference on the description for
 *   the duration of the call (Linux's fdget/fdput), so a concurrent close cannot free it.
 *
 * Reentrancy: everything is synchronous and runs to completion (DESIGN.md D2). Where
 * Linux would block (empty pipe, full pipe, FIFO open without a peer, wait for a child)
 * the synchronous call fails with EAGAIN, and an async variant (`readAsync`,
 * `writeAsync`, `openatAsync`, `waitAsync`) awaits readiness and retries; those are the
 * only places the kernel yields, never between two steps of one operation. Readiness
 * waiters run synchronously inside the call that changes readiness (a write wakes a
 * reader's waiter), and may make system calls themselves.
 *
 * @packageDocumentation
 */

export { Kernel, type KernelOptions } from "./kernel.js";
export { Task, SIGNAL_MAX, type ForkOptions, type WaitOptions, type WaitResult } from "./task.js";
export {
  TaskBase,
  TaskKey,
  taskFromContext,
  type TaskRunState,
  type TaskInit,
  type SignalRecord,
  type TaskIOCounters,
  type TaskCPUTimes,
} from "./task-base.js";
export { TaskFDSyscalls, FIOCLEX, FIONCLEX, FIONBIO } from "./task-fd-syscalls.js";
export { TaskIOSyscalls, UIO_MAXIOV, type AsyncSyscallOptions } from "./task-io-syscalls.js";
export { TaskPathSyscalls } from "./task-path-syscalls.js";
export { TaskAttrSyscalls } from "./task-attr-syscalls.js";
export { TaskXattrSyscalls } from "./task-xattr-syscalls.js";
export { TaskFSSyscalls } from "./task-fs-syscalls.js";
export { FDTable, type FDEntry, type FDFlags } from "./fd-table.js";
export { FSContext } from "./fs-context.js";
export { PIDNamespace, PID_MAX, RESERVED_PIDS } from "./pid-namespace.js";
export { UTSNamespace, ChangePoller, UTS_NAME_MAX, type Utsname } from "./uts-namespace.js";
export { FifoOpenerKey, type FifoOpener } from "./fifo-open.js";
export {
  LimitSet,
  RLIMIT_CPU,
  RLIMIT_FSIZE,
  RLIMIT_DATA,
  RLIMIT_STACK,
  RLIMIT_CORE,
  RLIMIT_RSS,
  RLIMIT_NPROC,
  RLIMIT_NOFILE,
  RLIMIT_MEMLOCK,
  RLIMIT_AS,
  RLIMIT_LOCKS,
  RLIMIT_SIGPENDING,
  RLIMIT_MSGQUEUE,
  RLIMIT_NICE,
  RLIMIT_RTPRIO,
  RLIMIT_RTTIME,
  RLIM_NLIMITS,
  RLIM_INFINITY,
  NR_OPEN,
  type Rlimit,
} from "./limits.js";
