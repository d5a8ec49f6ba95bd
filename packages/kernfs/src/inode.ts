// The Inode interface: what a kernfs filesystem supplies for each node, grouped into named
// sub-interfaces (DESIGN.md D8). Twin of the Inode half of gVisor's
// pkg/sentry/fsimpl/kernfs/kernfs.go.
import type { Statfs, Statx } from "@vfskit/abi";
import type { Credentials, KGID, KUID } from "@vfskit/auth";
import type {
  AccessTypes,
  Context,
  FileDescription,
  Filesystem as VfsFilesystem,
  GetXattrOptions,
  IterDirentsCallback,
  MkdirOptions,
  MknodOptions,
  Mount,
  OpenOptions,
  ResolvingPath,
  SetStatOptions,
  SetXattrOptions,
  StatOptions,
  VirtualDentry,
} from "@vfskit/vfs";
import type { Dentry } from "./kernfs.js";
import type { Watches } from "./watches.js";

/**
 * Reference counting of an inode (gVisor's `inodeRefs`).
 *
 * @remarks
 * A dentry holds one reference on its inode; {@link InodeDirectoryOps.lookup} and the
 * `new*` constructors return an inode with a reference that the new dentry takes over.
 * Inodes that own nothing use no-op counting ({@link InodeNotDirectory},
 * {@link InodeSymlink}); directories count, so that dropping the last reference releases
 * their children ({@link InodeDirectory}).
 * @public
 */
export interface InodeRefs {
  /** Takes a reference. */
  incRef(): void;
  /** Takes a reference unless the inode was released; says whether it did. */
  tryIncRef(): boolean;
  /** Drops a reference; the last one releases what the inode holds. */
  decRef(ctx: Context): void;
}

/**
 * The metadata of an inode (gVisor's `inodeMetadata`). {@link InodeAttrs} implements it.
 * @public
 */
export interface InodeMetadata {
  /**
   * Checks that `creds` may access the inode with `ats`, as Linux's
   * `generic_permission` does.
   * @throws EACCES - permission denied.
   */
  checkPermissions(ctx: Context, creds: Credentials, ats: AccessTypes): void;
  /** The file type and permission bits (`st_mode`); kept apart from `stat` for speed. */
  mode(): number;
  /** The owner, a kernel UID. */
  uid(): KUID;
  /** The group, a kernel GID. */
  gid(): KGID;
  /**
   * The metadata, as statx(2) reports it.
   * @param fs - The VFS filesystem the inode is seen through.
   */
  stat(ctx: Context, fs: VfsFilesystem, opts: StatOptions): Statx;
  /**
   * Changes the metadata (chmod, chown, utimes, truncate). The implementation checks
   * permissions (with `checkSetStat`) and applies the change.
   * @throws EPERM - the change is not allowed.
   */
  setStat(ctx: Context, fs: VfsFilesystem, creds: Credentials, opts: SetStatOptions): void;
}

/**
 * The operations of a directory inode (gVisor's `inodeDirectory`).
 *
 * @remarks
 * kernfs calls these only on directories, after checking the file types and permissions
 * involved; implementations do neither. {@link OrderedChildren} and
 * {@link InodeDirectory} implement them; {@link InodeNotDirectory} makes each one an
 * internal error.
 * @public
 */
