// The kernel model's memory, as /proc/meminfo reports it: tmpfs pages and pipe buffers,
// found through public APIs (the kernel has no memory accounting of its own yet).
import { PAGE_SIZE } from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import type { Kernel } from "@vfskit/kernel";
import { PipeFileDescriptionImpl, type Pipe } from "@vfskit/pipefs";
import type { FilesystemImpl } from "@vfskit/vfs";

/**
 * Memory in use by the kernel model, in bytes.
 * @public
 */
export interface KernelMemoryUsage {
  /** Pages of file data and long symlink targets in every mounted tmpfs (Shmem). */
  readonly shmemBytes: number;
  /** Pages holding data queued in pipes and FIFOs open in some task. */
  readonly pipeBytes: number;
  /** Kernel stacks: 16 KiB per task not yet exited (Linux's THREAD_SIZE on x86-64). */
  readonly kernelStackBytes: number;
}

/** Reads `pagesUsed` of a tmpfs filesystem (a field of its FilesystemImpl). */
function tmpfsPages(impl: FilesystemImpl): number {
  const pages = (impl as { pagesUsed?: unknown }).pagesUsed;
  return typeof pages === "number" && pages > 0 ? pages : 0;
}

/** `\040` and friends back to characters (the mount files' escaping). */
function unmangle(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * What the kernel model uses: tmpfs pages of every filesystem mounted in the root mount
 * namespace (found by resolving each mount point of its mountinfo), pipe buffers of every
 * pipe open in a task (rounded up to pages), and kernel stacks.
 * @param kernel - The kernel.
 * @returns The usage.
 * @public
 */
export function kernelMemoryUsage(kernel: Kernel): KernelMemoryUsage {
  const ctx = kernel.ctx;
  const vfs = kernel.vfs;
  const seen = new Set<FilesystemImpl>();
  let shmemPages = 0;
  if (!kernel.isShutDown) {
    const root = kernel.rootMountNamespace.root(ctx);
    try {
      for (const line of vfs.generateProcMountInfo(ctx, root).split("\n")) {
        const mountPoint = line.split(" ")[4];
        if (mountPoint === undefined) continue;
        let vd;
        try {
          vd = vfs.getDentryAt(ctx, { root, start: root, path: parse(unmangle(mountPoint)), followFinalSymlink: false });
        } catch {
          continue; // a mount point hidden by a later mount, or removed meanwhile
        }
        const impl = vd.mount.fs.impl;
        vd.decRef(ctx);
        if (seen.has(impl)) continue;
        seen.add(impl);
        shmemPages += tmpfsPages(impl);
      }
    } finally {
      root.decRef(ctx);
    }
  }
  const pipes = new Set<Pipe>();
  let running = 0;
  for (const task of kernel.tasks()) {
    if (task.state !== "running") continue;
    running++;
    for (const { file } of task.fdTable.entries()) {
      if (file.impl instanceof PipeFileDescriptionImpl) pipes.add(file.impl.pipe);
    }
  }
  let pipePages = 0;
  for (const pipe of pipes) pipePages += Math.ceil(pipe.queued() / PAGE_SIZE);
  return { shmemBytes: shmemPages * PAGE_SIZE, pipeBytes: pipePages * PAGE_SIZE, kernelStackBytes: running * 16 * 1024 };
}
