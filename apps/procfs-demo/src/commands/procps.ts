// ps, free, uptime: built only from /proc, as procps builds them (readproc.c lists
// /proc/[0-9]* and reads stat, status and cmdline; free reads /proc/meminfo; uptime reads
// /proc/uptime and /proc/loadavg). Nothing here asks the kernel's task registry.
import type { Task } from "@vfskit/kernel";
import { errorText, type CommandEnv, type CommandSpec } from "../shell/command.js";
import { listDirectory } from "../shell/glob.js";
import { readSmallFile, userName } from "../shell/users.js";
import { humanSize } from "./format.js";

/** USER_HZ: the unit of /proc/[pid]/stat's times. */
const CLOCK_TICKS = 100;

/** One process, as read from /proc/[pid]. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly uid: number;
  readonly comm: string;
  readonly cmdline: string;
  readonly cpuTicks: number;
  /** Pipes and FIFOs among its descriptors: `fd:target`. */
  readonly pipes: readonly string[];
}

/** Reads /proc/[pid]; `undefined` if the process is gone (or /proc is not mounted). */
export function readProcess(task: Task, pid: number): ProcessInfo | undefined {
  const stat = readSmallFile(task, `/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // pid (comm) state ppid ... : comm may hold spaces and parentheses; the last ')' ends it.
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  const comm = stat.slice(open + 1, close);
  const fields = stat.slice(close + 2).split(" ");
  const status = readSmallFile(task, `/proc/${pid}/status`) ?? "";
  const uidLine = /^Uid:\s+(\d+)/m.exec(status);
  const rawCmdline = readSmallFile(task, `/proc/${pid}/cmdline`) ?? "";
  const cmdline = rawCmdline.replace(/\0+$/, "").replaceAll("\0", " ");
  const pipes: string[] = [];
  for (const fd of listDirectory(task, `/proc/${pid}/fd`).sort((a, b) => Number(a) - Number(b))) {
    try {
      const target = task.readlink(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith("pipe:") || target.endsWith(".fifo") || isFifo(task, `/proc/${pid}/fd/${fd}`)) pipes.push(`${fd}:${target}`);
    } catch {
      // the descriptor was closed meanwhile
    }
  }
  return {
    pid,
    ppid: Number(fields[1]),
    state: fields[0] ?? "?",
    uid: uidLine === null ? 0 : Number(uidLine[1]),
    comm,
    cmdline: cmdline === "" ? `[${comm}]` : cmdline,
    cpuTicks: Number(fields[11] ?? 0) + Number(fields[12] ?? 0),
    pipes,
  };
}

function isFifo(task: Task, path: string): boolean {
  try {
    return (task.stat(path).mode & 0o170000) === 0o010000;
  } catch {
    return false;
  }
}

/** Every process /proc lists, in PID order. */
export function readProcesses(task: Task): ProcessInfo[] {
  return listDirectory(task, "/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b)
    .flatMap((pid) => readProcess(task, pid) ?? []);
}

function cpuTime(ticks: number): string {
  const sec = Math.floor(ticks / CLOCK_TICKS);
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}`;
}

async function ps(env: CommandEnv, args: readonly string[]): Promise<number> {
  const task = env.task;
  if (readSmallFile(task, "/proc/self/stat") === undefined) {
    await env.error("/proc is not mounted (ps reads /proc, as procps does)");
    return 1;
  }
  const wantPipes = !args.includes("--no-pipes");
  const rows = readProcesses(task).map((p) => [
    userName(task, p.uid),
    String(p.pid),
    String(p.ppid),
    p.state,
    cpuTime(p.cpuTicks),
    p.cmdline,
    wantPipes ? p.pipes.join(" ") : "",
  ]);
  const header = ["USER", "PID", "PPID", "S", "TIME", "CMD", wantPipes ? "PIPES" : ""];
  const all = [header, ...rows];
  const width = (c: number): number => Math.max(...all.map((r) => (r[c] ?? "").length));
  const cmdWidth = Math.min(width(5), 40);
  // Numbers right-aligned, text left-aligned, as procps aligns them.
  const out = all
    .map((r) => {
      const [user = "", pid = "", ppid = "", s = "", time = "", cmd = "", pipes = ""] = r;
      const shown = cmd.length > cmdWidth ? `${cmd.slice(0, cmdWidth - 1)}…` : cmd;
      const cells = [user.padEnd(width(0)), pid.padStart(width(1)), ppid.padStart(width(2)), s.padEnd(width(3)), time.padStart(width(4)), shown.padEnd(cmdWidth), pipes];
      return cells.join(" ").trimEnd();
    })
    .join("\n");
  await env.out(`${out}\n`);
  return 0;
}

/** /proc/meminfo as a map of field to kB. */
function meminfo(task: Task): Map<string, number> | undefined {
  const text = readSmallFile(task, "/proc/meminfo");
  if (text === undefined) return undefined;
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m !== null) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

async function free(env: CommandEnv, args: readonly string[]): Promise<number> {
  const info = meminfo(env.task);
  if (info === undefined) {
    await env.error("/proc/meminfo: cannot read it (is /proc mounted?)");
    return 1;
  }
  const kb = (name: string): number => info.get(name) ?? 0;
  const total = kb("MemTotal");
  const memFree = kb("MemFree");
  const buffCache = kb("Buffers") + kb("Cached") + kb("SReclaimable");
  const available = info.has("MemAvailable") ? kb("MemAvailable") : memFree;
  // procps 4: used = total - available.
  const used = Math.max(0, total - available);
  const unit = args.includes("-h") ? "h" : args.includes("-m") ? "m" : "k";
  const show = (v: number): string => (unit === "h" ? humanSize(v * 1024) : unit === "m" ? String(Math.floor(v / 1024)) : String(v));
  const row = (label: string, values: number[]): string => label.padEnd(7) + values.map((v) => show(v).padStart(12)).join("");
  const lines = [
    `${"".padEnd(7)}${["total", "used", "free", "shared", "buff/cache", "available"].map((h) => h.padStart(12)).join("")}`,
    row("Mem:", [total, used, memFree, kb("Shmem"), buffCache, available]),
    row("Swap:", [kb("SwapTotal"), kb("SwapTotal") - kb("SwapFree"), kb("SwapFree")]),
  ];
  await env.out(`${lines.join("\n")}\n`);
  return 0;
}

/** `up 5 min`, `up 2:03`, `up 3 days, 4:05`, as procps prints uptime. */
export function formatUptime(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor(seconds / 3600) % 24;
  const minutes = Math.floor(seconds / 60) % 60;
  let out = "up ";
  if (days > 0) out += `${days} day${days === 1 ? "" : "s"}, `;
  out += hours > 0 ? `${String(hours).padStart(2)}:${String(minutes).padStart(2, "0")}` : `${minutes} min`;
  return out;
}

async function uptime(env: CommandEnv, _args: readonly string[]): Promise<number> {
  const task = env.task;
  const up = readSmallFile(task, "/proc/uptime");
  if (up === undefined) {
    await env.error("/proc/uptime: cannot read it (is /proc mounted?)");
    return 1;
  }
  const seconds = Number(up.split(" ")[0]);
  const load = (readSmallFile(task, "/proc/loadavg") ?? "0.00 0.00 0.00").split(" ").slice(0, 3).join(", ");
  const now = new Date(task.kernel.clock.now().sec * 1000);
  const clock = [now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  try {
    await env.out(` ${clock} ${formatUptime(seconds)},  1 user,  load average: ${load}\n`);
  } catch (error) {
    await env.error(errorText(error));
    return 1;
  }
  return 0;
}

/** Commands built from /proc. */
export const procpsCommands: Record<string, CommandSpec> = {
  ps: { run: ps, usage: "ps [--no-pipes]", summary: "list processes from /proc (with the pipes and FIFOs each holds)" },
  free: { run: free, usage: "free [-h|-m]", summary: "memory usage from /proc/meminfo" },
  uptime: { run: uptime, usage: "uptime", summary: "time since boot from /proc/uptime and /proc/loadavg" },
};
