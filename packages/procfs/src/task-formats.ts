// The text of /proc/[pid]/status, stat, statm, io, limits, cmdline, environ and fdinfo,
// in Linux 6.x's formats (fs/proc/array.c proc_pid_status + do_task_stat +
// proc_pid_statm, base.c proc_pid_limits + do_io_accounting, fd.c seq_show).
import { O_CLOEXEC, SIGCHLD, STATX_INO, SEEK_CUR, isSysError } from "@vfskit/abi";
import { orOverflow, type Credentials, type KGID, type KUID } from "@vfskit/auth";
import { RLIMIT_RSS, RLIMIT_SIGPENDING, RLIM_NLIMITS, type Task } from "@vfskit/kernel";
import { DynamicBytesFileDescriptionImpl, type Context, type FileDescription } from "@vfskit/vfs";
import type { ProcHostInfo } from "./host-info.js";
import { nsToTicks } from "./system-files.js";

/** ULONG_MAX as /proc prints RLIM_INFINITY. */
const ULONG_MAX = "18446744073709551615";
/** PF_RANDOMIZE (0x400000) | PF_EXITING (0x4) for a zombie: Linux's task flags. */
const PF_RANDOMIZE = 0x400000;
const PF_EXITING = 0x4;

/** The state letter and name of `task` as seen by `caller` (Linux's `get_task_state`). */
export function taskState(task: Task, caller: Task | undefined): { letter: string; name: string } {
  if (task.state !== "running") return { letter: "Z", name: "zombie" };
  // No scheduler: the task reading its own files is running, every other one sleeps.
  return task === caller ? { letter: "R", name: "running" } : { letter: "S", name: "sleeping" };
}

function uidText(viewer: Credentials, id: KUID): number {
  return orOverflow(viewer.userNamespace.mapFromKUID(id));
}

function gidText(viewer: Credentials, id: KGID): number {
  return orOverflow(viewer.userNamespace.mapFromKGID(id));
}

/** Linux's `max_fds` of a task's table: 64, then grown as `expand_fdtable` grows it. */
function fdTableSize(task: Task): number {
  if (task.state !== "running") return 0;
  let highest = -1;
  for (const { fd } of task.fdTable.entries()) highest = fd;
  if (highest < 64) return 64;
  const perKiB = 1024 / 8;
  let nr = Math.floor(highest / perKiB) + 1;
  let pow = 1;
  while (pow < nr) pow *= 2;
  nr = pow;
  return nr * perKiB;
}

/** `Cpus_allowed` and its list form for `n` CPUs (`%*pb`, `%*pbl`). */
function cpuMask(n: number): { mask: string; list: string } {
  const words: string[] = [];
  for (let base = 0; base < n || words.length === 0; base += 32) {
    const bits = Math.min(32, n - base);
    const word = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
    words.unshift((word >>> 0).toString(16));
  }
  // The top word is printed without padding, the others with 8 digits.
  const mask = words.map((w, i) => (i === 0 ? w : w.padStart(8, "0"))).join(",");
  return { mask, list: n === 1 ? "0" : `0-${n - 1}` };
}

/** The 64-bit signal mask of `signals` as 16 hex digits. */
function sigmask(signals: readonly number[]): string {
  let mask = 0n;
  for (const s of signals) if (s >= 1 && s <= 64) mask |= 1n << BigInt(s - 1);
  return mask.toString(16).padStart(16, "0");
}

function vm(key: string, kb: number): string {
  return `${key}:\t${String(kb).padStart(8)} kB\n`;
}

/**
 * /proc/[pid]/status (Linux 6.x, x86-64): the keys and order of `proc_pid_status`. IDs
 * are shown in `viewer`'s user namespace (65534 when unmapped). The model has no memory:
 * every Vm* figure is 0 kB, and a zombie (no mm, no fs) has neither `Umask` nor the
 * memory block, as in Linux.
 * @internal
 */
