// /proc/[pid]/mounts and mountinfo. The expected text follows what Linux 6.18 printed
// for the same tree of tmpfs mounts (device numbers and IDs differ).
import { MS_UNBINDABLE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { mangleMountPath } from "./mount-text.js";
import { createTestVfs, type TestVfs } from "./testing/index.js";

function withTree(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    t.mkdirp("/src/sub");
    t.mkdirp("/bind");
    t.mkdirp("/ro");
    t.mkdirp("/with space");
    t.vfs.bindAt(t.ctx, t.pop("/src/sub"), t.pop("/bind"));
    t.vfs.mountAt(t.ctx, "rofs", t.pop("/ro"), "testfs", { readOnly: true, flags: { noExec: true, noSUID: true } });
    t.vfs.mountAt(t.ctx, "sp ace", t.pop("/with space"), "testfs", { flags: { noATime: true } });
    t.vfs.mountAt(t.ctx, "s2", t.pop("/ro"), "testfs", { getFilesystemOptions: { data: "size=1k" } });
    fn(t);
    for (const path of ["/ro", "/ro", "/with space", "/bind"]) t.vfs.umountAt(t.ctx, t.pop(path), { flags: 0 });
  } finally {
    t.release();
  }
}

describe("mount text", () => {
  test("mountinfo for a tree of five mounts: root, bind, read-only, space in the path, stacked", () => {
    withTree((t) => {
      expect(t.vfs.generateProcMountInfo(t.ctx, t.root)).toBe(
        [
          "1 1 0:1 / / rw,relatime - testfs none rw",
          "2 1 0:1 /src/sub /bind rw,relatime - testfs none rw",
          "3 1 0:2 / /ro ro,nosuid,noexec,relatime - testfs rofs ro",
          "4 1 0:3 / /with\\040space rw,noatime - testfs sp\\040ace rw",
          "5 3 0:4 / /ro rw,relatime - testfs s2 rw,size=1k",
          "",
        ].join("\n"),
      );
    });
  });

  test("/proc/mounts for the same tree", () => {
    withTree((t) => {
      expect(t.vfs.generateProcMounts(t.ctx, t.root)).toBe(
        [
          "none / testfs rw,relatime 0 0",
          "none /bind testfs rw,relatime 0 0",
          "rofs /ro testfs ro,nosuid,noexec,relatime 0 0",
          "sp\\040ace /with\\040space testfs rw,noatime 0 0",
          "s2 /ro testfs rw,relatime,size=1k 0 0",
          "",
        ].join("\n"),
      );
    });
  });

  test("mounts not reachable from the task's root are skipped; paths are relative to it", () => {
    withTree((t) => {
      const src = t.vfs.getDentryAt(t.ctx, t.pop("/src"));
      const top = t.vfs.getDentryAt(t.ctx, t.pop("/ro"));
      try {
        expect(t.vfs.generateProcMountInfo(t.ctx, src)).toBe("");
        expect(t.vfs.generateProcMounts(t.ctx, top)).toBe("s2 / testfs rw,relatime,size=1k 0 0\n");
      } finally {
        top.decRef(t.ctx);
        src.decRef(t.ctx);
      }
    });
  });

  test("a per-mount read-only bind shows ro in the mount options but rw for the filesystem", () => {
    const t = createTestVfs();
    try {
      t.mkdirp("/view");
      t.vfs.bindAt(t.ctx, t.pop("/"), t.pop("/view"));
      t.vfs.remountAt(t.ctx, t.pop("/view"), { readOnly: true, flags: { noDev: true } });
      expect(t.vfs.generateProcMountInfo(t.ctx, t.root).split("\n")[1]).toBe("2 1 0:1 / /view ro,nodev,relatime - testfs none rw");
      expect(t.vfs.generateProcMounts(t.ctx, t.root).split("\n")[1]).toBe("none /view testfs ro,nodev,relatime 0 0");
      t.vfs.umountAt(t.ctx, t.pop("/view"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("an unbindable mount carries the `unbindable` tag", () => {
    const t = createTestVfs();
    try {
      t.mkdirp("/u");
      t.mountTestfs("/u");
      t.vfs.setMountPropagationAt(t.ctx, t.pop("/u"), MS_UNBINDABLE);
      expect(t.vfs.generateProcMountInfo(t.ctx, t.root).split("\n")[1]).toBe("2 1 0:2 / /u rw,relatime unbindable - testfs none rw");
      t.vfs.umountAt(t.ctx, t.pop("/u"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("mangleMountPath escapes space, tab, newline and backslash", () => {
    expect(mangleMountPath("a b\tc\nd\\e")).toBe("a\\040b\\011c\\012d\\134e");
    expect(mangleMountPath("plain/path")).toBe("plain/path");
  });
});
