// Shared helpers for the kernel's tests: boot a kernel, run a body, shut it down (the
// leak checker then expects every counted object back at its baseline).
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "@vfskit/abi";
import { Credentials, type GID, type UID } from "@vfskit/auth";
import { TestFilesystemType } from "@vfskit/vfs/testing";
import { Kernel, type KernelOptions } from "../kernel.js";
import type { Task } from "../task.js";

/** A fake monotonic clock advancing 1 µs per reading, and a fixed real-time clock. */
export function fakeClocks(): Pick<KernelOptions, "clock" | "monotonicClock"> {
  let ns = 1_000_000_000;
  return {
    clock: { now: () => ({ sec: 1_700_000_000, nsec: 0 }) },
    monotonicClock: () => (ns += 1000),
  };
}

/** Boots a kernel (tmpfs root unless told otherwise) with testfs registered too. */
export function boot(opts: KernelOptions = {}): Kernel {
  return Kernel.create({
    registerFilesystems: (vfs) => vfs.registerFilesystemType("testfs", new TestFilesystemType(), { allowUserMount: true, allowUserList: true }),
    ...fakeClocks(),
    ...opts,
  });
}

/** Runs `body` with a fresh kernel and shuts it down afterwards, even on failure. */
export function withKernel<T>(body: (k: Kernel, init: Task) => T, opts: KernelOptions = {}): T {
  const k = boot(opts);
  try {
    return body(k, k.init);
  } finally {
    k.shutdown();
  }
}

/** Async twin of {@link withKernel}. */
export async function withKernelAsync<T>(body: (k: Kernel, init: Task) => Promise<T>, opts: KernelOptions = {}): Promise<T> {
  const k = boot(opts);
  try {
    return await body(k, k.init);
  } finally {
    k.shutdown();
  }
}

/** Credentials of an ordinary user in `task`'s user namespace. */
export function userCreds(task: Task, uid: number, gid: number = uid, groups: readonly number[] = []): Credentials {
  return Credentials.user({ uid: uid as UID, gid: gid as GID, groups: groups.map((g) => g as GID), ns: task.credentials.userNamespace });
}

export { expectErrno, expectErrnoAsync } from "@vfskit/vfs/testing";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes a whole file through `task`'s system calls. */
export function writeFile(task: Task, path: string, data: string | Uint8Array, mode = 0o644): void {
  const fd = task.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  try {
    task.write(fd, typeof data === "string" ? bytes(data) : data);
  } finally {
    task.close(fd);
  }
}

/** Reads a whole file through `task`'s system calls, as text. */
export function readText(task: Task, path: string): string {
  const fd = task.open(path, O_RDONLY);
  try {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const buf = new Uint8Array(4096);
      const n = task.read(fd, buf);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
    return chunks.map((c) => decoder.decode(c)).join("");
  } finally {
    task.close(fd);
  }
}

