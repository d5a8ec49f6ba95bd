// /etc/passwd and /etc/group, read through the task as a C library's getpwnam would.
import { O_RDONLY } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";

/** A line of /etc/passwd. */
export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** A line of /etc/group. */
export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

const decoder = new TextDecoder();

/** Reads a small file as `task`; `undefined` if it cannot be read. */
export function readSmallFile(task: Task, path: string): string | undefined {
  let fd: number;
  try {
    fd = task.open(path, O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = task.read(fd, buf);
      if (n === 0) break;
      chunks.push(buf.slice(0, n));
    }
    let text = "";
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  } catch {
    return undefined;
  } finally {
    task.close(fd);
  }
}

/** Every user in /etc/passwd. */
export function users(task: Task): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of (readSmallFile(task, "/etc/passwd") ?? "").split("\n")) {
    const f = line.split(":");
    if (f.length < 7) continue;
    out.push({ name: f[0] as string, uid: Number(f[2]), gid: Number(f[3]), home: f[5] as string });
  }
  return out;
}

/** Every group in /etc/group. */
export function groups(task: Task): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of (readSmallFile(task, "/etc/group") ?? "").split("\n")) {
    const f = line.split(":");
    if (f.length < 4) continue;
    out.push({ name: f[0] as string, gid: Number(f[2]), members: (f[3] as string).split(",").filter((m) => m !== "") });
  }
  return out;
}

/** The user with this name or UID. */
export function lookupUser(task: Task, key: { name?: string; uid?: number }): PasswdEntry | undefined {
  return users(task).find((u) => (key.name !== undefined ? u.name === key.name : u.uid === key.uid));
}

/** The group with this name or GID. */
export function lookupGroup(task: Task, key: { name?: string; gid?: number }): GroupEntry | undefined {
  return groups(task).find((g) => (key.name !== undefined ? g.name === key.name : g.gid === key.gid));
}

/** A UID as `ls -l` shows it: the user's name, or the number. */
export function userName(task: Task, uid: number): string {
  return lookupUser(task, { uid })?.name ?? String(uid);
}

/** A GID as `ls -l` shows it. */
export function groupName(task: Task, gid: number): string {
  return lookupGroup(task, { gid })?.name ?? String(gid);
}
