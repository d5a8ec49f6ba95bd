// The shell: runs command lines over the task API. A single command runs in the shell's
// own task (like a shell builtin), with redirections applied to its descriptors and
// undone afterwards; each command of a pipeline runs in a child task of its own, forked
// from the shell and exec'd as /bin/<name>, its descriptors 0 and 1 joined by real
// vfskit pipes (pipe2), exactly as a POSIX shell sets them up.
import { F_DUPFD_CLOEXEC, O_APPEND, O_CLOEXEC, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, isSysError } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { InternalError } from "@vfskit/vfs";
import { openFile } from "../boot/devices.js";
import type { DemoSystem } from "../boot/system.js";
import { globWord } from "./glob.js";
import { BrokenPipe, CommandEnv, STATUS_SIGPIPE, errorText, type CommandSpec } from "./command.js";
import { ParseError, expandWord, parse, type Pipeline, type Redirect, type SimpleCommand } from "./parser.js";
import { lookupUser } from "./users.js";

/** The status of a command that is not found (as bash). */
const STATUS_NOT_FOUND = 127;
/** The status of a syntax error (as bash). */
const STATUS_SYNTAX = 2;

/** The shell's state and its command runner. */
export class Shell {
  readonly system: DemoSystem;
  readonly commands: ReadonlyMap<string, CommandSpec>;
  /** The task the shell runs in (its credentials change with `su`). */
  readonly task: Task;
  /** Set by `exit` when the shell should stop, with its status. */
  exitStatus: number | undefined;
  /** The status of the last command ($?). */
  lastStatus = 0;
  /** Credentials to return to when a `su` session exits, innermost last. */
  readonly suStack: Task["credentials"][] = [];
  /** The command history (readline's, newest first), for `history`. */
  history: readonly string[] = [];

  constructor(system: DemoSystem, commands: ReadonlyMap<string, CommandSpec>) {
    this.system = system;
    this.commands = commands;
    this.task = system.shell;
  }

  /** The value of variable `name` ($?, $HOME, $USER, $PWD, $HOSTNAME, $UID). */
  variable(name: string, task: Task = this.task): string | undefined {
    switch (name) {
      case "?":
        return String(this.lastStatus);
      case "HOME":
        return lookupUser(task, { uid: task.credentials.effectiveKUID })?.home ?? "/";
      case "USER":
        return lookupUser(task, { uid: task.credentials.effectiveKUID })?.name ?? String(task.credentials.effectiveKUID);
      case "UID":
        return String(task.credentials.realKUID);
      case "PWD":
        try {
          return task.getcwd();
        } catch {
          return undefined;
        }
      case "HOSTNAME":
        return task.uname().nodename;
      case "SHELL":
        return "/bin/sh";
      default:
        return undefined;
    }
  }

  /** The prompt: `user@host:cwd# ` (or `$ ` for a user other than root). */
  prompt(): string {
    const user = this.variable("USER") ?? "?";
    let cwd = this.variable("PWD") ?? "?";
    const home = this.variable("HOME");
    if (home !== undefined && home !== "/" && (cwd === home || cwd.startsWith(`${home}/`))) cwd = `~${cwd.slice(home.length)}`;
    const sign = this.task.credentials.effectiveKUID === 0 ? "#" : "$";
    return `${user}@${this.task.uname().nodename}:${cwd}${sign} `;
  }

  /** Writes `text` to the shell's standard error (its console). */
  async say(text: string): Promise<void> {
    await new CommandEnv(this, this.task, "sh").writeFd(2, text).catch(() => undefined);
  }

  /**
   * Runs one command line. Never throws for a command's failure: errors are printed and
   * become the status.
   * @returns The status of the last pipeline run ($?).
   */
  async runLine(line: string): Promise<number> {
    let items;
    try {
      items = parse(line);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      await this.say(`sh: ${error.message}\n`);
      this.lastStatus = STATUS_SYNTAX;
      return this.lastStatus;
    }
    for (const item of items) {
      if (this.exitStatus !== undefined) break;
      if (item.connector === "&&" && this.lastStatus !== 0) continue;
      if (item.connector === "||" && this.lastStatus === 0) continue;
      this.lastStatus = await this.#runPipeline(item.pipeline);
    }
    return this.lastStatus;
  }

