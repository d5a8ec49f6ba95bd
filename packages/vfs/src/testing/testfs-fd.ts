// testfs open files: regular files with data, directories, and special files (FIFOs and
// device nodes, which testfs opens as plain nodes with no data).
import {
  DT_DIR,
  O_APPEND,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  SysError,
  direntTypeFromMode,
  type Statfs,
  type Statx,
} from "@vfskit/abi";
import { clockFrom, type Context } from "../context.js";
import type { IterDirentsCallback } from "../file-description-impl.js";
import {
  DirectoryFileDescriptionDefaultImpl,
  FileDescriptionDefaultImpl,
} from "../file-description-impl-util.js";
import type { GetXattrOptions, ReadOptions, SetStatOptions, SetXattrOptions, StatOptions, WriteOptions } from "../options.js";
import { checkLimit } from "../permissions.js";
import type { TestDentry } from "./testfs-node.js";
import { getXattr, listXattr, removeXattr, setXattr, testStatFS } from "./testfs-xattr.js";

function seekTo(current: number, end: number, offset: number, whence: number): number {
  let next: number;
  switch (whence) {
    case SEEK_SET:
      next = offset;
      break;
    case SEEK_CUR:
      next = current + offset;
      break;
    case SEEK_END:
      next = end + offset;
      break;
    default:
      throw new SysError("EINVAL", { syscall: "lseek" });
  }
  if (next < 0) throw new SysError("EINVAL", { syscall: "lseek" });
  return next;
}

/** Metadata and xattr calls shared by every testfs description. */
abstract class TestFileDescriptionBase extends FileDescriptionDefaultImpl {
  constructor(readonly dentry: TestDentry) {
    super();
  }

  release(_ctx: Context): void {}

  stat(_ctx: Context, _opts: StatOptions): Statx {
    return this.dentry.inode.stat();
  }

  setStat(ctx: Context, opts: SetStatOptions): void {
    const mount = this.vfsfd.mount();
    mount.checkBeginWrite();
    try {
      this.dentry.inode.setStat(ctx, ctx.credentials, opts);
    } finally {
      mount.endWrite();
    }
  }

  override statFS(_ctx: Context): Statfs {
    return testStatFS();
  }

  override sync(_ctx: Context): void {}

  override listXattr(ctx: Context, size: number): string[] {
    return listXattr(ctx, this.dentry, size);
  }

  override getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array {
    return getXattr(ctx, this.dentry, opts);
  }

  override setXattr(ctx: Context, opts: SetXattrOptions): void {
    setXattr(ctx, this.vfsfd.mount(), this.dentry, opts);
  }

  override removeXattr(ctx: Context, name: string): void {
    removeXattr(ctx, this.vfsfd.mount(), this.dentry, name);
  }
}

/** An open regular file. @internal */
export class TestRegularFileFD extends TestFileDescriptionBase {
  #offset = 0;

  override pread(_ctx: Context, dst: Uint8Array, offset: number, _opts: ReadOptions): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pread64" });
    const inode = this.dentry.inode;
    if (offset >= inode.size) return 0;
    const n = Math.min(dst.length, inode.size - offset);
    dst.set(inode.data.subarray(offset, offset + n));
    return n;
  }

  override read(ctx: Context, dst: Uint8Array, opts: ReadOptions): number {
    const n = this.pread(ctx, dst, this.#offset, opts);
    this.#offset += n;
    return n;
  }

  override pwrite(ctx: Context, src: Uint8Array, offset: number, _opts: WriteOptions): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pwrite64" });
    const inode = this.dentry.inode;
    if ((this.vfsfd.statusFlags() & O_APPEND) !== 0) offset = inode.size;
    const n = checkLimit(ctx, offset, src.length);
    if (n === 0) return 0;
    const end = offset + n;
    if (end > inode.size) inode.truncate(end);
    inode.data.set(src.subarray(0, n), offset);
    const now = clockFrom(ctx).now();
    inode.mtime = now;
    inode.ctime = now;
    return n;
  }

  override write(ctx: Context, src: Uint8Array, opts: WriteOptions): number {
    const offset = (this.vfsfd.statusFlags() & O_APPEND) !== 0 ? this.dentry.inode.size : this.#offset;
    const n = this.pwrite(ctx, src, offset, opts);
    this.#offset = offset + n;
    return n;
  }

  override seek(_ctx: Context, offset: number, whence: number): number {
    this.#offset = seekTo(this.#offset, this.dentry.inode.size, offset, whence);
    return this.#offset;
  }
}

/** An open directory. @internal */
export class TestDirectoryFD extends DirectoryFileDescriptionDefaultImpl {
  #offset = 0;

  constructor(readonly dentry: TestDentry) {
    super();
  }

  release(_ctx: Context): void {}

  stat(_ctx: Context, _opts: StatOptions): Statx {
    return this.dentry.inode.stat();
  }

  setStat(ctx: Context, opts: SetStatOptions): void {
    const mount = this.vfsfd.mount();
    mount.checkBeginWrite();
    try {
      this.dentry.inode.setStat(ctx, ctx.credentials, opts);
    } finally {
      mount.endWrite();
    }
  }

  override statFS(_ctx: Context): Statfs {
    return testStatFS();
  }

  override sync(_ctx: Context): void {}

  // Entries: "." at 0, ".." at 1, then the children in creation order.
  override iterDirents(_ctx: Context, cb: IterDirentsCallback): void {
    const d = this.dentry;
    if (this.#offset === 0) {
      if (!cb({ name: ".", type: DT_DIR, ino: d.inode.ino, nextOff: 1 })) return;
      this.#offset = 1;
    }
    if (this.#offset === 1) {
      const parent = d.parent ?? d;
      if (!cb({ name: "..", type: DT_DIR, ino: parent.inode.ino, nextOff: 2 })) return;
      this.#offset = 2;
    }
    const children = [...(d.inode.children ?? new Map<string, TestDentry>()).values()];
    for (let i = this.#offset - 2; i < children.length; i++) {
      const child = children[i] as TestDentry;
      const dirent = { name: child.name, type: direntTypeFromMode(child.inode.mode), ino: child.inode.ino, nextOff: i + 3 };
      if (!cb(dirent)) return;
      this.#offset = i + 3;
    }
  }

  override seek(_ctx: Context, offset: number, whence: number): number {
    if (whence !== SEEK_SET && whence !== SEEK_CUR) throw new SysError("EINVAL", { syscall: "lseek" });
    this.#offset = seekTo(this.#offset, 0, offset, whence);
    return this.#offset;
  }
}

/** An open FIFO or device node: testfs models them as plain nodes with no data. @internal */
export class TestSpecialFileFD extends TestFileDescriptionBase {}
