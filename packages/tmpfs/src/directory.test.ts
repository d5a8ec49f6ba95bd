// Directories: getdents, stable offsets while entries come and go, sizes and link counts,
// and a directory of a million entries.
import { DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, O_CREAT, O_RDONLY, O_WRONLY, SEEK_CUR, SEEK_END, SEEK_SET, S_IFCHR, S_IFIFO, type Dirent } from "@vfskit/abi";
import type { FileDescription } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { createTmpfs, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

function withTmpfs(fn: (t: TmpfsTest) => void): void {
  const t = createTmpfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

/** Reads up to `max` entries (a getdents call with a small buffer). */
function getdents(t: TmpfsTest, fd: FileDescription, max: number): Dirent[] {
  const out: Dirent[] = [];
  fd.iterDirents(t.ctx, (d) => {
    if (out.length === max) return false;
    out.push(d);
    return true;
  });
  return out;
}

describe("getdents", () => {
  test("lists . and .. first, then entries in creation order with their types and inode numbers", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      t.writeFile("/d/file", "");
      t.mkdir("/d/sub");
      t.vfs.symlinkAt(t.ctx, t.pop("/d/link", { follow: false }), "file");
      t.vfs.mknodAt(t.ctx, t.pop("/d/fifo", { follow: false }), { mode: S_IFIFO | 0o644, devMajor: 0, devMinor: 0 });
      t.vfs.mknodAt(t.ctx, t.pop("/d/chr", { follow: false }), { mode: S_IFCHR | 0o644, devMajor: 1, devMinor: 3 });
      const fd = t.open("/d", O_RDONLY);
      const all = getdents(t, fd, 100);
      fd.decRef(t.ctx);
      expect(all.map((d) => [d.name, d.type])).toEqual([
        [".", DT_DIR],
        ["..", DT_DIR],
        ["file", DT_REG],
        ["sub", DT_DIR],
        ["link", DT_LNK],
        ["fifo", DT_FIFO],
        ["chr", DT_CHR],
      ]);
      expect(all[0]?.ino).toBe(t.stat("/d").ino);
      expect(all[1]?.ino).toBe(t.stat("/").ino);
      expect(all[2]?.ino).toBe(t.stat("/d/file").ino);
      // d_off of an entry is the offset of the next one: strictly increasing.
      const offs = all.map((d) => d.nextOff);
      expect([...offs].sort((a, b) => a - b)).toEqual(offs);
      // The root's ".." is itself.
      const rootFd = t.open("/", O_RDONLY);
      const [dot, dotdot] = getdents(t, rootFd, 2);
      rootFd.decRef(t.ctx);
      expect(dotdot?.ino).toBe(dot?.ino);
    }));

  test("offsets stay valid while entries are removed and added during iteration", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      for (let i = 0; i < 20; i++) t.writeFile(`/d/f${i}`, "");
      const fd = t.open("/d", O_RDONLY);
      const seen: string[] = [];
      let batch = getdents(t, fd, 7); // ., .., f0..f4
      seen.push(...batch.map((d) => d.name));
      // Remove some already seen and some not yet seen; add new ones.
      for (const n of ["f1", "f3", "f5", "f6", "f12"]) t.vfs.unlinkAt(t.ctx, t.pop(`/d/${n}`, { follow: false }));
      t.writeFile("/d/new1", "");
      while ((batch = getdents(t, fd, 4)).length > 0) {
        seen.push(...batch.map((d) => d.name));
        if (seen.includes("f10") && !seen.includes("new2") && !t.list("/d").includes("new2")) t.writeFile("/d/new2", "");
      }
      fd.decRef(t.ctx);
      const expected = [".", "..", "f0", "f1", "f2", "f3", "f4"];
      for (let i = 5; i < 20; i++) if (i !== 5 && i !== 6 && i !== 12) expected.push(`f${i}`);
      expected.push("new1", "new2");
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
    }));

  test("the entry a full buffer refused is delivered by the next call, unless removed meanwhile", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      for (const n of ["a", "b", "c"]) t.writeFile(`/d/${n}`, "");
      const fd = t.open("/d", O_RDONLY);
      expect(getdents(t, fd, 3).map((d) => d.name)).toEqual([".", "..", "a"]);
      t.vfs.unlinkAt(t.ctx, t.pop("/d/b", { follow: false })); // the pending one
      expect(getdents(t, fd, 10).map((d) => d.name)).toEqual(["c"]);
      expect(getdents(t, fd, 10)).toEqual([]);
      t.writeFile("/d/late", "");
      expect(getdents(t, fd, 10).map((d) => d.name)).toEqual(["late"]);
      fd.decRef(t.ctx);
    }));

  test("lseek to a saved offset resumes there; SEEK_SET 0 rewinds; SEEK_END is EINVAL", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      for (let i = 0; i < 10; i++) t.writeFile(`/d/e${i}`, "");
      const fd = t.open("/d", O_RDONLY);
      const first = getdents(t, fd, 5); // ., .., e0, e1, e2
      const resumeAt = first[first.length - 1]?.nextOff ?? 0;
      const rest = getdents(t, fd, 100).map((d) => d.name);
      expect(rest).toEqual(["e3", "e4", "e5", "e6", "e7", "e8", "e9"]);
      t.vfs.unlinkAt(t.ctx, t.pop("/d/e3", { follow: false }));
      expect(fd.seek(t.ctx, resumeAt, SEEK_SET)).toBe(resumeAt);
      expect(getdents(t, fd, 100).map((d) => d.name)).toEqual(["e4", "e5", "e6", "e7", "e8", "e9"]);
      expect(fd.seek(t.ctx, 0, SEEK_SET)).toBe(0);
      expect(getdents(t, fd, 3).map((d) => d.name)).toEqual([".", "..", "e0"]);
      expect(fd.seek(t.ctx, 0, SEEK_CUR)).toBeGreaterThan(2);
      expectErrno(() => fd.seek(t.ctx, 0, SEEK_END), "EINVAL");
      expectErrno(() => fd.seek(t.ctx, -1, SEEK_SET), "EINVAL");
      fd.decRef(t.ctx);
    }));

  test("a removed directory lists ENOENT; reads and writes on a directory are EISDIR", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      const fd = t.open("/d", O_RDONLY);
      expectErrno(() => fd.read(t.ctx, new Uint8Array(1)), "EISDIR");
      t.vfs.rmdirAt(t.ctx, t.pop("/d", { follow: false }));
      expectErrno(() => fd.iterDirents(t.ctx, () => true), "ENOENT");
      expect(fd.stat(t.ctx, { mask: 0, sync: 0 }).nlink).toBe(0);
      fd.decRef(t.ctx);
      t.writeFile("/f", "");
      const file = t.open("/f", O_RDONLY);
      expectErrno(() => file.iterDirents(t.ctx, () => true), "ENOTDIR");
      file.decRef(t.ctx);
    }));
});

