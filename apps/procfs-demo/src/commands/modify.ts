// mkdir, rmdir, rm, mv, cp, ln, touch, chmod, chown, mkfifo: changing the tree. Messages
// follow GNU coreutils.
import { AT_REMOVEDIR, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, S_IFDIR, S_IFIFO, S_IFMT, isSysError, type Statx } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { openFile } from "../boot/devices.js";
import { errorText, parseOptions, quote, type CommandEnv, type CommandSpec } from "../shell/command.js";
import { listDirectory } from "../shell/glob.js";
import { lookupGroup, lookupUser } from "../shell/users.js";

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || trimmed;
}

function tryStat(task: Task, path: string, follow = true): Statx | undefined {
  try {
    return follow ? task.stat(path) : task.lstat(path);
  } catch {
    return undefined;
  }
}

function isDir(st: Statx | undefined): boolean {
  return st !== undefined && (st.mode & S_IFMT) === S_IFDIR;
}

async function usage(env: CommandEnv, bad: string | undefined, missing: boolean): Promise<number> {
  await env.error(bad !== undefined ? `invalid option -- '${bad}'` : missing ? "missing operand" : "bad usage");
  return 1;
}

async function mkdir(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "p");
  if (parsed.bad !== undefined || parsed.operands.length === 0) return usage(env, parsed.bad, true);
  let status = 0;
  for (const path of parsed.operands) {
    try {
      if (parsed.flags.has("p")) {
        let prefix = path.startsWith("/") ? "" : ".";
        for (const part of path.split("/").filter((p) => p !== "")) {
          prefix = `${prefix}/${part}`;
          if (!isDir(tryStat(env.task, prefix))) env.task.mkdir(prefix, 0o777);
        }
      } else {
        env.task.mkdir(path, 0o777);
      }
    } catch (error) {
      await env.error(`cannot create directory ${quote(path)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

async function rmdir(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "");
  if (parsed.bad !== undefined || parsed.operands.length === 0) return usage(env, parsed.bad, true);
  let status = 0;
  for (const path of parsed.operands) {
    try {
      env.task.rmdir(path);
    } catch (error) {
      await env.error(`failed to remove ${quote(path)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

/** Removes `path` and, with `recursive`, everything under it. */
function removeTree(task: Task, path: string, recursive: boolean, report: (path: string, error: unknown) => void): boolean {
  const st = tryStat(task, path, false);
  if (st !== undefined && (st.mode & S_IFMT) === S_IFDIR) {
    if (!recursive) {
      report(path, new Error("Is a directory"));
      return false;
    }
    let ok = true;
    for (const name of listDirectory(task, path)) ok = removeTree(task, `${path.replace(/\/+$/, "")}/${name}`, true, report) && ok;
    try {
      task.unlinkat(-100, path, AT_REMOVEDIR);
    } catch (error) {
      report(path, error);
      return false;
    }
    return ok;
  }
  try {
    task.unlink(path);
    return true;
  } catch (error) {
    report(path, error);
    return false;
  }
}

async function rm(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "rRf");
  if (parsed.bad !== undefined) return usage(env, parsed.bad, false);
  const force = parsed.flags.has("f");
  if (parsed.operands.length === 0) return force ? 0 : usage(env, undefined, true);
  const recursive = parsed.flags.has("r") || parsed.flags.has("R");
  const messages: string[] = [];
  let status = 0;
  for (const path of parsed.operands) {
    const ok = removeTree(env.task, path, recursive, (p, error) => {
      if (force && isSysError(error, "ENOENT")) return;
      messages.push(`cannot remove ${quote(p)}: ${errorText(error)}`);
    });
    if (!ok && messages.length > 0) status = 1;
  }
  for (const message of messages) await env.error(message);
  return status;
}

/** The destination of `source` for mv/cp/ln: inside `target` if it is a directory. */
function destination(task: Task, source: string, target: string, many: boolean): string | Error {
  if (isDir(tryStat(task, target))) return `${target.replace(/\/+$/, "")}/${basename(source)}`;
  if (many) return new Error(`target ${quote(target)} is not a directory`);
  return target;
}

async function mv(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "f");
  const ops = parsed.operands;
  if (parsed.bad !== undefined || ops.length < 2) return usage(env, parsed.bad, true);
  const target = ops[ops.length - 1] as string;
  let status = 0;
  for (const source of ops.slice(0, -1)) {
    if (tryStat(env.task, source, false) === undefined) {
      try {
        env.task.lstat(source);
      } catch (error) {
        await env.error(`cannot stat ${quote(source)}: ${errorText(error)}`);
      }
      status = 1;
      continue;
    }
    const dest = destination(env.task, source, target, ops.length > 2);
    if (dest instanceof Error) {
      await env.error(dest.message);
      return 1;
    }
    try {
      env.task.rename(source, dest);
    } catch (error) {
      await env.error(`cannot move ${quote(source)} to ${quote(dest)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

/** Copies one file or (recursively) a directory; returns false after reporting an error. */
async function copy(env: CommandEnv, source: string, dest: string, recursive: boolean): Promise<boolean> {
  const task = env.task;
  let st: Statx;
  try {
    st = task.stat(source);
  } catch (error) {
    await env.error(`cannot stat ${quote(source)}: ${errorText(error)}`);
    return false;
  }
  if ((st.mode & S_IFMT) === S_IFDIR) {
    if (!recursive) {
      await env.error(`-r not specified; omitting directory ${quote(source)}`);
      return false;
    }
    if (!isDir(tryStat(task, dest))) {
      try {
        task.mkdir(dest, st.mode & 0o7777);
      } catch (error) {
        await env.error(`cannot create directory ${quote(dest)}: ${errorText(error)}`);
        return false;
      }
    }
    let ok = true;
    for (const name of listDirectory(task, source)) ok = (await copy(env, `${source}/${name}`, `${dest}/${name}`, true)) && ok;
    return ok;
  }
  let input: number;
  try {
    input = openFile(task, env.shell.system.devices, source, O_RDONLY);
  } catch (error) {
    await env.error(`cannot open ${quote(source)} for reading: ${errorText(error)}`);
    return false;
  }
  try {
    let output: number;
    try {
      output = openFile(task, env.shell.system.devices, dest, O_WRONLY | O_CREAT | O_TRUNC, st.mode & 0o777);
    } catch (error) {
      await env.error(`cannot create regular file ${quote(dest)}: ${errorText(error)}`);
      return false;
    }
    try {
      for await (const chunk of env.readChunks(input)) {
        let done = 0;
        while (done < chunk.length) done += await task.writeAsync(output, chunk.subarray(done));
      }
    } catch (error) {
      await env.error(`error copying ${quote(source)} to ${quote(dest)}: ${errorText(error)}`);
      return false;
    } finally {
      task.close(output);
    }
  } finally {
    task.close(input);
  }
  return true;
}

async function cp(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "rRf");
  const ops = parsed.operands;
  if (parsed.bad !== undefined || ops.length < 2) return usage(env, parsed.bad, true);
  const target = ops[ops.length - 1] as string;
  let status = 0;
  for (const source of ops.slice(0, -1)) {
    const dest = destination(env.task, source, target, ops.length > 2);
    if (dest instanceof Error) {
      await env.error(dest.message);
      return 1;
    }
    if (!(await copy(env, source, dest, parsed.flags.has("r") || parsed.flags.has("R")))) status = 1;
  }
  return status;
}

async function ln(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "sf");
  const ops = parsed.operands;
  if (parsed.bad !== undefined || ops.length === 0) return usage(env, parsed.bad, true);
  const symbolic = parsed.flags.has("s");
  const pairs: [string, string][] =
    ops.length === 1
      ? [[ops[0] as string, basename(ops[0] as string)]]
      : ops.slice(0, -1).map((source) => {
          const dest = destination(env.task, source, ops[ops.length - 1] as string, ops.length > 2);
          return [source, dest instanceof Error ? (ops[ops.length - 1] as string) : dest];
        });
  let status = 0;
  for (const [source, dest] of pairs) {
    try {
      if (parsed.flags.has("f") && tryStat(env.task, dest, false) !== undefined) env.task.unlink(dest);
      if (symbolic) env.task.symlink(source, dest);
      else env.task.link(source, dest);
    } catch (error) {
      const what = symbolic ? `symbolic link ${quote(dest)}` : `hard link ${quote(dest)} => ${quote(source)}`;
      await env.error(`failed to create ${what}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

async function touch(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "c");
  if (parsed.bad !== undefined || parsed.operands.length === 0) return usage(env, parsed.bad, true);
  let status = 0;
  for (const path of parsed.operands) {
    try {
      if (tryStat(env.task, path) === undefined && !parsed.flags.has("c")) {
        env.task.close(openFile(env.task, env.shell.system.devices, path, O_WRONLY | O_CREAT, 0o666));
      } else {
        env.task.utimensat(-100, path, undefined);
      }
    } catch (error) {
      await env.error(`cannot touch ${quote(path)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

/** Applies a chmod mode (`755`, `u+x`, `go-w`, `a=r`, `+t`) to `current`. */
export function applyMode(spec: string, current: number, umask: number): number | undefined {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let mode = current & 0o7777;
  for (const clause of spec.split(",")) {
    const m = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (m === null) return undefined;
    const who = m[1] === "" ? "a" : (m[1] as string);
    const op = m[2] as string;
    const perms = m[3] as string;
    let bits = 0;
    const users = who.includes("a") ? "ugo" : who;
    for (const u of users) {
      const shift = u === "u" ? 6 : u === "g" ? 3 : 0;
      if (perms.includes("r")) bits |= 4 << shift;
      if (perms.includes("w")) bits |= 2 << shift;
      if (perms.includes("x") || (perms.includes("X") && (current & (S_IFDIR | 0o111)) !== 0)) bits |= 1 << shift;
      if (perms.includes("s") && u === "u") bits |= 0o4000;
      if (perms.includes("s") && u === "g") bits |= 0o2000;
    }
    if (perms.includes("t")) bits |= 0o1000;
    // Without a "who", chmod applies the umask (as GNU chmod does for `+w`).
    if (m[1] === "") bits &= ~umask | 0o7000;
    if (op === "+") mode |= bits;
    else if (op === "-") mode &= ~bits;
    else {
      let clear = 0;
      for (const u of users) clear |= u === "u" ? 0o4700 : u === "g" ? 0o2070 : 0o1007;
      mode = (mode & ~clear) | bits;
    }
  }
  return mode;
}

async function chmod(env: CommandEnv, args: readonly string[]): Promise<number> {
  const ops = args.filter((a) => a !== "--");
  if (ops.length < 2) return usage(env, undefined, true);
  const spec = ops[0] as string;
  let status = 0;
  for (const path of ops.slice(1)) {
    let st: Statx;
    try {
      st = env.task.stat(path);
    } catch (error) {
      await env.error(`cannot access ${quote(path)}: ${errorText(error)}`);
      status = 1;
      continue;
    }
    const umask = env.task.umask(0);
    env.task.umask(umask);
    const mode = applyMode(spec, st.mode, umask);
    if (mode === undefined) {
      await env.error(`invalid mode: ${quote(spec)}`);
      return 1;
    }
    try {
      env.task.chmod(path, mode);
    } catch (error) {
      await env.error(`changing permissions of ${quote(path)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

async function chown(env: CommandEnv, args: readonly string[]): Promise<number> {
  const ops = args.filter((a) => a !== "--");
  if (ops.length < 2) return usage(env, undefined, true);
  const spec = ops[0] as string;
  const [userPart = "", groupPart] = spec.split(/[:.]/);
  let uid = -1;
  let gid = -1;
  if (userPart !== "") {
    uid = /^\d+$/.test(userPart) ? Number(userPart) : (lookupUser(env.task, { name: userPart })?.uid ?? NaN);
    if (Number.isNaN(uid)) {
      await env.error(`invalid user: ${quote(spec)}`);
      return 1;
    }
  }
  if (groupPart !== undefined && groupPart !== "") {
    gid = /^\d+$/.test(groupPart) ? Number(groupPart) : (lookupGroup(env.task, { name: groupPart })?.gid ?? NaN);
    if (Number.isNaN(gid)) {
      await env.error(`invalid group: ${quote(spec)}`);
      return 1;
    }
  }
  let status = 0;
  for (const path of ops.slice(1)) {
    try {
      env.task.chown(path, uid, gid);
    } catch (error) {
      const message = isSysError(error, "ENOENT") ? `cannot access ${quote(path)}` : `changing ownership of ${quote(path)}`;
      await env.error(`${message}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

async function mkfifo(env: CommandEnv, args: readonly string[]): Promise<number> {
  const parsed = parseOptions(args, "");
  if (parsed.bad !== undefined || parsed.operands.length === 0) return usage(env, parsed.bad, true);
  let status = 0;
  for (const path of parsed.operands) {
    try {
      env.task.mknod(path, S_IFIFO | 0o666);
    } catch (error) {
      await env.error(`cannot create fifo ${quote(path)}: ${errorText(error)}`);
      status = 1;
    }
  }
  return status;
}

/** Commands that change the tree. */
export const modifyCommands: Record<string, CommandSpec> = {
  mkdir: { run: mkdir, usage: "mkdir [-p] dir...", summary: "make directories" },
  rmdir: { run: rmdir, usage: "rmdir dir...", summary: "remove empty directories" },
  rm: { run: rm, usage: "rm [-rf] file...", summary: "remove files (-r: directories and their contents)" },
  mv: { run: mv, usage: "mv source... target", summary: "rename or move files (renameat2)" },
  cp: { run: cp, usage: "cp [-r] source... target", summary: "copy files" },
  ln: { run: ln, usage: "ln [-sf] target [link]", summary: "make hard links, or symbolic links with -s" },
  touch: { run: touch, usage: "touch [-c] file...", summary: "create files or update their times" },
  chmod: { run: chmod, usage: "chmod mode file...", summary: "change permissions (octal or u+x style)" },
  chown: { run: chown, usage: "chown user[:group] file...", summary: "change owner and group" },
  mkfifo: { run: mkfifo, usage: "mkfifo name...", summary: "make FIFOs (named pipes)" },
};
