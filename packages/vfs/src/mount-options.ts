// Helpers for filesystem implementations: mount(2) data strings and statfs results
// (gVisor's vfs/filesystem_impl_util.go; Linux's simple_statfs in fs/libfs.c).
import { NAME_MAX, PAGE_SIZE, type Statfs } from "@vfskit/abi";

/**
 * One `key` or `key=value` item of a mount options string.
 * @public
 */
export interface MountOption {
  /** The text before the first `=` (the whole item if there is none). */
  readonly key: string;
  /** The text after the first `=`; `""` for an item without one. */
  readonly value: string;
}

/**
 * Parses a comma-separated mount options string (`"mode=0755,size=1m,noswap"`) into a map
 * from key to value; a key repeated later wins (gVisor's `GenericParseMountOptions`).
 *
 * @remarks
 * An item without `=` maps to `""`; the first `=` splits (`a=b=c` is `a` → `b=c`); empty
 * items are skipped. Not for options whose values contain commas (tmpfs `mpol=`).
 *
 * @example
 * ```ts
 * genericParseMountOptions("a=1,b,a=2"); // Map { "a" => "2", "b" => "" }
 * ```
 * @public
 */
export function genericParseMountOptions(data: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const { key, value } of genericParseMountOptionsOrdered(data)) options.set(key, value);
  return options;
}

/**
 * Like {@link genericParseMountOptions} but keeps every item, duplicates included, in
 * the order given (gVisor's `GenericParseMountOptionsOrdered`).
 *
 * @example
 * ```ts
 * genericParseMountOptionsOrdered("a=1,b,a=2"); // [{a,1}, {b,""}, {a,2}]
 * ```
 * @public
 */
export function genericParseMountOptionsOrdered(data: string): MountOption[] {
  const options: MountOption[] = [];
  let start = 0;
  const length = data.length;
  while (start <= length) {
    let end = data.indexOf(",", start);
    if (end === -1) end = length;
    if (end > start) {
      const eq = data.indexOf("=", start);
      if (eq !== -1 && eq < end) {
        options.push({ key: data.slice(start, eq), value: data.slice(eq + 1, end) });
      } else {
        options.push({ key: data.slice(start, end), value: "" });
      }
    }
    start = end + 1;
  }
  return options;
}

/**
 * A statfs result for a simple in-memory filesystem (Linux `simple_statfs`, gVisor's
 * `GenericStatFS`): the magic number, a block size of one page, names up to 255 bytes,
 * and zero for every count.
 *
 * @remarks
 * `frsize` equals `bsize`, as Linux's statfs fills it when a filesystem leaves it 0.
 * `flags` is 0: the VFS adds the mount's ST_* flags.
 *
 * @param magic - The filesystem's magic number (`TMPFS_MAGIC`, `PROC_SUPER_MAGIC`…).
 * @param overrides - Fields to set instead of the defaults (block and inode counts, fsid…).
 * @public
 */
export function genericStatFS(magic: number, overrides: Partial<Statfs> = {}): Statfs {
  return {
    type: magic,
    bsize: PAGE_SIZE,
    blocks: 0,
    bfree: 0,
    bavail: 0,
    files: 0,
    ffree: 0,
    fsid: [0, 0],
    namelen: NAME_MAX,
    frsize: PAGE_SIZE,
    flags: 0,
    ...overrides,
  };
}
