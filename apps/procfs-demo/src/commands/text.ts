// cat, echo, head, wc, readlink: reading and writing contents.
import { O_RDONLY } from "@vfskit/abi";
import { openFile } from "../boot/devices.js";
import { errorText, parseOptions, quote, type CommandEnv, type CommandSpec } from "../shell/command.js";

/** Runs `each` on the input of `path` ("-" is standard input), opened as the command's task. */
async function withInput(env: CommandEnv, path: string, each: (chunk: Uint8Array) => Promise<boolean | void>): Promise<boolean> {
  const task = env.task;
  let fd = 0;
  if (path !== "-") {
    try {
      fd = openFile(task, env.shell.system.devices, path, O_RDONLY);
    } catch (error) {
      await env.error(`${path}: ${errorText(error)}`);
      return false;
    }
  }
  try {
    for await (const chunk of env.readChunks(fd)) {
      if ((await each(chunk)) === false) break;
    }
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "BrokenPipe") throw error;
    await env.error(`${path}: ${errorText(error)}`);
    return false;
  } finally {
    if (fd !== 0) task.close(fd);
  }
}

async function cat(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { operands } = parseOptions(args, "u");
  let status = 0;
  for (const path of operands.length === 0 ? ["-"] : operands) {
    if (!(await withInput(env, path, (chunk) => env.out(chunk)))) status = 1;
  }
  return status;
}

async function echo(env: CommandEnv, args: readonly string[]): Promise<number> {
  let newline = true;
  let rest = args;
  if (rest[0] === "-n") {
    newline = false;
    rest = rest.slice(1);
  }
  await env.out(rest.join(" ") + (newline ? "\n" : ""));
  return 0;
}

async function head(env: CommandEnv, args: readonly string[]): Promise<number> {
  let lines = 10;
  let bytes: number | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-n" || arg === "-c") {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 0) {
        await env.error(`invalid number of ${arg === "-n" ? "lines" : "bytes"}: ${quote(args[i] ?? "")}`);
        return 1;
      }
      if (arg === "-n") lines = value;
      else bytes = value;
    } else if (/^-\d+$/.test(arg)) lines = Number(arg.slice(1));
    else operands.push(arg);
  }
  let status = 0;
  const paths = operands.length === 0 ? ["-"] : operands;
  for (const [index, path] of paths.entries()) {
    if (paths.length > 1) await env.out(`${index > 0 ? "\n" : ""}==> ${path} <==\n`);
    let left = bytes ?? lines;
    if (left === 0) continue;
    const ok = await withInput(env, path, async (chunk) => {
      if (bytes !== undefined) {
        const part = chunk.subarray(0, left);
        left -= part.length;
        await env.out(part);
        return left > 0;
      }
      let end = 0;
      while (end < chunk.length && left > 0) {
        if (chunk[end] === 0x0a) left--;
        end++;
      }
      await env.out(chunk.subarray(0, end));
      return left > 0;
    });
    if (!ok) status = 1;
  }
  return status;
}

async function tail(env: CommandEnv, args: readonly string[]): Promise<number> {
  let count = 10;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-n") count = Number(args[++i]);
    else if (/^-\d+$/.test(arg)) count = Number(arg.slice(1));
    else operands.push(arg);
  }
  if (!Number.isInteger(count) || count < 0) {
    await env.error("invalid number of lines");
    return 1;
  }
  let status = 0;
  for (const path of operands.length === 0 ? ["-"] : operands) {
    const decoder = new TextDecoder();
    let text = "";
    const ok = await withInput(env, path, (chunk) => {
      text += decoder.decode(chunk, { stream: true });
      // Keep only what the last lines can need.
      if (text.length > 1 << 20) text = text.slice(-(1 << 19));
      return Promise.resolve();
    });
    if (!ok) {
      status = 1;
      continue;
    }
    const lines = text.split("\n");
    const trailing = lines[lines.length - 1] === "" ? lines.pop() : undefined;
    const kept = count === 0 ? [] : lines.slice(-count);
    await env.out(kept.join("\n") + (kept.length > 0 && trailing !== undefined ? "\n" : ""));
  }
  return status;
}

