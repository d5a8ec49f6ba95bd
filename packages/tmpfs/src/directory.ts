// tmpfs directories: the name → dentry map and its getdents description. Twin of gVisor's
// pkg/sentry/fsimpl/tmpfs/directory.go, with Linux's stable directory offsets
// (fs/libfs.c simple_offset, used by shmem since Linux 6.6).
import { DT_DIR, SEEK_CUR, SEEK_SET, SysError, type Dirent, type Statfs, type Statx, type Timespec } from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import {
  DirectoryFileDescriptionDefaultImpl,
  type Context,
  type FileLocks,
  type GetXattrOptions,
  type IterDirentsCallback,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
} from "@vfskit/vfs";
import type { TmpfsFilesystem } from "./filesystem.js";
import { Inode, InodeKind, type TmpfsDentry } from "./inode.js";
import { fileLocksOf, releaseFileLocks, setStatThroughFD } from "./file-description-util.js";
import { getXattr, listXattr, removeXattr, setXattr } from "./xattr.js";

/** Linux's BOGO_DIRENT_SIZE: a tmpfs directory's size grows by 20 per entry. */
const BOGO_DIRENT_SIZE = 20;

/** The first serial given to an entry: offsets 0 and 1 are `.` and `..`. */
const FIRST_SERIAL = 2;

/**
 * A tmpfs directory.
 *
 * @remarks
 * Entries live in a `Map` from name to dentry: lookup, insert and remove are O(1) at any
 * size, and a `Map` iterates in insertion order, visiting entries added during the
 * iteration and skipping entries removed. Every entry also gets a serial number from a
 * counter when it is inserted, so serials increase along the iteration order; an open
 * directory's offset is "the next serial to return", which stays meaningful while
 * entries come and go (and after `lseek` to an offset returned earlier), as Linux's
 * stable tmpfs offsets do. A renamed entry is re-inserted with a new serial.
 *
 * A directory holds a reference on its parent directory's inode (dropped when the
 * directory is released), so `..` of a removed but open directory still works.
 * @internal
 */
export class DirectoryInode extends Inode {
  get kind(): InodeKind {
    return InodeKind.Directory;
  }

  /** The directory's only dentry (directories have no hard links). */
  dentry!: TmpfsDentry;
  /** Entries by name; created with the first one. */
  children: Map<string, TmpfsDentry> | undefined = undefined;
  /** The serial the next inserted entry gets. */
  nextSerial = FIRST_SERIAL;

  constructor(fs: TmpfsFilesystem, mode: number, uid: KUID, gid: KGID, now: Timespec) {
    super(fs, mode, uid, gid, now);
    this.nlink = 2; // "." and the entry in the parent (the root's ".." counts as that)
  }

  /** The number of entries. */
  size(): number {
    return this.children === undefined ? 0 : this.children.size;
  }

  override statSize(): number {
    return BOGO_DIRENT_SIZE * (2 + this.size());
  }

  /** The entry called `name`, or `undefined`. */
  lookup(name: string): TmpfsDentry | undefined {
    return this.children?.get(name);
  }

  /**
   * Adds `child` under `name` at the end of the listing.
   * @precondition No entry is called `name`.
   */
  insertChild(child: TmpfsDentry, name: string): void {
    child.parent = this.dentry;
    child.name = name;
    child.serial = this.nextSerial++;
    let children = this.children;
    if (children === undefined) this.children = children = new Map();
    children.set(name, child);
  }

  /** Removes `child` (keeping its `parent` and `name`, for pathnames of deleted files). */
  removeChild(child: TmpfsDentry): void {
    this.children?.delete(child.name);
  }

  /** The parent directory's inode (the root's is itself). */
  parentInode(): Inode {
    const parent = this.dentry.parent;
    return parent === null ? this : parent.inode;
  }

  protected override releaseContents(ctx: Context): void {
    // The entries (if any: only the filesystem's release drops a non-empty directory)
    // are released by that walk, which still reads them.
    const parent = this.dentry.parent;
    if (parent !== null) parent.inode.decRef(ctx);
  }
}

/**
 * An open tmpfs directory (gVisor's `directoryFD`).
 *
 * @remarks
 * Offsets: `.` is at 0, `..` at 1, and an entry with serial `s` at `s` (its `d_off`, the
 * offset of what follows it, is `s + 1`). The description keeps a live iterator over the
 * directory's `Map` so that consecutive getdents calls cost O(1) per entry; a seek to a
 * new offset restarts the iteration and skips the entries below the offset.
 * @internal
 */
