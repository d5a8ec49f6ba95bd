// createTestSystem(): a VFS whose mount namespace has a kernfs filesystem as its root,
// for tests of kernfs and of filesystems built on it (gVisor's kernfs_test.go
// newTestSystem + testutil.System).
import { O_RDONLY, type Dirent } from "@vfskit/abi";
import { Credentials, UserNamespace, type GID, type UID } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import {
  MountNamespaceKey,
  RootKey,
  VirtualFilesystem,
  checkPathname,
  createContext,
  decodeUTF8,
  withCredentials,
  type Context,
  type FileDescription,
  type FilesystemType,
  type GetFilesystemOptions,
  type MountNamespace,
  type NewFilesystem,
  type PathOperation,
  type VirtualDentry,
} from "@vfskit/vfs";
import { Filesystem, type FilesystemOptions } from "../filesystem.js";
import type { Inode } from "../inode.js";

/**
 * Builds the root inode of the test filesystem.
 * @public
 */
export type RootInodeFn = (ctx: Context, fs: Filesystem) => Inode;

/**
 * Options of {@link createTestSystem}.
 * @public
 */
export interface TestSystemOptions extends FilesystemOptions {
  /** The credentials of `ctx` (root of a fresh user namespace by default). */
  readonly credentials?: Credentials;
  /** The filesystem type's name (default `"kernfs"`). */
  readonly fsTypeName?: string;
  /**
   * Creates the kernfs filesystem (default: `new Filesystem(vfs, fsType, opts)`), for a
   * subclass such as a procfs filesystem.
   */
  readonly createFilesystem?: (vfs: VirtualFilesystem, fsType: FilesystemType, opts: FilesystemOptions) => Filesystem;
}

/**
 * How {@link TestSystem.pathOp} builds a path operation.
 * @public
 */
export interface TestPathOptions {
  /** Follow a final symbolic link (default `true`). */
  readonly follow?: boolean;
  /** Where a relative path starts (default: the root). */
  readonly start?: VirtualDentry;
}

/**
 * A VFS with a kernfs filesystem mounted as the root of its mount namespace, from
 * {@link createTestSystem}.
 * @public
 */
export interface TestSystem {
  /** The VFS. */
  readonly vfs: VirtualFilesystem;
  /** The kernfs filesystem under test. */
  readonly fs: Filesystem;
  /** The mount namespace (its root mount shows `fs`). */
  readonly mntns: MountNamespace;
  /** The namespace root (a reference held by the harness). */
  readonly root: VirtualDentry;
  /** A context with the test credentials, the namespace and the root. */
  readonly ctx: Context;
  /** The user namespace of the default credentials. */
  readonly userns: UserNamespace;
  /**
   * A path operation for `path`, checked as the system-call layer checks it (NUL →
   * EINVAL, too long → ENAMETOOLONG).
   */
  pathOp(path: string, opts?: TestPathOptions): PathOperation;
  /** `getDentryAt` of `path`: a position with a reference (drop it with `decRef`). */
  getDentry(path: string, opts?: TestPathOptions): VirtualDentry;
  /** `openAt` of `path` (read-only by default): a description with a reference. */
  open(path: string, flags?: number, mode?: number): FileDescription;
  /** Reads `fd` from its current offset to the end, as UTF-8 text. */
  readToEnd(fd: FileDescription): string;
  /** Opens `path`, reads all of it as text and closes it. */
  readFile(path: string): string;
  /** Opens the directory `path` and lists every entry, `.` and `..` included. */
  listDirents(path: string): Dirent[];
  /** Credentials of an ordinary user in {@link TestSystem.userns}. */
  user(uid: number, gid: number, groups?: readonly number[]): Credentials;
  /** `ctx` with other credentials (the namespace and root are kept). */
  as(credentials: Credentials): Context;
  /** Drops everything the harness holds: the root, the namespace, the VFS's types. */
  release(): void;
}

class TestFilesystemType implements FilesystemType {
  constructor(
    readonly typeName: string,
    readonly rootFn: RootInodeFn,
    readonly opts: TestSystemOptions,
  ) {}

