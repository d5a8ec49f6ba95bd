// File-descriptor system calls: close, dup, dup2, dup3, fcntl, pipe2, ioctl. Twin of
// gVisor's pkg/sentry/syscalls/linux/sys_file.go (Close, Dup*, Fcntl), sys_pipe.go and
// ioctl parts (Linux's fs/file.c, fs/fcntl.c, fs/pipe.c, fs/ioctl.c).
import {
  Capability,
  FD_CLOEXEC,
  FIONREAD,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_GETPIPE_SZ,
  F_SETFD,
  F_SETFL,
  F_SETPIPE_SZ,
  O_CLOEXEC,
  O_NONBLOCK,
  O_PATH,
  SEEK_CUR,
  STATX_SIZE,
  STATX_TYPE,
  S_IFMT,
  S_IFREG,
  SysError,
} from "@vfskit/abi";
import { PipeFileDescriptionImpl, newPipe } from "@vfskit/pipefs";
import type { FileDescription } from "@vfskit/vfs";
import { closeDescription } from "./fd-table.js";
import { TaskBase, enter, failure, fdTableOf, getFile, leave, taskInternals } from "./task-base.js";

/** ioctl: set FD_CLOEXEC (include/uapi/asm-generic/ioctls.h). @public */
export const FIOCLEX = 0x5451;
/** ioctl: clear FD_CLOEXEC. @public */
export const FIONCLEX = 0x5450;
/** ioctl: set or clear O_NONBLOCK from `*(int *)arg`. @public */
export const FIONBIO = 0x5421;

const NO_CLOEXEC = { closeOnExec: false } as const;
const CLOEXEC = { closeOnExec: true } as const;

/** fcntl commands allowed on an O_PATH descriptor (Linux's check_fcntl_cmd). */
function allowedOnOPath(cmd: number): boolean {
  return cmd === F_DUPFD || cmd === F_DUPFD_CLOEXEC || cmd === F_GETFD || cmd === F_SETFD || cmd === F_GETFL;
}

/** An int system-call argument as Linux's `unsigned int` sees it. */
function asUnsigned(arg: number): number {
  return (arg | 0) >>> 0;
}

/**
 * The file-descriptor system calls of a task (close, dup*, fcntl, pipe2, ioctl).
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files.
 * @public
 */
export abstract class TaskFDSyscalls extends TaskBase {
  /**
   * close(2).
   *
   * @remarks
   * The descriptor is gone even if the file's close handler fails (that error is
   * reported, as Linux reports a flush error).
   * @param fd - The descriptor.
   * @throws EBADF - `fd` is not open.
   */
  close(fd: number): void {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const file = fdTableOf(s).remove(fd);
      if (file === undefined) throw new SysError("EBADF", { syscall: "close" });
      try {
        file.onClose(this.ctx);
      } finally {
        file.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, "close");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * dup(2): a new descriptor, the lowest free one, for the same description; its
   * close-on-exec flag is clear.
   * @param fd - The descriptor to duplicate.
   * @returns The new descriptor.
   * @throws EBADF - `fd` is not open.
   * @throws EMFILE - No free descriptor below RLIMIT_NOFILE.
   */
  dup(fd: number): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      const file = getFile(s, fd);
      try {
        return fdTableOf(s).newFD(file, NO_CLOEXEC, 0, s.nofile);
      } catch (error) {
        file.decRef(this.ctx);
        throw error;
      }
    } catch (error) {
      throw failure(error, "dup");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * dup2(2): makes `newfd` refer to the description of `oldfd`, closing what `newfd`
   * referred to; `newfd`'s close-on-exec flag is clear. With `oldfd === newfd` nothing
   * changes.
   * @param oldfd - The descriptor to duplicate.
   * @param newfd - The number to use.
   * @returns `newfd`.
   * @throws EBADF - `newfd` is negative or not below RLIMIT_NOFILE.
   * @throws EBADF - `oldfd` is not open.
   * @throws EBUSY - `newfd` is being opened at the same moment.
   */
  dup2(oldfd: number, newfd: number): number {
    if (oldfd !== newfd) return this.#dup3(oldfd, newfd, 0, "dup2");
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if (fdTableOf(s).get(oldfd) === undefined) throw new SysError("EBADF", { syscall: "dup2" });
      return newfd;
    } finally {
      leave(s, t0);
    }
  }

  /**
   * dup3(2): like {@link TaskFDSyscalls.dup2}, with the close-on-exec flag from `flags`.
   * @param oldfd - The descriptor to duplicate.
   * @param newfd - The number to use.
   * @param flags - 0 or O_CLOEXEC.
   * @returns `newfd`.
   * @throws EINVAL - `flags` has bits other than O_CLOEXEC.
   * @throws EINVAL - `oldfd === newfd`.
   * @throws EBADF - `newfd` is negative or not below RLIMIT_NOFILE.
   * @throws EBADF - `oldfd` is not open.
   * @throws EBUSY - `newfd` is being opened at the same moment.
   */
  dup3(oldfd: number, newfd: number, flags: number): number {
    return this.#dup3(oldfd, newfd, flags, "dup3");
  }

