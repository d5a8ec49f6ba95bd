/**
 * Pipes and FIFOs with Linux's semantics: the pipe buffer with atomic and short writes,
 * EOF, EPIPE and SIGPIPE, readiness for poll and epoll, F_GETPIPE_SZ / F_SETPIPE_SZ with
 * Linux's rounding, FIONREAD, and the FIFO open rules (who waits for whom, ENXIO).
 *
 * @remarks
 * Reference model: a {@link Pipe} holds the data and counts its readers and writers. A
 * {@link PipeEnd} is one open end; creating it counts it, its last `decRef` uncounts it.
 * A {@link VFSPipe} (owned by a FIFO inode, or by an anonymous pipe) holds one Pipe and
 * opens ends with Linux's rules; a {@link PendingFifoOpen} holds an end that is waiting
 * for the other side. A {@link PipeFileDescriptionImpl} holds one end for the VFS.
 * A {@link PipeFifoOpener} holds the pipe of each open FIFO inode (weakly: the inode's
 * lifetime decides). On the anonymous pipefs ({@link PipeFilesystemType}), each pipe's
 * inode holds its {@link VFSPipe}, and the descriptions of its ends hold the inode.
 *
 * Reentrancy: everything is synchronous and runs to completion (DESIGN.md D2). Where
 * Linux would block, methods throw EAGAIN (or return a pending open) and the pipe's
 * waiter queue is notified when the situation changes; waiters are called synchronously
 * from inside `read`, `write`, `decRef` and friends, and may call back into the pipe.
 *
 * @packageDocumentation
 */
export {
  Pipe,
  MINIMUM_PIPE_SIZE,
  DEFAULT_PIPE_SIZE,
  MAXIMUM_PIPE_SIZE,
  FIFO_PEER_EVENT,
  type PipeOptions,
  type SetCapacityOptions,
  type SigpipeHandler,
} from "./pipe.js";
export { PipeEnd, type PipeEndOptions } from "./pipe-end.js";
export { VFSPipe, PendingFifoOpen, type VFSPipeOptions } from "./fifo.js";
export { PipeFileDescriptionImpl, PIPE_FILE_DESCRIPTION_OPTIONS } from "./pipe-file-description.js";
export { PipeFifoOpener, newPipeFileDescription } from "./fifo-opener.js";
export {
  PipeFilesystemType,
  PIPEFS_NAME,
  PIPEFS_REGISTER_OPTIONS,
  newPipeMount,
  newPipe,
  type PipeFDs,
} from "./pipefs.js";
