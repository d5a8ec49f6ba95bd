// @ts-check
// /proc through a booted vfskit kernel against the host's real /proc (node:fs). memfs and
// ZenFS have no /proc. vfskit regenerates the file's text on every open, as Linux does.
import { O_DIRECTORY, O_RDONLY } from "@vfskit/abi";
import { Kernel } from "@vfskit/kernel";
import { fakeHostInfo, registerProcfs } from "@vfskit/procfs";
import { closeSync, openSync, readSync, readdirSync } from "node:fs";

/**
 * A kernel with /proc mounted and `extraTasks` forked children of init.
 *
 * @param {number} extraTasks - How many child tasks to start.
 * @returns {{ kernel: Kernel, task: import("@vfskit/kernel").Task, release: () => void }} The kernel and init.
 */
function kernelWithProc(extraTasks) {
  const kernel = Kernel.create();
  registerProcfs(kernel, { hostInfo: fakeHostInfo({ cpus: 2 }) });
  const init = kernel.init;
  init.mkdir("/proc", 0o555);
  init.mount("proc", "/proc", "proc", 0, "");
  for (let i = 0; i < extraTasks; i++) init.fork({ comm: `worker${i}` });
  return { kernel, task: init, release: () => kernel.shutdown() };
}

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "procfs",
    name: "read /proc/self/status (open + read + close)",
    note: "vfskit: init's openat + read until EOF + close; node: the host's /proc/self/status",
    targets: {
      vfskit: () => {
        const { task, release } = kernelWithProc(0);
        const buf = new Uint8Array(8192);
        return {
          run: () => {
            const fd = task.openat(-100, "/proc/self/status", O_RDONLY, 0);
            let total = 0;
            for (let n = task.read(fd, buf); n > 0; n = task.read(fd, buf)) total += n;
            task.close(fd);
            return total > 0;
          },
          teardown: release,
        };
      },
      node: () => {
        const buf = Buffer.alloc(8192);
        return () => {
          const fd = openSync("/proc/self/status", "r");
          let total = 0;
          for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) total += n;
          closeSync(fd);
          return total > 0;
        };
      },
    },
    expected: true,
  },
  {
    group: "procfs",
    name: "ls /proc with 100 tasks (open + getdents64 + close)",
    note: "vfskit: 101 tasks, getdents64 with a 32 KiB budget until empty; node: readdirSync('/proc') of the host (its own task count)",
    targets: {
      vfskit: () => {
        const { task, release } = kernelWithProc(100);
        return {
          run: () => {
            const fd = task.openat(-100, "/proc", O_RDONLY | O_DIRECTORY, 0);
            let total = 0;
            for (let batch = task.getdents64(fd, 32768); batch.length > 0; batch = task.getdents64(fd, 32768)) total += batch.length;
            task.close(fd);
            return total > 100;
          },
          teardown: release,
        };
      },
      node: () => () => readdirSync("/proc").length > 0,
    },
    expected: true,
  },
];