  async #runPipeline(pipeline: Pipeline): Promise<number> {
    const commands = pipeline.commands;
    if (commands.length === 1) return this.#runSimple(this.task, commands[0] as SimpleCommand);
    const shell = this.task;
    const pipes: [number, number][] = [];
    const children: Task[] = [];
    try {
      for (let i = 0; i < commands.length - 1; i++) pipes.push(shell.pipe2(O_CLOEXEC));
      for (let i = 0; i < commands.length; i++) {
        const child = shell.fork();
        children.push(child);
        const input = pipes[i - 1];
        const output = pipes[i];
        if (input !== undefined) child.dup2(input[0], 0);
        if (output !== undefined) child.dup2(output[1], 1);
        // The pipes were made close-on-exec; the exec below closes the copies.
        const name = this.#commandName(commands[i] as SimpleCommand, child);
        if (name !== undefined && this.commands.has(name)) child.execve(`/bin/${name}`, [name], ["PATH=/bin:/usr/bin"]);
        else closePipes(child, pipes);
      }
    } catch (error) {
      for (const child of children) if (child.state === "running") child.exit(1);
      for (const child of children) shell.wait4(child.pid, { nohang: true });
      await this.say(`sh: ${errorText(error)}\n`);
      return 1;
    } finally {
      closePipes(shell, pipes);
    }
    const statuses = await Promise.all(
      children.map(async (child, i) => {
        const status = await this.#runSimple(child, commands[i] as SimpleCommand);
        if (child.state === "running") child.exit(status);
        return status;
      }),
    );
    for (const child of children) shell.wait4(child.pid, { nohang: true });
    return statuses[statuses.length - 1] ?? 0;
  }

  #commandName(command: SimpleCommand, task: Task): string | undefined {
    const first = command.words[0];
    return first === undefined ? undefined : expandWord(first, (name) => this.variable(name, task));
  }

  /** Expands a command's words: variables, then globs. */
  #expand(command: SimpleCommand, task: Task): string[] {
    const argv: string[] = [];
    for (const word of command.words) argv.push(...globWord(task, word, (name) => this.variable(name, task)));
    return argv;
  }

  async #runSimple(task: Task, command: SimpleCommand): Promise<number> {
    const argv = this.#expand(command, task);
    const restore: (() => void)[] = [];
    try {
      for (const redirect of command.redirects) {
        const undo = this.#redirect(task, redirect);
        restore.push(undo);
      }
    } catch (error) {
      for (const undo of restore.reverse()) undo();
      const target = error instanceof RedirectError ? error.target : "";
      await this.say(`sh: ${target}: ${errorText(error instanceof RedirectError ? error.cause : error)}\n`);
      return 1;
    }
    try {
      const name = argv[0];
      if (name === undefined) return 0;
      const spec = this.commands.get(name);
      if (spec === undefined) {
        await new CommandEnv(this, task, "sh").error(`${name}: command not found`);
        return STATUS_NOT_FOUND;
      }
      const env = new CommandEnv(this, task, name);
      try {
        return await spec.run(env, argv.slice(1));
      } catch (error) {
        if (error instanceof BrokenPipe) return STATUS_SIGPIPE;
        if (isSysError(error)) {
          await env.error(errorText(error));
          return 1;
        }
        // A broken contract inside vfskit: report it, keep the shell alive.
        const kind = error instanceof InternalError ? "internal error" : "unexpected error";
        await env.error(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return 70;
      }
    } finally {
      for (const undo of restore.reverse()) undo();
    }
  }

  /** Applies one redirection in `task`; returns how to undo it. */
  #redirect(task: Task, redirect: Redirect): () => void {
    const target = expandWord(redirect.target, (name) => this.variable(name, task));
    // Keep what was at the descriptor, above 10 as shells do, to put it back afterwards.
    let saved = -1;
    if (task.fdTable.get(redirect.fd) !== undefined) saved = task.fcntl(redirect.fd, F_DUPFD_CLOEXEC, 10);
    const undo = (): void => {
      if (task.state !== "running") return;
      if (saved >= 0) {
        task.dup2(saved, redirect.fd);
        task.close(saved);
      } else if (task.fdTable.get(redirect.fd) !== undefined) {
        task.close(redirect.fd);
      }
    };
    try {
      if (redirect.op === ">&") {
        const from = Number(target);
        if (!/^\d+$/.test(target)) throw new RedirectError(target, new Error("ambiguous redirect"));
        task.dup2(from, redirect.fd);
      } else {
        const flags =
          redirect.op === "<" ? O_RDONLY : redirect.op === ">>" ? O_WRONLY | O_CREAT | O_APPEND : O_WRONLY | O_CREAT | O_TRUNC;
        let fd: number;
        try {
          fd = openFile(task, this.system.devices, target, flags, 0o666);
        } catch (error) {
          throw new RedirectError(target, error);
        }
        if (fd !== redirect.fd) {
          task.dup2(fd, redirect.fd);
          task.close(fd);
        }
      }
    } catch (error) {
      undo();
      if (error instanceof RedirectError) throw error;
      throw new RedirectError(target, error);
    }
    return undo;
  }
}

/** Closes both ends of every pipe in `task`. */
function closePipes(task: Task, pipes: readonly [number, number][]): void {
  for (const [readEnd, writeEnd] of pipes) {
    task.close(readEnd);
    task.close(writeEnd);
  }
}

class RedirectError extends Error {
  readonly target: string;
  override readonly cause: unknown;

  constructor(target: string, cause: unknown) {
    super(errorText(cause));
    this.target = target;
    this.cause = cause;
  }
}
