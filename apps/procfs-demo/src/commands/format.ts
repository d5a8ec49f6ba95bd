// Formatting shared by the commands: ls -l lines, times, sizes.
import { S_IFCHR, S_IFBLK, S_IFMT, isSysError, modeString, type Statx, type Timespec } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { groupName, userName } from "../shell/users.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SIX_MONTHS_SEC = 182 * 24 * 3600;

/** A time as `ls -l` shows it: `Nov 21 20:38`, or `Nov 21  2024` when not recent. */
export function lsTime(t: Timespec, nowSec: number): string {
  const d = new Date(t.sec * 1000);
  const month = MONTHS[d.getMonth()] as string;
  const day = String(d.getDate()).padStart(2, " ");
  if (Math.abs(nowSec - t.sec) > SIX_MONTHS_SEC) return `${month} ${day}  ${d.getFullYear()}`;
  return `${month} ${day} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** A time as `stat` shows it: `2025-11-21 20:38:01.123456789 +0000`. */
export function statTime(t: Timespec): string {
  const d = new Date(t.sec * 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const tz = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(t.nsec, 9)} ${tz}`;
}

/** The columns of one `ls -l` line before the name. */
export interface LongFields {
  readonly mode: string;
  readonly nlink: string;
  readonly user: string;
  readonly group: string;
  readonly size: string;
  readonly time: string;
}

/** The `ls -l` fields of `st`. */
export function longFields(task: Task, st: Statx, nowSec: number): LongFields {
  const type = st.mode & S_IFMT;
  const size = type === S_IFCHR || type === S_IFBLK ? `${st.rdevMajor}, ${st.rdevMinor}` : String(st.size);
  return {
    mode: modeString(st.mode),
    nlink: String(st.nlink),
    user: userName(task, st.uid),
    group: groupName(task, st.gid),
    size,
    time: lsTime(st.mtime, nowSec),
  };
}

/** Lines of `ls -l`, columns aligned as GNU ls aligns them. */
export function alignLong(rows: readonly { fields: LongFields; name: string; ino?: string }[]): string[] {
  const width = (pick: (f: LongFields) => string): number => Math.max(0, ...rows.map((r) => pick(r.fields).length));
  const w = {
    nlink: width((f) => f.nlink),
    user: width((f) => f.user),
    group: width((f) => f.group),
    size: width((f) => f.size),
  };
  const inoWidth = Math.max(0, ...rows.map((r) => r.ino?.length ?? 0));
  return rows.map(({ fields: f, name, ino }) => {
    const prefix = ino !== undefined ? `${ino.padStart(inoWidth)} ` : "";
    return `${prefix}${f.mode} ${f.nlink.padStart(w.nlink)} ${f.user.padEnd(w.user)} ${f.group.padEnd(w.group)} ${f.size.padStart(w.size)} ${f.time} ${name}`;
  });
}

/** Names in columns, as `ls` prints them to a terminal of `width` columns. */
export function columns(names: readonly string[], width = 80): string {
  if (names.length === 0) return "";
  const colWidth = Math.max(...names.map((n) => n.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / colWidth));
  const rows = Math.ceil(names.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = "";
    for (let c = 0; c < perRow; c++) {
      const name = names[c * rows + r];
      if (name === undefined) continue;
      const last = names[(c + 1) * rows + r] === undefined;
      line += last ? name : name.padEnd(colWidth);
    }
    lines.push(line);
  }
  return `${lines.join("\n")}\n`;
}

/** Sizes as `df -h` and `free -h` print them: 1.5K, 12M, 3.0G. */
export function humanSize(bytes: number): string {
  const units = ["B", "K", "M", "G", "T", "P"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v}${u === 0 ? "" : units[u]}`;
  return `${v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : Math.ceil(v)}${units[u]}`;
}

/** The text of a stat call's failure (`cannot access 'x': No such file or directory`). */
export function isErrno(error: unknown, ...codes: string[]): boolean {
  return isSysError(error) && codes.includes(error.code);
}

/** Whether `fd` of `task` is a terminal-like character device (the console). */
export function isConsole(task: Task, fd: number): boolean {
  try {
    const st = task.fstat(fd);
    return (st.mode & S_IFMT) === S_IFCHR && st.rdevMajor === 5;
  } catch {
    return false;
  }
}
