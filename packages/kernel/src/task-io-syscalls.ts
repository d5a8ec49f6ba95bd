// Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv, pwritev,
// lseek, getdents64, fsync, and the async read and write that wait instead of failing
// with EAGAIN. Twin of gVisor's pkg/sentry/syscalls/linux/sys_read_write.go,
// sys_lseek.go and sys_getdents.go (Linux's fs/read_write.c, fs/readdir.c).
import {
  EPOLLERR,
  EPOLLHUP,
  O_NONBLOCK,
  O_PATH,
  READABLE_EVENTS,
  SEEK_HOLE,
  SysError,
  WRITABLE_EVENTS,
  isSysError,
  type Dirent,
} from "@vfskit/abi";
import { utf8ByteLength, type AbortSignalLike, type FileDescription } from "@vfskit/vfs";
import { TaskFDSyscalls } from "./task-fd-syscalls.js";
import { enter, failure, getFile, leave, resume, signalForError, taskInternals, type TaskInternals } from "./task-base.js";
import { waitForEvents } from "./wait.js";

/** The most buffers one readv/writev takes (Linux's UIO_MAXIOV). @public */
export const UIO_MAXIOV = 1024;

/**
 * Options of the async system calls.
 * @public
 */
export interface AsyncSyscallOptions {
  /** Aborting ends the wait with EINTR, as a signal interrupts a blocked call in Linux. */
  readonly signal?: AbortSignalLike;
}

/** The size getdents64 gives an entry: 19 header bytes, the name, a NUL, aligned to 8. */
function direntRecordSize(name: string): number {
  return (19 + utf8ByteLength(name) + 1 + 7) & ~7;
}

function isNonBlocking(file: FileDescription): boolean {
  return (file.statusFlags() & O_NONBLOCK) !== 0;
}

/** The total length of `buffers`, checked as Linux's import_iovec checks it. */
function iovecLength(buffers: readonly Uint8Array[], syscall: string): number {
  if (buffers.length > UIO_MAXIOV) throw new SysError("EINVAL", { syscall, detail: `more than ${UIO_MAXIOV} buffers` });
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  return total;
}

/** Copies `source` into `buffers` in order (the scatter half of readv). */
function scatter(source: Uint8Array, buffers: readonly Uint8Array[]): void {
  let offset = 0;
  for (const buffer of buffers) {
    if (offset >= source.length) break;
    const n = Math.min(buffer.length, source.length - offset);
    buffer.set(source.subarray(offset, offset + n));
    offset += n;
  }
}

/** Concatenates `buffers` (the gather half of writev). */
function gather(buffers: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    out.set(buffer, offset);
    offset += buffer.length;
  }
  return out;
}

/**
 * The I/O system calls of a task (read, write and their positional and vectored forms,
 * lseek, getdents64, fsync) and their async variants.
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files.
 * @public
 */
