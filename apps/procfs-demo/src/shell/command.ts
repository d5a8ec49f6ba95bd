// What a command receives, and the helpers every command uses: writing to its standard
// output and error (descriptors 1 and 2 of the task running it), reading its standard
// input, and reporting errors the way Linux's tools do.
import { isSysError, strerror } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import type { Shell } from "./shell.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Thrown when standard output is a pipe nobody reads any more: the command stops (status 141, as after SIGPIPE). */
export class BrokenPipe extends Error {
  override readonly name = "BrokenPipe";
}

/** The exit status of a command killed by SIGPIPE in a POSIX shell (128 + 13). */
export const STATUS_SIGPIPE = 141;

/** One command's view of the world. */
export class CommandEnv {
  /** The shell. */
  readonly shell: Shell;
  /** The task the command runs in: the shell's own, or a pipeline stage's child. */
  readonly task: Task;
  /** The command's name (argv[0]), used in error messages. */
  readonly name: string;

  constructor(shell: Shell, task: Task, name: string) {
    this.shell = shell;
    this.task = task;
    this.name = name;
  }

  /** Writes `data` to descriptor `fd`, waiting while a pipe is full. */
  async writeFd(fd: number, data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let done = 0;
    try {
      while (done < bytes.length) done += await this.task.writeAsync(fd, bytes.subarray(done));
    } catch (error) {
      if (isSysError(error, "EPIPE")) {
        // The kernel recorded SIGPIPE; the default action ends the program.
        this.task.clearSignals();
        throw new BrokenPipe();
      }
      throw error;
    }
  }

  /** Writes to standard output. */
  out(data: string | Uint8Array): Promise<void> {
    return this.writeFd(1, data);
  }

  /** Writes `name: message` and a newline to standard error. */
  async error(message: string): Promise<void> {
    try {
      await this.writeFd(2, `${this.name}: ${message}\n`);
    } catch (error) {
      if (!(error instanceof BrokenPipe) && !isSysError(error)) throw error;
    }
  }

  /** Reads standard input to its end, chunk by chunk. */
  async *stdinChunks(): AsyncGenerator<Uint8Array> {
    yield* this.readChunks(0);
  }

  /** Reads descriptor `fd` to its end, chunk by chunk. */
  async *readChunks(fd: number, size = 65536): AsyncGenerator<Uint8Array> {
    const buf = new Uint8Array(size);
    for (;;) {
      const n = await this.task.readAsync(fd, buf);
      if (n === 0) return;
      yield buf.slice(0, n);
    }
  }

  /** Reads descriptor `fd` to its end as text. */
  async readText(fd: number): Promise<string> {
    let text = "";
    for await (const chunk of this.readChunks(fd)) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
}

/** A command: returns its exit status. */
export type Command = (env: CommandEnv, args: readonly string[]) => Promise<number> | number;

/** One entry of the command table. */
export interface CommandSpec {
  readonly run: Command;
  /** One line for `help`: the usage. */
  readonly usage: string;
  /** One line for `help`: what it does. */
  readonly summary: string;
}

/** The message of `error` as a C program's perror prints it ("No such file or directory"). */
export function errorText(error: unknown): string {
  if (isSysError(error)) return strerror(error.errno);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `'path'` quoted as GNU coreutils quotes file names in messages. */
export function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}

/** Splits `args` into option letters (`-la` → l, a) and operands; `--` ends options. */
export function parseOptions(args: readonly string[], known: string): { flags: Set<string>; operands: string[]; bad?: string } {
  const flags = new Set<string>();
  const operands: string[] = [];
  let ended = false;
  for (const arg of args) {
    if (!ended && arg === "--") {
      ended = true;
    } else if (!ended && arg.startsWith("-") && arg.length > 1) {
      for (const letter of arg.slice(1)) {
        if (!known.includes(letter)) return { flags, operands, bad: letter };
        flags.add(letter);
      }
    } else {
      operands.push(arg);
    }
  }
  return { flags, operands };
}
