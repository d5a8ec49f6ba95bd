// createTestVfs(): a VFS with a testfs root in a fresh mount namespace, and helpers that
// make tests read like the system calls they exercise.
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from "@vfskit/abi";
import { Credentials, UserNamespace, type GID, type UID } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import { ByteSink, decodeUTF8 } from "../byte-sink.js";
import { createContext, withCredentials, type Context } from "../context.js";
import type { Mount } from "../mount.js";
import { MountNamespaceKey, RootKey, type MountNamespace } from "../namespace.js";
import type { MountOptions } from "../options.js";
import { checkPathname } from "../pathname.js";
import type { VirtualDentry } from "../virtual-dentry.js";
import { VirtualFilesystem, type PathOperation } from "../vfs.js";
import { TestFilesystemType } from "./test-filesystem.js";

/**
 * Options of {@link createTestVfs}.
 * @public
 */
export interface TestVfsOptions {
  /** The credentials of `ctx` (root of {@link TestVfs.userns} by default). */
  readonly credentials?: Credentials;
  /** Mount data for the root testfs (`"mode=1777"`, `"uid=1000,gid=1000"`). */
  readonly rootData?: string;
}

/**
 * How {@link TestVfs.pop} builds a path operation.
 * @public
 */
export interface PopOptions {
  /** Follow a final symbolic link (default `true`; `false` is lstat/AT_SYMLINK_NOFOLLOW). */
  readonly follow?: boolean;
  /** Where a relative path starts (default: the root). */
  readonly start?: VirtualDentry;
  /** The root (default: the namespace root). */
  readonly root?: VirtualDentry;
}

/**
 * A VFS ready for tests, from {@link createTestVfs}.
 * @public
 */
export interface TestVfs {
  /** The VFS, with `testfs` registered (user-mountable). */
  readonly vfs: VirtualFilesystem;
  /** The mount namespace, whose root is a testfs. */
  readonly mntns: MountNamespace;
  /** The namespace root (one reference held by the harness). */
  readonly root: VirtualDentry;
  /** A context with the test credentials, the namespace and the root. */
  readonly ctx: Context;
  /**
   * A path operation for `path`, checked as the system-call layer checks it (NUL →
   * EINVAL, PATH_MAX → ENAMETOOLONG); `""` is allowed and addresses the start itself.
   */
  pop(path: string, opts?: PopOptions): PathOperation;
  /** The user namespace of the default credentials (a fresh root namespace). */
  readonly userns: UserNamespace;
  /** Credentials of an ordinary user in {@link TestVfs.userns}. */
  user(uid: number, gid: number, groups?: readonly number[]): Credentials;
  /** `ctx` with other credentials (the namespace and root are kept). */
  as(credentials: Credentials): Context;
  /** Creates or truncates a regular file and writes `data`. */
  writeFile(path: string, data: string | Uint8Array, mode?: number): void;
  /** Reads a whole regular file. */
  readFile(path: string): Uint8Array;
  /** Reads a whole regular file as UTF-8 text. */
  readText(path: string): string;
  /** `mkdir -p`. */
  mkdirp(path: string, mode?: number): void;
  /** Mounts a new testfs at `path` (which must exist) and returns the mount (borrowed). */
  mountTestfs(path: string, opts?: MountOptions): Mount;
  /** Drops everything the harness holds (the root, the namespace, the VFS's types). */
  release(): void;
}


/**
 * Creates a VFS whose mount namespace has a testfs root, for tests.
 *
 * @remarks
 * Call `release()` at the end of every test: the leak checker expects every reference
 * to be dropped.
 * @example
 * ```ts
 * const t = createTestVfs();
 * t.mkdirp("/a/b");
 * const stat = t.vfs.statAt(t.ctx, t.pop("/a/b"), { mask: STATX_TYPE, sync: 0 });
 * t.release();
 * ```
 * @public
 */
export function createTestVfs(opts: TestVfsOptions = {}): TestVfs {
  const userns = opts.credentials?.userNamespace ?? UserNamespace.root();
  const credentials = opts.credentials ?? Credentials.root(userns);
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("testfs", new TestFilesystemType(), { allowUserMount: true, allowUserList: true });
  const bootCtx = createContext(credentials);
  const mntns = vfs.newMountNamespace(bootCtx, "none", "testfs", {
    getFilesystemOptions: opts.rootData === undefined ? {} : { data: opts.rootData },
  });
  const root = mntns.root(bootCtx);
  const ctx = createContext(credentials, [
    [MountNamespaceKey, mntns],
    [RootKey, root],
  ]);

  const pop = (path: string, popOpts: PopOptions = {}): PathOperation => {
    checkPathname(path, { allowEmpty: true });
    const parsed = parse(path);
    const popRoot = popOpts.root ?? root;
    return {
      root: popRoot,
      start: parsed.absolute ? popRoot : (popOpts.start ?? popRoot),
      path: parsed,
      followFinalSymlink: popOpts.follow ?? true,
    };
  };

  const readFile = (path: string): Uint8Array => {
    const fd = vfs.openAt(ctx, pop(path), { flags: O_RDONLY, mode: 0 });
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buf = new Uint8Array(4096);
        const n = fd.read(ctx, buf);
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
      }
      const out = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      return out;
    } finally {
      fd.decRef(ctx);
    }
  };

  const harness: TestVfs = {
    vfs,
    mntns,
    root,
    ctx,
    pop,
    userns,
    user: (uid, gid, groups = []) =>
      Credentials.user({ uid: uid as UID, gid: gid as GID, groups: groups.map((g) => g as GID), ns: userns }),
    as: (creds) => withCredentials(ctx, creds),
    writeFile(path, data, mode = 0o644) {
      const fd = vfs.openAt(ctx, pop(path), { flags: O_WRONLY | O_CREAT | O_TRUNC, mode });
      try {
        fd.write(ctx, typeof data === "string" ? new ByteSink().write(data).bytes() : data);
      } finally {
        fd.decRef(ctx);
      }
    },
    readFile,
    readText: (path) => decodeUTF8(readFile(path)),
    mkdirp(path, mode = 0o755) {
      vfs.mkdirAllAt(ctx, root, path, { mode });
    },
    mountTestfs(path, mountOpts = {}) {
      return vfs.mountAt(ctx, "none", pop(path), "testfs", mountOpts);
    },
    release() {
      root.decRef(ctx);
      mntns.decRef(ctx);
      vfs.release(ctx);
    },
  };
  return harness;
}
