// The /proc root: the system files, /proc/sys, `self`, `thread-self` and one directory per
// process. Twin of gVisor's pkg/sentry/fsimpl/proc/tasks.go and tasks_files.go (Linux's
// fs/proc/root.c, base.c proc_pid_readdir / proc_pid_lookup, self.c, thread_self.c).
import { DT_DIR, DT_LNK, SysError, type Statx } from "@vfskit/abi";
import type { Inode } from "@vfskit/kernfs";
import { PID_MAX, taskFromContext } from "@vfskit/kernel";
import { StaticData, type Context, type Filesystem as VfsFilesystem, type IterDirentsCallback, type Mount, type StatOptions } from "@vfskit/vfs";
import { identity, procInternals, type ProcFilesystem } from "./filesystem.js";
import { ProcDirectory, ProcFile, ProcSymlink } from "./proc-inodes.js";
import { textSource } from "./sources.js";
import { sysDirectory } from "./sys.js";
import { cmdlineText, cpuinfoText, devicesText, loadavgText, meminfoText, statText, uptimeText, versionText } from "./system-files.js";
import { TaskDirectory, nameToInt } from "./task-dir.js";

/** The directory offset of `self` (Linux's FIRST_PROCESS_ENTRY); `thread-self` follows. @public */
export const FIRST_PROCESS_ENTRY = 256;
/** The offset of PID p's entry is TGID_OFFSET + p (Linux's TGID_OFFSET). @public */
export const TGID_OFFSET = FIRST_PROCESS_ENTRY + 2;
/** The offset past every PID: the end of a /proc listing. */
const END_OFFSET = TGID_OFFSET + PID_MAX;

/** The caller's task, or ENOENT (Linux: a caller without a PID in the namespace). */
function callerOrENOENT(ctx: Context): ReturnType<typeof taskFromContext> & object {
  const task = taskFromContext(ctx);
  if (task === undefined) throw new SysError("ENOENT", { syscall: "readlink", detail: "no calling task" });
  return task;
}

/**
 * The root directory of a procfs filesystem (inode 1).
 * @internal
 */
export class ProcRoot extends ProcDirectory {
  readonly #fs: ProcFilesystem;
  readonly #self: ProcSymlink;
  readonly #threadSelf: ProcSymlink;

  constructor(ctx: Context, fs: ProcFilesystem) {
    const id = identity(fs); // inode 1: the first number the filesystem hands out
    super(ctx, id, 0o555, rootEntries(ctx, fs));
    this.#fs = fs;
    this.#self = new ProcSymlink(ctx, { ...identity(fs), readlink: (c) => String(callerOrENOENT(c).pid) });
    this.#threadSelf = new ProcSymlink(ctx, {
      ...identity(fs),
      readlink: (c) => {
        const task = callerOrENOENT(c);
        return `${task.pid}/task/${task.tid}`;
      },
    });
  }

  /** The link count: 2, plus the subdirectories, plus one per process (Linux's proc_root_getattr). */
  override stat(ctx: Context, fs: VfsFilesystem, opts: StatOptions): Statx {
    const stat = super.stat(ctx, fs, opts);
    return { ...stat, nlink: stat.nlink + this.#fs.kernel.pidNamespace.size };
  }

  /**
   * A fixed entry, `self`, `thread-self`, or a PID. Any thread ID resolves, including a
   * zombie's; a reaped task's does not.
   */
  override lookup(ctx: Context, name: string): Inode | undefined {
    this.#fs.pruneExitedTasks(ctx);
    const fixed = super.lookup(ctx, name);
    if (fixed !== undefined) return fixed;
    if (name === "self") return this.#self;
    if (name === "thread-self") return this.#threadSelf;
    const pid = nameToInt(name);
    if (pid === undefined) return undefined;
    const task = this.#fs.kernel.task(pid);
    if (task === undefined || task.state === "dead") return undefined;
    return new TaskDirectory(ctx, this.#fs, task, "process");
  }

  /**
   * After the fixed entries: `self` at offset 256, `thread-self` at 257, then each
   * process P at 258 + P, in PID order (only thread-group leaders are listed; every task
   * is one here). Resuming at an offset lists the processes whose entry is at or after it.
   */
  override iterDirents(ctx: Context, _mnt: Mount, cb: IterDirentsCallback, offset: number, _relOffset: number): number {
    this.#fs.pruneExitedTasks(ctx);
    if (offset >= END_OFFSET) return offset;
    if (offset < FIRST_PROCESS_ENTRY) offset = FIRST_PROCESS_ENTRY;
    if (offset === FIRST_PROCESS_ENTRY) {
      if (!cb({ name: "self", type: DT_LNK, ino: this.#self.attrs.ino(), nextOff: offset + 1 })) return offset;
      offset++;
    }
    if (offset === FIRST_PROCESS_ENTRY + 1) {
      if (!cb({ name: "thread-self", type: DT_LNK, ino: this.#threadSelf.attrs.ino(), nextOff: offset + 1 })) return offset;
      offset++;
    }
    const first = offset - TGID_OFFSET;
    for (const task of this.#fs.kernel.tasks()) {
      if (task.pid < first || task.state === "dead") continue;
      const next = TGID_OFFSET + task.pid + 1;
      if (!cb({ name: String(task.pid), type: DT_DIR, ino: this.#fs.nextIno(), nextOff: next })) return offset;
      offset = next;
    }
    return END_OFFSET;
  }
}

/** The fixed entries of /proc, in listing order. */
function rootEntries(ctx: Context, fs: ProcFilesystem): [string, Inode][] {
  const state = procInternals(fs).state;
  const file = (perm: number, text: (c: Context) => string, setAttr = false): ProcFile =>
    new ProcFile(ctx, { ...identity(fs), perm, data: textSource(text), setAttr });
  const emptyDir = (): ProcDirectory => new ProcDirectory(ctx, identity(fs), 0o555);
  return [
    ["bus", emptyDir()],
    ["cmdline", file(0o444, () => cmdlineText(state), true)],
    ["cpuinfo", file(0o444, () => cpuinfoText(state), true)],
    ["devices", file(0o444, () => devicesText(), true)],
    ["filesystems", file(0o444, () => fs.vfs.procFilesystems())],
    ["fs", emptyDir()],
    ["irq", emptyDir()],
    ["loadavg", file(0o444, () => loadavgText(state), true)],
    ["meminfo", file(0o444, () => meminfoText(state), true)],
    ["modules", file(0o444, () => "")],
    ["mounts", new ProcSymlink(ctx, { ...identity(fs), readlink: () => "self/mounts" })],
    ["stat", file(0o444, () => statText(state), true)],
    ["sys", sysDirectory(ctx, fs)],
    // Mode 0200 with nothing behind it: opening for writing works, writing is EIO.
    ["sysrq-trigger", new ProcFile(ctx, { ...identity(fs), perm: 0o200, data: new StaticData("") })],
    ["uptime", file(0o444, () => uptimeText(state), true)],
    ["version", file(0o444, () => versionText(state), true)],
  ];
}
