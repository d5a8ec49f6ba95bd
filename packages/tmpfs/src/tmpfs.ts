// The tmpfs filesystem type and its mount options. Twin of the FilesystemType half of
// gVisor's pkg/sentry/fsimpl/tmpfs/tmpfs.go; the options and their parsing follow Linux's
// mm/shmem.c (shmem_parse_one, shmem_show_options) and lib/cmdline.c (memparse).
import { NO_ID, type GID, type KGID, type KUID, type UID } from "@vfskit/auth";
import { PAGE_SIZE, SysError } from "@vfskit/abi";
import {
  genericParseMountOptionsOrdered,
  type Context,
  type FilesystemType,
  type GetFilesystemOptions,
  type NewFilesystem,
  type VirtualFilesystem,
} from "@vfskit/vfs";
import { TmpfsFilesystem, type TmpfsConfig } from "./filesystem.js";

/**
 * Options a program inside vfskit can pass to a tmpfs through
 * `GetFilesystemOptions.internalData` (the mount(2) data string is parsed as well).
 * @public
 */
export interface TmpfsInternalOptions {
  /**
   * Total memory in bytes, the base of `size=N%` (Linux uses the machine's RAM). Without
   * it a percentage is EINVAL: vfskit reads no host facts itself.
   */
  readonly totalMemoryBytes?: number;
}

/** The default root mode: world-writable and sticky, as Linux's tmpfs. */
const DEFAULT_ROOT_MODE = 0o1777;

/**
 * The `tmpfs` filesystem type: register it with a VirtualFilesystem to mount tmpfs.
 *
 * @remarks
 * Mount options (the mount(2) data string, comma-separated), as Linux's tmpfs(5):
 *
 * - `size=N[k|m|g|t|p|e|%]`: the most bytes file data may use, rounded up to pages; 0
 *   (the default here) means unlimited. `nr_blocks=N` sets it in pages.
 *
 * - `nr_inodes=N[k|m|g…]`: the most inodes (hard links and extended attributes count
 *   too, as in Linux); 0 (the default here) means unlimited.
 *
 * - `mode=OCTAL`, `uid=N`, `gid=N`: the root directory's permissions (default 1777) and
 *   owner (default: the caller's filesystem IDs). `uid`/`gid` are IDs in the caller's
 *   user namespace and must be mapped.
 *
 * - `noswap`, `huge=…`, `inode32`, `inode64`: accepted and ignored.
 *
 * Numbers take Linux's forms (decimal, `0x` hex, leading-`0` octal). Anything else, or a
 * bad value, is EINVAL. Linux's defaults for `size` and `nr_inodes` are half of the RAM;
 * vfskit has no RAM to ask, so it leaves them unlimited, and statfs reports zeros for
 * them, as Linux does for an unlimited tmpfs.
 *
 * @example
 * ```ts
 * vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
 * ```
 * @public
 */
export class TmpfsFilesystemType implements FilesystemType {
  /** The type's name: `tmpfs`. */
  name(): string {
    return "tmpfs";
  }

  /**
   * Creates a new, empty tmpfs.
   *
   * @param ctx - The mounting context (the root directory's default owner).
   * @param vfs - The VFS the filesystem belongs to.
   * @param _source - mount(2)'s source (ignored, as Linux does for tmpfs).
   * @param opts - `data`: the options string; `internalData`: {@link TmpfsInternalOptions}.
   * @returns The filesystem and its root directory, one reference each for the caller.
   * @throws EINVAL - an unknown option or a bad value.
   */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, opts: GetFilesystemOptions): NewFilesystem {
    const internal = (opts.internalData ?? {}) as TmpfsInternalOptions;
    const config = parseTmpfsOptions(ctx, opts.data ?? "", internal);
    const fs = new TmpfsFilesystem(ctx, vfs, this, config);
    fs.root.incRef();
    return { fs: fs.vfsfs, root: fs.root.vfsd };
  }

  /** Nothing to free. */
  release(_ctx: Context): void {}
}

function badOption(detail: string): SysError {
  return new SysError("EINVAL", { syscall: "mount", detail: `tmpfs: ${detail}` });
}

/**
 * Linux's simple_strtoull with base 0: `0x` hex, leading `0` octal, else decimal. Returns
 * the value and the unparsed rest, or `undefined` when no digit was read.
 */
function parseNumber(text: string): { value: number; rest: string } | undefined {
  let base = 10;
  let i = 0;
  if (text.startsWith("0x") || text.startsWith("0X")) {
    base = 16;
    i = 2;
  } else if (text.startsWith("0") && text.length > 1) {
    base = 8;
    i = 1;
  }
  let value = 0;
  const start = i;
  for (; i < text.length; i++) {
    const digit = parseInt(text.charAt(i), base);
    if (Number.isNaN(digit)) break;
    value = value * base + digit;
  }
  if (i === start && !(base === 8 && start === 1)) return undefined;
  return { value, rest: text.slice(i) };
}

