// Anonymous device minors (Linux's get_anon_bdev / free_anon_bdev; gVisor's
// GetAnonBlockDevMinor / PutAnonBlockDevMinor).
import { STATX_TYPE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { ANON_BLOCK_DEV_MINOR_MAX, AnonBlockDevMinorAllocator } from "./device.js";
import { InternalError } from "./assert.js";
import { createTestVfs, expectErrno } from "./testing/index.js";

describe("anonymous device minors", () => {
  test("start at 1, count up, and the lowest freed number is reused first (Linux's IDA)", () => {
    const a = new AnonBlockDevMinorAllocator();
    expect([a.get(), a.get(), a.get(), a.get()]).toEqual([1, 2, 3, 4]);
    a.put(3);
    a.put(2);
    expect(a.get()).toBe(2);
    expect(a.get()).toBe(3);
    expect(a.get()).toBe(5);
    expect(a.size).toBe(5);
    expect(() => a.put(42)).toThrow(InternalError);
    a.put(1);
    expect(() => a.put(1)).toThrow(InternalError);
  });

  test("exhausted → EMFILE; a freed number makes room again", () => {
    const a = new AnonBlockDevMinorAllocator(3);
    expect([a.get(), a.get(), a.get()]).toEqual([1, 2, 3]);
    expectErrno(() => a.get(), "EMFILE");
    a.put(2);
    expect(a.get()).toBe(2);
    expectErrno(() => a.get(), "EMFILE");
  });

  test("the VFS hands out 1 … 2^20 − 1 (Linux's MINORBITS range), then EMFILE", () => {
    const t = createTestVfs();
    try {
      const first = t.vfs.getAnonBlockDevMinor();
      // The root testfs took 1.
      expect(first).toBe(2);
      let last = first;
      for (let i = first + 1; i <= ANON_BLOCK_DEV_MINOR_MAX; i++) last = t.vfs.getAnonBlockDevMinor();
      expect(last).toBe(0xf_ffff);
      expectErrno(() => t.vfs.getAnonBlockDevMinor(), "EMFILE");
      // A mount needs a number too.
      t.mkdirp("/mnt");
      expectErrno(() => t.mountTestfs("/mnt"), "EMFILE");
      t.vfs.putAnonBlockDevMinor(1234);
      const mount = t.mountTestfs("/mnt");
      expect(t.vfs.statAt(t.ctx, t.pop("/mnt"), { mask: STATX_TYPE, sync: 0 }).devMinor).toBe(1234);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
      expect(mount.isUmounted()).toBe(true);
      // The testfs gave 1234 back when it was released.
      for (let i = 2; i <= ANON_BLOCK_DEV_MINOR_MAX; i++) if (i !== 1234) t.vfs.putAnonBlockDevMinor(i);
    } finally {
      t.release();
    }
  });

  test("filesystems of one VFS get distinct numbers; a released one's number is reused", () => {
    const t = createTestVfs();
    try {
      const stat = (path: string): number => t.vfs.statAt(t.ctx, t.pop(path), { mask: STATX_TYPE, sync: 0 }).devMinor;
      t.mkdirp("/a");
      t.mkdirp("/b");
      t.mountTestfs("/a");
      t.mountTestfs("/b");
      expect([stat("/"), stat("/a"), stat("/b")]).toEqual([1, 2, 3]);
      t.vfs.umountAt(t.ctx, t.pop("/a"), { flags: 0 });
      t.mountTestfs("/a");
      expect(stat("/a")).toBe(2);
      t.vfs.umountAt(t.ctx, t.pop("/a"), { flags: 0 });
      t.vfs.umountAt(t.ctx, t.pop("/b"), { flags: 0 });
    } finally {
      t.release();
    }
  });
});
