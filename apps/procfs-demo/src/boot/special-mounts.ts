// /proc and /sys: procfs from @vfskit/procfs shows the kernel's tasks; sysfs from
// @vfskit/sysfs lists the CPUs and the demo's character devices (so /sys/class/mem/null
// and /sys/dev/char/1:3 exist, as on Linux). Both describe this host's CPU count, and
// /proc/meminfo its memory size (host facts come in here, the packages read none).
import { availableParallelism, totalmem } from "node:os";
import type { Kernel, Task } from "@vfskit/kernel";
import { defaultHostInfo, registerProcfs } from "@vfskit/procfs";
import { fixedSysfsHost, registerSysfs, type SysfsDevice } from "@vfskit/sysfs";
import type { VirtualFilesystem } from "@vfskit/vfs";

const CPUS = Math.min(availableParallelism(), 64);

/** The demo's devices as sysfs lists them. */
const SYSFS_DEVICES: readonly SysfsDevice[] = [
  { path: "virtual/mem/null", class: "mem", dev: { type: "char", major: 1, minor: 3 } },
  { path: "virtual/mem/zero", class: "mem", dev: { type: "char", major: 1, minor: 5 } },
  { path: "virtual/tty/console", class: "tty", dev: { type: "char", major: 5, minor: 1 } },
];

/** Registers sysfs (before the root is mounted: the kernel's `registerFilesystems` hook). */
export function registerSysfsType(vfs: VirtualFilesystem): void {
  registerSysfs(vfs, { host: fixedSysfsHost(CPUS), devices: SYSFS_DEVICES });
}

/** Registers procfs, which shows `kernel`'s tasks. */
export function registerProcfsType(kernel: Kernel): void {
  registerProcfs(kernel, { hostInfo: defaultHostInfo({ cpus: CPUS, memTotalBytes: totalmem() }) });
}

/**
 * Mounts procfs at /proc and sysfs at /sys, as `init`.
 * @returns The mount points mounted.
 */
export function mountProcAndSys(init: Task): string[] {
  init.mount("proc", "/proc", "proc", 0);
  init.mount("sysfs", "/sys", "sysfs", 0);
  return ["/proc", "/sys"];
}
