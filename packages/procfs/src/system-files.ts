// The text of the system-wide files of /proc: cpuinfo, loadavg, meminfo, stat, uptime,
// version, cmdline, devices. Formats are Linux's (fs/proc/cpuinfo.c + arch/x86 proc.c,
// loadavg.c, meminfo.c, stat.c, uptime.c, version.c, cmdline.c, devices.c); where gVisor
// prints fixed stand-ins (loadavg, version), these print the kernel model's values.
import type { KernelProcState } from "./kernel-state.js";
import { kernelMemoryUsage } from "./memory.js";

/** Clock ticks per second of /proc (USER_HZ). @internal */
export const USER_HZ = 100;

/** Nanoseconds to clock ticks, rounding down (Linux's `nsec_to_clock_t`). @internal */
export function nsToTicks(ns: number): number {
  return Math.floor(ns / (1e9 / USER_HZ));
}

/** `%lu.%02lu` of a duration in nanoseconds, truncated to hundredths as Linux prints it. */
function secondsHundredths(ns: number): string {
  const hundredths = Math.floor(ns / 10_000_000);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}

/** Linux's LOAD_INT / LOAD_FRAC of an FSHIFT fixed-point average, `%lu.%02lu`. */
function loadText(fixed: number): string {
  const scaled = fixed + (1 << 11) / 200; // FIXED_1/200: round to hundredths
  const int = Math.floor(scaled / (1 << 11));
  const frac = Math.floor(((scaled % (1 << 11)) * 100) / (1 << 11));
  return `${int}.${String(frac).padStart(2, "0")}`;
}

/**
 * /proc/loadavg: `1min 5min 15min running/total lastpid\n` (Linux's loadavg_proc_show),
 * from the kernel's tasks: "running" counts tasks that have not exited, total every task
 * not yet reaped.
 * @internal
 */
export function loadavgText(state: KernelProcState): string {
  const [a, b, c] = state.loadAverage();
  const total = state.kernel.pidNamespace.size;
  return `${loadText(a)} ${loadText(b)} ${loadText(c)} ${state.runningTasks()}/${total} ${state.lastPid()}\n`;
}

/**
 * /proc/uptime: seconds since boot and idle seconds summed over CPUs, each to hundredths
 * (Linux's uptime_proc_show). Idle time is the CPUs' time not spent in system calls.
 * @internal
 */
export function uptimeText(state: KernelProcState): string {
  const up = state.kernel.uptimeNs();
  const idle = Math.max(0, up * state.host.cpuCount() - state.totalSystemTimeNs());
  return `${secondsHundredths(up)} ${secondsHundredths(idle)}\n`;
}

/**
 * /proc/version: `Linux version <release> (<builder>) (<compiler>) <version>\n` with the
 * kernel's configured release and version strings (Linux's version_proc_show).
 * @internal
 */
export function versionText(state: KernelProcState): string {
  return `Linux version ${state.kernel.release} (vfskit@vfskit) (vfskit TypeScript kernel model) ${state.kernel.version}\n`;
}

/** /proc/cmdline: the boot command line (a fixed one naming the release). @internal */
export function cmdlineText(state: KernelProcState): string {
  return `BOOT_IMAGE=/vmlinuz-${state.kernel.release} ro quiet\n`;
}

/**
 * /proc/devices: the registered character and block device majors. The kernel model has
 * no device drivers, so both lists are empty (Linux's devinfo_show headers only).
 * @internal
 */
export function devicesText(): string {
  return "Character devices:\n\nBlock devices:\n";
}

/** /proc/cpuinfo in the x86 format of Linux's show_cpuinfo, one block per CPU. @internal */
export function cpuinfoText(state: KernelProcState): string {
  const host = state.host;
  const n = host.cpuCount();
  let text = "";
  for (let i = 0; i < n; i++) {
    const c = host.cpu(i);
    text +=
      `processor\t: ${i}\n` +
      `vendor_id\t: ${c.vendorId}\n` +
      `cpu family\t: ${c.family}\n` +
      `model\t\t: ${c.model}\n` +
      `model name\t: ${c.modelName}\n` +
      `stepping\t: ${c.stepping}\n` +
      `microcode\t: 0x${c.microcode.toString(16)}\n` +
      `cpu MHz\t\t: ${c.mhz.toFixed(3)}\n` +
      `cache size\t: ${c.cacheSizeKB} KB\n` +
      `physical id\t: 0\n` +
      `siblings\t: ${n}\n` +
      `core id\t\t: ${i}\n` +
      `cpu cores\t: ${n}\n` +
      `apicid\t\t: ${i}\n` +
      `initial apicid\t: ${i}\n` +
      `fpu\t\t: yes\n` +
      `fpu_exception\t: yes\n` +
      `cpuid level\t: ${c.cpuidLevel}\n` +
      `wp\t\t: yes\n` +
      `flags\t\t: ${c.flags.join(" ")}\n` +
      `bugs\t\t: ${c.bugs.join(" ")}\n` +
      `bogomips\t: ${(c.mhz * 2).toFixed(2)}\n` +
      `clflush size\t: 64\n` +
      `cache_alignment\t: 64\n` +
      `address sizes\t: ${c.addressBits[0]} bits physical, ${c.addressBits[1]} bits virtual\n` +
      `power management:\n\n`;
  }
  return text;
}

