// Regular files: data, holes, truncation, lseek, fallocate, limits, timestamps and the
// privileges a write drops. Expected values were checked on Linux 6.18 (tmpfs).
import {
  O_APPEND,
  O_CREAT,
  O_NOATIME,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  SEEK_CUR,
  SEEK_DATA,
  SEEK_END,
  SEEK_HOLE,
  SEEK_SET,
  STATX_SIZE,
  S_IFREG,
} from "@vfskit/abi";
import { FileSizeLimitKey, withValue, type FileDescription } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { bytes, createTmpfs, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

const MiB = 1 << 20;
const FALLOC_FL_KEEP_SIZE = 1;
const FALLOC_FL_PUNCH_HOLE = 2;

function withFile(fn: (t: TmpfsTest, fd: FileDescription) => void, data?: string): void {
  const t = createTmpfs(data === undefined ? {} : { data });
  const fd = t.open("/f", O_RDWR | O_CREAT, 0o644);
  try {
    fn(t, fd);
  } finally {
    fd.decRef(t.ctx);
    t.release();
  }
}

function size(t: TmpfsTest, fd: FileDescription): number {
  return fd.stat(t.ctx, { mask: STATX_SIZE, sync: 0 }).size;
}

function blocks(t: TmpfsTest, fd: FileDescription): number {
  return fd.stat(t.ctx, { mask: STATX_SIZE, sync: 0 }).blocks;
}

function readAt(t: TmpfsTest, fd: FileDescription, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  const n = fd.pread(t.ctx, buf, offset);
  return buf.subarray(0, n);
}

describe("file data", () => {
  test("a write at 1 MiB makes a sparse file: size, zeros in the hole, one page of blocks", () =>
    withFile((t, fd) => {
      expect(fd.pwrite(t.ctx, bytes("x"), MiB)).toBe(1);
      expect(size(t, fd)).toBe(MiB + 1);
      expect(blocks(t, fd)).toBe(8);
      const hole = readAt(t, fd, 0, MiB);
      expect(hole.length).toBe(MiB);
      expect(hole.every((b) => b === 0)).toBe(true);
      expect(readAt(t, fd, MiB - 2, 10)).toEqual(new Uint8Array([0, 0, 0x78]));
      expect(readAt(t, fd, MiB + 1, 10).length).toBe(0);
    }));

  test("writes across chunk boundaries, small files and appends read back exactly", () =>
    withFile((t, fd) => {
      const data = new Uint8Array(300_000);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
      // Append in odd-sized pieces.
      for (let at = 0; at < data.length; at += 12_345) fd.write(t.ctx, data.subarray(at, Math.min(data.length, at + 12_345)));
      expect(size(t, fd)).toBe(data.length);
      expect(readAt(t, fd, 0, data.length)).toEqual(data);
      expect(readAt(t, fd, 65_530, 20)).toEqual(data.subarray(65_530, 65_550));
      expect(blocks(t, fd)).toBe(Math.ceil(data.length / 4096) * 8);
      // Overwrite in the middle, across the 128 KiB boundary.
      fd.pwrite(t.ctx, new Uint8Array(100).fill(0xee), 131_000);
      data.fill(0xee, 131_000, 131_100);
      expect(readAt(t, fd, 0, data.length)).toEqual(data);
    }));

  test("read and write move the offset; lseek SET/CUR/END and its errors", () =>
    withFile((t, fd) => {
      fd.write(t.ctx, bytes("hello world"));
      expect(fd.seek(t.ctx, 0, SEEK_CUR)).toBe(11);
      expect(fd.seek(t.ctx, 6, SEEK_SET)).toBe(6);
      const buf = new Uint8Array(5);
      expect(fd.read(t.ctx, buf)).toBe(5);
      expect(new TextDecoder().decode(buf)).toBe("world");
      expect(fd.read(t.ctx, buf)).toBe(0);
      expect(fd.seek(t.ctx, -5, SEEK_END)).toBe(6);
      expect(fd.seek(t.ctx, 5, SEEK_END)).toBe(16);
      expectErrno(() => fd.seek(t.ctx, -1, SEEK_SET), "EINVAL");
      expectErrno(() => fd.seek(t.ctx, 0, 7), "EINVAL");
      expectErrno(() => fd.pread(t.ctx, buf, -1), "EINVAL");
      expectErrno(() => fd.pwrite(t.ctx, buf, -1), "EINVAL");
    }));

  test("SEEK_DATA and SEEK_HOLE work on pages, as Linux's tmpfs", () =>
    withFile((t, fd) => {
      fd.pwrite(t.ctx, bytes("x"), MiB);
      expect(fd.seek(t.ctx, 0, SEEK_DATA)).toBe(MiB);
      expect(fd.seek(t.ctx, 0, SEEK_HOLE)).toBe(0);
      expect(fd.seek(t.ctx, MiB, SEEK_HOLE)).toBe(MiB + 1);
      expectErrno(() => fd.seek(t.ctx, MiB + 1, SEEK_DATA), "ENXIO");
      expectErrno(() => fd.seek(t.ctx, MiB + 5, SEEK_HOLE), "ENXIO");
      expectErrno(() => fd.seek(t.ctx, -1, SEEK_DATA), "ENXIO");
      fd.pwrite(t.ctx, new Uint8Array(5000).fill(1), 100);
      expect(fd.seek(t.ctx, 0, SEEK_DATA)).toBe(0);
      expect(fd.seek(t.ctx, 0, SEEK_HOLE)).toBe(8192);
      expect(fd.seek(t.ctx, 8192, SEEK_DATA)).toBe(MiB);
      expect(fd.seek(t.ctx, 50, SEEK_DATA)).toBe(50);
    }));

  test("truncate down discards data; growing again reads zeros; blocks follow", () =>
    withFile((t, fd) => {
      fd.write(t.ctx, new Uint8Array(200_000).fill(9));
      fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 70_000 } });
      expect(size(t, fd)).toBe(70_000);
      expect(blocks(t, fd)).toBe(Math.ceil(70_000 / 4096) * 8);
      fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 150_000 } });
      expect(blocks(t, fd)).toBe(Math.ceil(70_000 / 4096) * 8);
      const back = readAt(t, fd, 69_990, 20);
      expect(Array.from(back)).toEqual([...new Array<number>(10).fill(9), ...new Array<number>(10).fill(0)]);
      expect(readAt(t, fd, 70_000, 80_000).every((b) => b === 0)).toBe(true);
      fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 0 } });
      expect(blocks(t, fd)).toBe(0);
      // truncate by path
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_SIZE, size: 3 } });
      expect(size(t, fd)).toBe(3);
      expect(readAt(t, fd, 0, 3)).toEqual(new Uint8Array(3));
    }));

  test("ftruncate: EINVAL for a negative size, a read-only description or a directory; truncate: EISDIR/EINVAL", () =>
    withFile((t, fd) => {
      expectErrno(() => fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: -1 } }), "EINVAL");
      const ro = t.open("/f", O_RDONLY);
      expectErrno(() => ro.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 0 } }), "EINVAL");
      ro.decRef(t.ctx);
      t.mkdir("/d");
      const dir = t.open("/d", O_RDONLY);
      expectErrno(() => dir.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 0 } }), "EINVAL");
      dir.decRef(t.ctx);
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/d"), { stat: { mask: STATX_SIZE, size: 0 } }), "EISDIR");
      t.vfs.mknodAt(t.ctx, t.pop("/fifo", { follow: false }), { mode: 0o10644, devMajor: 0, devMinor: 0 });
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/fifo"), { stat: { mask: STATX_SIZE, size: 0 } }), "EINVAL");
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_SIZE, size: 2 ** 48 } }), "EFBIG");
      const u = t.asUser(1000, 1000);
      expectErrno(() => t.vfs.setStatAt(u, t.pop("/f"), { stat: { mask: STATX_SIZE, size: 0 }, needWritePerm: true }), "EACCES");
    }));

  test("fallocate: mode 0 extends and allocates, KEEP_SIZE allocates, PUNCH_HOLE frees whole pages", () =>
    withFile((t, fd) => {
      fd.allocate(t.ctx, 0, 0, 8192);
      expect([size(t, fd), blocks(t, fd)]).toEqual([8192, 16]);
      fd.allocate(t.ctx, FALLOC_FL_KEEP_SIZE, 0, 65536);
      expect([size(t, fd), blocks(t, fd)]).toEqual([8192, 128]);
      fd.allocate(t.ctx, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, 4096);
      expect(blocks(t, fd)).toBe(120);
      fd.pwrite(t.ctx, new Uint8Array(10_000).fill(0x61), 0);
      fd.allocate(t.ctx, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 100, 5000);
      expect(blocks(t, fd)).toBe(128); // only partial pages: zeroed, not freed
      expect(Array.from(readAt(t, fd, 95, 10))).toEqual([0x61, 0x61, 0x61, 0x61, 0x61, 0, 0, 0, 0, 0]);
      expect(Array.from(readAt(t, fd, 5095, 10))).toEqual([0, 0, 0, 0, 0, 0x61, 0x61, 0x61, 0x61, 0x61]);
      expectErrno(() => fd.allocate(t.ctx, FALLOC_FL_PUNCH_HOLE, 0, 4096), "EOPNOTSUPP");
      expectErrno(() => fd.allocate(t.ctx, 8, 0, 4096), "EOPNOTSUPP");
      expectErrno(() => fd.allocate(t.ctx, 0, -1, 4096), "EINVAL");
      expectErrno(() => fd.allocate(t.ctx, 0, 0, 0), "EINVAL");
      const ro = t.open("/f", O_RDONLY);
      expectErrno(() => ro.allocate(t.ctx, 0, 0, 1), "EBADF");
      ro.decRef(t.ctx);
    }));

  test("O_APPEND: writes go to the end; pwrite too; the offset follows", () =>
    withFile((t, fd) => {
      fd.write(t.ctx, bytes("0123456789"));
      const app = t.open("/f", O_WRONLY | O_APPEND);
      app.pwrite(t.ctx, bytes("Z"), 0);
      expect(app.seek(t.ctx, 0, SEEK_CUR)).toBe(0);
      app.write(t.ctx, bytes("Q"));
      expect(app.seek(t.ctx, 0, SEEK_CUR)).toBe(12);
      app.decRef(t.ctx);
      expect(new TextDecoder().decode(readAt(t, fd, 0, 20))).toBe("0123456789ZQ");
    }));

  test("the file-size limit: EFBIG at the limit, short writes below it", () =>
    withFile((t, fd) => {
      const limited = withValue(t.ctx, FileSizeLimitKey, 10);
      expect(fd.pwrite(limited, new Uint8Array(8), 5)).toBe(5);
      expectErrno(() => fd.pwrite(limited, new Uint8Array(1), 10), "EFBIG");
      expectErrno(() => fd.allocate(limited, 0, 0, 11), "EFBIG");
      expectErrno(() => fd.pwrite(t.ctx, new Uint8Array(1), 2 ** 47), "EFBIG");
      // A zero-length write checks nothing and changes nothing.
      expect(fd.pwrite(limited, new Uint8Array(0), 100)).toBe(0);
    }));
});

