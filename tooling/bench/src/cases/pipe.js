// @ts-check
// Pipe throughput: 64 KiB chunks through one pipe, writer and reader on one thread (the
// performance.md workload is 256 MiB = 4,096 such operations). vfskit's pipe copies each
// chunk once in and once out; vfskit-kernel is the same pipe made by pipe2(2) and driven
// by write(2)/read(2) on a task's descriptors; the host FIFO is the Linux kernel through
// Node's fs binding; node:stream PassThrough hands the Buffer through without copying
// (reference only).
import { VFSPipe } from "@vfskit/pipefs";
import { freshVfskitKernel } from "../targets/vfskit.js";
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";

const CHUNK = 64 * 1024;

/** @returns {{ run: () => number, teardown: () => void }} One write + one read of a chunk through a vfskit pipe. */
function vfskitPipe() {
  const [reader, writer] = new VFSPipe().readerWriterPair();
  const src = new Uint8Array(CHUNK).fill(1);
  const dst = new Uint8Array(CHUNK);
  return {
    run: () => {
      writer.tryWrite(src);
      return reader.tryRead(dst);
    },
    teardown: () => {
      reader.decRef();
      writer.decRef();
    },
  };
}

/** @returns {{ run: () => number, teardown: () => void }} The same through a kernel task's pipe2, write and read. */
function kernelPipe() {
  const { task, release } = freshVfskitKernel();
  const [readFd, writeFd] = task.pipe2();
  const src = new Uint8Array(CHUNK).fill(1);
  const dst = new Uint8Array(CHUNK);
  return {
    run: () => {
      task.write(writeFd, src);
      return task.read(readFd, dst);
    },
    teardown: () => {
      task.close(readFd);
      task.close(writeFd);
      release();
    },
  };
}

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "pipe",
    name: "64 KiB write + read through a pipe, one thread",
    bytesPerOp: CHUNK,
    expected: CHUNK,
    note: "vfskit-kernel = pipe2 + write/read on a task's fds; node = a real FIFO on the host (O_RDWR|O_NONBLOCK); 256 MiB = 4,096 ops",
    targets: {
      vfskit: vfskitPipe,
      "vfskit-kernel": kernelPipe,
      node: () => {
        const dir = mkdtempSync(join("/dev/shm", "vfskit-bench-fifo-"));
        const path = join(dir, "fifo");
        execFileSync("mkfifo", [path]);
        const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
        const src = Buffer.alloc(CHUNK, 1);
        const dst = Buffer.alloc(CHUNK);
        return {
          run: () => {
            writeSync(fd, src);
            return readSync(fd, dst);
          },
          teardown: () => {
            closeSync(fd);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
    },
  },
  {
    group: "pipe",
    name: "64 KiB chunk through node:stream PassThrough (reference)",
    bytesPerOp: CHUNK,
    expected: CHUNK,
    note: "PassThrough passes the Buffer along without copying; shown for scale only",
    targets: {
      vfskit: vfskitPipe,
      node: () => {
        const stream = new PassThrough();
        const src = Buffer.alloc(CHUNK, 1);
        return () => {
          stream.write(src);
          return /** @type {Buffer} */ (stream.read()).length;
        };
      },
    },
  },
];
