// Opening FIFOs (named pipes) of any filesystem. In Linux this is generic: every
// filesystem's FIFO inode gets pipefifo_fops (init_special_inode) and fifo_open keeps the
// pipe in inode->i_pipe while someone has it open. gVisor wires it per filesystem
// (tmpfs/named_pipe.go). Here a filesystem hands its FIFO opens to the FifoOpener found in
// the context, which the kernel supplies.
import { FIFO_PEER_EVENT, PIPE_FILE_DESCRIPTION_OPTIONS, PendingFifoOpen, PipeFileDescriptionImpl, VFSPipe, type PipeEnd } from "@vfskit/pipefs";
import { SysError } from "@vfskit/abi";
import { ContextKey, FileDescription, type Context, type VirtualDentry } from "@vfskit/vfs";
import { TaskKey, taskInternals } from "./task-base.js";

/**
 * Opens FIFO inodes for filesystems (Linux's `fifo_open` behind `init_special_inode`).
 * @public
 */
export interface FifoOpener {
  /**
   * Opens the FIFO whose inode is `inode`, found at `vd`, with `flags`, after the
   * filesystem made its own open checks (permissions, O_CREAT/O_EXCL, O_DIRECTORY).
   *
   * @param ctx - The opener's context.
   * @param vd - Where the FIFO was found; borrowed (the description takes its own reference).
   * @param inode - Any object standing for the inode: hard links must pass the same one.
   * @param flags - The open flags as the filesystem received them.
   * @returns A new description (one reference for the caller).
   * @throws EINVAL - The access mode allows neither reading nor writing.
   * @throws ENXIO - O_WRONLY | O_NONBLOCK and no reader.
   * @throws EAGAIN - A blocking open must wait for the other side (the async open of the
   * kernel waits and completes it).
   */
  open(ctx: Context, vd: VirtualDentry, inode: object, flags: number): FileDescription;
}

/**
 * Where filesystems find the {@link FifoOpener} (every task's context carries the
 * kernel's).
 *
 * @remarks
 * Defined by the kernel for now; it belongs in `@vfskit/vfs`, next to the other keys a
 * filesystem reads, so that tmpfs can use it without depending on the kernel.
 * @public
 */
export const FifoOpenerKey = new ContextKey<FifoOpener>("kernel.fifoOpener");

/** A FIFO open waiting for the other side, handed from the opener to openatAsync. @internal */
export interface PendingFifo {
  readonly ticket: PendingFifoOpen;
  /** Where the FIFO is; holds a reference until the open completes or is cancelled. */
  readonly vd: VirtualDentry;
  readonly flags: number;
}

/** Makes the description of one end of a FIFO at `vd`. @internal */
export function fifoDescription(ctx: Context, end: PipeEnd, vd: VirtualDentry, flags: number): FileDescription {
  const fd = new FileDescription();
  fd.init(ctx, new PipeFileDescriptionImpl(end), flags, vd, PIPE_FILE_DESCRIPTION_OPTIONS);
  return fd;
}

/**
 * The kernel's {@link FifoOpener}: one pipe per FIFO inode while it is open.
 *
 * @remarks
 * As in Linux, the pipe exists only while the FIFO is open: when every reader and writer
 * has closed, the next open starts a new, empty pipe (unread data is discarded).
 * @internal
 */
export class KernelFifoOpener implements FifoOpener {
  readonly #pipes = new WeakMap<object, VFSPipe>();

  open(ctx: Context, vd: VirtualDentry, inode: object, flags: number): FileDescription {
    let vfsPipe = this.#pipes.get(inode);
    const pipe = vfsPipe?.pipe;
    if (vfsPipe === undefined || (pipe !== undefined && pipe.readers() === 0 && pipe.writers() === 0)) {
      vfsPipe = new VFSPipe({ named: true });
      this.#pipes.set(inode, vfsPipe);
    }
    const result = vfsPipe.open(flags);
    if (!(result instanceof PendingFifoOpen)) return fifoDescription(ctx, result, vd, flags);
    // Linux would sleep here. An async open collects the ticket and waits; anyone else
    // gets EAGAIN and the half-open end is closed again.
    const task = ctx.value(TaskKey);
    const slot = task === undefined ? undefined : taskInternals(task).fifoSlot;
    if (slot === undefined || slot.pending !== undefined) {
      result.cancel();
    } else {
      vd.incRef();
      slot.pending = { ticket: result, vd, flags };
    }
    throw new SysError("EAGAIN", { syscall: "open", detail: "FIFO open waits for the other side" });
  }
}

/** The readiness a pending FIFO open waits for. @internal */
export const FIFO_WAIT_EVENTS = FIFO_PEER_EVENT;
