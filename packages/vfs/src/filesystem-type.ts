// Filesystem types and their registry. Twin of gVisor's
// pkg/sentry/vfs/filesystem_type.go (Linux's struct file_system_type).
import { SysError } from "@vfskit/abi";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { Filesystem } from "./filesystem.js";
import type { GetFilesystemOptions } from "./options.js";
import type { VirtualFilesystem } from "./vfs.js";

/**
 * A filesystem together with the dentry to mount as its root, as returned by
 * {@link FilesystemType.getFilesystem}. The caller receives one reference on each.
 * @public
 */
export interface NewFilesystem {
  /** The filesystem (one reference for the caller). */
  readonly fs: Filesystem;
  /** The dentry to use as the mount root (one reference for the caller). */
  readonly root: Dentry;
}

/**
 * A kind of filesystem that can be mounted: it creates {@link Filesystem} instances
 * (gVisor's `FilesystemType`, Linux's `struct file_system_type`).
 * @public
 */
export interface FilesystemType {
  /**
   * Creates (or finds, for single-instance types) a filesystem configured by `opts`.
   *
   * @param ctx - The mounting context.
   * @param vfs - The VFS the filesystem will belong to.
   * @param source - The mount source (mount(2)'s first argument; `"none"` if none).
   * @param opts - Mount data and internal options.
   * @returns The filesystem and its root dentry, each with a reference for the caller.
   */
  getFilesystem(ctx: Context, vfs: VirtualFilesystem, source: string, opts: GetFilesystemOptions): NewFilesystem;
  /** The type's name, as shown in /proc/mounts (`"tmpfs"`, `"proc"`). */
  name(): string;
  /** The VFS is being released: free anything the type keeps. */
  release(ctx: Context): void;
}

/**
 * How a filesystem type may be used, given to
 * {@link VirtualFilesystemBase.registerFilesystemType}.
 * @public
 */
export interface RegisterFilesystemTypeOptions {
  /** mount(2) may create filesystems of this type (otherwise only internal mounts). */
  readonly allowUserMount?: boolean;
  /** The type appears in /proc/filesystems. */
  readonly allowUserList?: boolean;
  /** The type needs a block device (no `nodev` in /proc/filesystems). */
  readonly requiresDevice?: boolean;
  /**
   * The type exists for the kernel's own mounts only (Linux's SB_NOUSER: pipefs, sockfs):
   * mount(2) of it fails with EINVAL, where an unknown or merely not user-mountable type
   * is ENODEV. Only meaningful without `allowUserMount`.
   */
  readonly noUser?: boolean;
}

/** One registered type. @internal */
export interface RegisteredFilesystemType {
  readonly fsType: FilesystemType;
  readonly opts: RegisterFilesystemTypeOptions;
}

/**
 * The table of filesystem types known to one VFS.
 * @internal
 */
export class FilesystemTypeRegistry {
  readonly #types = new Map<string, RegisteredFilesystemType>();

  register(name: string, fsType: FilesystemType, opts: RegisterFilesystemTypeOptions): void {
    if (this.#types.has(name)) {
      throw new InternalError(`filesystem type ${JSON.stringify(name)} is already registered`);
    }
    this.#types.set(name, { fsType, opts });
  }

  // "ext4.foo" is looked up as "ext4", as gVisor does (only the part before the first dot).
  get(name: string): RegisteredFilesystemType | undefined {
    const dot = name.indexOf(".");
    return this.#types.get(dot === -1 ? name : name.slice(0, dot));
  }

  /** /proc/filesystems: `nodev\t<name>` or `\t<name>` for user-listable types. */
  procFilesystems(): string {
    let text = "";
    for (const [name, { opts }] of this.#types) {
      if (opts.allowUserList !== true) continue;
      text += `${opts.requiresDevice === true ? "" : "nodev"}\t${name}\n`;
    }
    return text;
  }

  release(ctx: Context): void {
    for (const { fsType } of this.#types.values()) fsType.release(ctx);
    this.#types.clear();
  }
}

/**
 * The error for mounting a type registered with `noUser` (Linux's graft_tree refuses a
 * SB_NOUSER superblock with EINVAL; gVisor answers ENODEV). @internal
 */
export function noUserMount(name: string): SysError {
  return new SysError("EINVAL", { syscall: "mount", detail: `filesystem type ${JSON.stringify(name)} cannot be mounted` });
}

/** The error for an unknown or not-mountable type. @internal */
export function noSuchFilesystemType(name: string): SysError {
  return new SysError("ENODEV", { syscall: "mount", detail: `unknown filesystem type ${JSON.stringify(name)}` });
}
