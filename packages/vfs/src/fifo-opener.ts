// Opening FIFOs (named pipes) of any filesystem. In Linux this is generic: every
// filesystem's FIFO inode gets pipefifo_fops (init_special_inode) and fifo_open keeps the
// pipe in inode->i_pipe while someone has it open. gVisor wires it per filesystem
// (tmpfs/named_pipe.go). Here a filesystem hands its FIFO opens, after its own checks, to
// the FifoOpener found in the context: the VFS cannot know pipes (pipefs sits above it),
// and one opener per VFS keeps one pipe per inode whichever filesystem the inode lives on.
import { ContextKey, type Context } from "./context.js";
import type { FileDescription } from "./file-description.js";
import type { VirtualDentry } from "./virtual-dentry.js";

/**
 * Opens FIFO inodes for filesystems (Linux's `fifo_open` behind `init_special_inode`).
 *
 * @remarks
 * `@vfskit/pipefs` implements it (`PipeFifoOpener`: one pipe per inode while the FIFO is
 * open, EAGAIN where Linux would block); the kernel extends that to wait.
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
 * A filesystem whose context has no opener answers FIFO opens with ENXIO.
 * @public
 */
export const FifoOpenerKey = new ContextKey<FifoOpener>("vfs.fifoOpener");
