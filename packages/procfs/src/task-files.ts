// The files of /proc/[pid] and /proc/[pid]/task/[tid]: generated text files, the writable
// knobs (comm, oom_score_adj, coredump_filter, uid_map, gid_map, setgroups) and the magic
// links cwd, root and exe. Twin of gVisor's pkg/sentry/fsimpl/proc/task_files.go (Linux's
// fs/proc/base.c, array.c, namespaces.c).
import { Capability, PAGE_SIZE, SysError } from "@vfskit/abi";
import { formatIDMap, type IDMapEntry } from "@vfskit/auth";
import { taskFromContext, type Task } from "@vfskit/kernel";
import { MAY_WRITE, accessTypesForOpenFlags, rootFromContext, type Context, type VirtualDentry } from "@vfskit/vfs";
import { checkAlive, checkPtraceRead } from "./access.js";
import { identity, procInternals, type ProcFilesystem } from "./filesystem.js";
import { ProcFile, ProcSymlink, type ChangeSource } from "./proc-inodes.js";
import { decodeText, parseIntegerWrite, textSource, writableSource } from "./sources.js";
import { ioText, limitsText, nulSeparated, statText, statmText, statusText } from "./task-formats.js";

/** A text file of `task`: regenerated at each read, ESRCH once the task is reaped. */
export function taskTextFile(ctx: Context, fs: ProcFilesystem, task: Task, perm: number, text: (ctx: Context) => string, extra: { ptrace?: boolean } = {}): ProcFile {
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm,
    data: textSource((c) => {
      checkAlive(task);
      if (extra.ptrace === true) checkPtraceRead(c, task, "read");
      return text(c);
    }),
    ...(extra.ptrace === true ? { checkOpen: (c: Context) => checkPtraceRead(c, task, "open") } : {}),
  });
}

/**
 * /proc/[pid]/comm: `comm\n`. Any task of the thread group may read and write it whatever
 * the mode (Linux's `proc_tid_comm_permission`); a write from another process is EINVAL.
 * A write keeps its first 15 bytes, newline included, as Linux does (`echo x > comm`
 * names the task "x\n"), and returns the full count.
 */
function commFile(ctx: Context, fs: ProcFilesystem, task: Task): ProcFile {
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o644,
    grant: (c) => taskFromContext(c) === task,
    data: writableSource(
      () => {
        checkAlive(task);
        return `${task.comm}\n`;
      },
      (c, _fd, src) => {
        checkAlive(task);
        if (taskFromContext(c) !== task) throw new SysError("EINVAL", { syscall: "write", detail: "comm of another process" });
        const bytes = src.subarray(0, 15);
        const nul = bytes.indexOf(0);
        task.setComm(decodeText(nul < 0 ? bytes : bytes.subarray(0, nul)));
        return src.length;
      },
    ),
  });
}

/** /proc/[pid]/oom_score_adj: an integer in [-1000, 1000]; lowering below 0 needs CAP_SYS_RESOURCE. */
function oomScoreAdjFile(ctx: Context, fs: ProcFilesystem, task: Task): ProcFile {
  const state = procInternals(fs).state;
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o644,
    data: writableSource(
      () => {
        checkAlive(task);
        return `${state.oomScoreAdj.get(task) ?? 0}\n`;
      },
      (c, _fd, src, offset) => {
        const value = parseIntegerWrite(src, -1000, 1000, offset);
        if (task.state !== "running") throw new SysError("ESRCH", { syscall: "write" });
        // Linux: going below the minimum set by a privileged writer (0 by default) needs
        // CAP_SYS_RESOURCE (EACCES).
        if (value < 0 && value < (state.oomScoreAdj.get(task) ?? 0) && !c.credentials.hasRootCapability(Capability.CAP_SYS_RESOURCE)) {
          throw new SysError("EACCES", { syscall: "write", detail: "lowering oom_score_adj needs CAP_SYS_RESOURCE" });
        }
        state.oomScoreAdj.set(task, value);
        return src.length;
      },
    ),
  });
}