export function statusText(task: Task, viewer: Credentials, caller: Task | undefined, host: ProcHostInfo): string {
  const running = task.state === "running";
  const creds = task.credentials;
  const state = taskState(task, caller);
  let t = `Name:\t${task.comm}\n`;
  if (running) {
    const umask = task.fsContext.umask();
    t += `Umask:\t${(umask === 0 ? "0" : `0${umask.toString(8)}`).padStart(4, "0")}\n`;
  }
  t += `State:\t${state.letter} (${state.name})\n`;
  t += `Tgid:\t${task.pid}\nNgid:\t0\nPid:\t${task.pid}\nPPid:\t${task.ppid}\nTracerPid:\t0\n`;
  const u = (id: KUID): number => uidText(viewer, id);
  const g = (id: KGID): number => gidText(viewer, id);
  t += `Uid:\t${u(creds.realKUID)}\t${u(creds.effectiveKUID)}\t${u(creds.savedKUID)}\t${u(creds.fsKUID)}\n`;
  t += `Gid:\t${g(creds.realKGID)}\t${g(creds.effectiveKGID)}\t${g(creds.savedKGID)}\t${g(creds.fsKGID)}\n`;
  t += `FDSize:\t${fdTableSize(task)}\n`;
  // Linux prints the groups separated by spaces, then one unconditional trailing space.
  t += `Groups:\t${creds.extraKGIDs.map(g).join(" ")} \n`;
  // No PID namespaces below the root, no process groups or sessions: every task is in
  // init's (1), as in a Linux system where no one called setsid or setpgid.
  t += `NStgid:\t${task.pid}\nNSpid:\t${task.pid}\nNSpgid:\t1\nNSsid:\t1\nKthread:\t0\n`;
  if (running) {
    for (const key of ["VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap", "HugetlbPages"]) {
      t += vm(key, 0);
    }
    t += "CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n";
  }
  const pending = task.pendingSignals();
  const sigLimit = task.limits.get(RLIMIT_SIGPENDING).cur;
  t += `Threads:\t1\nSigQ:\t${pending.length}/${sigLimit === Infinity ? ULONG_MAX : sigLimit}\n`;
  t += `SigPnd:\t${sigmask([])}\nShdPnd:\t${sigmask(pending)}\nSigBlk:\t${sigmask([])}\nSigIgn:\t${sigmask([])}\nSigCgt:\t${sigmask([])}\n`;
  t += `CapInh:\t${creds.inheritableCaps.toString()}\nCapPrm:\t${creds.permittedCaps.toString()}\nCapEff:\t${creds.effectiveCaps.toString()}\n`;
  t += `CapBnd:\t${creds.boundingCaps.toString()}\nCapAmb:\t${creds.ambientCaps.toString()}\n`;
  t += "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n";
  t += "Speculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tunsupported\n";
  const cpus = cpuMask(host.cpuCount());
  t += `Cpus_allowed:\t${cpus.mask}\nCpus_allowed_list:\t${cpus.list}\n`;
  t += "Mems_allowed:\t00000001\nMems_allowed_list:\t0\n";
  t += "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n";
  return t;
}

/**
 * /proc/[pid]/stat: the 52 fields of Linux 6.x's `do_task_stat`. Times are in clock ticks
 * from the kernel's accounting (user time is always 0, system time is time in system
 * calls); the start time is ticks since boot. No memory (vsize, rss and addresses 0), no
 * terminal (tty 0, tpgid -1), process group and session 1 (see statusText).
 * @internal
 */
export function statText(task: Task, caller: Task | undefined): string {
  const state = taskState(task, caller);
  const times = task.cpuTimes();
  const rss = task.limits.get(RLIMIT_RSS).cur;
  const zombie = task.state !== "running";
  const flags = zombie ? PF_RANDOMIZE | PF_EXITING : PF_RANDOMIZE;
  const signal = task.pendingSignals().reduce((m, s) => (s >= 1 && s <= 31 ? m | (1 << (s - 1)) : m), 0) & 0x7fffffff;
  const fields: (number | string)[] = [
    task.pid,
    `(${task.comm})`,
    state.letter,
    task.ppid,
    1, // pgrp
    1, // session
    0, // tty_nr
    -1, // tpgid
    flags,
    0, 0, 0, 0, // minflt cminflt majflt cmajflt
    nsToTicks(times.utimeNs),
    nsToTicks(times.stimeNs),
    0, 0, // cutime cstime
    20, // priority
    0, // nice
    1, // num_threads
    0, // itrealvalue
    nsToTicks(task.startTimeSinceBootNs),
    0, // vsize
    0, // rss
    rss === Infinity ? ULONG_MAX : rss,
    0, 0, 0, 0, 0, // startcode endcode startstack kstkesp kstkeip
    signal,
    0, 0, 0, // blocked sigignore sigcatch
    0, // wchan
    0, 0, // nswap cnswap
    SIGCHLD, // exit_signal
    0, // processor
    0, 0, // rt_priority policy
    0, // delayacct_blkio_ticks
    0, 0, // guest_time cguest_time
    0, 0, 0, 0, 0, 0, 0, // start_data end_data start_brk arg_start arg_end env_start env_end
    zombie ? (task.exitCode & 0xff) << 8 : 0, // exit_code (a wait status)
  ];
  return `${fields.join(" ")}\n`;
}

