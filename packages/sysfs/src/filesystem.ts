// The sysfs filesystem object and its mount options. Twin of `filesystem` and the option
// handling of GetFilesystem in gVisor's pkg/sentry/fsimpl/sys/sys.go.
import { SysError } from "@vfskit/abi";
import { Filesystem } from "@vfskit/kernfs";
import { genericParseMountOptionsOrdered, type FilesystemType, type VirtualFilesystem } from "@vfskit/vfs";

/**
 * The dentry cache size of a sysfs mount without `dentry_cache_limit` (gVisor's
 * `defaultMaxCachedDentries`).
 * @public
 */
export const DEFAULT_MAX_CACHED_DENTRIES = 1000;

/** Flags Linux's VFS takes from the data string itself (fs_context.c `vfs_parse_sb_flag`). */
const SB_FLAG_OPTIONS = new Set(["ro", "rw", "sync", "async", "dirsync", "lazytime", "nolazytime", "mand", "nomand", "posixacl"]);

const UINT64_MAX = (1n << 64n) - 1n;

/**
 * What the data string of a sysfs mount says (parsed by {@link SysFilesystemType}).
 * @public
 */
export interface SysfsMountOptions {
  /** `dentry_cache_limit`, or `undefined` when the mount did not give it. */
  readonly maxCachedDentries: number | undefined;
}

/**
 * Parses the mount(2) data string of sysfs.
 *
 * `dentry_cache_limit=N` (a gVisor option; N a decimal integer below 2^64, as Go's
 * strconv.ParseUint) sets the dentry cache size; the generic superblock flags Linux's VFS
 * parses itself (`ro`, `rw`, `sync`…) are accepted and left to the mount's flags. Anything
 * else is EINVAL, as Linux's sysfs says "Unknown parameter" (gVisor ignores unknown
 * options).
 * @throws EINVAL - a bad `dentry_cache_limit` or an unknown option.
 * @internal
 */
export function parseSysfsOptions(data: string): SysfsMountOptions {
  let maxCachedDentries: number | undefined;
  for (const { key, value } of genericParseMountOptionsOrdered(data)) {
    if (key === "dentry_cache_limit") {
      if (!/^[0-9]+$/.test(value) || BigInt(value) > UINT64_MAX) {
        throw new SysError("EINVAL", { syscall: "mount", detail: `sysfs: invalid dentry cache limit: dentry_cache_limit=${value}` });
      }
      // Limits beyond 2^53 behave as "unlimited"; Number keeps them ordered correctly.
      maxCachedDentries = Number(value);
      continue;
    }
    if (SB_FLAG_OPTIONS.has(key) && value === "") continue;
    throw new SysError("EINVAL", { syscall: "mount", detail: `sysfs: Unknown parameter '${key}'` });
  }
  return { maxCachedDentries };
}

// Anonymous device numbers (st_dev 0:N). vfs has no shared allocator yet (gVisor's
// GetAnonBlockDevMinor); sysfs numbers its mounts from its own range, as tmpfs does.
let lastDevMinor = 0x300;

/**
 * A mounted sysfs: a kernfs {@link @vfskit/kernfs#Filesystem} with its device number and
 * mount options (gVisor's sys `filesystem`).
 *
 * @remarks
 * Created by {@link SysFilesystemType.getFilesystem}; the tree is built once, at mount
 * time, from the type's host facts and devices.
 * @public
 */
export class SysFilesystem extends Filesystem {
  /** The minor number of this mount's anonymous device (`st_dev` is 0:`devMinor`). */
  readonly devMinor: number;
  readonly #explicitLimit: boolean;

  /**
   * @param vfs - The VFS it belongs to.
   * @param fsType - The type creating it.
   * @param opts - The parsed mount options.
   * @remarks Use {@link SysFilesystemType.getFilesystem}; this constructor builds no tree.
   */
  constructor(vfs: VirtualFilesystem, fsType: FilesystemType, opts: SysfsMountOptions) {
    super(vfs, fsType, { maxCachedDentries: opts.maxCachedDentries ?? DEFAULT_MAX_CACHED_DENTRIES });
    this.devMinor = ++lastDevMinor;
    this.#explicitLimit = opts.maxCachedDentries !== undefined;
  }

  /**
   * The options for /proc/mounts: `dentry_cache_limit=N` when the mount gave it, else
   * nothing — Linux shows no sysfs option (gVisor always shows the limit).
   */
  override mountOptions(): string {
    return this.#explicitLimit ? `dentry_cache_limit=${this.maxCachedDentries}` : "";
  }
}
