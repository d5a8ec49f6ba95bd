// Ready-made inodes for tests of kernfs and of filesystems built on it: the shapes
// gVisor's kernfs_test.go builds (a static file, a read-only directory, a writable
// directory, a "kept" directory).
import { S_IFDIR, S_IFMT, SysError } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import {
  ByteSink,
  type Context,
  type FileDescription,
  type Filesystem as VfsFilesystem,
  type MkdirOptions,
  type MknodOptions,
  type OpenOptions,
  type WritableDynamicBytesSource,
} from "@vfskit/vfs";
import { DynamicBytesFile } from "../dynamic-bytes-file.js";
import type { Filesystem } from "../filesystem.js";
import type { Inode } from "../inode.js";
import { InodeAttrs, type InodeSetStatOptions } from "../inode-attrs.js";
import { InodeBase, InodeDirectory, InodeNotDirectory, StaticDirectory } from "../inode-impl-util.js";
import { OrderedChildren } from "../ordered-children.js";
import { StaticSymlink } from "../symlink.js";

/**
 * The contents of a {@link TestFile}: bytes that reads return and writes change.
 * @public
 */
export class TestFileData implements WritableDynamicBytesSource {
  /** The current contents. */
  bytes: Uint8Array;

  /**
   * @param content - The initial contents.
   */
  constructor(content: string | Uint8Array) {
    this.bytes = typeof content === "string" ? new ByteSink().write(content).bytes().slice() : content;
  }

  /** Prints the contents. */
  generate(_ctx: Context, buf: ByteSink): void {
    buf.writeBytes(this.bytes);
  }

  /** Writes `src` at `offset`, growing the contents as needed. */
  write(_ctx: Context, _fd: FileDescription, src: Uint8Array, offset: number): number {
    const end = offset + src.length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(end);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(src, offset);
    return src.length;
  }
}

/**
 * A regular file for tests: a {@link DynamicBytesFile} over {@link TestFileData} (so it
 * can be read and written) whose attributes can be changed (chmod, chown, utimes).
 * @public
 */
export class TestFile extends DynamicBytesFile {
  /** The file's contents. */
  readonly contents: TestFileData;

  /**
   * @param perm - Permission bits.
   */
  constructor(ctx: Context, fs: Filesystem, content: string | Uint8Array, perm: number) {
    const data = new TestFileData(content);
    super(ctx, { ino: fs.nextIno(), perm, data });
    this.contents = data;
  }

  /** Applies the change with {@link InodeAttrs.setStat}. */
  override setStat(ctx: Context, _fs: VfsFilesystem, creds: Credentials, opts: InodeSetStatOptions): void {
    this.attrs.setStat(ctx, creds, opts);
  }
}

/**
 * A {@link TestFile} whose contents are `content`.
 * @param perm - Permission bits (default `0o777`, as kernfs_test.go).
 * @public
 */
export function newTestFile(ctx: Context, fs: Filesystem, content: string, perm = 0o777): TestFile {
  return new TestFile(ctx, fs, content, perm);
}

/**
 * A read-only directory with fixed entries (a {@link StaticDirectory}).
 * @param children - The entries; their references pass to the directory.
 * @public
 */
export function newReadonlyDir(
  ctx: Context,
  fs: Filesystem,
  perm: number,
  children: Iterable<readonly [string, Inode]> = [],
): StaticDirectory {
  return new StaticDirectory(ctx, { ino: fs.nextIno(), perm, children });
}

/**
 * A node made by mknod in a {@link TestDirectory}: it exists and has a type, but cannot
 * be opened (ENXIO, as a device without a driver).
 * @public
 */
export class TestNode extends InodeNotDirectory {
  /**
   * @param mode - File type and permissions.
   */
  constructor(ctx: Context, fs: Filesystem, mode: number) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode }));
  }

  /** @throws ENXIO - no driver. */
  open(): never {
    throw new SysError("ENXIO");
  }
}

/**
 * Options of {@link TestDirectory}.
 * @public
 */
export interface TestDirectoryOptions {
  /** Entries inserted as static (not removable) entries. */
  readonly children?: Iterable<readonly [string, Inode]>;
  /** Entries inserted as dynamic (removable) entries. */
  readonly dynamicChildren?: Iterable<readonly [string, Inode]>;
  /** `keep()` answers true: looked-up dentries stay in the tree (gVisor's keptDir). */
  readonly keep?: boolean;
}

/**
 * A writable directory for tests (kernfs_test.go's `dir` and `keptDir`): mkdir creates
 * another TestDirectory, open(O_CREAT) an empty file, symlink a {@link StaticSymlink},
 * link a new name for the inode, mknod a {@link TestNode}; unlink, rmdir and rename work
 * on dynamic entries.
 * @public
 */
export class TestDirectory extends InodeDirectory {
  readonly #fs: Filesystem;
  readonly #keep: boolean;

  /**
   * @param perm - Permission bits.
   * @param opts - Entries and `keep`.
   */
  constructor(ctx: Context, fs: Filesystem, perm: number, opts: TestDirectoryOptions = {}) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: S_IFDIR | perm }), { children: new OrderedChildren({ writable: true }) });
    this.#fs = fs;
    this.#keep = opts.keep ?? false;
    if (opts.children !== undefined) this.attrs.incLinks(this.children.populate(opts.children));
    for (const [name, child] of opts.dynamicChildren ?? []) {
      this.children.insert(name, child);
      if ((child.mode() & S_IFMT) === S_IFDIR) this.attrs.incLinks(1);
    }
  }

  /** Whether looked-up dentries stay in the tree. */
  override keep(): boolean {
    return this.#keep;
  }

  /** Creates a TestDirectory (kept if this one is). */
  override newDir(ctx: Context, name: string, opts: MkdirOptions): Inode {
    const dir = new TestDirectory(ctx, this.#fs, opts.mode & 0o7777, { keep: this.#keep });
    return this.#insert(ctx, name, dir);
  }

  /** Creates an empty file. */
  override newFile(ctx: Context, name: string, opts: OpenOptions): Inode {
    return this.#insert(ctx, name, newTestFile(ctx, this.#fs, "", opts.mode & 0o7777));
  }

  /** Creates a symbolic link. */
  override newSymlink(ctx: Context, name: string, target: string): Inode {
    return this.#insert(ctx, name, new StaticSymlink(ctx, { ino: this.#fs.nextIno(), target }));
  }

  /** Adds a name for `target` and counts the link. */
  override newLink(ctx: Context, name: string, target: Inode): Inode {
    target.incRef(); // the entry's reference
    const child = this.#insert(ctx, name, target);
    if (target instanceof InodeBase) target.attrs.incLinks(1);
    return child;
  }

  /** Creates a {@link TestNode}. */
  override newNode(ctx: Context, name: string, opts: MknodOptions): Inode {
    return this.#insert(ctx, name, new TestNode(ctx, this.#fs, opts.mode));
  }

  /** Removes the entry and drops a link of the inode. */
  override unlink(ctx: Context, name: string, child: Inode): void {
    super.unlink(ctx, name, child);
    if (child instanceof InodeBase) child.attrs.decLinks();
    this.attrs.touchCMtime(ctx);
  }

  #insert(ctx: Context, name: string, child: Inode): Inode {
    try {
      const inserted = this.insertNew(name, child);
      this.attrs.touchCMtime(ctx);
      return inserted;
    } catch (error) {
      child.decRef(ctx);
      throw error;
    }
  }
}