describe("size= limit", () => {
  test("writes stop at the limit (short write, then ENOSPC); truncation frees pages", () =>
    withFile((t, fd) => {
      expect(fd.write(t.ctx, new Uint8Array(70_000))).toBe(65_536);
      expectErrno(() => fd.write(t.ctx, new Uint8Array(10)), "ENOSPC");
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).bfree).toBe(0);
      expect(blocks(t, fd)).toBe(128);
      // Growing the size allocates nothing; writing into the hole does.
      fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: MiB } });
      expectErrno(() => fd.pwrite(t.ctx, bytes("x"), MiB), "ENOSPC");
      fd.setStat(t.ctx, { stat: { mask: STATX_SIZE, size: 0 } });
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).bfree).toBe(16);
      // fallocate is all or nothing.
      expectErrno(() => fd.allocate(t.ctx, 0, 0, 100_000), "ENOSPC");
      expect(size(t, fd)).toBe(0);
      fd.allocate(t.ctx, 0, 0, 32_768);
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).bfree).toBe(8);
      // A long symlink target takes a page too.
      t.vfs.symlinkAt(t.ctx, t.pop("/long", { follow: false }), "y".repeat(200));
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).bfree).toBe(7);
    }, "size=64k"));

  test("pages come back when an unlinked file's last description closes", () =>
    withFile((t, fd) => {
      fd.write(t.ctx, new Uint8Array(8192));
      t.vfs.unlinkAt(t.ctx, t.pop("/f", { follow: false }));
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).bfree).toBe(14);
      const other = t.open("/g", O_RDWR | O_CREAT);
      expect(other.write(t.ctx, new Uint8Array(64 * 1024))).toBe(56 * 1024);
      other.decRef(t.ctx);
    }, "size=64k"));
});

