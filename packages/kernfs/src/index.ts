/**
 * kernfs: the toolkit for synthetic, inode-based filesystems such as /proc and /sys
 * (gVisor's `pkg/sentry/fsimpl/kernfs`).
 *
 * @remarks
 * A filesystem built on kernfs supplies {@link Inode}s — usually by extending
 * {@link InodeNotDirectory}, {@link InodeSymlink} or {@link InodeDirectory}, or using the
 * ready-made {@link StaticDirectory}, {@link StaticSymlink} and {@link DynamicBytesFile} —
 * and kernfs's {@link Filesystem} implements the whole VFS `FilesystemImpl` over them:
 * path walks, permission checks in Linux's order, creation, removal, rename, xattrs.
 *
 * Reference model. Dentries are named pointers to inodes, with independent counts. A
 * {@link Dentry} holds one reference on its inode (hard links are several dentries on one
 * inode) and a child dentry holds one on its parent; file descriptions hold one on their
 * dentry (and mount). The filesystem holds one on its root dentry. A dentry whose count
 * reaches 0 stays cached (LRU, {@link FilesystemOptions.maxCachedDentries}, default 0)
 * while it is reachable, and is destroyed (count -1) when evicted, deleted or
 * invalidated; eviction drops the parent's reference, which may evict the parent in
 * turn. The tree itself holds a reference on *kept* dentries — those created by kernfs
 * operations (mkdir, O_CREAT…) and those looked up from inodes whose `keep()` is true —
 * until they leave the tree. Directory inodes ({@link InodeDirectory}) own a reference on
 * each child inode in their {@link OrderedChildren}. Dentries do not hold their
 * filesystem: whoever holds a dentry also holds a mount, and drops the dentry first.
 *
 * Reentrancy. Every operation is synchronous (DESIGN.md D2). While a kernfs operation is
 * in progress no dentry is destroyed: references the operation drops are deferred, and
 * flushed when the outermost operation ends — so an inode's `open` or `readlink` may call
 * back into the VFS without freeing what the outer walk still uses. Inode methods other
 * than `open` and `readlink` must not re-enter the VFS.
 *
 * @packageDocumentation
 */
export { Dentry } from "./kernfs.js";
export { Filesystem, type FilesystemOptions } from "./filesystem.js";
export {
  isInodeWithXattrs,
  type Inode,
  type InodeRefs,
  type InodeMetadata,
  type InodeDirectoryOps,
  type InodeSymlinkOps,
  type InodeWithXattrs,
  type LinkTarget,
} from "./inode.js";
export { InodeAttrs, type InodeAttrsInit, type InodeSetStatOptions } from "./inode-attrs.js";
export { OrderedChildren, type OrderedChildrenOptions } from "./ordered-children.js";
export {
  InodeBase,
  InodeNotDirectory,
  InodeSymlink,
  InodeDirectory,
  StaticDirectory,
  type InodeDirectoryOptions,
  type StaticDirectoryInit,
} from "./inode-impl-util.js";
export { StaticSymlink, type StaticSymlinkInit } from "./symlink.js";
export {
  DynamicBytesFile,
  DynamicBytesFD,
  PollableDynamicBytesFD,
  type DataSourceProvider,
  type DynamicBytesFileInit,
} from "./dynamic-bytes-file.js";
export {
  GenericDirectoryFD,
  SeekEnd,
  newGenericDirectoryFD,
  type GenericDirectoryFDOptions,
  type NewGenericDirectoryFDOptions,
} from "./fd-impl-util.js";
export { Watches, InotifyMask, type WatchEvent, type WatchListener } from "./watches.js";
