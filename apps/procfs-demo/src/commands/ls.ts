// ls, stat, tree: listing and describing files.
import { AT_SYMLINK_NOFOLLOW, S_IFDIR, S_IFLNK, S_IFMT, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFREG, makedev, modeString, type Statx } from "@vfskit/abi";
import { errorText, parseOptions, quote, type CommandEnv, type CommandSpec } from "../shell/command.js";
import { listDirectory } from "../shell/glob.js";
import { groupName, userName } from "../shell/users.js";
import { alignLong, columns, isConsole, longFields, statTime } from "./format.js";

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

/** `ls` sorts names as `LC_ALL=C ls` does: by bytes. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function ls(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { flags, operands, bad } = parseOptions(args, "laidR1");
  if (bad !== undefined) {
    await env.error(`invalid option -- '${bad}'\nTry 'help ls' for more information.`);
    return 2;
  }
  const task = env.task;
  const long = flags.has("l");
  const all = flags.has("a");
  const showIno = flags.has("i");
  const nowSec = task.kernel.clock.now().sec;
  const wide = !flags.has("1") && !long && isConsole(task, 1);
  let status = 0;

  const render = (entries: { name: string; path: string; st: Statx | undefined }[]): string => {
    if (long) {
      const rows = entries.flatMap(({ name, path, st }) => {
        if (st === undefined) return [];
        let shown = name;
        if ((st.mode & S_IFMT) === S_IFLNK) {
          try {
            shown = `${name} -> ${task.readlink(path)}`;
          } catch {
            shown = `${name} -> ?`;
          }
        }
        return [{ fields: longFields(task, st, nowSec), name: shown, ...(showIno ? { ino: String(st.ino) } : {}) }];
      });
      return alignLong(rows).map((l) => `${l}\n`).join("");
    }
    const names = entries.map(({ name, st }) => (showIno ? `${st?.ino ?? "?"} ${name}` : name));
    return wide ? columns(names) : names.map((n) => `${n}\n`).join("");
  };

  const statEntry = (path: string): Statx | undefined => {
    try {
      return task.fstatat(-100, path, AT_SYMLINK_NOFOLLOW);
    } catch {
      return undefined;
    }
  };

  const operandsOrDot = operands.length === 0 ? ["."] : operands;
  const files: { name: string; path: string; st: Statx }[] = [];
  const dirs: string[] = [];
  for (const path of operandsOrDot) {
    let st: Statx;
    try {
      // ls follows a symbolic link named on the command line unless -l or -d.
      st = long || flags.has("d") ? task.lstat(path) : task.stat(path);
      if ((st.mode & S_IFMT) === S_IFLNK && !flags.has("d")) {
        try {
          const target = task.stat(path);
          if ((target.mode & S_IFMT) === S_IFDIR && !long) st = target;
          else if ((target.mode & S_IFMT) === S_IFDIR && path.endsWith("/")) st = target;
        } catch {
          // a dangling link is listed as itself
        }
      }
    } catch (error) {
      await env.error(`cannot access ${quote(path)}: ${errorText(error)}`);
      status = 2;
      continue;
    }
    if ((st.mode & S_IFMT) === S_IFDIR && !flags.has("d")) dirs.push(path);
    else files.push({ name: path, path, st });
  }
  let out = render(files);
  const recurse = flags.has("R");
  const queue = [...dirs];
  let first = files.length === 0;
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    const names = listDirectory(task, dir);
    let readable = true;
    try {
      task.access(dir, 4);
    } catch (error) {
      await env.out(out);
      out = "";
      await env.error(`cannot open directory ${quote(dir)}: ${errorText(error)}`);
      status = 2;
      readable = false;
    }
    if (!readable) continue;
    if (all) names.push(".", "..");
    names.sort(byName);
    const entries = names.filter((n) => all || !n.startsWith(".")).map((name) => ({ name, path: join(dir, name), st: statEntry(join(dir, name)) }));
    if (operandsOrDot.length > 1 || recurse) out += `${first ? "" : "\n"}${dir}:\n`;
    first = false;
    if (long) out += `total ${entries.reduce((sum, e) => sum + Math.ceil((e.st?.blocks ?? 0) / 2), 0)}\n`;
    out += render(entries);
    if (recurse) {
      for (const e of entries) {
        if (e.name !== "." && e.name !== ".." && e.st !== undefined && (e.st.mode & S_IFMT) === S_IFDIR) queue.push(e.path);
      }
    }
    if (out.length > 16384) {
      await env.out(out);
      out = "";
    }
  }
  await env.out(out);
  return status;
}

function fileType(mode: number, size: number): string {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return size === 0 ? "regular empty file" : "regular file";
    case S_IFDIR:
      return "directory";
    case S_IFLNK:
      return "symbolic link";
    case S_IFCHR:
      return "character special file";
    case S_IFBLK:
      return "block special file";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "socket";
    default:
      return "weird file";
  }
}

async function stat(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { flags, operands, bad } = parseOptions(args, "L");
  if (bad !== undefined || operands.length === 0) {
    await env.error(bad !== undefined ? `invalid option -- '${bad}'` : "missing operand");
    return 1;
  }
  const task = env.task;
  let status = 0;
  for (const path of operands) {
    let st: Statx;
    try {
      st = flags.has("L") ? task.stat(path) : task.lstat(path);
    } catch (error) {
      await env.error(`cannot statx ${quote(path)}: ${errorText(error)}`);
      status = 1;
      continue;
    }
    let name = `'${path}'`;
    if ((st.mode & S_IFMT) === S_IFLNK) {
      try {
        name += ` -> '${task.readlink(path)}'`;
      } catch {
        // shown without the target
      }
    }
    const type = st.mode & S_IFMT;
    const isDev = type === S_IFCHR || type === S_IFBLK;
    const perm = (st.mode & 0o7777).toString(8).padStart(4, "0");
    const devNumber = makedev(st.devMajor, st.devMinor);
    const dev = `${devNumber.toString(16)}h/${devNumber}d`;
    const lines = [
      `  File: ${name}`,
      `  Size: ${String(st.size).padEnd(15)} Blocks: ${String(st.blocks).padEnd(10)} IO Block: ${String(st.blksize).padEnd(6)} ${fileType(st.mode, st.size)}`,
      `Device: ${dev.padEnd(15)} Inode: ${String(st.ino).padEnd(11)} Links: ${st.nlink}${isDev ? `     Device type: ${st.rdevMajor},${st.rdevMinor}` : ""}`,
      `Access: (${perm}/${modeString(st.mode)})  Uid: (${String(st.uid).padStart(5)}/${userName(task, st.uid).padStart(8)})   Gid: (${String(st.gid).padStart(5)}/${groupName(task, st.gid).padStart(8)})`,
      `Access: ${statTime(st.atime)}`,
      `Modify: ${statTime(st.mtime)}`,
      `Change: ${statTime(st.ctime)}`,
      ` Birth: ${statTime(st.btime)}`,
    ];
    await env.out(`${lines.join("\n")}\n`);
  }
  return status;
}

async function tree(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { flags, operands } = parseOptions(args, "a");
  const task = env.task;
  const roots = operands.length === 0 ? ["."] : operands;
  let dirs = 0;
  let files = 0;
  let out = "";
  const walk = (path: string, prefix: string, depth: number): void => {
    if (depth > 32) return;
    const names = listDirectory(task, path)
      .filter((n) => flags.has("a") || !n.startsWith("."))
      .sort(byName);
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      const child = join(path, name);
      let st: Statx | undefined;
      try {
        st = task.lstat(child);
      } catch {
        st = undefined;
      }
      const type = st === undefined ? 0 : st.mode & S_IFMT;
      let label = name;
      if (type === S_IFLNK) {
        try {
          label += ` -> ${task.readlink(child)}`;
        } catch {
          // no target shown
        }
      }
      out += `${prefix}${last ? "└── " : "├── "}${label}\n`;
      if (type === S_IFDIR) {
        dirs++;
        walk(child, `${prefix}${last ? "    " : "│   "}`, depth + 1);
      } else {
        files++;
      }
    });
  };
  let status = 0;
  for (const root of roots) {
    try {
      const st = task.stat(root);
      if ((st.mode & S_IFMT) !== S_IFDIR) {
        out += `${root}  [error opening dir]\n`;
        status = 2;
        continue;
      }
    } catch (error) {
      out += `${root}  [error opening dir: ${errorText(error)}]\n`;
      status = 2;
      continue;
    }
    out += `${root}\n`;
    walk(root, "", 0);
  }
  out += `\n${dirs} director${dirs === 1 ? "y" : "ies"}, ${files} file${files === 1 ? "" : "s"}\n`;
  await env.out(out);
  return status;
}

/** Listing commands. */
export const listingCommands: Record<string, CommandSpec> = {
  ls: { run: ls, usage: "ls [-laidR1] [file...]", summary: "list directory contents (-l long, -a all, -i inode numbers, -d, -R)" },
  stat: { run: stat, usage: "stat [-L] file...", summary: "display file status (statx), -L follows symbolic links" },
  tree: { run: tree, usage: "tree [-a] [dir...]", summary: "list a directory tree" },
};
