// Test-only helpers shared by the VFS path-operation tests (excluded from the build).
import {
  O_CREAT,
  O_DIRECTORY,
  O_RDONLY,
  O_WRONLY,
  STATX_GID,
  STATX_INO,
  STATX_MODE,
  STATX_NLINK,
  STATX_SIZE,
  STATX_TYPE,
  STATX_UID,
  type Statx,
} from "@vfskit/abi";
import { createTestVfs, type PopOptions, type TestVfs } from "../testing/index.js";

export const ALL = { mask: STATX_TYPE | STATX_MODE | STATX_INO | STATX_NLINK | STATX_SIZE | STATX_UID | STATX_GID, sync: 0 };
export const enc = new TextEncoder();

export function withVfs(fn: (t: TestVfs) => void, opts: Parameters<typeof createTestVfs>[0] = {}): void {
  const t = createTestVfs(opts);
  try {
    fn(t);
  } finally {
    t.release();
  }
}

export function stat(t: TestVfs, path: string, opts: PopOptions = {}): Statx {
  return t.vfs.statAt(t.ctx, t.pop(path, opts), ALL);
}
export function nofollow(t: TestVfs, path: string): ReturnType<TestVfs["pop"]> {
  return t.pop(path, { follow: false });
}
export function mkdir(t: TestVfs, path: string, mode = 0o755, ctx = t.ctx): void {
  t.vfs.mkdirAt(ctx, nofollow(t, path), { mode });
}
export function open(t: TestVfs, path: string, flags: number, mode = 0o644, ctx = t.ctx, follow = true) {
  return t.vfs.openAt(ctx, t.pop(path, { follow }), { flags, mode });
}
export function touch(t: TestVfs, path: string, mode = 0o644): void {
  open(t, path, O_WRONLY | O_CREAT, mode).decRef(t.ctx);
}
export function symlink(t: TestVfs, target: string, path: string): void {
  t.vfs.symlinkAt(t.ctx, nofollow(t, path), target);
}
export function rename(t: TestVfs, from: string, to: string, flags = 0, ctx = t.ctx): void {
  t.vfs.renameAt(ctx, nofollow(t, from), nofollow(t, to), { flags });
}
export function names(t: TestVfs, dir: string): string[] {
  const fd = open(t, dir, O_RDONLY | O_DIRECTORY);
  const out: string[] = [];
  try {
    fd.iterDirents(t.ctx, (d) => {
      out.push(d.name);
      return true;
    });
  } finally {
    fd.decRef(t.ctx);
  }
  return out;
}

