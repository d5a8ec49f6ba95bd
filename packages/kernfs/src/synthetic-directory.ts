// The directory kernfs creates for mkdir(ForSyntheticMountpoint) when a filesystem's own
// newDir refuses: somewhere to mount on. Twin of gVisor's
// pkg/sentry/fsimpl/kernfs/synthetic_directory.go.
import { S_IFDIR, SysError } from "@vfskit/abi";
import type { Context, MkdirOptions, MknodOptions, OpenOptions } from "@vfskit/vfs";
import type { Filesystem } from "./filesystem.js";
import type { Inode } from "./inode.js";
import { InodeAttrs } from "./inode-attrs.js";
import { InodeDirectory } from "./inode-impl-util.js";
import { OrderedChildren } from "./ordered-children.js";

/**
 * A synthetic mount-point directory (gVisor's `syntheticDirectory`): writable entries, but
 * only further synthetic directories may be created in it (everything else is EPERM); its
 * dentry is kept in the tree.
 * @internal
 */
export class SyntheticDirectory extends InodeDirectory {
  readonly #fs: Filesystem;

  constructor(ctx: Context, fs: Filesystem, perm: number) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: S_IFDIR | perm }), { children: new OrderedChildren({ writable: true }) });
    this.#fs = fs;
  }

  /** Kept: a mount point must not be evicted. */
  override keep(): boolean {
    return true;
  }

  /** @throws EPERM - only synthetic directories can be created here. */
  override newFile(_ctx: Context, _name: string, _opts: OpenOptions): Inode {
    throw new SysError("EPERM");
  }

  /** Creates a nested synthetic directory, only for a synthetic mount point. */
  override newDir(ctx: Context, name: string, opts: MkdirOptions): Inode {
    if (opts.forSyntheticMountpoint !== true) throw new SysError("EPERM");
    const dir = new SyntheticDirectory(ctx, this.#fs, opts.mode & 0o7777);
    try {
      const child = this.insertNew(name, dir);
      this.attrs.touchCMtime(ctx);
      return child;
    } catch (error) {
      dir.decRef(ctx);
      throw error;
    }
  }

  /** @throws EPERM - only synthetic directories can be created here. */
  override newNode(_ctx: Context, _name: string, _opts: MknodOptions): Inode {
    throw new SysError("EPERM");
  }
}

/** Creates a synthetic directory with permissions `perm` (gVisor's `newSyntheticDirectory`). @internal */
export function newSyntheticDirectory(ctx: Context, fs: Filesystem, perm: number): Inode {
  return new SyntheticDirectory(ctx, fs, perm);
}
