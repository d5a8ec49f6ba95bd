// /proc/[pid], /proc/[pid]/task/[tid] and their subdirectories fd/, fdinfo/, ns/ and
// task/. Twin of gVisor's pkg/sentry/fsimpl/proc/task.go, task_fds.go, subtasks.go
// (Linux's fs/proc/base.c, fd.c, namespaces.c).
import { DT_DIR, DT_LNK, DT_REG, O_ACCMODE, O_RDONLY, O_WRONLY, SysError } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import type { Dentry, Inode } from "@vfskit/kernfs";
import { taskFromContext, type Task } from "@vfskit/kernel";
import { rootFromContext, type AccessTypes, type Context, type IterDirentsCallback, type Mount, type VirtualDentry } from "@vfskit/vfs";
import { checkAlive, checkPtraceRead } from "./access.js";
import { identity, procInternals, type ProcFilesystem } from "./filesystem.js";
import { ProcDirectory, ProcFile, ProcSymlink, type ChangeSource } from "./proc-inodes.js";
import { textSource } from "./sources.js";
import { fdinfoText } from "./task-formats.js";
import { taskFileEntries, taskTextFile } from "./task-files.js";

/** Parses a decimal directory name as Linux's `name_to_int` does (no sign, no leading 0). */
export function nameToInt(name: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(name)) return undefined;
  const n = Number(name);
  return n <= 0x7fffffff ? n : undefined;
}

/** The mode bits of /proc/[pid]/fd/N: r-x, -wx or rwx for the owner, by access mode (Linux's `tid_fd_update_inode`). */
function fdLinkPerm(flags: number): number {
  switch (flags & O_ACCMODE) {
    case O_RDONLY:
      return 0o500;
    case O_WRONLY:
      return 0o300;
    default:
      return 0o700;
  }
}

/**
 * /proc/[pid]/fd: one magic link per open descriptor (DT_LNK), named by its number, at
 * directory offset N + 2. Mode 0500; the task's own thread group may always read it
 * (Linux's `proc_fd_permission`).
 */
class FDDirectory extends ProcDirectory {
  readonly #fs: ProcFilesystem;

  constructor(ctx: Context, fs: ProcFilesystem, task: Task, readonly info: boolean) {
    super(ctx, identity(fs, task), info ? 0o555 : 0o500);
    this.#fs = fs;
  }

  override checkPermissions(ctx: Context, creds: Credentials, ats: AccessTypes): void {
    if (!this.info && taskFromContext(ctx) === this.task) return;
    super.checkPermissions(ctx, creds, ats);
  }