  // Linux's ksys_dup3, in its order.
  #dup3(oldfd: number, newfd: number, flags: number, syscall: string): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if ((flags & ~O_CLOEXEC) !== 0) throw new SysError("EINVAL", { syscall, detail: "flags other than O_CLOEXEC" });
      if (oldfd === newfd) throw new SysError("EINVAL", { syscall, detail: "oldfd equals newfd" });
      if (newfd < 0 || newfd >= s.nofile) throw new SysError("EBADF", { syscall, detail: "newfd out of range" });
      const file = getFile(s, oldfd);
      let old: FileDescription | undefined;
      try {
        old = fdTableOf(s).replace(newfd, file, (flags & O_CLOEXEC) !== 0 ? CLOEXEC : NO_CLOEXEC, s.nofile);
      } catch (error) {
        file.decRef(this.ctx);
        throw error;
      }
      if (old !== undefined) closeDescription(this.ctx, old);
      return newfd;
    } catch (error) {
      throw failure(error, syscall);
    } finally {
      leave(s, t0);
    }
  }

  /**
   * fcntl(2) for the descriptor and pipe commands.
   *
   * @remarks
   * F_DUPFD / F_DUPFD_CLOEXEC (lowest free number ≥ `arg`), F_GETFD / F_SETFD
   * (FD_CLOEXEC), F_GETFL / F_SETFL (status flags; only O_APPEND, O_ASYNC, O_DIRECT,
   * O_NOATIME and O_NONBLOCK change), F_GETPIPE_SZ / F_SETPIPE_SZ (pipes and FIFOs;
   * `arg` is a C int read as unsigned, as Linux does; the new size is rounded up to a
   * power-of-two number of pages). Record locks (F_GETLK, F_SETLK, F_SETLKW, F_OFD_*)
   * and the signal commands are not offered: EINVAL, like any command this kernel does
   * not know.
   * @param fd - The descriptor.
   * @param cmd - The command.
   * @param arg - Its argument (0 when unused).
   * @returns The command's result (the new descriptor, flags, pipe size, or 0).
   * @throws EBADF - `fd` is not open.
   * @throws EBADF - `fd` is O_PATH and `cmd` is not F_DUPFD*, F_GETFD, F_SETFD or F_GETFL.
   * @throws EINVAL - F_DUPFD* with `arg` negative or not below RLIMIT_NOFILE.
   * @throws EMFILE - F_DUPFD* and no free descriptor in `[arg, RLIMIT_NOFILE)`.
   * @throws EPERM, EINVAL - F_SETFL refused (see `FileDescription.setStatusFlags`).
   * @throws EBADF - F_GETPIPE_SZ / F_SETPIPE_SZ on something that is not a pipe.
   * @throws EINVAL - F_SETPIPE_SZ with a size above 2^31 (or a negative int).
   * @throws EPERM - F_SETPIPE_SZ above 1 MiB without CAP_SYS_RESOURCE.
   * @throws EBUSY - F_SETPIPE_SZ below the data in the pipe.
   * @throws EINVAL - Unknown `cmd`.
   */
  fcntl(fd: number, cmd: number, arg = 0): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      if ((file.statusFlags() & O_PATH) !== 0 && !allowedOnOPath(cmd)) throw new SysError("EBADF", { detail: "O_PATH descriptor" });
      const table = fdTableOf(s);
      switch (cmd) {
        case F_DUPFD:
        case F_DUPFD_CLOEXEC: {
          if (arg < 0 || arg >= s.nofile) throw new SysError("EINVAL", { detail: "F_DUPFD argument out of range" });
          file.incRef();
          try {
            return table.newFD(file, cmd === F_DUPFD_CLOEXEC ? CLOEXEC : NO_CLOEXEC, arg, s.nofile);
          } catch (error) {
            file.decRef(this.ctx);
            throw error;
          }
        }
        case F_GETFD:
          return table.getFlags(fd).closeOnExec ? FD_CLOEXEC : 0;
        case F_SETFD:
          table.setFlags(fd, (arg & FD_CLOEXEC) !== 0 ? CLOEXEC : NO_CLOEXEC);
          return 0;
        case F_GETFL:
          return file.statusFlags();
        case F_SETFL:
          file.setStatusFlags(this.ctx, arg);
          return 0;
        case F_GETPIPE_SZ:
        case F_SETPIPE_SZ: {
          const impl = file.impl;
          if (!(impl instanceof PipeFileDescriptionImpl)) throw new SysError("EBADF", { detail: "not a pipe" });
          if (cmd === F_GETPIPE_SZ) return impl.pipe.capacity();
          const capSysResource = s.credentials.hasRootCapability(Capability.CAP_SYS_RESOURCE);
          return impl.pipe.setCapacity(asUnsigned(arg), { capSysResource });
        }
        default:
          throw new SysError("EINVAL", { detail: `unsupported fcntl command ${cmd}` });
      }
    } catch (error) {
      throw failure(error, "fcntl");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }

  /**
   * pipe2(2): a new pipe; returns its read end and its write end, in that order.
   *
   * @remarks
   * Both descriptions are on the kernel's anonymous pipe mount and share one inode
   * (`pipe:[ino]` in /proc/[pid]/fd). F_GETFL shows exactly O_RDONLY and O_WRONLY (plus
   * O_NONBLOCK if asked). O_DIRECT (packet mode) is not offered and is refused with
   * EINVAL, where Linux would accept it.
   * @param flags - O_NONBLOCK and O_CLOEXEC, applied to both ends.
   * @returns `[readFd, writeFd]`.
   * @throws EINVAL - `flags` has other bits.
   * @throws EMFILE - Fewer than two free descriptors below RLIMIT_NOFILE.
   */
  pipe2(flags = 0): [number, number] {
    const s = taskInternals(this);
    const t0 = enter(s);
    try {
      if ((flags & ~(O_NONBLOCK | O_CLOEXEC)) !== 0) throw new SysError("EINVAL", { detail: "flags other than O_NONBLOCK | O_CLOEXEC" });
      const { reader, writer } = newPipe(this.ctx, this.kernel.anonPipeMount, flags);
      const table = fdTableOf(s);
      let readFd = -1;
      try {
        readFd = table.reserve(0, s.nofile);
        const writeFd = table.reserve(0, s.nofile);
        const fdFlags = (flags & O_CLOEXEC) !== 0 ? CLOEXEC : NO_CLOEXEC;
        table.install(readFd, reader, fdFlags);
        table.install(writeFd, writer, fdFlags);
        return [readFd, writeFd];
      } catch (error) {
        if (readFd >= 0) table.unreserve(readFd);
        reader.decRef(this.ctx);
        writer.decRef(this.ctx);
        throw error;
      }
    } catch (error) {
      throw failure(error, "pipe2");
    } finally {
      leave(s, t0);
    }
  }

  /**
   * pipe(2): {@link TaskFDSyscalls.pipe2} with no flags.
   * @returns `[readFd, writeFd]`.
   * @throws EMFILE - Fewer than two free descriptors below RLIMIT_NOFILE.
   */
  pipe(): [number, number] {
    return this.pipe2(0);
  }

  /**
   * ioctl(2).
   *
   * @remarks
   * The generic requests are handled here, as Linux's `do_vfs_ioctl` does: FIOCLEX and
   * FIONCLEX set and clear FD_CLOEXEC; FIONBIO sets O_NONBLOCK from `arg[0]`; FIONREAD on
   * a regular file stores the size minus the file offset in `arg[0]` (negative past the
   * end, as in Linux). Anything
   * else goes to the file: pipes and FIFOs answer FIONREAD with the bytes queued.
   * Pointer arguments are `Int32Array`s standing for the caller's `int *`.
   * @param fd - The descriptor.
   * @param request - The request.
   * @param arg - The argument (an `Int32Array` for FIONREAD and FIONBIO).
   * @returns The call's return value (0 for the requests above).
   * @throws EBADF - `fd` is not open, or is O_PATH.
   * @throws EFAULT - FIONREAD or FIONBIO without a non-empty `Int32Array`.
   * @throws ENOTTY - A request the file does not know.
   */
  ioctl(fd: number, request: number, arg?: unknown): number {
    const s = taskInternals(this);
    const t0 = enter(s);
    let file: FileDescription | undefined;
    try {
      file = getFile(s, fd);
      if ((file.statusFlags() & O_PATH) !== 0) throw new SysError("EBADF", { detail: "O_PATH descriptor" });
      switch (request) {
        case FIOCLEX:
        case FIONCLEX:
          fdTableOf(s).setFlags(fd, request === FIOCLEX ? CLOEXEC : NO_CLOEXEC);
          return 0;
        case FIONBIO: {
          if (!(arg instanceof Int32Array) || arg.length < 1) throw new SysError("EFAULT");
          const flags = file.statusFlags();
          file.setStatusFlags(this.ctx, arg[0] !== 0 ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
          return 0;
        }
        case FIONREAD: {
          const stat = file.stat(this.ctx, { mask: STATX_TYPE | STATX_SIZE, sync: 0 });
          if ((stat.mode & S_IFMT) !== S_IFREG) break;
          if (!(arg instanceof Int32Array) || arg.length < 1) throw new SysError("EFAULT");
          const offset = file.seek(this.ctx, 0, SEEK_CUR);
          // Linux stores `i_size - f_pos` through an int pointer: negative past the end.
          arg[0] = (stat.size - offset) | 0;
          return 0;
        }
      }
      return file.ioctl(this.ctx, request, arg);
    } catch (error) {
      throw failure(error, "ioctl");
    } finally {
      file?.decRef(this.ctx);
      leave(s, t0);
    }
  }
}
