// tmpfs regular files and their descriptions. Twin of gVisor's
// pkg/sentry/fsimpl/tmpfs/regular_file.go; Linux's mm/shmem.c and mm/filemap.c decide
// where the two differ.
import {
  O_APPEND,
  O_NOATIME,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  SysError,
  type Statfs,
  type Statx,
  type Timespec,
} from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import {
  FileDescriptionDefaultImpl,
  FileSizeLimitKey,
  checkLimit,
  clockFrom,
  type Context,
  type FileLocks,
  type GetXattrOptions,
  type ReadOptions,
  type SetStatOptions,
  type SetXattrOptions,
  type StatOptions,
  type WriteOptions,
} from "@vfskit/vfs";
import { FileData, MAX_FILE_SIZE } from "./file-data.js";
import { fileLocksOf, releaseFileLocks, setStatThroughFD } from "./file-description-util.js";
import type { TmpfsFilesystem } from "./filesystem.js";
import { Inode, InodeKind, type TmpfsDentry } from "./inode.js";
import { getXattr, listXattr, removeXattr, setXattr } from "./xattr.js";

/** fallocate(2) modes tmpfs supports (Linux's shmem_fallocate). */
const FALLOC_FL_KEEP_SIZE = 0x01;
const FALLOC_FL_PUNCH_HOLE = 0x02;

/**
 * A tmpfs regular file.
 *
 * @remarks The contents object exists only once the file has had a size: an empty file
 * costs one field.
 * @internal
 */
export class RegularFileInode extends Inode {
  /** The contents; `undefined` while the file has never been non-empty. */
  data: FileData | undefined = undefined;

  constructor(fs: TmpfsFilesystem, mode: number, uid: KUID, gid: KGID, now: Timespec) {
    super(fs, mode, uid, gid, now);
  }

  get kind(): InodeKind {
    return InodeKind.Regular;
  }

  override statSize(): number {
    return this.data === undefined ? 0 : this.data.size;
  }

  override statBlocks(): number {
    return this.data === undefined ? 0 : this.data.pages * 8;
  }

  /**
   * Sets the size: shrinking frees data, growing leaves a hole.
   * @throws EFBIG - above the largest file tmpfs holds.
   */
  override truncate(_ctx: Context, size: number): void {
    if (size > MAX_FILE_SIZE) throw new SysError("EFBIG", { syscall: "truncate" });
    let data = this.data;
    if (data === undefined) {
      if (size === 0) return;
      this.data = data = new FileData();
    }
    data.truncate(size, this.fs);
  }

  protected override releaseContents(_ctx: Context): void {
    this.data?.release(this.fs);
    this.data = undefined;
    this.fs.linkable.delete(this);
  }

  /** The contents, created on demand. */
  contents(): FileData {
    return (this.data ??= new FileData());
  }
}

/**
 * An open tmpfs regular file (gVisor's `regularFileFD`).
 * @internal
 */
export class RegularFileFD extends FileDescriptionDefaultImpl {
  readonly dentry: TmpfsDentry;
  readonly inode: RegularFileInode;
  /** The file offset. */
  off = 0;

  constructor(dentry: TmpfsDentry, inode: RegularFileInode) {
    super();
    this.dentry = dentry;
    this.inode = inode;
  }

  release(_ctx: Context): void {
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

  /** fsync: the data is already where it lives. */
  override sync(_ctx: Context): void {}

  override fileLocks(): FileLocks {
    return fileLocksOf(this.inode);
  }

  /**
   * pread: copies file data at `offset` into `dst`; holes read as zeros.
   * @returns Bytes read; 0 at or past the end.
   * @throws EINVAL - a negative offset.
   */
  override pread(ctx: Context, dst: Uint8Array, offset: number, _opts: ReadOptions): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pread64" });
    return this.#read(ctx, dst, offset);
  }

  /** read: like pread at the file offset, which advances. */
  override read(ctx: Context, dst: Uint8Array, _opts: ReadOptions): number {
    const n = this.#read(ctx, dst, this.off);
    this.off += n;
    return n;
  }