  override lookup(ctx: Context, name: string): Inode | undefined {
    const task = this.task as Task;
    const fd = nameToInt(name);
    if (fd === undefined || task.state !== "running") return undefined;
    const file = task.fdTable.get(fd);
    if (file === undefined) return undefined;
    return this.info ? fdinfoFile(ctx, this.#fs, task, fd) : fdLink(ctx, this.#fs, task, fd, fdLinkPerm(file.statusFlags()));
  }

  override iterDirents(_ctx: Context, _mnt: Mount, cb: IterDirentsCallback, offset: number, relOffset: number): number {
    const task = this.task as Task;
    if (task.state !== "running") return offset;
    for (const { fd } of task.fdTable.entries()) {
      if (fd < relOffset) continue;
      if (!cb({ name: String(fd), type: this.info ? DT_REG : DT_LNK, ino: this.#fs.nextIno(), nextOff: fd + 3 })) return offset;
      offset = fd + 3;
    }
    return offset;
  }
}

/** The description open at `fd` in `task`, or ENOENT. */
function openFile(task: Task, fd: number): { file: NonNullable<ReturnType<Task["fdTable"]["get"]>>; closeOnExec: boolean } {
  const file = task.state === "running" ? task.fdTable.get(fd) : undefined;
  if (file === undefined) throw new SysError("ENOENT", { detail: `fd ${fd} is not open in task ${task.pid}` });
  return { file, closeOnExec: task.fdTable.getFlags(fd).closeOnExec };
}

/**
 * /proc/[pid]/fd/N: a magic link to the description's position. readlink gives its path
 * from the caller's root (`pipe:[ino]` for a pipe, ` (deleted)` for a removed file);
 * following it jumps there, so opening it opens the file anew (a pipe's read end reopens
 * as a new reader). Needs ptrace-read access (EACCES). The link holds no reference on the
 * file: it is valid while the descriptor is open.
 */
function fdLink(ctx: Context, fs: ProcFilesystem, task: Task, fd: number, perm: number): ProcSymlink {
  const position = (c: Context): VirtualDentry => {
    checkPtraceRead(c, task, "readlink");
    return openFile(task, fd).file.vd;
  };
  const link = new ProcSymlink(ctx, {
    ...identity(fs, task),
    perm,
    readlink: (c) => fs.vfs.pathnameWithDeleted(c, rootFromContext(c), position(c)),
    getlink: (c) => {
      const vd = position(c);
      vd.incRef();
      return vd;
    },
  });
  // Linux's tid_fd_revalidate: the entry stands while the descriptor is open.
  link.valid = (): boolean => task.state === "running" && task.fdTable.get(fd) !== undefined;
  return link;
}

/** /proc/[pid]/fdinfo/N (0444): see `fdinfoText`. ENOENT once the descriptor is closed. */
function fdinfoFile(ctx: Context, fs: ProcFilesystem, task: Task, fd: number): ProcFile {
  const file = new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o444,
    data: textSource((c) => {
      checkAlive(task);
      const open = openFile(task, fd);
      return fdinfoText(c, open.file, open.closeOnExec);
    }),
  });
  file.valid = (): boolean => task.state === "running" && task.fdTable.get(fd) !== undefined;
  return file;
}

/** Linux 6.x's fixed inode numbers of the initial namespaces (include/linux/proc_ns.h). */
const INIT_NS_INO = { ipc: 0xefffffff, uts: 0xeffffffe, user: 0xeffffffd, pid: 0xeffffffc, cgroup: 0xeffffffb, time: 0xeffffffa, net: 0xeffffff9, mnt: 0xeffffff8 } as const;
/** Dynamic namespace inode numbers start here (PROC_DYNAMIC_FIRST). */
const PROC_DYNAMIC_FIRST = 0xf0000000;
const dynamicNsIno = new WeakMap<object, number>();
let lastDynamicNsIno = PROC_DYNAMIC_FIRST;

function nsIno(ns: object, initial: boolean, fixed: number): number {
  if (initial) return fixed;
  let ino = dynamicNsIno.get(ns);
  if (ino === undefined) {
    ino = ++lastDynamicNsIno;
    dynamicNsIno.set(ns, ino);
  }
  return ino;
}

/** `type:[ino]` of namespace link `name` of `task`. */
function nsTarget(fs: ProcFilesystem, task: Task, name: string): string {
  const kernel = fs.kernel;
  switch (name) {
    case "mnt":
      return `mnt:[${nsIno(task.mountNamespace, task.mountNamespace === kernel.rootMountNamespace, INIT_NS_INO.mnt)}]`;
    case "user": {
      const userns = task.credentials.userNamespace;
      return `user:[${nsIno(userns, userns.parent === undefined, INIT_NS_INO.user)}]`;
    }
    case "pid":
    case "pid_for_children":
      return `pid:[${INIT_NS_INO.pid}]`;
    case "uts":
      return `uts:[${INIT_NS_INO.uts}]`;
    case "time":
    case "time_for_children":
      return `time:[${INIT_NS_INO.time}]`;
    default:
      // net, ipc, cgroup: the model has one of each (the initial one), with no behaviour.
      return `${name}:[${INIT_NS_INO[name as "net" | "ipc" | "cgroup"]}]`;
  }
}

/** ns/ entries in Linux's order (fs/proc/namespaces.c ns_entries). */
const NS_NAMES = ["net", "uts", "ipc", "pid", "pid_for_children", "user", "mnt", "cgroup", "time", "time_for_children"];

/**
 * /proc/[pid]/ns/NAME: readlink gives `type:[inode]` (ptrace-read access required:
 * EACCES; ENOENT for a zombie, which has no namespaces). The kernel model has no nsfs, so
 * the links cannot be followed: opening or stat-ing through them is ENOENT (Linux opens
 * the namespace file).
 */
function nsLink(ctx: Context, fs: ProcFilesystem, task: Task, name: string): ProcSymlink {
  const target = (c: Context): string => {
    checkPtraceRead(c, task, "readlink");
    if (task.state !== "running") throw new SysError("ENOENT", { detail: "the task has no namespaces" });
    return nsTarget(fs, task, name);
  };
  return new ProcSymlink(ctx, {
    ...identity(fs, task),
    readlink: target,
    getlink: (c) => {
      target(c);
      throw new SysError("ENOENT", { detail: "no nsfs: namespace files cannot be opened" });
    },
  });
}

/** /proc/[pid]/task: the thread IDs of the group (here: the task's own). */
class TaskListDirectory extends ProcDirectory {
  readonly #fs: ProcFilesystem;

  constructor(ctx: Context, fs: ProcFilesystem, task: Task) {
    super(ctx, identity(fs, task), 0o555);
    this.#fs = fs;
  }

  override lookup(ctx: Context, name: string): Inode | undefined {
    const task = this.task as Task;
    if (!this.alive() || nameToInt(name) !== task.tid) return undefined;
    return new TaskDirectory(ctx, this.#fs, task, "thread");
  }

  override iterDirents(_ctx: Context, _mnt: Mount, cb: IterDirentsCallback, offset: number, relOffset: number): number {
    const task = this.task as Task;
    if (relOffset > 0 || !this.alive()) return offset;
    if (!cb({ name: String(task.tid), type: DT_DIR, ino: this.#fs.nextIno(), nextOff: offset + 1 })) return offset;
    return offset + 1;
  }
}

/**
 * /proc/[pid] ("process") or /proc/[pid]/task/[tid] ("thread"): mode 0555, owned by the
 * task's effective IDs. Valid until the task is reaped: then its dentries are
 * invalidated (with everything below), lookups in it find nothing (ENOENT), listing it is
 * ENOENT and reading its open files ESRCH.
 * @internal
 */
export class TaskDirectory extends ProcDirectory {
  readonly #fs: ProcFilesystem;
  readonly #task: Task;
  readonly #dentries = new Set<Dentry>();

  constructor(ctx: Context, fs: ProcFilesystem, task: Task, kind: "process" | "thread") {
    super(ctx, identity(fs, task), 0o555, taskEntries(ctx, fs, task, kind));
    this.#fs = fs;
    this.#task = task;
    procInternals(fs).taskDirectories.add(this);
  }

  /** Reports whether the PID still names this task, not yet reaped. */
  isCurrent(): boolean {
    return this.#task.state !== "dead" && this.#fs.kernel.task(this.#task.pid) === this.#task;
  }

  /** Valid while the PID still names this task (Linux's `pid_revalidate`). */
  override valid(_ctx: Context, _parent: Dentry, _name: string): boolean {
    return this.isCurrent();
  }

  override registerDentry(d: Dentry): void {
    this.#dentries.add(d);
  }

  override unregisterDentry(d: Dentry): void {
    this.#dentries.delete(d);
  }

  /** The dentries standing for this directory now. */
  dentries(): Dentry[] {
    return [...this.#dentries];
  }

  protected override destroy(ctx: Context): void {
    procInternals(this.#fs).taskDirectories.delete(this);
    super.destroy(ctx);
  }
}

function taskEntries(ctx: Context, fs: ProcFilesystem, task: Task, kind: "process" | "thread"): [string, Inode][] {
  const files = taskFileEntries(ctx, fs, task, task.state === "running" ? mountChanges(task) : undefined);
  const entries: [string, Inode][] = [];
  const take = (name: string): void => {
    const inode = files.get(name);
    if (inode !== undefined) entries.push([name, inode]);
  };
  if (kind === "process") entries.push(["task", new TaskListDirectory(ctx, fs, task)]);
  entries.push(["fd", new FDDirectory(ctx, fs, task, false)]);
  entries.push(["fdinfo", new FDDirectory(ctx, fs, task, true)]);
  entries.push(["ns", new ProcDirectory(ctx, identity(fs, task), 0o511, NS_NAMES.map((n) => [n, nsLink(ctx, fs, task, n)] as [string, Inode]))]);
  for (const name of ["environ", "status", "limits", "comm", "cmdline", "stat", "statm"]) take(name);
  if (kind === "thread") {
    entries.push([
      "children",
      taskTextFile(ctx, fs, task, 0o444, () => task.children().map((c) => `${c.pid} `).join("")),
    ]);
  }
  for (const name of ["cwd", "root", "exe", "mounts", "mountinfo", "oom_score", "oom_score_adj", "coredump_filter", "io", "uid_map", "gid_map", "setgroups"]) {
    take(name);
  }
  return entries;
}

/** The change source of the task's mount namespace (mounts and mountinfo poll on it). */
function mountChanges(task: Task): ChangeSource {
  return task.mountNamespace.poller;
}