/** One meminfo line: the key padded to 16 columns, the value 8 wide, then ` kB`. */
function kb(key: string, bytes: number): string {
  return `${`${key}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/** A meminfo line without unit (the HugePages_* counts). */
function count(key: string, n: number): string {
  return `${`${key}:`.padEnd(16)}${String(n).padStart(8)}\n`;
}

/**
 * /proc/meminfo with Linux 6.x's keys in Linux's order (meminfo_proc_show, x86-64). Real
 * values: MemTotal (the host's), Shmem/Cached/Active(anon) (tmpfs pages), KernelStack
 * (16 KiB per live task), MemFree = MemTotal − everything the model uses (tmpfs pages,
 * pipe buffers, kernel stacks, the host's reserved memory), MemAvailable = MemFree (tmpfs
 * pages cannot be reclaimed), CommitLimit (half of RAM, no swap: overcommit_ratio 50).
 * The model has no user memory, swap, slab, page tables or huge pages: those are 0.
 * @internal
 */
export function meminfoText(state: KernelProcState): string {
  const usage = kernelMemoryUsage(state.kernel);
  const total = state.host.memTotalBytes();
  const used = usage.shmemBytes + usage.pipeBytes + usage.kernelStackBytes + state.host.memReservedBytes();
  const free = Math.max(0, total - used);
  const shmem = usage.shmemBytes;
  return (
    kb("MemTotal", total) +
    kb("MemFree", free) +
    kb("MemAvailable", free) +
    kb("Buffers", 0) +
    kb("Cached", shmem) +
    kb("SwapCached", 0) +
    kb("Active", shmem) +
    kb("Inactive", 0) +
    kb("Active(anon)", shmem) +
    kb("Inactive(anon)", 0) +
    kb("Active(file)", 0) +
    kb("Inactive(file)", 0) +
    kb("Unevictable", 0) +
    kb("Mlocked", 0) +
    kb("SwapTotal", 0) +
    kb("SwapFree", 0) +
    kb("Zswap", 0) +
    kb("Zswapped", 0) +
    kb("Dirty", 0) +
    kb("Writeback", 0) +
    kb("AnonPages", 0) +
    kb("Mapped", 0) +
    kb("Shmem", shmem) +
    kb("KReclaimable", 0) +
    kb("Slab", 0) +
    kb("SReclaimable", 0) +
    kb("SUnreclaim", 0) +
    kb("KernelStack", usage.kernelStackBytes) +
    kb("PageTables", 0) +
    kb("SecPageTables", 0) +
    kb("NFS_Unstable", 0) +
    kb("Bounce", 0) +
    kb("WritebackTmp", 0) +
    kb("CommitLimit", Math.floor(total / 2)) +
    kb("Committed_AS", 0) +
    kb("VmallocTotal", 34_359_738_367 * 1024) +
    kb("VmallocUsed", 0) +
    kb("VmallocChunk", 0) +
    kb("Percpu", 0) +
    kb("AnonHugePages", 0) +
    kb("ShmemHugePages", 0) +
    kb("ShmemPmdMapped", 0) +
    kb("FileHugePages", 0) +
    kb("FilePmdMapped", 0) +
    count("HugePages_Total", 0) +
    count("HugePages_Free", 0) +
    count("HugePages_Rsvd", 0) +
    count("HugePages_Surp", 0) +
    kb("Hugepagesize", 2048 * 1024) +
    kb("Hugetlb", 0) +
    kb("DirectMap4k", 0) +
    kb("DirectMap2M", total) +
    kb("DirectMap1G", 0)
  );
}

/** The ten numbers of a `cpu` line: user nice system idle iowait irq softirq steal guest guest_nice. */
function cpuLine(name: string, systemTicks: number, idleTicks: number): string {
  return `${name} 0 0 ${systemTicks} ${idleTicks} 0 0 0 0 0 0\n`;
}

/**
 * /proc/stat in Linux 6.x's format (fs/proc/stat.c show_stat): `cpu ` (two spaces) with
 * the totals, one `cpuN` line per CPU, `intr`, `ctxt`, `btime`, `processes`,
 * `procs_running`, `procs_blocked`, `softirq`. System time is the tasks' time in system
 * calls, all counted on cpu0; idle is the rest of each CPU's uptime. The model has no
 * interrupts, context switches or blocked tasks (0); `processes` is the last PID.
 * @internal
 */
export function statText(state: KernelProcState): string {
  const cpus = state.host.cpuCount();
  const upTicks = nsToTicks(state.kernel.uptimeNs());
  const sys = nsToTicks(state.totalSystemTimeNs());
  let text = cpuLine("cpu ", sys, Math.max(0, upTicks * cpus - sys));
  for (let i = 0; i < cpus; i++) {
    const busy = i === 0 ? Math.min(sys, upTicks) : 0;
    text += cpuLine(`cpu${i}`, busy, Math.max(0, upTicks - busy));
  }
  text += "intr 0\n";
  text += "ctxt 0\n";
  text += `btime ${state.kernel.bootTime.sec}\n`;
  text += `processes ${state.lastPid()}\n`;
  text += `procs_running ${state.runningTasks()}\n`;
  text += "procs_blocked 0\n";
  text += "softirq 0 0 0 0 0 0 0 0 0 0 0\n";
  return text;
}