/** /proc/[pid]/coredump_filter: `%08x\n`, default 0x33; writes take an integer (base 0). */
function coredumpFilterFile(ctx: Context, fs: ProcFilesystem, task: Task): ProcFile {
  const state = procInternals(fs).state;
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o644,
    data: writableSource(
      () => {
        checkAlive(task);
        return `${(state.coredumpFilter.get(task) ?? 0x33).toString(16).padStart(8, "0")}\n`;
      },
      (_c, _fd, src, offset) => {
        const value = parseIntegerWrite(src, 0, 0xffffffff, offset);
        checkAlive(task);
        state.coredumpFilter.set(task, value & 0x1ff);
        return src.length;
      },
    ),
  });
}

/**
 * Parses an ID map written to uid_map or gid_map (Linux's `map_write`): at offset 0, less
 * than a page, lines of three unsigned integers separated by whitespace; trailing newlines
 * and NULs are ignored.
 * @throws EINVAL - a write past offset 0, a page or more, or a malformed line.
 */
function parseIDMap(src: Uint8Array, offset: number): IDMapEntry[] {
  if (offset !== 0 || src.length >= PAGE_SIZE) throw new SysError("EINVAL", { syscall: "write", detail: "ID maps are written at once, at offset 0, in less than a page" });
  const text = decodeText(src).replace(/[\n\0]+$/, "");
  const entries: IDMapEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (m === null) throw new SysError("EINVAL", { syscall: "write", detail: `bad ID map line ${JSON.stringify(line)}` });
    entries.push({ firstID: Number(m[1]), firstParentID: Number(m[2]), length: Number(m[3]) });
  }
  return entries;
}

/** /proc/[pid]/uid_map or gid_map of the task's user namespace. */
function idMapFile(ctx: Context, fs: ProcFilesystem, task: Task, kind: "uid" | "gid"): ProcFile {
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o644,
    data: writableSource(
      (c) => {
        checkAlive(task);
        const ns = task.credentials.userNamespace;
        return formatIDMap(kind === "uid" ? ns.uidMap(c.credentials.userNamespace) : ns.gidMap(c.credentials.userNamespace));
      },
      (c, _fd, src, offset) => {
        const entries = parseIDMap(src, offset);
        checkAlive(task);
        const ns = task.credentials.userNamespace;
        try {
          if (kind === "uid") ns.setUIDMap(c.credentials, entries);
          else ns.setGIDMap(c.credentials, entries);
        } catch (error) {
          if (error instanceof SysError) throw error.withContext({ syscall: "write" });
          throw error;
        }
        return src.length;
      },
    ),
  });
}

/**
 * /proc/[pid]/setgroups: `allow\n` or `deny\n`. Opening it for writing needs
 * CAP_SYS_ADMIN in the namespace (EACCES, as Linux's `proc_setgroups_open`); a write is
 * `allow` or `deny`, surrounded by whitespace at most, at offset 0 (else EINVAL).
 */
function setgroupsFile(ctx: Context, fs: ProcFilesystem, task: Task): ProcFile {
  return new ProcFile(ctx, {
    ...identity(fs, task),
    perm: 0o644,
    checkOpen: (c, opts) => {
      if ((accessTypesForOpenFlags(opts) & MAY_WRITE) === 0) return;
      if (!c.credentials.hasCapabilityIn(Capability.CAP_SYS_ADMIN, task.credentials.userNamespace)) {
        throw new SysError("EACCES", { syscall: "open", detail: "setgroups: CAP_SYS_ADMIN in the user namespace required" });
      }
    },
    data: writableSource(
      () => {
        checkAlive(task);
        return task.credentials.userNamespace.setgroupsAllowed ? "allow\n" : "deny\n";
      },
      (c, _fd, src, offset) => {
        if (offset !== 0 || src.length >= 8) throw new SysError("EINVAL", { syscall: "write" });
        const word = decodeText(src).trim();
        if (word !== "allow" && word !== "deny") throw new SysError("EINVAL", { syscall: "write", detail: "write allow or deny" });
        checkAlive(task);
        try {
          task.credentials.userNamespace.setSetgroupsAllowed(c.credentials, word === "allow");
        } catch (error) {
          if (error instanceof SysError) throw error.withContext({ syscall: "write" });
          throw error;
        }
        return src.length;
      },
    ),
  });
}

