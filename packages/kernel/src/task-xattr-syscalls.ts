// Extended-attribute system calls: get, set, list and remove, by path (following or not
// following a final link) and by descriptor. Twin of gVisor's
// pkg/sentry/syscalls/linux/sys_xattr.go (Linux's fs/xattr.c).
import {
  AT_FDCWD,
  O_PATH,
  SysError,
  XATTR_CREATE,
  XATTR_LIST_MAX,
  XATTR_NAME_MAX,
  XATTR_REPLACE,
  XATTR_SECURITY_PREFIX,
  XATTR_SIZE_MAX,
  XATTR_SYSTEM_PREFIX,
  XATTR_TRUSTED_PREFIX,
  XATTR_USER_PREFIX,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { utf8ByteLength, type FileDescription, type PathOperation } from "@vfskit/vfs";
import { enter, failure, getFile, leave, pathOperation, taskInternals } from "./task-base.js";
import { TaskAttrSyscalls } from "./task-attr-syscalls.js";

const EMPTY_PATH = parse("");

/** The argument checks every call makes before the lookup (setxattr_copy, getxattr). */
function checkName(name: string): void {
  if (name.length === 0 || utf8ByteLength(name) > XATTR_NAME_MAX) {
    throw new SysError("ERANGE", { detail: "extended attribute name empty or longer than 255 bytes" });
  }
}

/**
 * Linux's xattr_resolve_name, after the lookup: a name outside the `user.`, `trusted.`,
 * `security.` and `system.` namespaces has no handler.
 */
function checkNamespace(name: string): void {
  if (
    name.startsWith(XATTR_USER_PREFIX) ||
    name.startsWith(XATTR_TRUSTED_PREFIX) ||
    name.startsWith(XATTR_SECURITY_PREFIX) ||
    name.startsWith(XATTR_SYSTEM_PREFIX)
  ) {
    return;
  }
  throw new SysError("EOPNOTSUPP", { detail: "unknown extended attribute namespace" });
}

/** The bytes a list of names takes in listxattr's buffer: each name and a NUL. */
function listLength(names: readonly string[]): number {
  let total = 0;
  for (const name of names) total += utf8ByteLength(name) + 1;
  return total;
}

/** Where an xattr call operates: a path (resolved once) or a descriptor. */
type Target = { readonly path: string; readonly follow: boolean } | { readonly fd: number };

/**
 * The extended-attribute system calls of a task.
 *
 * @remarks
 * Part of {@link Task}; exists because one class cannot span several source files. The
 * syscall layer's limits come first, before the path is looked up, as in Linux: a name
 * that is empty or longer than 255 bytes is ERANGE, a value over 65536 bytes is E2BIG,
 * unknown flags are EINVAL. An unknown namespace prefix is EOPNOTSUPP once the file is
 * found. Sizes follow the system calls: 0 asks for everything; a non-zero size smaller
 * than the value or the list is ERANGE.
 * @public
 */
export abstract class TaskXattrSyscalls extends TaskAttrSyscalls {
  /**
   * getxattr(2) (follows a final link).
   * @param path - The path.
   * @param name - The attribute name, with its namespace prefix (`user.foo`).
   * @param size - The caller's buffer size; 0 for no limit.
   * @returns The value.
   * @throws ERANGE - `name` is empty or longer than 255 bytes.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - The path.
   * @throws EOPNOTSUPP - Unknown namespace, or the filesystem has no extended attributes.
   * @throws ENODATA - No such attribute (or not visible to the caller).
   * @throws EACCES - No read permission.
   * @throws ERANGE - The value is longer than a non-zero `size`.
   */
  getxattr(path: string, name: string, size = 0): Uint8Array {
    return this.#get({ path, follow: true }, name, size, "getxattr");
  }

  /**
   * lgetxattr(2): {@link TaskXattrSyscalls.getxattr} on a final link itself.
   * @param path - The path.
   * @param name - The attribute name.
   * @param size - The caller's buffer size; 0 for no limit.
   * @returns The value.
   * @throws Every error of {@link TaskXattrSyscalls.getxattr}.
   */
  lgetxattr(path: string, name: string, size = 0): Uint8Array {
    return this.#get({ path, follow: false }, name, size, "lgetxattr");
  }

  /**
   * fgetxattr(2).
   * @param fd - The descriptor.
   * @param name - The attribute name.
   * @param size - The caller's buffer size; 0 for no limit.
   * @returns The value.
   * @throws ERANGE - `name` is empty or longer than 255 bytes.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EOPNOTSUPP, ENODATA, EACCES, ERANGE - As {@link TaskXattrSyscalls.getxattr}.
   */
  fgetxattr(fd: number, name: string, size = 0): Uint8Array {
    return this.#get({ fd }, name, size, "fgetxattr");
  }

  #get(target: Target, name: string, size: number, syscall: string): Uint8Array {
    return this.#call(target, syscall, () => checkName(name), name, (file, pop) => {
      const wanted = Math.min(size, XATTR_SIZE_MAX);
      const opts = { name, size: wanted };
      const value = file !== undefined ? file.getXattr(this.ctx, opts) : this.kernel.vfs.getXattrAt(this.ctx, pop as PathOperation, opts);
      if (wanted !== 0 && value.length > wanted) throw new SysError("ERANGE", { detail: "value longer than the buffer" });
      return value;
    });
  }

  /**
   * setxattr(2) (follows a final link).
   * @param path - The path.
   * @param name - The attribute name.
   * @param value - The value (at most 65536 bytes).
   * @param flags - 0, XATTR_CREATE (must not exist) or XATTR_REPLACE (must exist).
   * @throws EINVAL - Unknown flags.
   * @throws ERANGE - `name` is empty or longer than 255 bytes.
   * @throws E2BIG - `value` is longer than 65536 bytes.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - The path.
   * @throws EOPNOTSUPP - Unknown namespace, or not supported by the filesystem.
   * @throws EPERM - Namespace rules (trusted.*, user.* on special files, sticky directories).
   * @throws EACCES - No write permission.
   * @throws EEXIST - XATTR_CREATE and the attribute exists.
   * @throws ENODATA - XATTR_REPLACE and it does not.
   * @throws EROFS, ENOSPC - From the filesystem.
   */
  setxattr(path: string, name: string, value: Uint8Array, flags = 0): void {
    this.#set({ path, follow: true }, name, value, flags, "setxattr");
  }

  /**
   * lsetxattr(2): {@link TaskXattrSyscalls.setxattr} on a final link itself.
   * @param path - The path.
   * @param name - The attribute name.
   * @param value - The value.
   * @param flags - 0, XATTR_CREATE or XATTR_REPLACE.
   * @throws Every error of {@link TaskXattrSyscalls.setxattr}.
   */
  lsetxattr(path: string, name: string, value: Uint8Array, flags = 0): void {
    this.#set({ path, follow: false }, name, value, flags, "lsetxattr");
  }

  /**
   * fsetxattr(2).
   * @param fd - The descriptor.
   * @param name - The attribute name.
   * @param value - The value.
   * @param flags - 0, XATTR_CREATE or XATTR_REPLACE.
   * @throws EINVAL, ERANGE, E2BIG - The arguments (as {@link TaskXattrSyscalls.setxattr}).
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EOPNOTSUPP, EPERM, EACCES, EEXIST, ENODATA, EROFS - As {@link TaskXattrSyscalls.setxattr}.
   */
  fsetxattr(fd: number, name: string, value: Uint8Array, flags = 0): void {
    this.#set({ fd }, name, value, flags, "fsetxattr");
  }

  #set(target: Target, name: string, value: Uint8Array, flags: number, syscall: string): void {
    const check = (): void => {
      if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) !== 0) throw new SysError("EINVAL", { detail: "bad flags" });
      checkName(name);
      if (value.length > XATTR_SIZE_MAX) throw new SysError("E2BIG", { detail: "value longer than 65536 bytes" });
    };
    this.#call(target, syscall, check, name, (file, pop) => {
      const opts = { name, value, flags };
      if (file !== undefined) file.setXattr(this.ctx, opts);
      else this.kernel.vfs.setXattrAt(this.ctx, pop as PathOperation, opts);
    });
  }

  /**
   * listxattr(2) (follows a final link): the names visible to the caller.
   * @param path - The path.
   * @param size - The caller's buffer size (names plus a NUL each); 0 for no limit.
   * @returns The names.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - The path.
   * @throws ERANGE - The list does not fit in a non-zero `size`.
   * @throws E2BIG - The list is longer than 65536 bytes.
   */
  listxattr(path: string, size = 0): string[] {
    return this.#list({ path, follow: true }, size, "listxattr");
  }

  /**
   * llistxattr(2): {@link TaskXattrSyscalls.listxattr} on a final link itself.
   * @param path - The path.
   * @param size - The caller's buffer size; 0 for no limit.
   * @returns The names.
   * @throws Every error of {@link TaskXattrSyscalls.listxattr}.
   */
  llistxattr(path: string, size = 0): string[] {
    return this.#list({ path, follow: false }, size, "llistxattr");
  }

  /**
   * flistxattr(2).
   * @param fd - The descriptor.
   * @param size - The caller's buffer size; 0 for no limit.
   * @returns The names.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws ERANGE, E2BIG - As {@link TaskXattrSyscalls.listxattr}.
   */
  flistxattr(fd: number, size = 0): string[] {
    return this.#list({ fd }, size, "flistxattr");
  }

  #list(target: Target, size: number, syscall: string): string[] {
    return this.#call(target, syscall, () => undefined, undefined, (file, pop) => {
      const wanted = Math.min(size, XATTR_LIST_MAX);
      let names: string[];
      try {
        names = file !== undefined ? file.listXattr(this.ctx, wanted) : this.kernel.vfs.listXattrAt(this.ctx, pop as PathOperation, wanted);
      } catch (error) {
        if (error instanceof SysError && error.code === "ERANGE" && size >= XATTR_LIST_MAX) throw new SysError("E2BIG");
        throw error;
      }
      const length = listLength(names);
      if (length > XATTR_LIST_MAX) throw new SysError("E2BIG", { detail: "attribute list longer than 65536 bytes" });
      if (wanted !== 0 && length > wanted) throw new SysError("ERANGE", { detail: "list longer than the buffer" });
      return names;
    });
  }

  /**
   * removexattr(2) (follows a final link).
   * @param path - The path.
   * @param name - The attribute name.
   * @throws ERANGE - `name` is empty or longer than 255 bytes.
   * @throws ENOENT, EINVAL, ENAMETOOLONG, ENOTDIR, ELOOP, EACCES - The path.
   * @throws EOPNOTSUPP - Unknown namespace, or not supported by the filesystem.
   * @throws EPERM, EACCES - Not allowed.
   * @throws ENODATA - No such attribute.
   * @throws EROFS - A read-only mount.
   */
  removexattr(path: string, name: string): void {
    this.#remove({ path, follow: true }, name, "removexattr");
  }

  /**
   * lremovexattr(2): {@link TaskXattrSyscalls.removexattr} on a final link itself.
   * @param path - The path.
   * @param name - The attribute name.
   * @throws Every error of {@link TaskXattrSyscalls.removexattr}.
   */
  lremovexattr(path: string, name: string): void {
    this.#remove({ path, follow: false }, name, "lremovexattr");
  }

  /**
   * fremovexattr(2).
   * @param fd - The descriptor.
   * @param name - The attribute name.
   * @throws ERANGE - `name` is empty or longer than 255 bytes.
   * @throws EBADF - `fd` is not open, or O_PATH.
   * @throws EOPNOTSUPP, EPERM, EACCES, ENODATA, EROFS - As {@link TaskXattrSyscalls.removexattr}.
   */
  fremovexattr(fd: number, name: string): void {
    this.#remove({ fd }, name, "fremovexattr");
  }

  #remove(target: Target, name: string, syscall: string): void {
    this.#call(target, syscall, () => checkName(name), name, (file, pop) => {
      if (file !== undefined) file.removeXattr(this.ctx, name);
      else this.kernel.vfs.removeXattrAt(this.ctx, pop as PathOperation, name);
    });
  }

  /**
   * The shared sequence: argument checks, then the file (a descriptor, or a path resolved
   * once with getDentryAt), then the namespace check, then `op` on the file.
   */
  #call<T>(
    target: Target,
    syscall: string,
    check: () => void,
    name: string | undefined,
    op: (file: FileDescription | undefined, pop: PathOperation | undefined) => T,
  ): T {
    const s = taskInternals(this);
    const t0 = enter(s);
    const path = "path" in target ? target.path : undefined;
    try {
      check();
      if (!("path" in target)) {
        const file = getFile(s, target.fd);
        try {
          if ((file.statusFlags() & O_PATH) !== 0) throw new SysError("EBADF", { detail: "O_PATH descriptor" });
          if (name !== undefined) checkNamespace(name);
          return op(file, undefined);
        } finally {
          file.decRef(this.ctx);
        }
      }
      const r = pathOperation(s, AT_FDCWD, target.path, { follow: target.follow });
      const vd = s.kernel.vfs.getDentryAt(this.ctx, r.pop);
      try {
        if (name !== undefined) checkNamespace(name);
        return op(undefined, { root: r.pop.root, start: vd, path: EMPTY_PATH, followFinalSymlink: false });
      } finally {
        vd.decRef(this.ctx);
      }
    } catch (error) {
      throw failure(error, syscall, path);
    } finally {
      leave(s, t0);
    }
  }
}