  getFilesystem(ctx: Context, vfs: VirtualFilesystem, _source: string, _opts: GetFilesystemOptions): NewFilesystem {
    const fsOpts: FilesystemOptions = this.opts.maxCachedDentries === undefined ? {} : { maxCachedDentries: this.opts.maxCachedDentries };
    const fs = this.opts.createFilesystem?.(vfs, this, fsOpts) ?? new Filesystem(vfs, this, fsOpts);
    const root = fs.initRoot(this.rootFn(ctx, fs));
    return { fs: fs.vfsfs, root: root.vfsd };
  }

  name(): string {
    return this.typeName;
  }

  release(_ctx: Context): void {}
}

/**
 * Creates a VFS whose mount namespace has a kernfs filesystem, built by `rootFn`, as its
 * root (gVisor's kernfs_test.go `newTestSystem`).
 *
 * @remarks
 * Call `release()` at the end of every test: the leak checker expects every reference
 * to be dropped, and `release` drops the harness's and then the namespace's, which
 * unmounts and releases the filesystem.
 * @example
 * ```ts
 * const sys = createTestSystem((ctx, fs) =>
 *   new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children: [["hello", newTestFile(ctx, fs, "hi\n")]] }),
 * );
 * sys.readFile("/hello"); // "hi\n"
 * sys.release();
 * ```
 * @public
 */
export function createTestSystem(rootFn: RootInodeFn, opts: TestSystemOptions = {}): TestSystem {
  const userns = opts.credentials?.userNamespace ?? UserNamespace.root();
  const credentials = opts.credentials ?? Credentials.root(userns);
  const typeName = opts.fsTypeName ?? "kernfs";
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType(typeName, new TestFilesystemType(typeName, rootFn, opts), { allowUserMount: true });
  const bootCtx = createContext(credentials);
  const mntns = vfs.newMountNamespace(bootCtx, "none", typeName);
  const root = mntns.root(bootCtx);
  const ctx = createContext(credentials, [
    [MountNamespaceKey, mntns],
    [RootKey, root],
  ]);
  const fs = root.mount.fs.impl as Filesystem;

  const pathOp = (path: string, popts: TestPathOptions = {}): PathOperation => {
    checkPathname(path);
    const parsed = parse(path);
    return {
      root,
      start: parsed.absolute ? root : (popts.start ?? root),
      path: parsed,
      followFinalSymlink: popts.follow ?? true,
    };
  };

  const readToEnd = (fd: FileDescription): string => {
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(4096);
    for (let n = fd.read(ctx, buf); n > 0; n = fd.read(ctx, buf)) chunks.push(buf.slice(0, n));
    let total = 0;
    for (const c of chunks) total += c.length;
    const all = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      all.set(c, off);
      off += c.length;
    }
    return decodeUTF8(all);
  };

  const open = (path: string, flags = O_RDONLY, mode = 0o644): FileDescription => vfs.openAt(ctx, pathOp(path), { flags, mode });

  return {
    vfs,
    fs,
    mntns,
    root,
    ctx,
    userns,
    pathOp,
    getDentry: (path, popts) => vfs.getDentryAt(ctx, pathOp(path, popts)),
    open,
    readToEnd,
    readFile(path: string): string {
      const fd = open(path);
      try {
        return readToEnd(fd);
      } finally {
        fd.decRef(ctx);
      }
    },
    listDirents(path: string): Dirent[] {
      const fd = open(path);
      try {
        const out: Dirent[] = [];
        fd.iterDirents(ctx, (dirent) => {
          out.push(dirent);
          return true;
        });
        return out;
      } finally {
        fd.decRef(ctx);
      }
    },
    user: (uid, gid, groups = []) =>
      Credentials.user({ uid: uid as UID, gid: gid as GID, groups: groups as readonly GID[], ns: userns }),
    as: (creds) => withCredentials(ctx, creds),
    release(): void {
      root.decRef(ctx);
      mntns.decRef(ctx);
      vfs.release(ctx);
    },
  };
}
