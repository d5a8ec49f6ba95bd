// The extension point: devices an application adds to /sys, each a directory below
// /sys/devices with attribute files, linked from /sys/class, /sys/bus and /sys/dev as
// Linux's driver core (drivers/base/core.c device_add) links its devices. gVisor has no
// general mechanism; its TPU, VFIO, RDMA and DMI entries are built the same way by hand.
import type { Context } from "@vfskit/vfs";

/**
 * One attribute file of a device: either its fixed contents (a read-only file, mode
 * 0444), or how to show and store it.
 * @public
 */
export type SysfsAttribute = string | SysfsAttributeOps;

/**
 * A generated or writable attribute (Linux's `struct device_attribute`).
 *
 * @remarks
 * `show` runs when a reader reads from offset 0 and its output is the file's contents
 * until the reader seeks back (seq_file style). `store` receives each write(2), at most
 * one page (4096 bytes) of it, as Linux hands it to a sysfs `store`; it may throw a
 * `SysError` (`EINVAL` for a bad value), which write(2) returns. Opening for reading
 * without `show`, or for writing without `store`, is EACCES even for root, as in Linux.
 * @public
 */
export interface SysfsAttributeOps {
  /** Permission bits. Default: 0644 with `show` and `store`, 0444 with `show` only, 0200 with `store` only. */
  readonly mode?: number;
  /** Prints the contents (include the trailing newline, as Linux attributes do). */
  readonly show?: (ctx: Context) => string | Uint8Array;
  /** Receives what is written. */
  readonly store?: (ctx: Context, data: Uint8Array) => void;
}

/**
 * A device number, shown in the device's `dev` attribute and linked from
 * `/sys/dev/char` or `/sys/dev/block`.
 * @public
 */
export interface SysfsDeviceNumber {
  /** Character or block device. */
  readonly type: "char" | "block";
  /** Major number (0 to 4095). */
  readonly major: number;
  /** Minor number (0 to 2^20-1). */
  readonly minor: number;
}

/**
 * A device an application adds to /sys.
 *
 * @remarks
 * The device is the directory `/sys/devices/<path>`; its name is the last component of
 * `path`. Linux's links are made for it:
 *
 * - with `class`: `/sys/class/<class>/<name>` → `../../devices/<path>`, and the device's
 *   `subsystem` → the class directory;
 * - with `bus`: `/sys/bus/<bus>/devices/<name>` → `../../../devices/<path>`, and
 *   `subsystem` → the bus directory instead;
 * - with `dev`: a `dev` attribute (`major:minor`) and
 *   `/sys/dev/<char|block>/<major>:<minor>` → `../../devices/<path>`.
 *
 * Paths of several devices may nest (`virtual/net/lo` and `virtual/net/lo/queues/rx-0`)
 * and share parents. A path may not start with `system/cpu` (sysfs's own). Everything is
 * checked when the {@link SysFilesystemType} is created.
 *
 * @example
 * ```ts
 * { path: "virtual/mem/null", class: "mem", dev: { type: "char", major: 1, minor: 3 } }
 * // /sys/class/mem/null -> ../../devices/virtual/mem/null, /sys/dev/char/1:3 -> same,
 * // /sys/devices/virtual/mem/null/{dev,subsystem}
 * ```
 * @public
 */
export interface SysfsDevice {
  /** The directory below `/sys/devices`, without a leading slash: `virtual/misc/vfskit0`. */
  readonly path: string;
  /** The device class (`net`, `mem`, `power_supply`…). */
  readonly class?: string;
  /** The bus (`pci`, `platform`…). */
  readonly bus?: string;
  /** The device number. */
  readonly dev?: SysfsDeviceNumber;
  /** Attribute files, in listing order. */
  readonly attributes?: Iterable<readonly [string, SysfsAttribute]>;
}