export interface InodeDirectoryOps {
  /** Reports whether the directory has entries (rmdir and rename need it empty). */
  hasChildren(): boolean;
  /**
   * Creates a regular file named `name` (open with O_CREAT).
   * @returns The new inode, with a reference for its new dentry.
   * @throws EPERM - the directory does not allow it.
   */
  newFile(ctx: Context, name: string, opts: OpenOptions): Inode;
  /**
   * Creates a directory named `name` (mkdir). Updates this directory's link count.
   * @returns The new inode, with a reference for its new dentry.
   * @throws EPERM - the directory does not allow it.
   */
  newDir(ctx: Context, name: string, opts: MkdirOptions): Inode;
  /**
   * Creates a hard link named `name` to `target` (link), updating `target`'s link count.
   * @returns The inode to put in the new dentry (usually `target`), with a reference.
   * @throws EPERM - the directory does not allow it.
   */
  newLink(ctx: Context, name: string, target: Inode): Inode;
  /**
   * Creates a symbolic link named `name` pointing at `target` (symlink).
   * @returns The new inode, with a reference for its new dentry.
   * @throws EPERM - the directory does not allow it.
   */
  newSymlink(ctx: Context, name: string, target: string): Inode;
  /**
   * Creates a node for mknod (FIFO, device, socket, regular file).
   * @returns The new inode, with a reference for its new dentry.
   * @throws EPERM - the directory does not allow it.
   */
  newNode(ctx: Context, name: string, opts: MknodOptions): Inode;
  /**
   * Removes the entry `name`, which is `child` (unlink).
   * @throws EPERM - the directory does not allow it.
   */
  unlink(ctx: Context, name: string, child: Inode): void;
  /**
   * Removes the empty directory `name`, which is `child` (rmdir); updates this
   * directory's link count. kernfs has checked that `child` is an empty directory.
   * @throws EPERM - the directory does not allow it.
   */
  rmDir(ctx: Context, name: string, child: Inode): void;
  /**
   * Moves entry `oldName` (which is `child`) of this directory to `newName` in `dstDir`,
   * replacing what is there. kernfs updates the dentry tree afterwards.
   * @throws EPERM - either directory does not allow it.
   * @throws EXDEV - the directories cannot exchange entries.
   */
  rename(ctx: Context, oldName: string, newName: string, child: Inode, dstDir: Inode): void;
  /**
   * Finds the child `name`, called on every lookup that the dentry tree cannot answer
   * (so dynamic directories such as /proc can produce entries on demand).
   *
   * @remarks
   * The returned inode carries a reference that the new dentry takes over. The dentry is
   * kept in the tree until unlinked if the inode's {@link Inode.keep} says so, otherwise
   * it is dropped at the end of the operation unless someone else took a reference (and
   * then cached like any unreferenced dentry). Return `undefined` for a missing entry:
   * kernfs turns it into ENOENT only where the caller needs an error, so negative lookups
   * build no error object (DESIGN.md D4).
   * @returns The child with a new reference, or `undefined` if there is none.
   */
  lookup(ctx: Context, name: string): Inode | undefined;
  /**
   * Delivers the directory's dynamic entries (those not in its {@link OrderedChildren}),
   * for {@link GenericDirectoryFD}.
   *
   * @param mnt - The mount the directory was opened through.
   * @param cb - Receives entries; stop as soon as it returns `false` (that entry was not
   * consumed).
   * @param offset - The directory offset of the first entry to deliver, counting `.`,
   * `..` and the ordered children; each entry's `nextOff` is computed from it.
   * @param relOffset - The index, among the dynamic entries, to start from.
   * @returns The directory offset after the last entry consumed.
   */
  iterDirents(ctx: Context, mnt: Mount, cb: IterDirentsCallback, offset: number, relOffset: number): number;
}

/**
 * What a symbolic link resolves to for path resolution: a pathname to follow, or (for a
 * "magic link" such as /proc/[pid]/fd/N) a position to jump to, with a reference for the
 * caller.
 * @public
 */
export type LinkTarget = string | VirtualDentry;

/**
 * The symbolic-link operations of an inode (gVisor's `inodeSymlink`).
 * @public
 */
export interface InodeSymlinkOps {
  /**
   * readlink(2). Called outside kernfs's bookkeeping, so it may call back into the VFS.
   * @param mnt - The mount the link was reached through.
   * @throws EINVAL - not a symbolic link.
   */
  readlink(ctx: Context, mnt: Mount): string;
  /**
   * The link's target for path resolution: a pathname, or a position (with a reference
   * for the caller) for a magic link.
   * @param mnt - The mount the link was reached through.
   * @throws EINVAL - not a symbolic link.
   */
  getlink(ctx: Context, mnt: Mount): LinkTarget;
}

