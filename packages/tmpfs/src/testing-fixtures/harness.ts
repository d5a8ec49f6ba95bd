// Test-only (excluded from the build): a VFS whose mount namespace has a tmpfs root, a
// settable clock, and helpers that make tests read like the system calls they exercise.
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, isSysError, type Statx, STATX_ALL } from "@vfskit/abi";
import { Credentials, UserNamespace, type GID, type UID } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import {
  ClockKey,
  MountNamespaceKey,
  RootKey,
  VirtualFilesystem,
  checkPathname,
  createContext,
  withCredentials,
  type Clock,
  type Context,
  type FileDescription,
  type Mount,
  type MountNamespace,
  type MountOptions,
  type PathOperation,
  type VirtualDentry,
} from "@vfskit/vfs";
import { TmpfsFilesystemType } from "../tmpfs.js";

/** A clock tests move by hand. Starts at 2026-01-01T00:00:00Z. */
export class FakeClock implements Clock {
  sec = 1_767_225_600;
  nsec = 0;
  now(): { sec: number; nsec: number } {
    return { sec: this.sec, nsec: this.nsec };
  }
  /** Moves the clock forward by `sec` seconds and `nsec` nanoseconds. */
  advance(sec: number, nsec = 0): void {
    this.sec += sec;
    this.nsec += nsec;
    while (this.nsec >= 1e9) {
      this.nsec -= 1e9;
      this.sec++;
    }
  }
}

/** Options of {@link createTmpfs}. */
export interface TmpfsTestOptions {
  /** Mount data of the root tmpfs (`"size=64k,nr_inodes=5"`). */
  readonly data?: string;
  /** Credentials of `ctx` (root of a fresh user namespace by default). */
  readonly credentials?: Credentials;
}

/** How {@link TmpfsTest.pop} builds a path operation. */
export interface PopOptions {
  /** Follow a final symlink (default true). */
  readonly follow?: boolean;
  /** Where a relative path starts (default: the root). */
  readonly start?: VirtualDentry;
}

/** A VFS with a tmpfs root, from {@link createTmpfs}. */
export interface TmpfsTest {
  readonly vfs: VirtualFilesystem;
  readonly mntns: MountNamespace;
  readonly root: VirtualDentry;
  readonly ctx: Context;
  readonly clock: FakeClock;
  readonly userns: UserNamespace;
  pop(path: string, opts?: PopOptions): PathOperation;
  /** Credentials of an ordinary user (no capabilities). */
  user(uid: number, gid: number, groups?: readonly number[]): Credentials;
  /** A context with other credentials (same namespace, root and clock). */
  as(credentials: Credentials): Context;
  /** A context for an ordinary user. */
  asUser(uid: number, gid: number, groups?: readonly number[]): Context;
  open(path: string, flags: number, mode?: number, ctx?: Context): FileDescription;
  writeFile(path: string, data: string | Uint8Array, mode?: number, ctx?: Context): void;
  readFile(path: string, ctx?: Context): Uint8Array;
  readText(path: string, ctx?: Context): string;
  mkdir(path: string, mode?: number, ctx?: Context): void;
  stat(path: string, opts?: { follow?: boolean; ctx?: Context }): Statx;
  /** Names listed by getdents on the directory at `path` (without `.` and `..`). */
  list(path: string, ctx?: Context): string[];
  /** Mounts a new tmpfs at `path` and returns its mount (borrowed). */
  mountTmpfs(path: string, data?: string, opts?: MountOptions): Mount;
  release(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes text as UTF-8. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Creates a VFS with a tmpfs root. Call `release()` at the end of the test. */
export function createTmpfs(opts: TmpfsTestOptions = {}): TmpfsTest {
  const userns = opts.credentials?.userNamespace ?? UserNamespace.root();
  const credentials = opts.credentials ?? Credentials.root(userns);
  const clock = new FakeClock();
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
  const bootCtx = createContext(credentials, [[ClockKey, clock]]);
  const mntns = vfs.newMountNamespace(bootCtx, "none", "tmpfs", {
    getFilesystemOptions: opts.data === undefined ? {} : { data: opts.data },
  });
  const root = mntns.root(bootCtx);
  const ctx = createContext(credentials, [
    [MountNamespaceKey, mntns],
    [RootKey, root],
    [ClockKey, clock],
  ]);
  const pop = (path: string, popOpts: PopOptions = {}): PathOperation => {
    checkPathname(path);
    const parsed = parse(path);
    return {
      root,
      start: parsed.absolute ? root : (popOpts.start ?? root),
      path: parsed,
      followFinalSymlink: popOpts.follow ?? true,
    };
  };
  const user = (uid: number, gid: number, groups: readonly number[] = []): Credentials =>
    Credentials.user({ uid: uid as UID, gid: gid as GID, groups: groups as GID[], ns: userns });
  const as = (c: Credentials): Context => withCredentials(ctx, c);
  const open = (path: string, flags: number, mode = 0o644, c: Context = ctx): FileDescription =>
    vfs.openAt(c, pop(path), { flags, mode });
  const readFile = (path: string, c: Context = ctx): Uint8Array => {
    const fd = open(path, O_RDONLY, 0, c);
    try {
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const buf = new Uint8Array(65536);
        const n = fd.read(c, buf);
        if (n === 0) break;
        parts.push(buf.subarray(0, n));
        total += n;
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    } finally {
      fd.decRef(c);
    }
  };
  const harness: TmpfsTest = {
    vfs,
    mntns,
    root,
    ctx,
    clock,
    userns,
    pop,
    user,
    as,
    asUser: (uid, gid, groups) => as(user(uid, gid, groups)),
    open,
    writeFile(path, data, mode = 0o644, c = ctx) {
      const fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode, c);
      try {
        const buf = typeof data === "string" ? bytes(data) : data;
        if (buf.length > 0) fd.write(c, buf);
      } finally {
        fd.decRef(c);
      }
    },
    readFile,
    readText: (path, c) => decoder.decode(readFile(path, c)),
    mkdir(path, mode = 0o755, c = ctx) {
      vfs.mkdirAt(c, pop(path, { follow: false }), { mode });
    },
    stat(path, o = {}) {
      return vfs.statAt(o.ctx ?? ctx, pop(path, { follow: o.follow ?? true }), { mask: STATX_ALL, sync: 0 });
    },
    list(path, c = ctx) {
      const fd = open(path, O_RDONLY, 0, c);
      try {
        const names: string[] = [];
        fd.iterDirents(c, (d) => {
          if (d.name !== "." && d.name !== "..") names.push(d.name);
          return true;
        });
        return names;
      } finally {
        fd.decRef(c);
      }
    },
    mountTmpfs(path, data, mountOpts = {}) {
      return vfs.mountAt(ctx, "none", pop(path), "tmpfs", {
        ...mountOpts,
        getFilesystemOptions: data === undefined ? {} : { data },
      });
    },
    release() {
      root.decRef(ctx);
      mntns.decRef(ctx);
      vfs.release(ctx);
    },
  };
  return harness;
}

export { expectErrno } from "@vfskit/vfs/testing";

/** The errno code `fn` throws, or "OK". */
export function errnoOf(fn: () => unknown): string {
  try {
    fn();
    return "OK";
  } catch (error) {
    if (isSysError(error)) return error.code;
    throw error;
  }
}