async function wc(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { flags, operands } = parseOptions(args, "lwc");
  const show = flags.size === 0 ? new Set(["l", "w", "c"]) : flags;
  let status = 0;
  const totals = [0, 0, 0];
  const paths = operands.length === 0 ? ["-"] : operands;
  const decoder = new TextDecoder();
  const rows: [number[], string][] = [];
  for (const path of paths) {
    const counts = [0, 0, 0];
    let inWord = false;
    const ok = await withInput(env, path, (chunk) => {
      counts[2] = (counts[2] as number) + chunk.length;
      for (const ch of decoder.decode(chunk, { stream: true })) {
        if (ch === "\n") counts[0] = (counts[0] as number) + 1;
        const space = /\s/.test(ch);
        if (!space && !inWord) counts[1] = (counts[1] as number) + 1;
        inWord = !space;
      }
      return Promise.resolve();
    });
    if (!ok) {
      status = 1;
      continue;
    }
    counts.forEach((c, i) => (totals[i] = (totals[i] as number) + c));
    rows.push([counts, path === "-" ? "" : path]);
  }
  if (rows.length > 1) rows.push([totals, "total"]);
  const width = rows.length === 1 && paths[0] === "-" ? 1 : Math.max(1, ...rows.flatMap(([c]) => c.map((n) => String(n).length)));
  let out = "";
  for (const [counts, name] of rows) {
    const cols = ["l", "w", "c"].flatMap((k, i) => (show.has(k) ? [String(counts[i]).padStart(width)] : []));
    out += `${cols.join(" ")}${name === "" ? "" : ` ${name}`}\n`;
  }
  await env.out(out);
  return status;
}

async function readlink(env: CommandEnv, args: readonly string[]): Promise<number> {
  const { flags, operands } = parseOptions(args, "f");
  let status = 0;
  for (const path of operands) {
    try {
      if (flags.has("f")) {
        // readlink -f: every component resolved, link by link, as the task sees them.
        await env.out(`${canonicalize(env, path)}\n`);
      } else {
        await env.out(`${env.task.readlink(path)}\n`);
      }
    } catch {
      // readlink without -v prints nothing for a file that is not a link, and fails.
      status = 1;
    }
  }
  if (operands.length === 0) {
    await env.error("missing operand");
    return 1;
  }
  return status;
}

/** The absolute path of `path` with every symbolic link resolved (readlink -f). */
function canonicalize(env: CommandEnv, path: string): string {
  const task = env.task;
  const parts = (path.startsWith("/") ? path : `${task.getcwd()}/${path}`).split("/");
  const out: string[] = [];
  let hops = 0;
  while (parts.length > 0) {
    const part = parts.shift() as string;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      out.pop();
      continue;
    }
    const candidate = `/${[...out, part].join("/")}`;
    let target: string | undefined;
    try {
      target = task.readlink(candidate);
    } catch {
      target = undefined;
    }
    if (target === undefined) {
      out.push(part);
      continue;
    }
    if (++hops > 40) throw new Error("too many links");
    if (target.startsWith("/")) out.length = 0;
    parts.unshift(...target.split("/"));
  }
  return `/${out.join("/")}`;
}

/** Commands that read and write contents. */
export const textCommands: Record<string, CommandSpec> = {
  cat: { run: cat, usage: "cat [file...]", summary: "print files (or standard input) to standard output" },
  echo: { run: echo, usage: "echo [-n] [text...]", summary: "print its arguments (use > and >> to write files)" },
  head: { run: head, usage: "head [-n lines | -c bytes] [file...]", summary: "print the first lines or bytes" },
  tail: { run: tail, usage: "tail [-n lines] [file...]", summary: "print the last lines" },
  wc: { run: wc, usage: "wc [-lwc] [file...]", summary: "count lines, words and bytes" },
  readlink: { run: readlink, usage: "readlink [-f] link...", summary: "print a symbolic link's target (-f: the canonical path)" },
};
