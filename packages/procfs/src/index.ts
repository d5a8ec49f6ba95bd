/**
 * /proc for a vfskit kernel, built on kernfs: the system files (cpuinfo, meminfo, stat,
 * loadavg, uptime, version, filesystems…), /proc/sys, `self` and `thread-self`, and one
 * directory per task with status, stat, statm, cmdline, comm, fd/, fdinfo/, ns/, mounts,
 * mountinfo and the magic links cwd, root and exe — in Linux's formats, with the kernel
 * model's values.
 *
 * @remarks
 * Reference model: procfs is a kernfs filesystem ({@link ProcFilesystem}); kernfs's rules
 * apply (a dentry holds its inode, a child dentry its parent, the LRU cache keeps up to
 * `dentry_cache_limit` unreferenced dentries). procfs holds no reference on anything of
 * the kernel: task directories look their task up by PID and check it at every use, and
 * magic links (`fd/N`, `cwd`, `root`, `exe`) read the task's table or FS context when
 * followed, handing the VFS a new reference on the position they point to. When a task is
 * reaped, its /proc/[pid] dentries are invalidated (at the next lookup or listing of
 * /proc, or by {@link ProcFilesystem.pruneExitedTasks}) and leave the cache.
 *
 * Reentrancy: everything is synchronous (DESIGN.md D2). Files are generated when read;
 * readlink of magic links may call back into the VFS (pathname generation), as kernfs
 * allows.
 *
 * @packageDocumentation
 */
export {
  ProcFilesystem,
  ProcFilesystemType,
  DEFAULT_DENTRY_CACHE_LIMIT,
  registerProcfs,
  type ProcFilesystemTypeOptions,
} from "./filesystem.js";
export { FIRST_PROCESS_ENTRY, TGID_OFFSET } from "./root.js";
export {
  defaultHostInfo,
  fakeHostInfo,
  randomUUID,
  type ProcHostInfo,
  type ProcCPUDescription,
  type HostInfoOptions,
} from "./host-info.js";
export { kernelMemoryUsage, type KernelMemoryUsage } from "./memory.js";
