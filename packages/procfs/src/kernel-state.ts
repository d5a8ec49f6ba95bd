// What procfs remembers about a kernel beyond what the kernel keeps: sysctl values that
// only /proc sets, the boot ID, the load average, CPU time of tasks already reaped, and
// per-task knobs (oom_score_adj, coredump_filter). One state per kernel, shared by every
// procfs mount of it.
import type { Kernel, Task } from "@vfskit/kernel";
import { randomUUID, type ProcHostInfo } from "./host-info.js";

/** Linux's FSHIFT fixed-point load average constants (kernel/sched/loadavg.c). */
const FIXED_1 = 1 << 11;
const EXP_1 = 1884;
const EXP_5 = 2014;
const EXP_15 = 2037;
/** LOAD_FREQ: the load average is sampled every 5 seconds (+1 tick). */
const LOAD_FREQ_NS = 5_000_000_000 + 10_000_000;

function calcLoad(load: number, exp: number, active: number): number {
  let newload = load * exp + active * (FIXED_1 - exp);
  if (active >= load) newload += FIXED_1 - 1;
  return Math.floor(newload / FIXED_1);
}

/** The procfs state of one kernel. @internal */
export class KernelProcState {
  readonly kernel: Kernel;
  readonly host: ProcHostInfo;
  /** /proc/sys/kernel/random/boot_id: fixed for the kernel's life. */
  readonly bootId: string;
  /** kernel.yama.ptrace_scope (Linux's default with Yama: 1). */
  ptraceScope = 1;
  /** kernel.keys.maxkeys (Linux's default: 200). */
  maxKeys = 200;
  /** fs.nr_open (Linux's default: 1048576). */
  nrOpen = 1_048_576;
  /** oom_score_adj per task (default 0). */
  readonly oomScoreAdj = new WeakMap<Task, number>();
  /** coredump_filter per task (Linux's default: 0x33). */
  readonly coredumpFilter = new WeakMap<Task, number>();
  #load: [number, number, number] = [0, 0, 0];
  #loadSampledNs: number;
  /** System time (ns) last seen per task, and the total of tasks no longer listed. */
  readonly #stimeSeen = new Map<Task, number>();
  #stimeRetired = 0;
  #lastPid = 1;
  #lastStart = -Infinity;

  constructor(kernel: Kernel, host: ProcHostInfo) {
    this.kernel = kernel;
    this.host = host;
    this.bootId = randomUUID(host);
    this.#loadSampledNs = kernel.uptimeNs();
  }

  /**
   * The 1, 5 and 15 minute load averages in FSHIFT fixed point, advanced to now the way
   * Linux's `calc_global_load` does every 5 seconds, with the number of running tasks as
   * the active count for the intervals since the last reading (the model has no
   * scheduler to sample between readings).
   */
  loadAverage(): readonly [number, number, number] {
    const now = this.kernel.uptimeNs();
    let intervals = Math.floor((now - this.#loadSampledNs) / LOAD_FREQ_NS);
    if (intervals > 0) {
      this.#loadSampledNs += intervals * LOAD_FREQ_NS;
      const active = this.runningTasks() * FIXED_1;
      // After ~10 000 intervals every average has converged; skip the rest.
      intervals = Math.min(intervals, 10_000);
      let [a, b, c] = this.#load;
      for (let i = 0; i < intervals; i++) {
        a = calcLoad(a, EXP_1, active);
        b = calcLoad(b, EXP_5, active);
        c = calcLoad(c, EXP_15, active);
      }
      this.#load = [a, b, c];
    }
    return this.#load;
  }

  /** Tasks not yet exited (the model's "running" state). */
  runningTasks(): number {
    let n = 0;
    for (const task of this.kernel.tasks()) if (task.state === "running") n++;
    return n;
  }

  /**
   * The most recently allocated PID, as far as procfs can tell: the task started last
   * among those it has seen (the kernel does not publish its PID allocator's position).
   */
  lastPid(): number {
    for (const task of this.kernel.tasks()) {
      const start = task.startTimeSinceBootNs;
      if (start > this.#lastStart || (start === this.#lastStart && task.pid > this.#lastPid)) {
        this.#lastStart = start;
        this.#lastPid = task.pid;
      }
    }
    return this.#lastPid;
  }

  /**
   * Total system time of every task procfs has seen, in nanoseconds: the live ones now,
   * plus the last value seen of those reaped since.
   */
  totalSystemTimeNs(): number {
    const live = new Set(this.kernel.tasks());
    for (const [task, ns] of this.#stimeSeen) {
      if (live.has(task)) continue;
      this.#stimeRetired += ns;
      this.#stimeSeen.delete(task);
    }
    let total = this.#stimeRetired;
    for (const task of live) {
      const ns = task.cpuTimes().stimeNs;
      this.#stimeSeen.set(task, ns);
      total += ns;
    }
    return total;
  }
}

const states = new WeakMap<Kernel, KernelProcState>();

/** The procfs state of `kernel`, created on first use. @internal */
export function kernelProcState(kernel: Kernel, host: ProcHostInfo): KernelProcState {
  let state = states.get(kernel);
  if (state === undefined) {
    state = new KernelProcState(kernel, host);
    states.set(kernel, state);
  }
  return state;
}
