// Test helpers: boot a kernel with /proc mounted, deterministic clocks and host, and read
// files as a given task.
import { O_RDONLY, O_WRONLY, type Dirent } from "@vfskit/abi";
import { Credentials, type GID, type UID } from "@vfskit/auth";
import { Kernel, type KernelOptions, type Task } from "@vfskit/kernel";
import { fakeHostInfo, type HostInfoOptions } from "../host-info.js";
import { registerProcfs } from "../filesystem.js";

export { expectErrno, expectErrnoAsync } from "@vfskit/vfs/testing";

/** A controllable monotonic clock: `advance(ns)` moves it; it never moves by itself. */
export interface TestClock {
  now: number;
  readonly advance: (ns: number) => void;
}

/** A booted kernel with /proc mounted. */
export interface ProcKernel {
  readonly kernel: Kernel;
  readonly init: Task;
  readonly clock: TestClock;
  /** Reads a whole file as `task` (default init). */
  readonly read: (path: string, task?: Task) => string;
  /** Writes `text` to a file as `task` (default init), returning the count. */
  readonly write: (path: string, text: string, task?: Task) => number;
  /** Lists a directory as `task`: names, in order. */
  readonly list: (path: string, task?: Task) => string[];
  /** Lists a directory as `task`: whole dirents. */
  readonly dirents: (path: string, task?: Task) => Dirent[];
  /** Shuts the kernel down. */
  readonly shutdown: () => void;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Reads `fd` of `task` to its end. */
export function readAll(task: Task, fd: number): string {
  const buf = new Uint8Array(65536);
  let text = "";
  for (;;) {
    const n = task.read(fd, buf);
    if (n === 0) break;
    text += decoder.decode(buf.subarray(0, n), { stream: true });
  }
  return text;
}

/** Boots a kernel (boot clock 1.7e9 s, monotonic clock at 1 s, syscall time off) with /proc. */
export function bootProc(opts: KernelOptions & { host?: HostInfoOptions; procData?: string } = {}): ProcKernel {
  const clock: TestClock = {
    now: 1_000_000_000,
    advance: (ns: number) => {
      clock.now += ns;
    },
  };
  const { host, procData, ...kernelOpts } = opts;
  const kernel = Kernel.create({
    clock: { now: () => ({ sec: 1_700_000_000, nsec: 0 }) },
    monotonicClock: () => clock.now,
    accountSyscallTime: false,
    ...kernelOpts,
  });
  registerProcfs(kernel, { hostInfo: fakeHostInfo({ cpus: 2, memTotalBytes: 1024 * 1024 * 1024, ...host }) });
  const init = kernel.init;
  init.mkdir("/proc", 0o555);
  init.mount("proc", "/proc", "proc", 0, procData ?? "");
  const read = (path: string, task: Task = init): string => {
    const fd = task.open(path, O_RDONLY);
    try {
      return readAll(task, fd);
    } finally {
      task.close(fd);
    }
  };
  const write = (path: string, text: string, task: Task = init): number => {
    const fd = task.open(path, O_WRONLY);
    try {
      return task.write(fd, encoder.encode(text));
    } finally {
      task.close(fd);
    }
  };
  const dirents = (path: string, task: Task = init): Dirent[] => {
    const fd = task.open(path, O_RDONLY);
    try {
      const out: Dirent[] = [];
      for (;;) {
        const batch = task.getdents64(fd, 4096);
        if (batch.length === 0) break;
        out.push(...batch);
      }
      return out;
    } finally {
      task.close(fd);
    }
  };
  return {
    kernel,
    init,
    clock,
    read,
    write,
    list: (path, task) => dirents(path, task).map((d) => d.name),
    dirents,
    shutdown: () => kernel.shutdown(),
  };
}

/** Runs `body` with a booted /proc kernel and shuts it down afterwards. */
export function withProc<T>(body: (p: ProcKernel) => T, opts: Parameters<typeof bootProc>[0] = {}): T {
  const p = bootProc(opts);
  try {
    return body(p);
  } finally {
    p.shutdown();
  }
}

/** Credentials of an ordinary user in `task`'s user namespace. */
export function userCreds(task: Task, uid: number, gid: number = uid, groups: readonly number[] = []): Credentials {
  return Credentials.user({ uid: uid as UID, gid: gid as GID, groups: groups.map((g) => g as GID), ns: task.credentials.userNamespace });
}