describe("directory metadata", () => {
  test("size is 20 bytes per entry plus 40; nlink is 2 plus subdirectories; getdents updates atime", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      expect(t.stat("/d").size).toBe(40);
      t.writeFile("/d/f", "");
      t.mkdir("/d/s1");
      t.mkdir("/d/s2");
      expect(t.stat("/d").size).toBe(100);
      expect(t.stat("/d").nlink).toBe(4);
      expect(t.stat("/d").blocks).toBe(0);
      t.clock.advance(60);
      t.list("/d");
      expect(t.stat("/d").atime.sec).toBe(t.clock.sec);
      t.clock.advance(60);
      t.mkdir("/d/s3");
      const st = t.stat("/d");
      expect(st.mtime.sec).toBe(t.clock.sec);
      expect(st.ctime.sec).toBe(t.clock.sec);
    }));
});

describe("big directories", () => {
  test("a directory of 1,000,000 files is created and listed, each entry exactly once", () =>
    withTmpfs((t) => {
      const N = 1_000_000;
      t.mkdir("/big");
      const start = performance.now();
      for (let i = 0; i < N; i++) {
        t.vfs.mknodAt(t.ctx, t.pop(`/big/f${i}`, { follow: false }), { mode: 0o100644, devMajor: 0, devMinor: 0 });
      }
      const created = performance.now();
      const fd = t.open("/big", O_RDONLY);
      const seen = new Uint8Array(N);
      let count = 0;
      let calls = 0;
      // getdents with a 32 KiB buffer (about 1000 entries per call).
      for (;;) {
        let inCall = 0;
        fd.iterDirents(t.ctx, (d) => {
          if (inCall === 1000) return false;
          inCall++;
          if (d.name.charCodeAt(0) === 0x66) {
            const i = Number(d.name.slice(1));
            seen[i] = (seen[i] ?? 0) + 1;
            count++;
          }
          return true;
        });
        calls++;
        if (inCall === 0) break;
      }
      fd.decRef(t.ctx);
      const listed = performance.now();
      console.log(
        `1M files: create ${((created - start) / N * 1000).toFixed(2)} µs/file, list ${(listed - created).toFixed(0)} ms in ${calls} calls`,
      );
      expect(count).toBe(N);
      expect(seen.every((n) => n === 1)).toBe(true);
      expect(t.stat("/big").size).toBe(20 * (N + 2));
    }));

  test("creating in a directory of 10k entries and opening them works (O(1) lookups)", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      for (let i = 0; i < 10_000; i++) t.open(`/d/${i}`, O_WRONLY | O_CREAT).decRef(t.ctx);
      expect(t.stat("/d/9999").size).toBe(0);
      expect(t.list("/d").length).toBe(10_000);
    }));
});
