/**
 * The virtual filesystem core of vfskit: mounts and mount namespaces, path resolution,
 * the rename/delete protocol, file descriptions and permissions, with Linux's semantics
 * to the errno (gVisor's `pkg/sentry/vfs`).
 *
 * @remarks
 * Reference model (who holds what, DESIGN.md D3). Filesystems, mounts, mount namespaces
 * and file descriptions are reference-counted; dentry counts are kept by each filesystem.
 *
 * - A {@link Mount} holds references on its {@link Filesystem}, its root {@link Dentry},
 *   and once connected on its mount-point dentry and its parent mount.
 *
 * - The {@link VirtualFilesystem} holds one reference on every connected mount until it
 *   is unmounted; a {@link MountNamespace} holds its root mount.
 *
 * - A {@link FileDescription} holds its mount and its dentry (through a
 *   {@link VirtualDentry}), so files opened on an unmounted (MNT_DETACH) mount keep
 *   working.
 *
 * - Dentries do not hold their filesystem: whoever holds a dentry also holds a mount of
 *   its filesystem, and drops the dentry first, then the mount.
 *
 * Reentrancy. Everything is synchronous and runs to completion (DESIGN.md D2): there are
 * no locks, only the order of checks that decides which errno wins. A filesystem must
 * not `await` between a prepare (`prepareDeleteDentry`, `prepareRenameDentry`) and its
 * commit or abort. Path resolution restarts (mount crossings, absolute symlinks, magic
 * links) are returned values: a filesystem method returns {@link RESTART} when a
 * {@link ResolvingPath} method asks it to.
 *
 * @packageDocumentation
 */

// The VFS and its path operations.
export { VirtualFilesystem, type PathOperation } from "./vfs.js";
export { VirtualFilesystemBase, type ClonedMountNamespace } from "./vfs-base.js";
export { ResolvingPath, RESTART, type Restart, exceedsNameMax, utf8ByteLength } from "./resolving-path.js";
export { checkPathname } from "./pathname.js";

// Objects of the tree.
export { VirtualDentry } from "./virtual-dentry.js";
export { Dentry, DeleteDentryTicket, RenameDentryTicket, type DentryImpl } from "./dentry.js";
export { Filesystem, PrependPathResult, type FilesystemImpl } from "./filesystem.js";
export { type FilesystemType, type NewFilesystem, type RegisterFilesystemTypeOptions } from "./filesystem-type.js";
export { Mount, MOUNT_MAX, PropagationType } from "./mount.js";
export {
  MountNamespace,
  MountChangePoller,
  MountNamespaceKey,
  RootKey,
  mountNamespaceFromContext,
  rootFromContext,
} from "./namespace.js";
export { mangleMountPath } from "./mount-text.js";
export { ANON_BLOCK_DEV_MINOR_MAX } from "./device.js";

// Context, references, readiness, errors of contract.
export {
  ContextKey,
  ClockKey,
  clockFrom,
  createContext,
  withValue,
  withCredentials,
  type Context,
  type Clock,
} from "./context.js";
export {
  RefCounted,
  trackObject,
  untrackObject,
  setLeakCheckEnabled,
  liveObjects,
  type TrackedObject,
} from "./refs.js";
export { InternalError, assertInternal } from "./assert.js";
export { FifoOpenerKey, type FifoOpener } from "./fifo-opener.js";
export {
  WaiterQueue,
  waitForReadiness,
  type Waiter,
  type Waitable,
  type AbortSignalLike,
} from "./waiter.js";

// Options.
export {
  MAY_EXEC,
  MAY_WRITE,
  MAY_READ,
  type AccessTypes,
  type GetDentryOptions,
  type OpenOptions,
  type MkdirOptions,
  type MknodOptions,
  type RenameOptions,
  type StatOptions,
  type SetStatAttributes,
  type SetStatOptions,
  type GetXattrOptions,
  type SetXattrOptions,
  type ReadOptions,
  type WriteOptions,
  type GetFilesystemOptions,
  type MountFlags,
  type MountOptions,
  type UmountOptions,
} from "./options.js";

// File descriptions.
export { FileDescription, type FileDescriptionOptions } from "./file-description.js";
export { type FileDescriptionImpl, type IterDirentsCallback } from "./file-description-impl.js";
export {
  FileDescriptionDefaultImpl,
  DirectoryFileDescriptionDefaultImpl,
  DentryMetadataFileDescriptionImpl,
  DynamicBytesFileDescriptionImpl,
  DynamicBytesPoller,
  StaticData,
  DYNAMIC_BYTES_POLL_EVENTS,
  isWritableDynamicBytesSource,
  type DynamicBytesSource,
  type WritableDynamicBytesSource,
  type PollableDynamicBytesSource,
} from "./file-description-impl-util.js";
export { OPathFileDescriptionImpl, newOPathFileDescription } from "./opath.js";
export { ByteSink, decodeUTF8 } from "./byte-sink.js";

// Permissions and filesystem helpers.
export {
  accessTypesForOpenFlags,
  mayReadFileWithOpenFlags,
  mayWriteFileWithOpenFlags,
  genericCheckPermissions,
  canActAsOwner,
  hasCapabilityOnFile,
  mayLink,
  checkDeleteSticky,
  shouldClearSGID,
  clearSUIDAndSGID,
  FileSizeLimitKey,
  checkLimit,
  checkSetStat,
  checkXattrPermissions,
  type SetStatCheck,
} from "./permissions.js";
export {
  genericParseMountOptions,
  genericParseMountOptionsOrdered,
  genericStatFS,
  type MountOption,
} from "./mount-options.js";

// File locks.
export {
  FileLocks,
  LOCK_EOF,
  computeLockRange,
  decodeFlockOperation,
  lockBSD,
  unlockBSD,
  lockPOSIX,
  unlockPOSIX,
  testPOSIX,
  type LockType,
  type LockRange,
  type PosixLockRequest,
  type PosixLockTest,
  type FlockOperation,
} from "./lock.js";
