/**
 * sysfs: Linux's /sys built on kernfs (gVisor's `pkg/sentry/fsimpl/sys`).
 *
 * @remarks
 * {@link SysFilesystemType} (or {@link registerSysfs}) makes the `sysfs` filesystem type.
 * Each mount is a fresh, read-only tree: `block`, `bus`, `class`, `dev/{block,char}`,
 * `devices/system/cpu` (online, possible, present and per-CPU topology in Linux's exact
 * CPU-list and CPU-mask formats), `firmware`, `fs/cgroup` (an empty mount point),
 * `kernel`, `module`, `power`, plus the application's {@link SysfsDevice}s with their
 * `class`, `bus` and `dev` links. Host facts come from an injected {@link SysfsHost}.
 *
 * Reference model: that of kernfs. The tree is built at mount time; directory inodes own
 * their entries; dentries are cached up to `dentry_cache_limit` (default 1000) and
 * released with the filesystem when its last mount goes.
 *
 * Reentrancy: every operation is synchronous. An attribute's `show` and `store` run
 * inside a read or write and must not call back into the VFS.
 *
 * @packageDocumentation
 */
export { SysFilesystemType, registerSysfs, SYSFS_NAME, type SysfsOptions } from "./sysfs.js";
export { SysFilesystem, DEFAULT_MAX_CACHED_DENTRIES, type SysfsMountOptions } from "./filesystem.js";
export { DEFAULT_SYSFS_HOST, MAX_CPUS, fixedSysfsHost, type SysfsHost, type CPUTopology } from "./host.js";
export { formatCPUList, formatCPUMask, fullCPUMask, oneCPUMask } from "./cpumask.js";
export type { SysfsDevice, SysfsDeviceNumber, SysfsAttribute, SysfsAttributeOps } from "./devices.js";
