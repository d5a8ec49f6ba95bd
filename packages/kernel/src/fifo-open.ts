// Opening FIFOs (named pipes) of any filesystem. In Linux this is generic: every
// filesystem's FIFO inode gets pipefifo_fops (init_special_inode) and fifo_open keeps the
// pipe in inode->i_pipe while someone has it open. A filesystem hands its FIFO opens to
// the FifoOpener in the context (@vfskit/vfs defines the key, @vfskit/pipefs the opener);
// the kernel's opener adds Linux's sleeping open for openatAsync.
import { FIFO_PEER_EVENT, PipeFifoOpener, newPipeFileDescription, type PendingFifoOpen, type PipeEnd } from "@vfskit/pipefs";
import type { Context, FileDescription, VirtualDentry } from "@vfskit/vfs";
import { TaskKey, taskInternals } from "./task-base.js";

export { FifoOpenerKey, type FifoOpener } from "@vfskit/vfs";

/** A FIFO open waiting for the other side, handed from the opener to openatAsync. @internal */
export interface PendingFifo {
  readonly ticket: PendingFifoOpen;
  /** Where the FIFO is; holds a reference until the open completes or is cancelled. */
  readonly vd: VirtualDentry;
  readonly flags: number;
}

/** Makes the description of one end of a FIFO at `vd`. @internal */
export function fifoDescription(ctx: Context, end: PipeEnd, vd: VirtualDentry, flags: number): FileDescription {
  return newPipeFileDescription(ctx, end, vd, flags);
}

/**
 * The kernel's {@link FifoOpener}: pipefs's opener (one pipe per FIFO inode while it is
 * open), whose would-block opens are handed to the task's async open to wait on.
 *
 * @remarks
 * Linux would sleep in the open. An async open (`openatAsync`) collects the pending open
 * and waits; anyone else gets EAGAIN and the half-open end is closed again.
 * @internal
 */
export class KernelFifoOpener extends PipeFifoOpener {
  protected override deferOpen(ctx: Context, pending: PendingFifoOpen, vd: VirtualDentry, flags: number): boolean {
    const task = ctx.value(TaskKey);
    const slot = task === undefined ? undefined : taskInternals(task).fifoSlot;
    if (slot === undefined || slot.pending !== undefined) return false;
    vd.incRef();
    slot.pending = { ticket: pending, vd, flags };
    return true;
  }
}

/** The readiness a pending FIFO open waits for. @internal */
export const FIFO_WAIT_EVENTS = FIFO_PEER_EVENT;
