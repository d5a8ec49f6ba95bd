/**
 * A writable in-memory filesystem with Linux tmpfs behaviour, built directly on
 * `@vfskit/vfs`: regular files with chunked data, directories, symbolic links, hard
 * links, FIFO and device nodes, sticky and setgid directories, extended attributes,
 * `size=` and `nr_inodes=` limits.
 *
 * @remarks
 * Register {@link TmpfsFilesystemType} with a `VirtualFilesystem` and mount it; every
 * operation then goes through the VFS (`openAt`, `mkdirAt`, `renameAt`, `statAt`…).
 *
 * Reference model (gVisor's tmpfs): a tmpfs dentry is a name of an inode in a directory;
 * references on a dentry are references on its inode. An inode holds one reference for
 * all of its links, dropped when its link count reaches zero; open file descriptions,
 * mounts and working directories hold their own. A directory holds a reference on its
 * parent directory. When an inode's count reaches zero its data is freed: an unlinked
 * file stays usable until its last description is closed. The filesystem holds the tree
 * through its root; releasing the filesystem (its last mount gone) drops every link.
 *
 * Reentrancy: every operation is synchronous and runs to completion (DESIGN.md D2).
 * The only call into user code is the getdents callback. It may change the directory
 * being listed (entries added meanwhile are listed once, removed ones are skipped), but
 * must not call `iterDirents` or `seek` on the same description.
 *
 * @packageDocumentation
 */
export { TmpfsFilesystemType, type TmpfsInternalOptions } from "./tmpfs.js";