/**
 * A magic link of `task` (cwd, root, exe): readlink gives the path as the caller sees it
 * (Linux's d_path from the caller's root, ` (deleted)` for a removed file); following it
 * jumps to the position itself. Both need ptrace-read access (EACCES, checked first); a
 * task without the position — a zombie, or exe of a task that never ran execve — is ENOENT
 * (Linux ≥ 4.4; gVisor answers EACCES for zombies).
 * @internal
 */
export function taskMagicLink(ctx: Context, fs: ProcFilesystem, task: Task, position: (task: Task) => VirtualDentry | undefined): ProcSymlink {
  const get = (c: Context): VirtualDentry => {
    checkPtraceRead(c, task, "readlink");
    const vd = task.state === "running" ? position(task) : undefined;
    if (vd === undefined) throw new SysError("ENOENT", { detail: `task ${task.pid} has no such position` });
    return vd;
  };
  return new ProcSymlink(ctx, {
    ...identity(fs, task),
    readlink: (c) => fs.vfs.pathnameWithDeleted(c, rootFromContext(c), get(c)),
    getlink: (c) => {
      const vd = get(c);
      vd.incRef();
      return vd;
    },
  });
}

/**
 * The files a task directory holds besides its subdirectories, in Linux's listing order
 * (tgid_base_stuff / tid_base_stuff).
 * @internal
 */
export function taskFileEntries(ctx: Context, fs: ProcFilesystem, task: Task, mounts: ChangeSource | undefined): Map<string, ProcFile | ProcSymlink> {
  const host = fs.host;
  const text = (perm: number, fn: (c: Context) => string, extra: { ptrace?: boolean } = {}): ProcFile => taskTextFile(ctx, fs, task, perm, fn, extra);
  const mountsFile = (fn: (c: Context) => string): ProcFile =>
    new ProcFile(ctx, {
      ...identity(fs, task),
      perm: 0o444,
      // Linux's mounts_open_common: a task without namespaces (a zombie) is EINVAL.
      checkOpen: () => {
        checkAlive(task);
        if (task.state !== "running") throw new SysError("EINVAL", { syscall: "open", detail: "the task has no mount namespace" });
      },
      ...(mounts === undefined ? {} : { changes: () => mounts }),
      data: textSource((c) => {
        checkAlive(task);
        if (task.state !== "running") return "";
        return fn(c);
      }),
    });
  const m = new Map<string, ProcFile | ProcSymlink>();
  m.set("environ", text(0o400, () => nulSeparated(task.state === "running" ? task.envp : []), { ptrace: true }));
  m.set("status", text(0o444, (c) => statusText(task, c.credentials, taskFromContext(c), host)));
  m.set("limits", text(0o444, () => limitsText(task)));
  m.set("comm", commFile(ctx, fs, task));
  m.set("cmdline", text(0o444, () => nulSeparated(task.state === "running" ? task.argv : [])));
  m.set("stat", text(0o444, (c) => statText(task, taskFromContext(c))));
  m.set("statm", text(0o444, () => statmText()));
  m.set("cwd", taskMagicLink(ctx, fs, task, (t) => t.fsContext.cwd()));
  m.set("root", taskMagicLink(ctx, fs, task, (t) => t.fsContext.root()));
  m.set("exe", taskMagicLink(ctx, fs, task, (t) => t.executable));
  m.set("mounts", mountsFile((c) => fs.vfs.generateProcMounts(c, task.fsContext.root())));
  m.set("mountinfo", mountsFile((c) => fs.vfs.generateProcMountInfo(c, task.fsContext.root())));
  m.set("oom_score", text(0o444, () => "0\n"));
  m.set("oom_score_adj", oomScoreAdjFile(ctx, fs, task));
  m.set("coredump_filter", coredumpFilterFile(ctx, fs, task));
  m.set("io", text(0o400, () => ioText(task), { ptrace: true }));
  m.set("uid_map", idMapFile(ctx, fs, task, "uid"));
  m.set("gid_map", idMapFile(ctx, fs, task, "gid"));
  m.set("setgroups", setgroupsFile(ctx, fs, task));
  return m;
}
