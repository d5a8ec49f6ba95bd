// GenericDirectoryFD: the open-directory description of kernfs directories. Twin of
// gVisor's pkg/sentry/fsimpl/kernfs/fd_impl_util.go.
import { DT_DIR, SEEK_CUR, SEEK_END, SEEK_SET, STATX_INO, SysError, direntTypeFromMode, type Statx } from "@vfskit/abi";
import {
  DirectoryFileDescriptionDefaultImpl,
  FileDescription,
  MAY_WRITE,
  VirtualDentry,
  accessTypesForOpenFlags,
  type Context,
  type FileLocks,
  type IterDirentsCallback,
  type Mount,
  type OpenOptions,
  type SetStatOptions,
  type StatOptions,
} from "@vfskit/vfs";
import type { Dentry } from "./kernfs.js";
import type { OrderedChildren } from "./ordered-children.js";

/**
 * Where SEEK_END puts a {@link GenericDirectoryFD} (gVisor's `SeekEndConfig`).
 * @public
 */
export const SeekEnd = {
  /** After the last ordered entry: 2 (`.` and `..`) plus the number of entries. The default. */
  StaticEntries: "staticEntries",
  /** At offset 0 (procfs, whose dynamic entries have no known end). */
  Zero: "zero",
} as const;

/**
 * One of the `SeekEnd` values.
 * @public
 */
export type SeekEnd = (typeof SeekEnd)[keyof typeof SeekEnd];

/**
 * Options of a {@link GenericDirectoryFD}.
 * @public
 */
export interface GenericDirectoryFDOptions {
  /** Where SEEK_END goes (default `SeekEnd.StaticEntries`). */
  readonly seekEnd?: SeekEnd;
}

/**
 * The open description of a kernfs directory (gVisor's `GenericDirectoryFD`): lists `.`,
 * `..`, the ordered entries, then the inode's dynamic entries.
 *
 * @remarks
 * Offsets: 0 is `.`, 1 is `..` (the parent's inode, or the directory itself at the
 * filesystem's root), 2 to N+1 the N entries of its {@link OrderedChildren} in order,
 * then the dynamic entries from the inode's `iterDirents`, which receives the running
 * offset and its index among the dynamic entries (offset − N − 2). Reading or writing
 * data is EISDIR. `seek` takes SEEK_SET, SEEK_CUR and SEEK_END (see `SeekEnd`);
 * other whences and negative results are EINVAL. `stat`/`setStat` go to the inode.
 * @public
 */
export class GenericDirectoryFD extends DirectoryFileDescriptionDefaultImpl {
  readonly #children: OrderedChildren;
  readonly #locks: FileLocks | undefined;
  readonly #seekEnd: SeekEnd;
  #off = 0;

  /**
   * @param children - The entries to list.
   * @param locks - The directory's lock state, if it supports flock/fcntl locks.
   * @param opts - Seek behaviour.
   */
  constructor(children: OrderedChildren, locks: FileLocks | undefined, opts: GenericDirectoryFDOptions = {}) {
    super();
    this.#children = children;
    this.#locks = locks;
    this.#seekEnd = opts.seekEnd ?? SeekEnd.StaticEntries;
  }

  /** The current directory offset. */
  get offset(): number {
    return this.#off;
  }

  #dentry(): Dentry {
    return this.vfsfd.dentry().impl as Dentry;
  }

  /** Nothing to release. */
  release(_ctx: Context): void {}

  /** The directory inode's metadata. */
  stat(ctx: Context, opts: StatOptions): Statx {
    return this.#dentry().inode().stat(ctx, this.vfsfd.mount().fs, opts);
  }

  /**
   * Changes the directory inode's metadata.
   * @throws EPERM, EACCES - from the inode.
   */
  setStat(ctx: Context, opts: SetStatOptions): void {
    this.#dentry().inode().setStat(ctx, this.vfsfd.mount().fs, ctx.credentials, opts);
  }

  /** The directory's lock state, if any. */
  override fileLocks(): FileLocks | undefined {
    return this.#locks;
  }

  /**
   * Delivers entries from the current offset until `cb` returns `false` or the end.
   * @throws Whatever the inodes' `stat` or `iterDirents` throw.
   */
  override iterDirents(ctx: Context, cb: IterDirentsCallback): void {
    const d = this.#dentry();
    const fs = this.vfsfd.mount().fs;
    const opts: StatOptions = { mask: STATX_INO, sync: 0 };
    if (this.#off === 0) {
      const ino = d.inode().stat(ctx, fs, opts).ino;
      if (!cb({ name: ".", type: DT_DIR, ino, nextOff: 1 })) return;
      this.#off = 1;
    }
    if (this.#off === 1) {
      const parent = d.parent() ?? d;
      const stat = parent.inode().stat(ctx, fs, opts);
      if (!cb({ name: "..", type: direntTypeFromMode(stat.mode), ino: stat.ino, nextOff: 2 })) return;
      this.#off = 2;
    }
    for (const [name, inode] of this.#children.entriesFrom(this.#off - 2)) {
      const stat = inode.stat(ctx, fs, opts);
      if (!cb({ name, type: direntTypeFromMode(stat.mode), ino: stat.ino, nextOff: this.#off + 1 })) return;
      this.#off++;
    }
    const relOffset = this.#off - this.#children.size - 2;
    this.#off = d.inode().iterDirents(ctx, this.vfsfd.mount(), cb, this.#off, relOffset);
  }

  /**
   * lseek(2) on the directory: SEEK_SET 0 rewinds.
   * @returns The new offset.
   * @throws EINVAL - `whence` is not SEEK_SET, SEEK_CUR or SEEK_END, or the result is negative.
   */
  override seek(_ctx: Context, offset: number, whence: number): number {
    switch (whence) {
      case SEEK_SET:
        break;
      case SEEK_CUR:
        offset += this.#off;
        break;
      case SEEK_END:
        if (this.#seekEnd === SeekEnd.StaticEntries) offset += this.#children.size + 2;
        break;
      default:
        throw new SysError("EINVAL", { syscall: "lseek" });
    }
    if (offset < 0) throw new SysError("EINVAL", { syscall: "lseek" });
    this.#off = offset;
    return offset;
  }
}

/**
 * What {@link newGenericDirectoryFD} needs.
 * @public
 */
export interface NewGenericDirectoryFDOptions {
  /** The entries to list. */
  readonly children: OrderedChildren;
  /** The directory's lock state, if any. */
  readonly locks?: FileLocks;
  /** The open(2) options. */
  readonly opts: OpenOptions;
  /** Seek behaviour. */
  readonly fdOptions?: GenericDirectoryFDOptions;
}

/**
 * Opens a {@link GenericDirectoryFD} on directory `d` seen through `mount` (gVisor's
 * `NewGenericDirectoryFD`).
 * @returns A description holding references on `mount` and `d`, one reference for the caller.
 * @throws EISDIR - the flags ask for write access (O_WRONLY, O_RDWR, O_TRUNC).
 * @public
 */
export function newGenericDirectoryFD(ctx: Context, mount: Mount, d: Dentry, init: NewGenericDirectoryFDOptions): FileDescription {
  if ((accessTypesForOpenFlags(init.opts) & MAY_WRITE) !== 0) throw new SysError("EISDIR");
  const impl = new GenericDirectoryFD(init.children, init.locks, init.fdOptions);
  const fd = new FileDescription();
  fd.init(ctx, impl, init.opts.flags, new VirtualDentry(mount, d.vfsd));
  return fd;
}