export class DirectoryFD extends DirectoryFileDescriptionDefaultImpl {
  readonly dentry: TmpfsDentry;
  readonly inode: DirectoryInode;
  /** The offset: the serial of the next entry to return. */
  #off = 0;
  /** Where the iteration stands: the live iterator and an entry it returned but not yet delivered. */
  #iter: Iterator<TmpfsDentry> | undefined = undefined;
  #pending: TmpfsDentry | undefined = undefined;
  /** `inode.nextSerial` when the iteration last reached the end (-1: not at the end). */
  #endSerial = -1;

  constructor(dentry: TmpfsDentry, inode: DirectoryInode) {
    super();
    this.dentry = dentry;
    this.inode = inode;
  }

  release(_ctx: Context): void {
    this.#iter = undefined;
    this.#pending = undefined;
    releaseFileLocks(this.inode);
  }

  stat(_ctx: Context, _opts: StatOptions): Statx {
    return this.inode.stat();
  }

  setStat(ctx: Context, opts: SetStatOptions): void {
    setStatThroughFD(ctx, this.vfsfd, this.inode, opts);
  }

  override statFS(_ctx: Context): Statfs {
    return this.inode.fs.statFS();
  }

  /** fsync: nothing to write back. */
  override sync(_ctx: Context): void {}

  override fileLocks(): FileLocks {
    return fileLocksOf(this.inode);
  }

  /**
   * getdents64: delivers `.`, `..` and then the entries from the current offset.
   * @throws ENOENT - the directory was removed (Linux's IS_DEADDIR check).
   */
  override iterDirents(ctx: Context, cb: IterDirentsCallback): void {
    const dir = this.inode;
    if (this.dentry.vfsd.isDead()) throw new SysError("ENOENT", { syscall: "getdents64" });
    dir.touchAtime(ctx, this.vfsfd.mount());
    if (this.#off === 0) {
      if (!cb({ name: ".", type: DT_DIR, ino: dir.ino, nextOff: 1 })) return;
      this.#off = 1;
    }
    if (this.#off === 1) {
      const parent = dir.parentInode();
      if (!cb({ name: "..", type: parent.direntType(), ino: parent.ino, nextOff: FIRST_SERIAL })) return;
      this.#off = FIRST_SERIAL;
    }
    const children = dir.children;
    if (children === undefined) return;
    let iter = this.#iter;
    let next = this.#pending;
    this.#pending = undefined;
    if (iter === undefined) {
      // At the end and nothing inserted since: nothing to deliver (saves a rescan).
      if (this.#endSerial === dir.nextSerial) return;
      iter = children.values();
      this.#iter = iter;
      next = undefined;
    }
    const off = this.#off;
    for (;;) {
      let child: TmpfsDentry;
      if (next !== undefined) {
        child = next;
        next = undefined;
        // Removed since it was read from the iterator (the iterator itself never returns
        // removed entries)?
        if (children.get(child.name) !== child) continue;
      } else {
        const r = iter.next();
        if (r.done === true) {
          // A finished Map iterator stays finished even if entries are added later: drop
          // it and resume by serial next time.
          this.#iter = undefined;
          this.#endSerial = dir.nextSerial;
          return;
        }
        child = r.value;
      }
      if (child.serial < off) continue;
      const dirent: Dirent = { name: child.name, type: child.inode.direntType(), ino: child.inode.ino, nextOff: child.serial + 1 };
      if (!cb(dirent)) {
        this.#pending = child;
        return;
      }
      this.#off = child.serial + 1;
    }
  }

  /**
   * lseek on a directory: SEEK_SET and SEEK_CUR (Linux's `offset_dir_llseek`).
   * @throws EINVAL - another `whence`, or a negative result.
   */
  override seek(_ctx: Context, offset: number, whence: number): number {
    switch (whence) {
      case SEEK_SET:
        break;
      case SEEK_CUR:
        offset += this.#off;
        break;
      default:
        throw new SysError("EINVAL", { syscall: "lseek" });
    }
    if (offset < 0) throw new SysError("EINVAL", { syscall: "lseek" });
    if (offset !== this.#off) {
      this.#off = offset;
      this.#iter = undefined;
      this.#pending = undefined;
      this.#endSerial = -1;
    }
    return offset;
  }

  override listXattr(ctx: Context, size: number): string[] {
    return listXattr(ctx.credentials, this.inode, size);
  }

  override getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    return getXattr(ctx.credentials, this.inode, opts);
  }

  override setXattr(ctx: Context, opts: SetXattrOptions): void {
    setXattr(ctx, this.vfsfd.mount(), this.inode, opts);
  }

  override removeXattr(ctx: Context, name: string): void {
    removeXattr(ctx, this.vfsfd.mount(), this.inode, name);
  }
}
