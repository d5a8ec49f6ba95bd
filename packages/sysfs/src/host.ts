// The facts about the machine that sysfs shows, injected (DESIGN.md D6): the number of
// CPUs and where each sits. gVisor reads them from the kernel (ApplicationCores); vfskit
// core packages cannot ask the host, so an application passes them in.
import { InternalError } from "@vfskit/vfs";

/**
 * Where a CPU sits: its package (socket) and its core within the package.
 * @public
 */
export interface CPUTopology {
  /** The package (socket) number: `topology/physical_package_id`. */
  readonly packageId: number;
  /** The core number within the package: `topology/core_id`. CPUs sharing it are SMT threads. */
  readonly coreId: number;
}

/**
 * The host facts sysfs shows, injected by the application (DESIGN.md D6).
 *
 * @remarks
 * Read once per mount, when the tree is built. A browser app can pass
 * `navigator.hardwareConcurrency`, a Node app `os.availableParallelism()`; tests pass
 * fixed numbers. {@link DEFAULT_SYSFS_HOST} is deterministic: one CPU.
 * @public
 */
export interface SysfsHost {
  /**
   * How many CPUs there are: `cpu0`…`cpu<N-1>`, all possible, present and online (gVisor's
   * `ApplicationCores`). An integer from 1 to {@link MAX_CPUS}.
   */
  cpuCount(): number;
  /**
   * Where CPU `cpu` sits. Optional; by default, as gVisor and as /proc/cpuinfo's
   * defaults, every CPU is its own core (`coreId` = `cpu`) in package 0.
   */
  cpuTopology?(cpu: number): CPUTopology;
}

/**
 * The largest CPU count sysfs accepts: Linux's `NR_CPUS` on x86-64 distribution kernels
 * (`CONFIG_NR_CPUS=8192`).
 * @public
 */
export const MAX_CPUS = 8192;

/**
 * The default host: one CPU (deterministic, so output never depends on the machine).
 * @public
 */
export const DEFAULT_SYSFS_HOST: SysfsHost = Object.freeze({ cpuCount: () => 1 });

/**
 * A host with `count` CPUs and the default topology, for tests and simple apps.
 * @param count - The number of CPUs, 1 to {@link MAX_CPUS}.
 * @returns The host.
 * @throws InternalError if `count` is out of range.
 * @public
 */
export function fixedSysfsHost(count: number): SysfsHost {
  checkCPUCount(count);
  return Object.freeze({ cpuCount: () => count });
}

/** Validates a CPU count. @internal */
export function checkCPUCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_CPUS) {
    throw new InternalError(`sysfs: CPU count ${count} is not an integer from 1 to ${MAX_CPUS}`);
  }
}

/** Validates a topology entry. @internal */
export function checkTopology(cpu: number, t: CPUTopology): void {
  for (const v of [t.packageId, t.coreId]) {
    if (!Number.isSafeInteger(v) || v < 0) throw new InternalError(`sysfs: bad topology for CPU ${cpu}`);
  }
}