/** Linux's memparse: a number with an optional K/M/G/T/P/E suffix (powers of 1024). */
function memparse(text: string): { value: number; rest: string } | undefined {
  const parsed = parseNumber(text);
  if (parsed === undefined) return undefined;
  const shifts: Record<string, number> = { k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 };
  const suffix = parsed.rest.charAt(0).toLowerCase();
  const shift = shifts[suffix];
  if (shift !== undefined) return { value: parsed.value * 2 ** shift, rest: parsed.rest.slice(1) };
  return parsed;
}

/** A plain unsigned number (kstrtouint, base 0) with nothing after it. */
function parseUint(text: string, what: string): number {
  const parsed = parseNumber(text);
  if (parsed === undefined || parsed.rest !== "" || parsed.value > 0xffffffff) throw badOption(`bad ${what}: ${JSON.stringify(text)}`);
  return parsed.value;
}

/**
 * Parses a tmpfs mount-options string into a configuration.
 * @throws EINVAL - an unknown option or a bad value.
 * @internal
 */
export function parseTmpfsOptions(ctx: Context, data: string, internal: TmpfsInternalOptions): TmpfsConfig {
  const creds = ctx.credentials;
  let maxPages = Infinity;
  let maxInodes = 0;
  let rootMode = DEFAULT_ROOT_MODE;
  let rootUID: KUID = creds.fsKUID;
  let rootGID: KGID = creds.fsKGID;
  for (const { key, value } of genericParseMountOptionsOrdered(data)) {
    switch (key) {
      case "size": {
        const parsed = memparse(value);
        if (parsed === undefined) throw badOption(`bad size: ${JSON.stringify(value)}`);
        let bytes = parsed.value;
        if (parsed.rest === "%") {
          const total = internal.totalMemoryBytes;
          if (total === undefined) throw badOption("size=N% needs the total memory (TmpfsInternalOptions.totalMemoryBytes)");
          bytes = Math.floor((total / 100) * parsed.value);
        } else if (parsed.rest !== "") {
          throw badOption(`bad size: ${JSON.stringify(value)}`);
        }
        const pages = Math.ceil(bytes / PAGE_SIZE);
        maxPages = pages === 0 ? Infinity : pages;
        break;
      }
      case "nr_blocks": {
        const parsed = memparse(value);
        if (parsed === undefined || parsed.rest !== "") throw badOption(`bad nr_blocks: ${JSON.stringify(value)}`);
        maxPages = parsed.value === 0 ? Infinity : parsed.value;
        break;
      }
      case "nr_inodes": {
        const parsed = memparse(value);
        if (parsed === undefined || parsed.rest !== "") throw badOption(`bad nr_inodes: ${JSON.stringify(value)}`);
        maxInodes = parsed.value;
        break;
      }
      case "mode": {
        if (!/^[0-7]+$/.test(value)) throw badOption(`bad mode: ${JSON.stringify(value)}`);
        rootMode = parseInt(value, 8) & 0o7777;
        break;
      }
      case "uid": {
        const kuid = creds.userNamespace.mapToKUID(parseUint(value, "uid") as UID);
        if ((kuid as number) === NO_ID) throw badOption(`unmapped uid ${value}`);
        rootUID = kuid;
        break;
      }
      case "gid": {
        const kgid = creds.userNamespace.mapToKGID(parseUint(value, "gid") as GID);
        if ((kgid as number) === NO_ID) throw badOption(`unmapped gid ${value}`);
        rootGID = kgid;
        break;
      }
      case "noswap":
      case "huge":
      case "inode32":
      case "inode64":
        break;
      default:
        throw badOption(`unknown option ${JSON.stringify(key)}`);
    }
  }
  // shmem_show_options: mode, uid, gid (as the initial namespace sees them), size,
  // nr_inodes, each only when not the default.
  const shown: string[] = [];
  if (rootMode !== DEFAULT_ROOT_MODE) shown.push(`mode=${rootMode.toString(8).padStart(3, "0")}`);
  if (rootUID !== 0) shown.push(`uid=${rootUID}`);
  if (rootGID !== 0) shown.push(`gid=${rootGID}`);
  if (maxPages !== Infinity) shown.push(`size=${maxPages * (PAGE_SIZE / 1024)}k`);
  if (maxInodes !== 0) shown.push(`nr_inodes=${maxInodes}`);
  return {
    maxPages,
    maxInodes,
    rootMode,
    rootUID,
    rootGID,
    mountOptions: shown.join(","),
  };
}
