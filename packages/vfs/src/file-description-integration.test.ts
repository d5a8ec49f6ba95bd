// FileDescription, the O_PATH factory and DynamicBytesFileDescriptionImpl on a real VFS
// (the testfs harness), where the fake-location tests cannot reach: real mounts, real
// permission checks, real metadata through the filesystem's *At methods.
import {
  O_DIRECTORY,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  S_IFMT,
  S_IFREG,
  STATX_BASIC_STATS,
  STATX_MNT_ID,
  STATX_MODE,
  ST_RDONLY,
  TMPFS_MAGIC,
  type Statx,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { describe, expect, test } from "vitest";
import { ByteSink } from "./byte-sink.js";
import type { Context } from "./context.js";
import { FileDescription } from "./file-description.js";
import { DentryMetadataFileDescriptionImpl, DynamicBytesFileDescriptionImpl, type DynamicBytesSource } from "./file-description-impl-util.js";
import type { StatOptions } from "./options.js";
import { createTestVfs, type TestVfs } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import type { VirtualDentry } from "./virtual-dentry.js";

/** An impl like a pipe's or a device's: metadata lives with the dentry. */
class SpecialFD extends DentryMetadataFileDescriptionImpl {
  released = 0;
  release(_ctx: Context): void {
    this.released++;
  }
}

function text(s: string): Uint8Array {
  return new ByteSink().write(s).bytes().slice();
}

function withVD<T>(t: TestVfs, path: string, fn: (vd: VirtualDentry) => T): T {
  const vd = t.vfs.getDentryAt(t.ctx, t.pop(path));
  try {
    return fn(vd);
  } finally {
    vd.decRef(t.ctx);
  }
}

describe("O_PATH through VirtualFilesystem.openAt", () => {
  test("host: opens a mode-000 file the caller cannot read, and only stat and statfs work", () => {
    const t = createTestVfs();
    t.writeFile("/secret", "x", 0o000);
    const user = t.as(t.user(1000, 1000));
    expectErrno(() => t.vfs.openAt(user, t.pop("/secret"), { flags: O_RDONLY, mode: 0 }), "EACCES");
    const fd = t.vfs.openAt(user, t.pop("/secret"), { flags: O_PATH | O_NOFOLLOW | O_RDWR, mode: 0 });
    expect(fd.statusFlags()).toBe(O_PATH | O_NOFOLLOW);
    const stat = fd.stat(user, { mask: STATX_BASIC_STATS | STATX_MNT_ID, sync: 0 });
    expect(stat.mode & S_IFMT).toBe(S_IFREG);
    expect(stat.mntId).toBe(fd.mount().id);
    expect(fd.statFS(user).type).toBe(TMPFS_MAGIC);
    expectErrno(() => fd.read(user, new Uint8Array(1)), "EBADF");
    expectErrno(() => fd.setStat(user, { stat: { mask: STATX_MODE, mode: 0o644 } }), "EBADF");
    fd.decRef(t.ctx);
    t.release();
  });

  test("host: O_PATH|O_DIRECTORY on a file is ENOTDIR", () => {
    const t = createTestVfs();
    t.writeFile("/f", "x");
    expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/f"), { flags: O_PATH | O_DIRECTORY, mode: 0 }), "ENOTDIR");
    t.release();
  });
});

describe("useDentryMetadata on a real filesystem", () => {
  test("stat, setStat, statFS and xattrs are answered by the dentry's filesystem", () => {
    const t = createTestVfs();
    t.writeFile("/dev-like", "abc", 0o644);
    withVD(t, "/dev-like", (vd) => {
      const impl = new SpecialFD();
      const fd = new FileDescription();
      fd.init(t.ctx, impl, O_RDWR, vd, { useDentryMetadata: true, specialFile: true });
      expect(fd.stat(t.ctx, { mask: STATX_BASIC_STATS, sync: 0 })).toMatchObject({ size: 3, mode: S_IFREG | 0o644 });
      fd.setStat(t.ctx, { stat: { mask: STATX_MODE, mode: 0o600 } });
      expect(t.vfs.statAt(t.ctx, t.pop("/dev-like"), { mask: STATX_MODE, sync: 0 }).mode & 0o7777).toBe(0o600);
      expect(fd.statFS(t.ctx).type).toBe(TMPFS_MAGIC);
      fd.setXattr(t.ctx, { name: "user.k", value: text("v"), flags: 0 });
      expect(fd.listXattr(t.ctx, 0)).toContain("user.k");
      expect([...fd.getXattr(t.ctx, { name: "user.k", size: 0 })]).toEqual([...text("v")]);
      fd.removeXattr(t.ctx, "user.k");
      expectErrno(() => fd.getXattr(t.ctx, { name: "user.k", size: 0 }), "ENODATA");
      // The filesystem checks permissions for the caller: a stranger may not chmod.
      expectErrno(() => fd.setStat(t.as(t.user(1000, 1000)), { stat: { mask: STATX_MODE, mode: 0o666 } }), "EPERM");
      fd.decRef(t.ctx);
      expect(impl.released).toBe(1);
    });
    t.release();
  });

  test("fstatfs reports the mount's flags, as Linux does", () => {
    const t = createTestVfs();
    t.mkdirp("/ro");
    t.mountTestfs("/ro", { readOnly: true });
    withVD(t, "/ro", (vd) => {
      const fd = new FileDescription();
      fd.init(t.ctx, new SpecialFD(), O_RDONLY, vd, { useDentryMetadata: true });
      expect(fd.statFS(t.ctx).flags & ST_RDONLY).toBe(ST_RDONLY);
      fd.decRef(t.ctx);
    });
    t.vfs.umountAt(t.ctx, t.pop("/ro"), { flags: 0 });
    t.release();
  });
});

describe("write counts on real mounts", () => {
  test("host: a writable description on a read-only mount is EROFS, a special file is not", () => {
    const t = createTestVfs();
    t.mkdirp("/ro");
    t.mountTestfs("/ro", { readOnly: true });
    withVD(t, "/ro", (vd) => {
      expectErrno(() => new FileDescription().init(t.ctx, new SpecialFD(), O_WRONLY, vd), "EROFS");
      const fifo = new FileDescription();
      fifo.init(t.ctx, new SpecialFD(), O_WRONLY, vd, { useDentryMetadata: true, specialFile: true });
      expect(fifo.isWritable()).toBe(true);
      fifo.decRef(t.ctx);
    });
    t.vfs.umountAt(t.ctx, t.pop("/ro"), { flags: 0 });
    t.release();
  });

  test("an open description keeps its mount busy until its last reference goes", () => {
    const t = createTestVfs();
    t.mkdirp("/m");
    t.mountTestfs("/m");
    const fd = withVD(t, "/m", (vd) => {
      const d = new FileDescription();
      d.init(t.ctx, new SpecialFD(), O_RDONLY, vd, { useDentryMetadata: true });
      return d;
    });
    expectErrno(() => t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 }), "EBUSY");
    fd.decRef(t.ctx);
    t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    t.release();
  });
});