export abstract class TaskIOSyscalls extends TaskFDSyscalls {
  /**
   * read(2): reads into `dst` at the file offset.
   * @param fd - The descriptor.
   * @param dst - Where the bytes go; its length is the count asked for.
   * @returns The number of bytes read; 0 at end of file.
   * @throws EBADF - `fd` is not open, not open for reading, or O_PATH.
   * @throws EISDIR - `fd` is a directory.
   * @throws EAGAIN - Nothing to read yet (an empty pipe with a writer); use
   * {@link TaskIOSyscalls.readAsync} to wait.
   * @throws EINVAL - The file cannot be read.
   */
  read(fd: number, dst: Uint8Array): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      s.syscr++;
      const n = file.read(this.ctx, dst);
      s.rchar += n;
      return n;
    } catch (error) {
      throw failure(error, "read");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * write(2): writes `src` at the file offset (at the end with O_APPEND).
   *
   * @remarks A write refused with EPIPE also sends the task SIGPIPE; one refused with
   * EFBIG because of RLIMIT_FSIZE sends SIGXFSZ (see {@link TaskBase.signalLog}).
   * @param fd - The descriptor.
   * @param src - The bytes.
   * @returns The number of bytes written (short for a large write to a nearly full pipe).
   * @throws EBADF - `fd` is not open, not open for writing, or O_PATH.
   * @throws EISDIR - `fd` is a directory.
   * @throws EPIPE - A pipe or FIFO without readers.
   * @throws EAGAIN - A full pipe; use {@link TaskIOSyscalls.writeAsync} to wait.
   * @throws EFBIG - Beyond RLIMIT_FSIZE.
   * @throws ENOSPC - The filesystem is full.
   */
  write(fd: number, src: Uint8Array): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      s.syscw++;
      const n = file.write(this.ctx, src);
      s.wchar += n;
      return n;
    } catch (error) {
      signalForError(s, error, "write");
      throw failure(error, "write");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * pread64(2): reads at `offset` without moving the file offset.
   * @param fd - The descriptor.
   * @param dst - Where the bytes go.
   * @param offset - Where to read.
   * @returns The number of bytes read; 0 at end of file.
   * @throws EINVAL - `offset` is negative.
   * @throws EBADF - `fd` is not open, not open for reading, or O_PATH.
   * @throws ESPIPE - A pipe, FIFO or other file without positions.
   * @throws EISDIR - `fd` is a directory.
   */
  pread64(fd: number, dst: Uint8Array, offset: number): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      // Linux checks the offset before it looks the descriptor up (ksys_pread64).
      if (offset < 0) throw new SysError("EINVAL", { detail: "negative offset" });
      file = getFile(s, fd);
      s.syscr++;
      const n = file.pread(this.ctx, dst, offset);
      s.rchar += n;
      return n;
    } catch (error) {
      throw failure(error, "pread64");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * pwrite64(2): writes at `offset` without moving the file offset (Linux writes at the
   * end with O_APPEND, whatever `offset` says).
   * @param fd - The descriptor.
   * @param src - The bytes.
   * @param offset - Where to write.
   * @returns The number of bytes written.
   * @throws EINVAL - `offset` is negative.
   * @throws EBADF - `fd` is not open, not open for writing, or O_PATH.
   * @throws ESPIPE - A pipe, FIFO or other file without positions.
   * @throws EISDIR - `fd` is a directory.
   * @throws EFBIG - Beyond RLIMIT_FSIZE (and SIGXFSZ is sent).
   */
  pwrite64(fd: number, src: Uint8Array, offset: number): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      // Linux checks the offset before it looks the descriptor up (ksys_pwrite64).
      if (offset < 0) throw new SysError("EINVAL", { detail: "negative offset" });
      file = getFile(s, fd);
      s.syscw++;
      const n = file.pwrite(this.ctx, src, offset);
      s.wchar += n;
      return n;
    } catch (error) {
      signalForError(s, error, "pwrite64");
      throw failure(error, "pwrite64");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * readv(2): one read, scattered over `buffers` in order.
   * @param fd - The descriptor.
   * @param buffers - The buffers (at most {@link UIO_MAXIOV}).
   * @returns The number of bytes read; 0 at end of file.
   * @throws EINVAL - More than {@link UIO_MAXIOV} buffers.
   * @throws Every error of {@link TaskIOSyscalls.read}.
   */
  readv(fd: number, buffers: readonly Uint8Array[]): number {
    return this.#vectored(fd, buffers, undefined, "readv");
  }

  /**
   * writev(2): one write of `buffers` concatenated (so a pipe write of at most 4096 bytes
   * in total stays atomic).
   * @param fd - The descriptor.
   * @param buffers - The buffers (at most {@link UIO_MAXIOV}).
   * @returns The number of bytes written.
   * @throws EINVAL - More than {@link UIO_MAXIOV} buffers.
   * @throws Every error of {@link TaskIOSyscalls.write}.
   */
  writev(fd: number, buffers: readonly Uint8Array[]): number {
    return this.#vectored(fd, buffers, undefined, "writev");
  }

  /**
   * preadv(2): {@link TaskIOSyscalls.readv} at `offset`.
   * @param fd - The descriptor.
   * @param buffers - The buffers.
   * @param offset - Where to read.
   * @returns The number of bytes read.
   * @throws EINVAL - More than {@link UIO_MAXIOV} buffers, or `offset` negative.
   * @throws Every error of {@link TaskIOSyscalls.pread64}.
   */
  preadv(fd: number, buffers: readonly Uint8Array[], offset: number): number {
    return this.#vectored(fd, buffers, offset, "preadv");
  }

  /**
   * pwritev(2): {@link TaskIOSyscalls.writev} at `offset`.
   * @param fd - The descriptor.
   * @param buffers - The buffers.
   * @param offset - Where to write.
   * @returns The number of bytes written.
   * @throws EINVAL - More than {@link UIO_MAXIOV} buffers, or `offset` negative.
   * @throws Every error of {@link TaskIOSyscalls.pwrite64}.
   */
  pwritev(fd: number, buffers: readonly Uint8Array[], offset: number): number {
    return this.#vectored(fd, buffers, offset, "pwritev");
  }

  #vectored(fd: number, buffers: readonly Uint8Array[], offset: number | undefined, syscall: string): number {
    const s = taskInternals(this);
    const writing = syscall === "writev" || syscall === "pwritev";
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      // Linux checks the offset before it looks the descriptor up (do_preadv, do_pwritev).
      if (offset !== undefined && offset < 0) throw new SysError("EINVAL", { detail: "negative offset" });
      // Then the descriptor, then the vector (do_readv: fdget_pos before import_iovec).
      file = getFile(s, fd);
      const total = iovecLength(buffers, syscall);
      const ctx = this.ctx;
      if (writing) {
        s.syscw++;
        const src = buffers.length === 1 ? (buffers[0] as Uint8Array) : gather(buffers, total);
        const n = offset === undefined ? file.write(ctx, src) : file.pwrite(ctx, src, offset);
        s.wchar += n;
        return n;
      }
      s.syscr++;
      const single = buffers.length === 1 ? buffers[0] : undefined;
      const dst = single ?? new Uint8Array(total);
      const n = offset === undefined ? file.read(ctx, dst) : file.pread(ctx, dst, offset);
      if (single === undefined) scatter(dst.subarray(0, n), buffers);
      s.rchar += n;
      return n;
    } catch (error) {
      if (writing) signalForError(s, error, syscall);
      throw failure(error, syscall);
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * lseek(2).
   * @param fd - The descriptor.
   * @param offset - The offset, relative to `whence`.
   * @param whence - SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA or SEEK_HOLE.
   * @returns The new file offset.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EINVAL - Unknown `whence` (checked first, even on a pipe), or a negative result.
   * @throws ESPIPE - A pipe, FIFO or other file without positions.
   * @throws ENXIO - SEEK_DATA / SEEK_HOLE at or past the end.
   */
  lseek(fd: number, offset: number, whence: number): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      if ((file.statusFlags() & O_PATH) !== 0) throw new SysError("EBADF", { detail: "O_PATH descriptor" });
      if (!Number.isInteger(whence) || whence < 0 || whence > SEEK_HOLE) throw new SysError("EINVAL", { detail: "bad whence" });
      return file.seek(this.ctx, offset, whence);
    } catch (error) {
      throw failure(error, "lseek");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * getdents64(2): the next directory entries that fit in `size` bytes of Linux
   * `linux_dirent64` records (19 bytes + name + NUL, rounded up to 8), from the
   * description's position; an empty array at the end of the directory.
   * @param fd - A directory descriptor.
   * @param size - The byte budget (the `count` argument).
   * @returns The entries, as typed objects.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws ENOTDIR - `fd` is not a directory.
   * @throws EINVAL - The next entry does not fit in `size`.
   */
  getdents64(fd: number, size: number): Dirent[] {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      const out: Dirent[] = [];
      let used = 0;
      let tooSmall = false;
      file.iterDirents(this.ctx, (dirent) => {
        const length = direntRecordSize(dirent.name);
        if (used + length > size) {
          tooSmall = true;
          return false;
        }
        used += length;
        out.push(dirent);
        return true;
      });
      if (out.length === 0 && tooSmall) throw new SysError("EINVAL", { detail: "buffer too small for the next entry" });
      return out;
    } catch (error) {
      throw failure(error, "getdents64");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * fsync(2) (and fdatasync(2): in memory there is no difference).
   * @param fd - The descriptor.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EINVAL - The file cannot be synced (pipes, FIFOs).
   */
  fsync(fd: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      file.sync(this.ctx);
    } catch (error) {
      throw failure(error, "fsync");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * read(2) that waits, as a blocking read does in Linux: while nothing can be read and
   * the description is not O_NONBLOCK, waits for readiness and retries.
   * @param fd - The descriptor.
   * @param dst - Where the bytes go.
   * @param opts - An optional abort signal.
   * @returns The number of bytes read; 0 at end of file.
   * @throws EAGAIN - Nothing to read and the description is O_NONBLOCK.
   * @throws EINTR - The signal fired, or the task exited, while waiting.
   * @throws Every other error of {@link TaskIOSyscalls.read}.
   */
  async readAsync(fd: number, dst: Uint8Array, opts: AsyncSyscallOptions = {}): Promise<number> {
    const s = taskInternals(this);
    const file = this.#asyncFile(s, fd, "read");
    try {
      s.syscr++;
      for (;;) {
        const t0 = enter(s);
        try {
          const n = file.read(this.ctx, dst);
          s.rchar += n;
          return n;
        } catch (error) {
          if (!isSysError(error, "EAGAIN") || isNonBlocking(file)) throw failure(error, "read");
        } finally {
          leave(s, t0);
        }
        await waitForEvents(file, READABLE_EVENTS | EPOLLHUP | EPOLLERR, s.interrupter, opts.signal, "read");
        resume(s, "read");
      }
    } finally {
      file.decRef(this.ctx);
    }
  }

  /**
   * write(2) that waits, as a blocking write does in Linux: a write to a full pipe waits
   * for room, and a large write continues until every byte is queued.
   *
   * @remarks
   * If the readers go away part-way, the bytes already written are returned (and SIGPIPE
   * is sent); if nothing was written, EPIPE is thrown. An interrupted write returns the
   * bytes written so far, or throws EINTR if there are none. With O_NONBLOCK it behaves
   * like {@link TaskIOSyscalls.write}.
   * @param fd - The descriptor.
   * @param src - The bytes.
   * @param opts - An optional abort signal.
   * @returns The number of bytes written.
   * @throws EAGAIN - Nothing could be written and the description is O_NONBLOCK.
   * @throws EINTR - The signal fired, or the task exited, before anything was written.
   * @throws Every other error of {@link TaskIOSyscalls.write}.
   */
  async writeAsync(fd: number, src: Uint8Array, opts: AsyncSyscallOptions = {}): Promise<number> {
    const s = taskInternals(this);
    const file = this.#asyncFile(s, fd, "write");
    try {
      s.syscw++;
      let done = 0;
      for (;;) {
        const t0 = enter(s);
        let wrote = false;
        try {
          const n = file.write(this.ctx, done === 0 ? src : src.subarray(done));
          s.wchar += n;
          done += n;
          wrote = true;
        } catch (error) {
          if (!isSysError(error, "EAGAIN")) {
            signalForError(s, error, "write");
            if (done > 0) return done;
            throw failure(error, "write");
          }
          if (isNonBlocking(file)) {
            if (done > 0) return done;
            throw failure(error, "write");
          }
        } finally {
          leave(s, t0);
        }
        if (done === src.length) return done;
        // A short write to something that still has room (a regular file at its size
        // limit) is final; a full pipe is waited for.
        if (wrote && (file.readiness(WRITABLE_EVENTS) !== 0 || isNonBlocking(file))) return done;
        try {
          await waitForEvents(file, WRITABLE_EVENTS | EPOLLERR | EPOLLHUP, s.interrupter, opts.signal, "write");
          resume(s, "write");
        } catch (error) {
          if (done > 0) return done;
          throw error;
        }
      }
    } finally {
      file.decRef(this.ctx);
    }
  }

  #asyncFile(s: TaskInternals, fd: number, syscall: string): FileDescription {
    const t0 = enter(s);
    try {
      return getFile(s, fd);
    } catch (error) {
      throw failure(error, syscall);
    } finally {
      leave(s, t0);
    }
  }
}
