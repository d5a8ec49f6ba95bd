#!/usr/bin/env node
// The vfskit demo: boots a small Linux-like kernel in this process and runs a shell over
// it. Interactive on a terminal; `-c 'line'` runs one command line; a script file or piped
// standard input runs line by line. The exit status is the last command's.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { bootSystem } from "./boot/system.js";
import { allCommands } from "./commands/index.js";
import { complete } from "./shell/completion.js";
import { Shell } from "./shell/shell.js";

const HELP = `Usage: vfskit-demo [options] [script]

Boots a vfskit kernel in this process — tmpfs at /, /proc, /sys, /dev/shm, /tmp (1777),
/dev/null and /dev/zero, users root and alice — starts a few background tasks (a pair
joined by a pipe that keeps moving data, a reader holding the FIFO /run/demo.fifo open),
and runs a shell whose commands make system calls on the kernel's tasks.

Modes:
  (no arguments, on a terminal)  interactive: line editing, history, Tab completes paths
  -c 'command line'              run one command line and exit with its status
  script                         run a file of the host, one command line per line
  (standard input not a terminal) run the lines piped in

Options:
  -c LINE          run LINE and exit
  --hostname NAME  the system's host name (default: vfskit)
  --tick MS        how often the pipe writer writes (default: 1000)
  -h, --help       this text

Shell commands: ${[...allCommands().keys()].sort().join(", ")}
Syntax: a | b, a && b, a || b, a ; b, > file, >> file, < file, 2>&1, quotes, $?, $HOME,
globs (* ? [..]). Type \`help\` in the shell for each command's usage.

Examples:
  vfskit-demo -c 'cat /proc/self/status'
  vfskit-demo -c 'echo hi > /tmp/x && cat /tmp/x'
  printf 'ps\\nfree -h\\n' | vfskit-demo
`;

interface Options {
  readonly command?: string;
  readonly script?: string;
  readonly hostname?: string;
  readonly tickMs?: number;
}

function parseArgs(argv: readonly string[]): Options | string {
  const opts: { command?: string; script?: string; hostname?: string; tickMs?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "-c") {
      const line = argv[++i];
      if (line === undefined) return "-c: option requires an argument";
      opts.command = line;
    } else if (arg === "--hostname") {
      const name = argv[++i];
      if (name === undefined) return "--hostname: option requires an argument";
      opts.hostname = name;
    } else if (arg === "--tick") {
      const ms = Number(argv[++i]);
      if (!(ms >= 10)) return "--tick: give milliseconds, at least 10";
      opts.tickMs = ms;
    } else if (arg.startsWith("-")) {
      return `${arg}: unknown option (try --help)`;
    } else if (opts.script === undefined) {
      opts.script = arg;
    } else {
      return `${arg}: only one script may be given`;
    }
  }
  return opts;
}

async function runLines(shell: Shell, text: string): Promise<number> {
  for (const line of text.split("\n")) {
    await shell.runLine(line);
    if (shell.exitStatus !== undefined) return shell.exitStatus;
  }
  return shell.lastStatus;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => (text += chunk));
    process.stdin.on("end", () => resolve(text));
    process.stdin.on("error", reject);
  });
}

async function interactive(shell: Shell, bootMs: number): Promise<number> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 1000,
    completer: (line: string) => complete(shell.task, shell.commands.keys(), line),
  });
  process.stdout.write(
    `vfskit demo — gVisor's VFS2 in TypeScript, booted in ${bootMs.toFixed(0)} ms. ` +
      `Type \`help\` for the commands, \`exit\` or Ctrl-D to leave.\n`,
  );
  await shell.runLine("cat /etc/motd");
  return new Promise((resolve) => {
    let busy = false;
    const queue: string[] = [];
    const next = async (): Promise<void> => {
      busy = true;
      while (queue.length > 0) {
        await shell.runLine(queue.shift() as string);
        shell.history = (rl as unknown as { history: string[] }).history ?? [];
        if (shell.exitStatus !== undefined) {
          rl.close();
          return;
        }
      }
      busy = false;
      rl.setPrompt(shell.prompt());
      rl.prompt();
    };
    rl.on("line", (line) => {
      queue.push(line);
      if (!busy) void next();
    });
    rl.on("SIGINT", () => {
      process.stdout.write("^C\n");
      queue.length = 0;
      rl.setPrompt(shell.prompt());
      rl.prompt();
    });
    rl.on("close", () => {
      if (shell.exitStatus === undefined) process.stdout.write("exit\n");
      resolve(shell.exitStatus ?? shell.lastStatus);
    });
    rl.setPrompt(shell.prompt());
    rl.prompt();
  });
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (typeof opts === "string") {
    process.stderr.write(`vfskit-demo: ${opts}\n`);
    return 2;
  }
  let script: string | undefined;
  if (opts.script !== undefined) {
    try {
      script = readFileSync(opts.script, "utf8");
    } catch (error) {
      process.stderr.write(`vfskit-demo: ${opts.script}: ${(error as Error).message}\n`);
      return 127;
    }
  }
  const started = performance.now();
  const commands = allCommands();
  const system = bootSystem({
    console: (bytes) => process.stdout.write(bytes),
    commands: [...commands.keys()],
    ...(opts.hostname !== undefined ? { hostname: opts.hostname } : {}),
    ...(opts.tickMs !== undefined ? { tickMs: opts.tickMs } : {}),
  });
  const bootMs = performance.now() - started;
  const shell = new Shell(system, commands);
  try {
    if (opts.command !== undefined) return await runLines(shell, opts.command);
    if (script !== undefined) return await runLines(shell, script);
    if (!process.stdin.isTTY) return await runLines(shell, await readStdin());
    return await interactive(shell, bootMs);
  } finally {
    system.shutdown();
  }
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`vfskit-demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
