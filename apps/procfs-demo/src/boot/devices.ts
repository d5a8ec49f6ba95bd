// Character devices for the demo, until the packages have a device registry.
//
// tmpfs stores device nodes but answers ENXIO when one is opened: it has no device
// registry (see the tmpfs README, "Not done"). Linux opens a character device through
// init_special_inode: the open goes to the driver registered for its major:minor
// (drivers/char/mem.c for 1:3 /dev/null and 1:5 /dev/zero). `openFile` below does the
// same from outside: when tmpfs refuses a character device with ENXIO (after its own
// permission checks), it takes the node with O_PATH and builds the description itself
// from the small registry here. The description sits on the node's own dentry, so
// /proc/[pid]/fd shows `/dev/null` and fstat reports the node. FIFOs need nothing here:
// tmpfs opens them through the kernel's FIFO opener.
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW, O_CLOEXEC, O_NOFOLLOW, O_PATH, S_IFCHR, S_IFMT, isSysError } from "@vfskit/abi";
import { RLIMIT_NOFILE, type Task } from "@vfskit/kernel";
import {
  DentryMetadataFileDescriptionImpl,
  FileDescription,
  type Context,
  type FileDescriptionOptions,
  type ReadOptions,
  type WriteOptions,
} from "@vfskit/vfs";

/** What a character device does when read and written. */
export interface CharDevice {
  /** Fills `dst`; returns the byte count (0: end of file). */
  read(dst: Uint8Array): number;
  /** Consumes `src`; returns the byte count. */
  write(src: Uint8Array): number;
}

const DEVICE_OPTIONS: FileDescriptionOptions = { useDentryMetadata: true, specialFile: true, denyPRead: false };

/** A description of a character device: reads and writes go to its driver. */
class CharDeviceFD extends DentryMetadataFileDescriptionImpl {
  readonly #device: CharDevice;

  constructor(device: CharDevice) {
    super();
    this.#device = device;
  }

  release(_ctx: Context): void {}

  override read(_ctx: Context, dst: Uint8Array, _opts: ReadOptions): number {
    return this.#device.read(dst);
  }

  override pread(_ctx: Context, dst: Uint8Array, _offset: number, _opts: ReadOptions): number {
    return this.#device.read(dst);
  }

  override write(_ctx: Context, src: Uint8Array, _opts: WriteOptions): number {
    return this.#device.write(src);
  }

  override pwrite(_ctx: Context, src: Uint8Array, _offset: number, _opts: WriteOptions): number {
    return this.#device.write(src);
  }

  // Linux's null_lseek and the zero device's noop_llseek: seeking succeeds and does nothing.
  override seek(_ctx: Context, _offset: number, _whence: number): number {
    return 0;
  }
}

/** /dev/null (1:3): reads are end of file, writes vanish. */
export const nullDevice: CharDevice = { read: () => 0, write: (src) => src.length };

/** /dev/zero (1:5): reads are zeros, writes vanish. */
export const zeroDevice: CharDevice = {
  read: (dst) => {
    dst.fill(0);
    return dst.length;
  },
  write: (src) => src.length,
};

/** The demo's device registry: `major:minor` to driver. */
export class DeviceRegistry {
  readonly #devices = new Map<string, CharDevice>();

  /** Registers `device` as the driver of character device `major:minor`. */
  register(major: number, minor: number, device: CharDevice): void {
    this.#devices.set(`${major}:${minor}`, device);
  }

  /** The driver of `major:minor`, or `undefined` (an open then fails with ENXIO, as Linux). */
  lookup(major: number, minor: number): CharDevice | undefined {
    return this.#devices.get(`${major}:${minor}`);
  }
}

/**
 * open(2) as the task would make it, with character devices on tmpfs opened through
 * `devices` (see the file comment). Returns the new descriptor.
 *
 * @throws Whatever `openat` throws; ENXIO for a device without a driver.
 */
export function openFile(task: Task, devices: DeviceRegistry, path: string, flags: number, mode = 0o666): number {
  try {
    return task.openat(AT_FDCWD, path, flags, mode);
  } catch (error) {
    if (!isSysError(error, "ENXIO")) throw error;
    const st = task.fstatat(AT_FDCWD, path, (flags & O_NOFOLLOW) !== 0 ? AT_SYMLINK_NOFOLLOW : 0);
    const device = (st.mode & S_IFMT) === S_IFCHR ? devices.lookup(st.rdevMajor, st.rdevMinor) : undefined;
    if (device === undefined) throw error;
    const opath = task.openat(AT_FDCWD, path, O_PATH | (flags & O_NOFOLLOW));
    try {
      const node = task.fdTable.get(opath);
      if (node === undefined) throw error;
      const file = new FileDescription();
      file.init(task.ctx, new CharDeviceFD(device), flags & ~O_CLOEXEC, node.vd, DEVICE_OPTIONS);
      try {
        return task.fdTable.newFD(file, { closeOnExec: (flags & O_CLOEXEC) !== 0 }, 0, task.getrlimit(RLIMIT_NOFILE).cur);
      } catch (installError) {
        file.decRef(task.ctx);
        throw installError;
      }
    } finally {
      task.close(opath);
    }
  }
}
