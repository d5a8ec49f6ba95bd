// A VFS with a testfs root and sysfs mounted at /sys, for the tests of this package.
import { O_RDONLY, type Dirent, type Statx } from "@vfskit/abi";
import { createTestVfs, type TestVfs } from "@vfskit/vfs/testing";
import type { Context, FileDescription, Mount } from "@vfskit/vfs";
import { registerSysfs, type SysfsOptions } from "../sysfs.js";

export interface SysHarness extends TestVfs {
  readonly sysMount: Mount;
  /** Reads a whole file as text. */
  read(path: string, ctx?: Context): string;
  /** stat (follows symlinks unless `follow` is false). */
  stat(path: string, follow?: boolean, ctx?: Context): Statx;
  /** The directory's entries without `.` and `..`, names only. */
  names(path: string): string[];
  /** All dirents, `.` and `..` included. */
  dirents(path: string): Dirent[];
  open(path: string, flags?: number, ctx?: Context): FileDescription;
  readlink(path: string): string;
  userCtx(uid?: number): Context;
}

export function createSysHarness(opts: SysfsOptions = {}, data?: string): SysHarness {
  const t = createTestVfs();
  registerSysfs(t.vfs, opts);
  t.mkdirp("/sys", 0o555);
  let sysMount: Mount;
  try {
    sysMount = t.vfs.mountAt(t.ctx, "sysfs", t.pop("/sys"), "sysfs", data === undefined ? {} : { getFilesystemOptions: { data } });
  } catch (error) {
    t.release();
    throw error;
  }
  const open = (path: string, flags = O_RDONLY, ctx = t.ctx): FileDescription => t.vfs.openAt(ctx, t.pop(path), { flags, mode: 0o644 });
  const dirents = (path: string): Dirent[] => {
    const fd = open(path);
    try {
      const out: Dirent[] = [];
      fd.iterDirents(t.ctx, (d) => (out.push(d), true));
      return out;
    } finally {
      fd.decRef(t.ctx);
    }
  };
  return {
    ...t,
    sysMount,
    read(path, ctx = t.ctx) {
      const fd = open(path, O_RDONLY, ctx);
      try {
        const chunks: number[] = [];
        const buf = new Uint8Array(1024);
        for (let n = fd.read(ctx, buf); n > 0; n = fd.read(ctx, buf)) chunks.push(...buf.subarray(0, n));
        return new TextDecoder().decode(new Uint8Array(chunks));
      } finally {
        fd.decRef(ctx);
      }
    },
    stat: (path, follow = true, ctx = t.ctx) => t.vfs.statAt(ctx, t.pop(path, { follow }), { mask: 0xfff, sync: 0 }),
    names: (path) => dirents(path).map((d) => d.name).filter((n) => n !== "." && n !== ".."),
    dirents,
    open,
    readlink: (path) => t.vfs.readlinkAt(t.ctx, t.pop(path, { follow: false })),
    userCtx: (uid = 1000) => t.as(t.user(uid, uid)),
  };
}
