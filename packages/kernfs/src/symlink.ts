// StaticSymlink: a symbolic link with a fixed target. Twin of gVisor's
// pkg/sentry/fsimpl/kernfs/symlink.go.
import { S_IFLNK, SysError } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import type { Context, Filesystem as VfsFilesystem, Mount } from "@vfskit/vfs";
import type { LinkTarget } from "./inode.js";
import { InodeAttrs, type InodeAttrsInit, type InodeSetStatOptions } from "./inode-attrs.js";
import { InodeSymlink } from "./inode-impl-util.js";

/**
 * What a new {@link StaticSymlink} starts with.
 * @public
 */
export interface StaticSymlinkInit extends Omit<InodeAttrsInit, "mode"> {
  /** Where the link points. */
  readonly target: string;
}

/**
 * A symbolic link whose target never changes (gVisor's `StaticSymlink`): mode
 * `lrwxrwxrwx`, like every Linux symlink.
 * @public
 */
export class StaticSymlink extends InodeSymlink {
  readonly #target: string;

  /**
   * @param ctx - Owner (its credentials) and clock.
   * @param init - Inode number, target, owner.
   */
  constructor(ctx: Context, init: StaticSymlinkInit) {
    const { target, ...ids } = init;
    super(new InodeAttrs(ctx, { ...ids, mode: S_IFLNK | 0o777 }));
    this.#target = target;
  }

  /** The target. */
  readlink(_ctx: Context, _mnt: Mount): string {
    return this.#target;
  }

  /** The target, as a pathname to follow. */
  getlink(_ctx: Context, _mnt: Mount): LinkTarget {
    return this.#target;
  }

  /** @throws EPERM - a static link's attributes do not change. */
  override setStat(_ctx: Context, _fs: VfsFilesystem, _creds: Credentials, _opts: InodeSetStatOptions): void {
    throw new SysError("EPERM");
  }
}
