// GenericDirectoryFD: the offset layout (`.`=0, `..`=1, ordered entries, dynamic entries),
// resuming after a short buffer, seeking.
import { DT_DIR, DT_LNK, DT_REG, O_RDONLY, O_RDWR, SEEK_CUR, SEEK_END, SEEK_SET, type Dirent } from "@vfskit/abi";
import type { Context, IterDirentsCallback, Mount } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { SeekEnd } from "./fd-impl-util.js";
import type { Filesystem } from "./filesystem.js";
import { InodeAttrs } from "./inode-attrs.js";
import { InodeDirectory, StaticDirectory } from "./inode-impl-util.js";
import { OrderedChildren } from "./ordered-children.js";
import { StaticSymlink } from "./symlink.js";
import { createTestSystem, newTestFile, type TestSystem } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

/** A directory with two ordered entries and three dynamic ones (like /proc's pids). */
class MixedDir extends InodeDirectory {
  constructor(ctx: Context, fs: Filesystem, seekEnd: SeekEnd) {
    const children = new OrderedChildren();
    children.populate([
      ["self", new StaticSymlink(ctx, { ino: fs.nextIno(), target: "1" })],
      ["version", newTestFile(ctx, fs, "6.0\n")],
    ]);
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: 0o040555 }), { children, fdOptions: { seekEnd } });
  }
  override iterDirents(_ctx: Context, _mnt: Mount, cb: IterDirentsCallback, offset: number, relOffset: number): number {
    for (let i = relOffset; i < 3; i++) {
      if (!cb({ name: `${100 + i}`, type: DT_DIR, ino: 1000 + i, nextOff: offset + 1 })) return offset;
      offset++;
    }
    return offset;
  }
}

function system(seekEnd: SeekEnd = SeekEnd.StaticEntries): TestSystem {
  return createTestSystem((ctx, fs) => new MixedDir(ctx, fs, seekEnd));
}

function collect(sys: TestSystem, fd: ReturnType<TestSystem["open"]>, limit = Infinity): Dirent[] {
  const out: Dirent[] = [];
  fd.iterDirents(sys.ctx, (d) => {
    if (out.length >= limit) return false;
    out.push(d);
    return true;
  });
  return out;
}

describe("GenericDirectoryFD", () => {
  test("lists `.`, `..`, the ordered entries, then the dynamic ones, with their offsets", () => {
    const sys = system();
    const fd = sys.open("/");
    const all = collect(sys, fd);
    expect(all.map((d) => [d.name, d.type, d.nextOff])).toEqual([
      [".", DT_DIR, 1],
      ["..", DT_DIR, 2],
      ["self", DT_LNK, 3],
      ["version", DT_REG, 4],
      ["100", DT_DIR, 5],
      ["101", DT_DIR, 6],
      ["102", DT_DIR, 7],
    ]);
    // At the filesystem root `..` is the directory itself.
    expect(all[1]?.ino).toBe(all[0]?.ino);
    expect(collect(sys, fd)).toEqual([]);
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("a callback that stops leaves the entry for the next call", () => {
    const sys = system();
    const fd = sys.open("/");
    const names: string[] = [];
    for (let batch = collect(sys, fd, 2); batch.length > 0; batch = collect(sys, fd, 2)) names.push(...batch.map((d) => d.name));
    expect(names).toEqual([".", "..", "self", "version", "100", "101", "102"]);
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("seek: SEEK_SET rewinds, SEEK_CUR moves, SEEK_END after the ordered entries; EINVAL otherwise", () => {
    const sys = system();
    const fd = sys.open("/");
    collect(sys, fd);
    expect(fd.seek(sys.ctx, 0, SEEK_SET)).toBe(0);
    expect(collect(sys, fd, 1)[0]?.name).toBe(".");
    expect(fd.seek(sys.ctx, 3, SEEK_CUR)).toBe(4);
    expect(collect(sys, fd, 1)[0]?.name).toBe("100");
    expect(fd.seek(sys.ctx, 0, SEEK_END)).toBe(4);
    expect(fd.seek(sys.ctx, -1, SEEK_END)).toBe(3);
    expectErrno(() => fd.seek(sys.ctx, -5, SEEK_END), "EINVAL");
    expectErrno(() => fd.seek(sys.ctx, -1, SEEK_SET), "EINVAL");
    expectErrno(() => fd.seek(sys.ctx, 0, 3), "EINVAL");
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("SeekEnd.Zero puts SEEK_END at 0 (procfs)", () => {
    const sys = system(SeekEnd.Zero);
    const fd = sys.open("/");
    expect(fd.seek(sys.ctx, 0, SEEK_END)).toBe(0);
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("EISDIR for writing; `..` of a subdirectory is its parent", () => {
    const sys = createTestSystem((ctx, fs) =>
      new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children: [["sub", new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555 })]] }),
    );
    expectErrno(() => sys.open("/sub", O_RDWR), "EISDIR");
    const root = sys.listDirents("/");
    const sub = sys.listDirents("/sub");
    expect(sub.find((d) => d.name === "..")?.ino).toBe(root.find((d) => d.name === ".")?.ino);
    const fd = sys.open("/sub", O_RDONLY);
    expect(fd.stat(sys.ctx, { mask: 0x7ff, sync: 0 }).nlink).toBe(2);
    fd.decRef(sys.ctx);
    expect(sys.vfs.statAt(sys.ctx, sys.pathOp("/"), { mask: 0x7ff, sync: 0 }).nlink).toBe(3);
    sys.release();
  });
});
