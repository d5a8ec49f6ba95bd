// The FifoOpener filesystems call for their FIFO inodes (Linux's fifo_open, fs/pipe.c;
// gVisor's per-filesystem VFSPipe, kernel/pipe/vfs.go): one pipe per inode while the
// FIFO is open, and the open rules of VFSPipe.open. Blocking is left to a subclass (the
// kernel's waits); this one answers EAGAIN where Linux would sleep.
import { SysError } from "@vfskit/abi";
import { FileDescription, type Context, type FifoOpener, type VirtualDentry } from "@vfskit/vfs";
import { PendingFifoOpen, VFSPipe } from "./fifo.js";
import type { PipeEnd } from "./pipe-end.js";
import { PIPE_FILE_DESCRIPTION_OPTIONS, PipeFileDescriptionImpl } from "./pipe-file-description.js";

/**
 * Makes the description of one end of a pipe or FIFO found at `vd`.
 *
 * @param ctx - The opener's context.
 * @param end - The end; the description takes over the caller's reference.
 * @param vd - Where the pipe is; the description takes its own reference.
 * @param flags - The description's status flags (access mode, O_NONBLOCK…).
 * @returns The description (one reference for the caller).
 * @public
 */
export function newPipeFileDescription(ctx: Context, end: PipeEnd, vd: VirtualDentry, flags: number): FileDescription {
  const fd = new FileDescription();
  try {
    fd.init(ctx, new PipeFileDescriptionImpl(end), flags, vd, PIPE_FILE_DESCRIPTION_OPTIONS);
  } catch (error) {
    end.decRef();
    throw error;
  }
  return fd;
}

/**
 * A {@link @vfskit/vfs#FifoOpener} that keeps one {@link VFSPipe} per FIFO inode while it
 * is open, and fails with EAGAIN where Linux's open would sleep.
 *
 * @remarks
 * Put one in the context under {@link @vfskit/vfs#FifoOpenerKey} (one per VFS: two
 * openers would give one inode two pipes) and FIFOs of tmpfs (and any filesystem that
 * calls the opener) work through the plain VFS. As in Linux, the pipe exists only while
 * the FIFO is open: when every reader and writer has closed, the next open starts a new,
 * empty pipe (unread data is discarded). Pipes are kept in a `WeakMap` keyed by the
 * inode object, so a removed FIFO's pipe goes with its inode.
 *
 * A subclass that can wait overrides {@link PipeFifoOpener.deferOpen} to take the
 * pending open (the kernel's async `openat` does).
 * @public
 */
export class PipeFifoOpener implements FifoOpener {
  readonly #pipes = new WeakMap<object, VFSPipe>();

  /**
   * Opens the FIFO `inode` as open(2) does (see {@link VFSPipe.open}).
   *
   * @param ctx - The opener's context.
   * @param vd - Where the FIFO was found; borrowed.
   * @param inode - The object standing for the inode (the same for every hard link).
   * @param flags - The open flags.
   * @returns The new description (one reference for the caller).
   * @throws EINVAL - The access mode allows neither reading nor writing.
   * @throws ENXIO - O_WRONLY | O_NONBLOCK and no reader.
   * @throws EAGAIN - The open would block (after {@link PipeFifoOpener.deferOpen} was
   * offered the pending open).
   */
  open(ctx: Context, vd: VirtualDentry, inode: object, flags: number): FileDescription {
    const result = this.pipeOf(inode).open(flags);
    if (!(result instanceof PendingFifoOpen)) return newPipeFileDescription(ctx, result, vd, flags);
    if (!this.deferOpen(ctx, result, vd, flags)) result.cancel();
    throw new SysError("EAGAIN", { syscall: "open", detail: "FIFO open waits for the other side" });
  }

  /**
   * The pipe of FIFO `inode`: the current one while any end is open (a pending open
   * counts), otherwise a new, empty one.
   *
   * @param inode - The object standing for the inode.
   * @returns The pipe.
   */
  pipeOf(inode: object): VFSPipe {
    let vfsPipe = this.#pipes.get(inode);
    if (vfsPipe === undefined || (vfsPipe.pipe.readers() === 0 && vfsPipe.pipe.writers() === 0)) {
      vfsPipe = new VFSPipe({ named: true });
      this.#pipes.set(inode, vfsPipe);
    }
    return vfsPipe;
  }

  /**
   * Offered a FIFO open that must wait for the other side, before the caller gets
   * EAGAIN. This class declines (returns false), and the pending open is cancelled.
   *
   * @remarks
   * An override that returns true takes over `pending` (it must end it with exactly one
   * of `complete()` or `cancel()`) and, if it keeps `vd`, a reference on it.
   * @param _ctx - The opener's context.
   * @param _pending - The open in progress; its end already counts as a reader or writer.
   * @param _vd - Where the FIFO was found; borrowed.
   * @param _flags - The open flags.
   * @returns True if the override took `pending`.
   */
  protected deferOpen(_ctx: Context, _pending: PendingFifoOpen, _vd: VirtualDentry, _flags: number): boolean {
    return false;
  }
}
