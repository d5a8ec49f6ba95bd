// The long-lived tasks that give /proc something to show: a writer and a reader joined by
// an anonymous pipe that keep moving data, and a reader holding a FIFO open.
import { O_APPEND, O_CREAT, O_RDWR, O_WRONLY, isSysError } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { openFile, type DeviceRegistry } from "./devices.js";

/** A running background task and how to stop it. */
export interface Daemon {
  readonly task: Task;
  /** Stops its timers; the kernel's shutdown ends its pending calls (EINTR). */
  stop(): void;
}

const encoder = new TextEncoder();

/** Ignores the EINTR a pending call ends with when its task exits at shutdown. */
function quietly(promise: Promise<unknown>): void {
  promise.catch((error: unknown) => {
    if (isSysError(error, "EINTR") || isSysError(error, "EBADF")) return;
    throw error;
  });
}

/** dup2(from, to) then close(from), as a shell wires a pipe end to stdin or stdout. */
function moveFd(task: Task, from: number, to: number): void {
  if (from === to) return;
  task.dup2(from, to);
  task.close(from);
}

function spawn(parent: Task, program: string, argv: readonly string[]): Task {
  const task = parent.fork();
  task.execve(program, argv, ["PATH=/bin:/usr/bin", "HOME=/"]);
  return task;
}

/**
 * Starts `pipe-writer` and `pipe-reader`: the writer writes a line into the pipe every
 * `intervalMs`; the reader reads it and keeps a count in /run/pipe-reader.count.
 */
export function startPipePair(init: Task, intervalMs: number): Daemon[] {
  const [readEnd, writeEnd] = init.pipe2();
  const writer = spawn(init, "/usr/bin/pipe-writer", ["pipe-writer", "--every", `${intervalMs}ms`]);
  const reader = spawn(init, "/usr/bin/pipe-reader", ["pipe-reader"]);
  init.close(readEnd);
  init.close(writeEnd);
  // Each side keeps only its end, on the descriptor a shell would give it.
  moveFd(writer, writeEnd, 1);
  writer.close(readEnd);
  moveFd(reader, readEnd, 0);
  reader.close(writeEnd);

  let tick = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || writer.state !== "running") return;
    busy = true;
    tick++;
    quietly(writer.writeAsync(1, encoder.encode(`tick ${tick}\n`)).finally(() => (busy = false)));
  }, intervalMs);
  timer.unref();

  const countFd = reader.open("/run/pipe-reader.count", O_RDWR | O_CREAT, 0o644);
  quietly(
    (async () => {
      const buf = new Uint8Array(4096);
      let total = 0;
      for (;;) {
        const n = await reader.readAsync(0, buf);
        if (n === 0) return;
        total += n;
        reader.ftruncate(countFd, 0);
        reader.pwrite64(countFd, encoder.encode(`${total} bytes read from the pipe\n`), 0);
      }
    })(),
  );
  return [
    { task: writer, stop: () => clearInterval(timer) },
    { task: reader, stop: () => undefined },
  ];
}

/**
 * Makes the FIFO /run/demo.fifo and starts `fifo-reader`, which holds it open (read and
 * write, so it never waits for a peer, as Linux allows) and appends what it reads to
 * /var/log/fifo.log: `echo hi > /run/demo.fifo` from the shell shows up there.
 */
export function startFifoReader(init: Task, devices: DeviceRegistry): Daemon {
  init.mknod("/run/demo.fifo", 0o010666);
  init.chmod("/run/demo.fifo", 0o666);
  const task = spawn(init, "/usr/bin/fifo-reader", ["fifo-reader", "/run/demo.fifo"]);
  const fifo = openFile(task, devices, "/run/demo.fifo", O_RDWR);
  const log = task.open("/var/log/fifo.log", O_WRONLY | O_CREAT | O_APPEND, 0o644);
  quietly(
    (async () => {
      const buf = new Uint8Array(4096);
      for (;;) {
        const n = await task.readAsync(fifo, buf);
        if (n === 0) return;
        task.write(log, buf.subarray(0, n));
      }
    })(),
  );
  return { task, stop: () => undefined };
}