describe("DynamicBytesFileDescriptionImpl on a real location", () => {
  class ProcLikeFD extends DynamicBytesFileDescriptionImpl {
    release(_ctx: Context): void {}
    stat(ctx: Context, opts: StatOptions): Statx {
      const vd = this.vfsfd.vd;
      return vd.mount.vfs.statAt(ctx, { root: vd, start: vd, path: parse(""), followFinalSymlink: false }, opts);
    }
    setStat(): void {}
  }

  test("gVisor's counter test: 1, EOF, 2 after seek(0), 3 after pread(0)", () => {
    const t = createTestVfs();
    t.writeFile("/counter", "");
    let count = 0;
    const source: DynamicBytesSource = {
      generate(_ctx, buf) {
        buf.write(String(++count));
      },
    };
    withVD(t, "/counter", (vd) => {
      const fd = new FileDescription();
      fd.init(t.ctx, new ProcLikeFD(source), O_RDONLY, vd);
      const buf = new Uint8Array(8);
      expect(fd.read(t.ctx, buf)).toBe(1);
      expect(buf[0]).toBe(0x31);
      expect(fd.read(t.ctx, buf)).toBe(0);
      fd.seek(t.ctx, 0, 0);
      expect(fd.read(t.ctx, buf)).toBe(1);
      expect(buf[0]).toBe(0x32);
      expect(fd.pread(t.ctx, buf, 0)).toBe(1);
      expect(buf[0]).toBe(0x33);
      expect(fd.stat(t.ctx, { mask: STATX_BASIC_STATS, sync: 0 }).mode & S_IFMT).toBe(S_IFREG);
      fd.decRef(t.ctx);
    });
    t.release();
  });
});
