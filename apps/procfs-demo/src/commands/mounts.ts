// mount, umount, df. Like util-linux and coreutils they read the mount table from
// /proc/self/mounts; while /proc is not mounted they ask the VFS for the same text.
import { MNT_DETACH, MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RDONLY, MS_REC, MS_REMOUNT, isSysError } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { errorText, type CommandEnv, type CommandSpec } from "../shell/command.js";
import { readSmallFile } from "../shell/users.js";
import { humanSize } from "./format.js";

/** One line of /proc/mounts. */
interface MountEntry {
  readonly source: string;
  readonly target: string;
  readonly type: string;
  readonly options: string;
}

/** Undoes /proc/mounts' octal escapes (`\040` for a space). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The task's mount table: /proc/self/mounts, or the VFS's rendering of it. */
export function mountTable(task: Task): MountEntry[] {
  const text = readSmallFile(task, "/proc/self/mounts") ?? task.kernel.vfs.generateProcMounts(task.ctx, task.fsContext.root());
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [source = "", target = "", type = "", options = ""] = line.split(" ");
      return { source: unescape(source), target: unescape(target), type, options };
    });
}

const FLAG_OPTIONS: Record<string, number> = {
  ro: MS_RDONLY,
  nosuid: MS_NOSUID,
  nodev: MS_NODEV,
  noexec: MS_NOEXEC,
  remount: MS_REMOUNT,
  bind: MS_BIND,
  rbind: MS_BIND | MS_REC,
};

async function mount(env: CommandEnv, args: readonly string[]): Promise<number> {
  const task = env.task;
  let type = "";
  const options: string[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-t") type = args[++i] ?? "";
    else if (arg === "-o") options.push(...(args[++i] ?? "").split(","));
    else if (arg === "--bind") options.push("bind");
    else operands.push(arg);
  }
  if (operands.length === 0) {
    const out = mountTable(task)
      .filter((m) => type === "" || m.type === type)
      .map((m) => `${m.source} on ${m.target} type ${m.type} (${m.options})\n`)
      .join("");
    await env.out(out);
    return 0;
  }
  if (operands.length !== 2) {
    await env.error("bad usage: mount -t type [-o options] source target");
    return 1;
  }
  const [source, target] = operands as [string, string];
  let flags = 0;
  const data: string[] = [];
  for (const option of options) {
    if (option === "") continue;
    const flag = FLAG_OPTIONS[option];
    if (flag !== undefined) flags |= flag;
    else if (option !== "rw") data.push(option);
  }
  if (type === "" && (flags & MS_BIND) === 0) type = source;
  try {
    task.mount(source, target, type, flags, data.join(","));
    return 0;
  } catch (error) {
    const code = isSysError(error) ? error.code : "";
    const why =
      code === "EPERM"
        ? "must be superuser to use mount."
        : code === "ENODEV"
          ? `unknown filesystem type '${type}'.`
          : code === "ENOENT"
            ? "mount point does not exist."
            : code === "ENOTDIR"
              ? "mount point is not a directory."
              : `${errorText(error)}.`;
    await env.error(`${target}: ${why}`);
    return 32;
  }
}

async function umount(env: CommandEnv, args: readonly string[]): Promise<number> {
  const lazy = args.includes("-l");
  const targets = args.filter((a) => a !== "-l");
  if (targets.length === 0) {
    await env.error("bad usage: umount [-l] target...");
    return 1;
  }
  let status = 0;
  for (const target of targets) {
    try {
      env.task.umount2(target, lazy ? MNT_DETACH : 0);
    } catch (error) {
      const code = isSysError(error) ? error.code : "";
      const why =
        code === "EBUSY"
          ? "target is busy."
          : code === "EINVAL"
            ? "not mounted."
            : code === "EPERM"
              ? "must be superuser to unmount."
              : code === "ENOENT"
                ? "no mount point specified."
                : `${errorText(error)}.`;
      await env.error(`${target}: ${why}`);
      status = 32;
    }
  }
  return status;
}

async function df(env: CommandEnv, args: readonly string[]): Promise<number> {
  const human = args.includes("-h");
  const all = args.includes("-a");
  const task = env.task;
  const rows: string[][] = [["Filesystem", human ? "Size" : "1K-blocks", "Used", human ? "Avail" : "Available", "Use%", "Mounted on"]];
  let status = 0;
  for (const m of mountTable(task)) {
    try {
      const st = task.statfs(m.target);
      if (st.blocks === 0 && !all) continue;
      const size = st.blocks * st.bsize;
      const used = (st.blocks - st.bfree) * st.bsize;
      const avail = st.bavail * st.bsize;
      const pct = used + avail === 0 ? "-" : `${Math.ceil((used * 100) / (used + avail))}%`;
      const fmt = (bytes: number): string => (human ? humanSize(bytes) : String(Math.ceil(bytes / 1024)));
      rows.push([m.source, fmt(size), fmt(used), fmt(avail), pct, m.target]);
    } catch (error) {
      await env.error(`${m.target}: ${errorText(error)}`);
      status = 1;
    }
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  const out = rows
    .map((r) => r.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(c === 5 ? 0 : (widths[c] ?? 0)) : cell.padStart(widths[c] ?? 0))).join(" "))
    .join("\n");
  await env.out(`${out}\n`);
  return status;
}

/** Mount commands. */
export const mountCommands: Record<string, CommandSpec> = {
  mount: {
    run: mount,
    usage: "mount [-t type] [-o opts] [source target]",
    summary: "list mounts, or mount a filesystem (tmpfs, proc, sysfs; -o ro,nosuid,bind,size=...)",
  },
  umount: { run: umount, usage: "umount [-l] target...", summary: "unmount (target is busy while files are open; -l detaches)" },
  df: { run: df, usage: "df [-h] [-a]", summary: "report filesystem space usage (statfs)" },
};
