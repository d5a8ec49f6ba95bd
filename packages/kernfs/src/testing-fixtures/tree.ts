// Test-only helpers (excluded from the build): a test system with writable directories and
// short forms of the system calls the tests make.
import { O_CREAT, O_WRONLY, STATX_GID, STATX_MODE, STATX_UID } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import type { Context, FileDescription, PathOperation } from "@vfskit/vfs";
import { createTestSystem, newTestFile, TestDirectory, type TestSystem, type TestSystemOptions } from "../testing/index.js";
import { newReadonlyDir } from "../testing/test-inodes.js";

/** A test system plus helpers. */
export interface Tree extends TestSystem {
  /** Path operation that does not follow a final symlink. */
  nofollow(path: string): PathOperation;
  mkdir(path: string, mode?: number, ctx?: Context): void;
  create(path: string, mode?: number, ctx?: Context): void;
  symlink(target: string, path: string, ctx?: Context): void;
  chmod(path: string, mode: number): void;
  chown(path: string, uid: number, gid: number): void;
  /** Context of an ordinary user (uid/gid 1000). */
  readonly userCtx: Context;
  /** Context of another ordinary user (uid/gid 2000). */
  readonly otherCtx: Context;
  openAs(ctx: Context, path: string, flags: number, mode?: number): FileDescription;
}

/**
 * `/` is a writable TestDirectory (0o755, root) holding: `ro` — a read-only static
 * directory with a file `f`; `dir` — a writable TestDirectory (0o777) with a file `file`
 * (dynamic, removable).
 */
export function makeTree(opts: TestSystemOptions = {}): Tree {
  const sys = createTestSystem(
    (ctx, fs) =>
      new TestDirectory(ctx, fs, 0o755, {
        children: [["ro", newReadonlyDir(ctx, fs, 0o555, [["f", newTestFile(ctx, fs, "static\n", 0o444)]])]],
        dynamicChildren: [
          ["dir", new TestDirectory(ctx, fs, 0o777, { dynamicChildren: [["file", newTestFile(ctx, fs, "hello\n", 0o666)]] })],
        ],
      }),
    opts,
  );
  const userCtx = sys.as(sys.user(1000, 1000));
  const otherCtx = sys.as(sys.user(2000, 2000));
  const nofollow = (path: string): PathOperation => sys.pathOp(path, { follow: false });
  return {
    ...sys,
    userCtx,
    otherCtx,
    nofollow,
    mkdir(path, mode = 0o755, ctx = sys.ctx) {
      sys.vfs.mkdirAt(ctx, nofollow(path), { mode });
    },
    create(path, mode = 0o644, ctx = sys.ctx) {
      sys.vfs.openAt(ctx, sys.pathOp(path), { flags: O_CREAT | O_WRONLY, mode }).decRef(ctx);
    },
    symlink(target, path, ctx = sys.ctx) {
      sys.vfs.symlinkAt(ctx, nofollow(path), target);
    },
    chmod(path, mode) {
      sys.vfs.setStatAt(sys.ctx, sys.pathOp(path), { stat: { mask: STATX_MODE, mode } });
    },
    chown(path, uid, gid) {
      sys.vfs.setStatAt(sys.ctx, sys.pathOp(path), { stat: { mask: STATX_UID | STATX_GID, uid: uid, gid: gid } });
    },
    openAs(ctx, path, flags, mode = 0o644) {
      return sys.vfs.openAt(ctx, sys.pathOp(path), { flags, mode });
    },
  };
}

/** Credentials helper re-exported for tests. */
export type { Credentials };