/** /proc/[pid]/statm: size resident shared text lib data dt, in pages (no memory: 0). @internal */
export function statmText(): string {
  return "0 0 0 0 0 0 0\n";
}

/** /proc/[pid]/io (Linux's do_io_accounting; storage bytes are 0: nothing reaches a disk). @internal */
export function ioText(task: Task): string {
  const io = task.ioCounters();
  return (
    `rchar: ${io.rchar}\nwchar: ${io.wchar}\nsyscr: ${io.syscr}\nsyscw: ${io.syscw}\n` +
    "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n"
  );
}

const LIMIT_NAMES: readonly (readonly [string, string])[] = [
  ["Max cpu time", "seconds"],
  ["Max file size", "bytes"],
  ["Max data size", "bytes"],
  ["Max stack size", "bytes"],
  ["Max core file size", "bytes"],
  ["Max resident set", "bytes"],
  ["Max processes", "processes"],
  ["Max open files", "files"],
  ["Max locked memory", "bytes"],
  ["Max address space", "bytes"],
  ["Max file locks", "locks"],
  ["Max pending signals", "signals"],
  ["Max msgqueue size", "bytes"],
  ["Max nice priority", ""],
  ["Max realtime priority", ""],
  ["Max realtime timeout", "us"],
];

/** /proc/[pid]/limits: Linux's `proc_pid_limits` table. @internal */
export function limitsText(task: Task): string {
  let t = `${"Limit".padEnd(25)} ${"Soft Limit".padEnd(20)} ${"Hard Limit".padEnd(20)} ${"Units".padEnd(10)}\n`;
  for (let i = 0; i < RLIM_NLIMITS; i++) {
    const [name, unit] = LIMIT_NAMES[i] ?? ["", ""];
    const limit = task.limits.get(i);
    const show = (v: number): string => (v === Infinity ? "unlimited" : String(v)).padEnd(20);
    t += `${name.padEnd(25)} ${show(limit.cur)} ${show(limit.max)} ${unit === "" ? "\n" : `${unit.padEnd(10)}\n`}`;
  }
  return t;
}

/** argv or envp as /proc prints them: each string followed by a NUL. @internal */
export function nulSeparated(strings: readonly string[]): string {
  let t = "";
  for (const s of strings) t += `${s}\0`;
  return t;
}

/** The file offset of `file` (0 for files without one, such as pipes). */
function fileOffset(ctx: Context, file: FileDescription): number {
  const impl = file.impl;
  if (impl instanceof DynamicBytesFileDescriptionImpl) return impl.offset();
  try {
    return file.seek(ctx, 0, SEEK_CUR);
  } catch (error) {
    if (isSysError(error)) return 0;
    throw error;
  }
}

/**
 * /proc/[pid]/fdinfo/N: `pos`, `flags` (the status flags with O_CLOEXEC when the
 * descriptor has FD_CLOEXEC, in octal with a leading 0), `mnt_id` and `ino` (Linux's
 * fd.c `seq_show`).
 * @internal
 */
export function fdinfoText(ctx: Context, file: FileDescription, closeOnExec: boolean): string {
  const flags = file.statusFlags() | (closeOnExec ? O_CLOEXEC : 0);
  const ino = file.stat(ctx, { mask: STATX_INO, sync: 0 }).ino;
  return `pos:\t${fileOffset(ctx, file)}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${file.mount().id}\nino:\t${ino}\n`;
}
