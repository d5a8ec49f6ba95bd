// The sysfs filesystem type and its registration. Twin of FilesystemType in gVisor's
// pkg/sentry/fsimpl/sys/sys.go.
import type {
  Context,
  FilesystemType,
  GetFilesystemOptions,
  NewFilesystem,
  RegisterFilesystemTypeOptions,
  VirtualFilesystem,
} from "@vfskit/vfs";
import type { SysfsDevice } from "./devices.js";
import { SysFilesystem, parseSysfsOptions } from "./filesystem.js";
import { DEFAULT_SYSFS_HOST, type SysfsHost } from "./host.js";
import { buildSysfs, planSysfs } from "./tree.js";

/**
 * The name sysfs is registered and mounted under (gVisor's `sys.Name`).
 * @public
 */
export const SYSFS_NAME = "sysfs";

/**
 * How a {@link SysFilesystemType} builds its mounts.
 * @public
 */
export interface SysfsOptions {
  /** The host facts (CPU count and topology). Default: {@link DEFAULT_SYSFS_HOST}, one CPU. */
  readonly host?: SysfsHost;
  /** The application's devices (the extension point). Default: none. */
  readonly devices?: readonly SysfsDevice[];
}

/**
 * The `sysfs` filesystem type: each mount is a new, read-only /sys tree built from the
 * host facts and devices given here (gVisor's `sys.FilesystemType`).
 *
 * @remarks
 * The tree, as Linux's and gVisor's:
 *
 * ```
 * block/  bus/  class/power_supply/  dev/{block,char}/  firmware/  kernel/  module/  power/
 * devices/system/cpu/{online,possible,present,offline}
 * devices/system/cpu/cpu<N>/topology/{core_cpus,core_siblings,package_cpus,thread_siblings,
 *   their _list twins,core_id,physical_package_id}
 * fs/cgroup/   (an empty mount point)
 * ```
 *
 * plus each {@link SysfsDevice} with its class, bus and dev links. Mount options:
 * `dentry_cache_limit=N` (default {@link DEFAULT_MAX_CACHED_DENTRIES}); the generic
 * `ro`, `rw`, `sync`… are left to the mount; anything else is EINVAL.
 *
 * @example
 * ```ts
 * vfs.registerFilesystemType("sysfs", new SysFilesystemType({ host: fixedSysfsHost(4) }), { allowUserMount: true, allowUserList: true });
 * ```
 * @public
 */
export class SysFilesystemType implements FilesystemType {
  readonly #host: SysfsHost;
  readonly #devices: readonly SysfsDevice[];

  /**
   * @param opts - Host facts and devices. The devices are checked now, and the host facts
   * once, so mistakes show here rather than at mount time.
   * @throws InternalError for a bad device description (bad or duplicate name, path,
   * mode or device number) or bad host facts.
   */
  constructor(opts: SysfsOptions = {}) {
    this.#host = opts.host ?? DEFAULT_SYSFS_HOST;
    this.#devices = [...(opts.devices ?? [])];
    planSysfs(this.#host, this.#devices);
  }

  /** `sysfs`. */
  name(): string {
    return SYSFS_NAME;
  }

  /**
   * Creates a new sysfs tree. The host facts are read now.
   *
   * @param ctx - The mounting context: its credentials own every file (root, usually).
   * @param vfs - The VFS the filesystem belongs to.
   * @param _source - mount(2)'s source (ignored, as Linux does).
   * @param opts - `data`: the options string.
   * @returns The filesystem and its root directory, one reference each for the caller.
   * @throws EINVAL - a bad `dentry_cache_limit` or an unknown option.
   * @throws InternalError if the host's facts are out of range.
   */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, opts: GetFilesystemOptions): NewFilesystem {
    const mountOptions = parseSysfsOptions(opts.data ?? "");
    const plan = planSysfs(this.#host, this.#devices);
    const fs = new SysFilesystem(vfs, this, mountOptions);
    const root = fs.initRoot(buildSysfs(ctx, fs, plan));
    return { fs: fs.vfsfs, root: root.vfsd };
  }

  /** Nothing to free. */
  release(_ctx: Context): void {}
}

/**
 * Registers sysfs with `vfs` under {@link SYSFS_NAME}, mountable by mount(2) and listed
 * in /proc/filesystems as `nodev sysfs`, as Linux registers it.
 *
 * @param vfs - The VFS.
 * @param opts - Host facts and devices for every mount.
 * @param registerOptions - Overrides of the registration (default: user-mountable and listed).
 * @returns The registered type.
 * @throws InternalError for bad devices or host facts (see {@link SysFilesystemType}), or
 * if the VFS already has a type named `sysfs`.
 * @public
 */
export function registerSysfs(vfs: VirtualFilesystem, opts: SysfsOptions = {}, registerOptions: RegisterFilesystemTypeOptions = {}): SysFilesystemType {
  const fsType = new SysFilesystemType(opts);
  vfs.registerFilesystemType(SYSFS_NAME, fsType, { allowUserMount: true, allowUserList: true, ...registerOptions });
  return fsType;
}