  #read(ctx: Context, dst: Uint8Array, offset: number): number {
    const data = this.inode.data;
    const n = data === undefined || dst.length === 0 ? 0 : data.read(dst, offset);
    const fd = this.vfsfd;
    if ((fd.statusFlags() & O_NOATIME) === 0) this.inode.touchAtime(ctx, fd.mount());
    return n;
  }

  /**
   * pwrite: writes `src` at `offset` (at the end with O_APPEND, as Linux does).
   * @returns Bytes written (fewer when the caller's file-size limit or `size=` cuts in).
   * @throws EINVAL - a negative offset.
   * @throws EFBIG - the offset is at the file-size limit or the largest file size.
   * @throws ENOSPC - the filesystem is full.
   */
  override pwrite(ctx: Context, src: Uint8Array, offset: number, _opts: WriteOptions): number {
    if (offset < 0) throw new SysError("EINVAL", { syscall: "pwrite64" });
    return this.#write(ctx, src, offset).written;
  }

  /** write: like pwrite at the file offset (or the end with O_APPEND), which advances. */
  override write(ctx: Context, src: Uint8Array, _opts: WriteOptions): number {
    const { written, at } = this.#write(ctx, src, this.off);
    this.off = at + written;
    return written;
  }

  readonly #result = { written: 0, at: 0 };

  // Linux's shmem_file_write_iter: generic_write_checks, file_remove_privs,
  // file_update_time, then the copy.
  #write(ctx: Context, src: Uint8Array, offset: number): { written: number; at: number } {
    const result = this.#result;
    result.at = offset;
    result.written = 0;
    if (src.length === 0) return result;
    const inode = this.inode;
    if ((this.vfsfd.statusFlags() & O_APPEND) !== 0) offset = inode.statSize();
    result.at = offset;
    let length = checkLimit(ctx, offset, src.length);
    if (offset >= MAX_FILE_SIZE) throw new SysError("EFBIG", { syscall: "write" });
    length = Math.min(length, MAX_FILE_SIZE - offset);
    const creds = ctx.credentials;
    if (inode.shouldRemovePrivs(creds)) inode.removePrivs(creds);
    inode.touchCMtime(clockFrom(ctx).now());
    const data = inode.contents();
    result.written = data.write(length === src.length ? src : src.subarray(0, length), offset, inode.fs);
    return result;
  }

  /**
   * lseek: SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA and SEEK_HOLE.
   * @throws EINVAL - an unknown `whence`, or a result that is negative or beyond the
   * largest file size.
   * @throws ENXIO - SEEK_DATA / SEEK_HOLE at or past the end, or SEEK_DATA with no data after.
   */
  override seek(_ctx: Context, offset: number, whence: number): number {
    const size = this.inode.statSize();
    let pos: number;
    switch (whence) {
      case SEEK_SET:
        pos = offset;
        break;
      case SEEK_CUR:
        pos = this.off + offset;
        break;
      case SEEK_END:
        pos = size + offset;
        break;
      case SEEK_DATA:
        if (offset < 0 || offset >= size) throw new SysError("ENXIO", { syscall: "lseek" });
        pos = this.inode.contents().seekData(offset);
        break;
      case SEEK_HOLE:
        if (offset < 0 || offset >= size) throw new SysError("ENXIO", { syscall: "lseek" });
        pos = this.inode.contents().seekHole(offset);
        break;
      default:
        throw new SysError("EINVAL", { syscall: "lseek" });
    }
    if (pos < 0 || pos > MAX_FILE_SIZE) throw new SysError("EINVAL", { syscall: "lseek" });
    this.off = pos;
    return pos;
  }

  /**
   * fallocate: mode 0 allocates (and extends the file), FALLOC_FL_KEEP_SIZE allocates
   * without extending, FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE frees and zeroes.
   *
   * @remarks Allocation is all or nothing. mtime and ctime change, as Linux's
   * `file_modified` does.
   * @throws EINVAL - a negative offset or a length that is not positive.
   * @throws EOPNOTSUPP - another mode, or PUNCH_HOLE without KEEP_SIZE.
   * @throws EFBIG - the range ends past the largest file size or the caller's file-size limit.
   * @throws ENOSPC - the `size=` budget cannot hold the allocation.
   */
  override allocate(ctx: Context, mode: number, offset: number, length: number): void {
    if (offset < 0 || length <= 0) throw new SysError("EINVAL", { syscall: "fallocate" });
    if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) !== 0) throw new SysError("EOPNOTSUPP", { syscall: "fallocate" });
    if ((mode & FALLOC_FL_PUNCH_HOLE) !== 0 && (mode & FALLOC_FL_KEEP_SIZE) === 0) {
      throw new SysError("EOPNOTSUPP", { syscall: "fallocate" });
    }
    const end = offset + length;
    if (end > MAX_FILE_SIZE) throw new SysError("EFBIG", { syscall: "fallocate" });
    const inode = this.inode;
    const fs = inode.fs;
    if ((mode & FALLOC_FL_PUNCH_HOLE) !== 0) {
      inode.data?.punchHole(offset, end, fs);
    } else {
      const limit = ctx.value(FileSizeLimitKey);
      if ((mode & FALLOC_FL_KEEP_SIZE) === 0 && limit !== undefined && end > limit) {
        throw new SysError("EFBIG", { syscall: "fallocate", detail: "file size limit exceeded" });
      }
      const data = inode.contents();
      data.allocate(offset, end, fs);
      if ((mode & FALLOC_FL_KEEP_SIZE) === 0 && end > data.size) data.truncate(end, fs);
    }
    const creds = ctx.credentials;
    if (inode.shouldRemovePrivs(creds)) inode.removePrivs(creds);
    inode.touchCMtime(clockFrom(ctx).now());
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