describe("timestamps and privileges", () => {
  test("a write sets mtime and ctime; a read sets atime under relatime rules; O_NOATIME does not", () =>
    withFile((t, fd) => {
      const stat = (): ReturnType<FileDescription["stat"]> => fd.stat(t.ctx, { mask: 0, sync: 0 });
      const created = stat();
      expect(created.btime).toEqual(created.mtime);
      t.clock.advance(10);
      fd.write(t.ctx, bytes("data"));
      const written = stat();
      expect(written.mtime.sec).toBe(created.mtime.sec + 10);
      expect(written.ctime.sec).toBe(created.ctime.sec + 10);
      expect(written.atime.sec).toBe(created.atime.sec);
      expect(written.btime).toEqual(created.btime);
      // atime <= mtime: the read updates it.
      t.clock.advance(10);
      fd.pread(t.ctx, new Uint8Array(4), 0);
      const read1 = stat();
      expect(read1.atime.sec).toBe(written.mtime.sec + 10);
      // atime newer than mtime and ctime, less than a day old: left alone.
      t.clock.advance(10);
      fd.pread(t.ctx, new Uint8Array(4), 0);
      expect(stat().atime).toEqual(read1.atime);
      // A day later: updated again.
      t.clock.advance(24 * 3600);
      fd.pread(t.ctx, new Uint8Array(4), 0);
      expect(stat().atime.sec).toBe(t.clock.sec);
      // O_NOATIME: never.
      t.clock.advance(2 * 24 * 3600);
      const noatime = t.open("/f", O_RDONLY | O_NOATIME);
      noatime.read(t.ctx, new Uint8Array(4));
      noatime.decRef(t.ctx);
      expect(stat().atime.sec).not.toBe(t.clock.sec);
      // An empty write changes nothing.
      const before = stat();
      t.clock.advance(1);
      fd.write(t.ctx, new Uint8Array(0));
      expect(stat().mtime).toEqual(before.mtime);
    }));

  test("a noatime mount never updates atime", () => {
    const t = createTmpfs();
    try {
      t.mkdir("/m");
      t.mountTmpfs("/m", undefined, { flags: { noATime: true } });
      t.writeFile("/m/f", "x");
      const before = t.stat("/m/f").atime;
      t.clock.advance(3 * 24 * 3600);
      t.readFile("/m/f");
      expect(t.stat("/m/f").atime).toEqual(before);
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("a write by someone without CAP_FSETID clears setuid and group-executable setgid; root's does not", () =>
    withFile((t, fd) => {
      t.writeFile("/pub", "", 0o666);
      t.vfs.setStatAt(t.ctx, t.pop("/pub"), { stat: { mask: 0x2, mode: 0o6777 } });
      const asRoot = t.open("/pub", O_WRONLY);
      asRoot.write(t.ctx, bytes("root"));
      asRoot.decRef(t.ctx);
      expect(t.stat("/pub").mode).toBe(S_IFREG | 0o6777);
      const u = t.asUser(1000, 1000);
      const w = t.open("/pub", O_WRONLY, 0, u);
      w.write(u, bytes("user"));
      w.decRef(u);
      expect(t.stat("/pub").mode).toBe(S_IFREG | 0o777);
      // Setgid without group-execute (mandatory locking) stays when the writer is in the group.
      t.vfs.setStatAt(t.ctx, t.pop("/pub"), { stat: { mask: 0x2, mode: 0o2666 } });
      t.vfs.setStatAt(t.ctx, t.pop("/pub"), { stat: { mask: 0x10, gid: 1000 } });
      const w2 = t.open("/pub", O_WRONLY, 0, u);
      w2.write(u, bytes("again"));
      w2.decRef(u);
      expect(t.stat("/pub").mode).toBe(S_IFREG | 0o2666);
      expect(size(t, fd)).toBe(0);
    }));
});
