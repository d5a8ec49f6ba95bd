// tmpfs symbolic links. Twin of gVisor's pkg/sentry/fsimpl/tmpfs/symlink.go.
import type { Timespec } from "@vfskit/abi";
import type { KGID, KUID } from "@vfskit/auth";
import { utf8ByteLength, type Context } from "@vfskit/vfs";
import type { TmpfsFilesystem } from "./filesystem.js";
import { Inode, InodeKind } from "./inode.js";

/**
 * Targets of this many bytes or more take a page, as in Linux (SHORT_SYMLINK_LEN: shorter
 * ones live in the inode): they count against `size=` and show 8 blocks.
 * @internal
 */
export const SHORT_SYMLINK_LEN = 128;

/**
 * A tmpfs symbolic link.
 * @internal
 */
export class SymlinkInode extends Inode {
  /** The target, as given. */
  readonly target: string;
  /** The target's length in UTF-8 bytes (st_size). */
  readonly targetBytes: number;

  constructor(fs: TmpfsFilesystem, mode: number, uid: KUID, gid: KGID, now: Timespec, target: string, targetBytes: number) {
    super(fs, mode, uid, gid, now);
    this.target = target;
    this.targetBytes = targetBytes;
  }

  get kind(): InodeKind {
    return InodeKind.Symlink;
  }

  override statSize(): number {
    return this.targetBytes;
  }

  override statBlocks(): number {
    return this.targetBytes >= SHORT_SYMLINK_LEN ? 8 : 0;
  }

  protected override releaseContents(_ctx: Context): void {
    if (this.targetBytes >= SHORT_SYMLINK_LEN) this.fs.addPages(-1);
  }
}

/** The UTF-8 length of a symlink target. @internal */
export function symlinkTargetBytes(target: string): number {
  return utf8ByteLength(target);
}