/**
 * A node of a kernfs filesystem: maps path-based operations onto one file (gVisor's
 * `kernfs.Inode`).
 *
 * @remarks
 * Built from named sub-interfaces: {@link InodeRefs}, {@link InodeMetadata},
 * {@link InodeSymlinkOps}, {@link InodeDirectoryOps}, plus the members declared here.
 * Implementations usually extend one of the base classes chosen by file type —
 * {@link InodeNotDirectory}, {@link InodeSymlink}, {@link InodeDirectory} — which supply
 * the negative answers and forward metadata to a composed {@link InodeAttrs}.
 *
 * Implementations do not check file types or permissions for the operations kernfs calls:
 * kernfs does that first, in Linux's order. Inode methods run while a kernfs operation is
 * in progress and must not call back into the VFS, except {@link InodeSymlinkOps.readlink}
 * and {@link Inode.open}.
 * @public
 */
export interface Inode extends InodeRefs, InodeMetadata, InodeSymlinkOps, InodeDirectoryOps {
  /**
   * Opens the file: returns a new description holding a reference on `d` (through
   * `FileDescription.init` with `new VirtualDentry(rp.mount(), d.vfsd)`).
   *
   * @precondition `rp.done()`; `d.inode() === this`; permissions were checked.
   * @throws ELOOP - a symbolic link (the final component was not followed).
   * @throws EISDIR - a directory opened for writing.
   */
  open(ctx: Context, rp: ResolvingPath, d: Dentry, opts: OpenOptions): FileDescription;
  /**
   * statfs(2) for the filesystem.
   * @throws ENOSYS - the filesystem does not support statfs.
   */
  statFS(ctx: Context, fs: VfsFilesystem): Statfs;
  /**
   * Reports whether a dentry created for this inode by a lookup stays in the tree (until
   * unlinked) rather than being dropped at the end of the operation.
   */
  keep(): boolean;
  /**
   * Revalidation: reports whether the cached dentry `name` of `parent` still stands for
   * this inode; `false` makes kernfs drop that dentry (and its subtree) and look the name
   * up again.
   */
  valid(ctx: Context, parent: Dentry, name: string): boolean;
  /** The inode's inotify watches, shared by all its hard links. */
  watches(): Watches;
  /** Reports whether the inode is anonymous: it never has a name or a parent (pipes). */
  anonymous(): boolean;
  /** A dentry now points to this inode. */
  registerDentry(d: Dentry): void;
  /** A dentry that pointed to this inode was destroyed. */
  unregisterDentry(d: Dentry): void;
}

/**
 * The extended-attribute operations of an inode that supports them (gVisor's
 * `InodeWithXattrs`). kernfs checks permissions before calling them; without them every
 * xattr operation is ENOTSUP.
 * @public
 */
export interface InodeWithXattrs {
  /**
   * The value of attribute `opts.name`.
   * @throws ENODATA - no such attribute.
   * @throws ERANGE - longer than a non-zero `opts.size`.
   */
  getXattr(ctx: Context, opts: GetXattrOptions): Uint8Array;
  /**
   * Sets attribute `opts.name`.
   * @throws EEXIST - XATTR_CREATE and it exists.
   * @throws ENODATA - XATTR_REPLACE and it does not.
   */
  setXattr(ctx: Context, opts: SetXattrOptions): void;
  /**
   * The attribute names.
   * @throws ERANGE - the list does not fit in a non-zero `size`.
   */
  listXattr(ctx: Context, size: number): string[];
  /**
   * Removes attribute `name`.
   * @throws ENODATA - no such attribute.
   */
  removeXattr(ctx: Context, name: string): void;
}

/**
 * Reports whether `inode` implements {@link InodeWithXattrs}.
 * @public
 */
export function isInodeWithXattrs(inode: Inode): inode is Inode & InodeWithXattrs {
  const candidate = inode as Partial<InodeWithXattrs>;
  return (
    typeof candidate.getXattr === "function" &&
    typeof candidate.setXattr === "function" &&
    typeof candidate.listXattr === "function" &&
    typeof candidate.removeXattr === "function"
  );
}
