// tmpfs FIFOs, device nodes and sockets: inodes without contents. Twin of gVisor's
// pkg/sentry/fsimpl/tmpfs/{named_pipe.go,device_file.go,socket_file.go}.
import { S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT, type Timespec } from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import type { TmpfsFilesystem } from "./filesystem.js";
import { Inode, InodeKind } from "./inode.js";

/**
 * A FIFO, character device, block device or socket node: metadata only.
 *
 * @remarks
 * A FIFO opens through the `FifoOpener` in the context (`FifoOpenerKey`), which keeps its
 * pipe while it is open (ENXIO without one). Devices will be wired to a device registry;
 * until then open(2) fails with ENXIO (what Linux answers for a device with no driver).
 * Sockets cannot be opened in Linux either (ENXIO).
 * @internal
 */
export class SpecialInode extends Inode {
  /** The device's major number (device nodes). */
  readonly devMajor: number;
  /** The device's minor number (device nodes). */
  readonly devMinor: number;

  constructor(fs: TmpfsFilesystem, mode: number, uid: KUID, gid: KGID, now: Timespec, devMajor: number, devMinor: number) {
    super(fs, mode, uid, gid, now);
    const type = mode & S_IFMT;
    const device = type === S_IFCHR || type === S_IFBLK;
    this.devMajor = device ? devMajor : 0;
    this.devMinor = device ? devMinor : 0;
  }

  get kind(): InodeKind {
    return InodeKind.Special;
  }

  override statSize(): number {
    return 0;
  }

  override rdevMajor(): number {
    return this.devMajor;
  }

  override rdevMinor(): number {
    return this.devMinor;
  }

  /** Reports whether this is a FIFO. */
  isFifo(): boolean {
    return (this.mode & S_IFMT) === S_IFIFO;
  }

  /** Reports whether this is a character or block device. */
  isDevice(): boolean {
    const type = this.mode & S_IFMT;
    return type === S_IFCHR || type === S_IFBLK;
  }
}
