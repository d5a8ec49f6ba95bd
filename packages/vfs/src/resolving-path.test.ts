import { S_IFDIR, S_IFMT, S_IFREG, STATX_INO, STATX_TYPE, type Statx } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { createTestVfs, type TestDentry, type TestVfs } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { exceedsNameMax, utf8ByteLength } from "./resolving-path.js";
import type { VirtualDentry } from "./virtual-dentry.js";

const STAT = { mask: STATX_TYPE | STATX_INO, sync: 0 };

function stat(t: TestVfs, path: string, opts: { follow?: boolean; start?: VirtualDentry; root?: VirtualDentry } = {}): Statx {
  return t.vfs.statAt(t.ctx, t.pop(path, opts), STAT);
}

function withVfs(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

describe("component walking", () => {
  test("redundant slashes and dots resolve; paths are not cleaned lexically", () => {
    withVfs((t) => {
      t.mkdirp("/a/b");
      t.writeFile("/a/b/f", "x");
      const ino = stat(t, "/a/b/f").ino;
      expect(stat(t, "//a///b//f").ino).toBe(ino);
      expect(stat(t, "/a/./b/../b/f").ino).toBe(ino);
      expect(stat(t, "a/../a/b/f").ino).toBe(ino);
      // /does_not_exist/../file: the missing directory is looked up first (§8.2 row 24).
      expectErrno(() => stat(t, "/missing/../a"), "ENOENT");
    });
  });

  test("an empty relative path addresses the start itself; `/` is the root", () => {
    withVfs((t) => {
      expect(stat(t, "").mode & S_IFMT).toBe(S_IFDIR);
      expect(stat(t, "/").ino).toBe(stat(t, "").ino);
    });
  });

  test("a non-directory in the middle is ENOTDIR, a trailing slash on a file too", () => {
    withVfs((t) => {
      t.writeFile("/file", "x");
      expectErrno(() => stat(t, "/file/x"), "ENOTDIR");
      expectErrno(() => stat(t, "/file/"), "ENOTDIR");
      expectErrno(() => stat(t, "/file/", { follow: false }), "ENOTDIR");
      expectErrno(() => stat(t, "/file/."), "ENOTDIR");
    });
  });

  test("`..` at the root stays at the root", () => {
    withVfs((t) => {
      expect(stat(t, "/../../..").ino).toBe(stat(t, "/").ino);
    });
  });
});

describe("name and path limits", () => {
  test("NAME_MAX counts UTF-8 bytes", () => {
    expect(utf8ByteLength("é")).toBe(2);
    expect(utf8ByteLength("😀")).toBe(4);
    expect(exceedsNameMax("a".repeat(255))).toBe(false);
    expect(exceedsNameMax("a".repeat(256))).toBe(true);
    expect(exceedsNameMax("é".repeat(128))).toBe(true);
    expect(exceedsNameMax("é".repeat(127))).toBe(false);
    withVfs((t) => {
      t.writeFile(`/${"a".repeat(255)}`, "ok");
      expect(stat(t, `/${"a".repeat(255)}`).mode & S_IFMT).toBe(S_IFREG);
      expectErrno(() => stat(t, `/${"a".repeat(256)}`), "ENAMETOOLONG");
      expectErrno(() => t.writeFile(`/${"a".repeat(256)}`, "x"), "ENAMETOOLONG");
      // 128 two-byte characters are 256 bytes.
      expectErrno(() => t.writeFile(`/${"é".repeat(128)}`, "x"), "ENAMETOOLONG");
      t.writeFile(`/${"é".repeat(127)}`, "x");
    });
  });

  test("PATH_MAX is 4096 bytes including the NUL", () => {
    withVfs((t) => {
      const ok = "/" + "a/".repeat(2047); // 4095 bytes
      expect(ok.length).toBe(4095);
      expectErrno(() => stat(t, ok), "ENOENT");
      expectErrno(() => stat(t, ok + "b"), "ENAMETOOLONG");
      expectErrno(() => stat(t, "/" + "é".repeat(2048)), "ENAMETOOLONG");
    });
  });

  test("a NUL in a path is EINVAL", () => {
    withVfs((t) => {
      expectErrno(() => stat(t, "/a\0b"), "EINVAL");
    });
  });
});

describe("symbolic links", () => {
  test("40 links are followed, the 41st is ELOOP", () => {
    withVfs((t) => {
      t.writeFile("/target", "x");
      t.vfs.symlinkAt(t.ctx, t.pop("/l0", { follow: false }), "target");
      for (let i = 1; i <= 41; i++) t.vfs.symlinkAt(t.ctx, t.pop(`/l${i}`, { follow: false }), `l${i - 1}`);
      // /l39 needs 40 links (l39 → … → l0 → target).
      expect(stat(t, "/l39").mode & S_IFMT).toBe(S_IFREG);
      expectErrno(() => stat(t, "/l40"), "ELOOP");
      expectErrno(() => stat(t, "/l41"), "ELOOP");
      // lstat does not follow the last one.
      expect(stat(t, "/l41", { follow: false }).mode & S_IFMT).toBe(0o120000);
    });
  });

  test("a self-loop is ELOOP; a dangling link is ENOENT; an empty target is ENOENT", () => {
    withVfs((t) => {
      t.vfs.symlinkAt(t.ctx, t.pop("/self", { follow: false }), "self");
      expectErrno(() => stat(t, "/self"), "ELOOP");
      t.vfs.symlinkAt(t.ctx, t.pop("/dangling", { follow: false }), "nowhere");
      expectErrno(() => stat(t, "/dangling"), "ENOENT");
      // Links in the middle are always followed, even with follow: false.
      expectErrno(() => stat(t, "/self/x", { follow: false }), "ELOOP");
    });
  });

  test("`..` after a symlinked directory is the physical parent", () => {
    withVfs((t) => {
      t.mkdirp("/real/dir");
      t.mkdirp("/other");
      t.writeFile("/real/marker", "r");
      t.vfs.symlinkAt(t.ctx, t.pop("/other/link", { follow: false }), "/real/dir");
      // /other/link/.. is /real, not /other.
      expect(stat(t, "/other/link/../marker").ino).toBe(stat(t, "/real/marker").ino);
      expectErrno(() => stat(t, "/other/link/../link"), "ENOENT");
    });
  });

  test("relative targets resolve from the link's directory; nested links splice", () => {
    withVfs((t) => {
      t.mkdirp("/d/e");
      t.writeFile("/d/e/f", "x");
      t.vfs.symlinkAt(t.ctx, t.pop("/d/to-e", { follow: false }), "e");
      t.vfs.symlinkAt(t.ctx, t.pop("/hop", { follow: false }), "d/to-e/../to-e");
      expect(stat(t, "/hop/f").ino).toBe(stat(t, "/d/e/f").ino);
    });
  });

  test("a trailing slash in a target makes the final file a directory", () => {
    withVfs((t) => {
      t.writeFile("/file", "x");
      t.vfs.symlinkAt(t.ctx, t.pop("/to-file-slash", { follow: false }), "file/");
      expectErrno(() => stat(t, "/to-file-slash"), "ENOTDIR");
      t.vfs.symlinkAt(t.ctx, t.pop("/to-file", { follow: false }), "file");
      expect(stat(t, "/to-file").mode & S_IFMT).toBe(S_IFREG);
      // ... and a trailing slash on the path follows the last link, never clearing it.
      expectErrno(() => stat(t, "/to-file/", { follow: false }), "ENOTDIR");
    });
  });
});

describe("contextual root (chroot)", () => {
  test("`..`, absolute symlinks and `../../..` stay inside", () => {
    withVfs((t) => {
      t.mkdirp("/jail/etc");
      t.mkdirp("/etc");
      t.writeFile("/etc/passwd", "outside");
      t.writeFile("/jail/etc/passwd", "inside");
      t.vfs.symlinkAt(t.ctx, t.pop("/jail/abs", { follow: false }), "/etc/passwd");
      t.vfs.symlinkAt(t.ctx, t.pop("/jail/up", { follow: false }), "../../../etc/passwd");
      const jail = t.vfs.getDentryAt(t.ctx, t.pop("/jail"));
      try {
        const inside = stat(t, "/jail/etc/passwd").ino;
        const opts = { root: jail };
        expect(stat(t, "/etc/passwd", opts).ino).toBe(inside);
        expect(stat(t, "/../etc/passwd", opts).ino).toBe(inside);
        expect(stat(t, "../../../etc/passwd", opts).ino).toBe(inside);
        expect(stat(t, "/abs", opts).ino).toBe(inside);
        expect(stat(t, "/up", opts).ino).toBe(inside);
      } finally {
        jail.decRef(t.ctx);
      }
    });
  });

  test("a start outside the root can still walk up (chroot only bounds walks through it)", () => {
    withVfs((t) => {
      t.mkdirp("/jail");
      t.mkdirp("/outside/deep");
      const jail = t.vfs.getDentryAt(t.ctx, t.pop("/jail"));
      const deep = t.vfs.getDentryAt(t.ctx, t.pop("/outside/deep"));
      try {
        expect(stat(t, "../..", { root: jail, start: deep }).ino).toBe(stat(t, "/").ino);
      } finally {
        deep.decRef(t.ctx);
        jail.decRef(t.ctx);
      }
    });
  });
});

describe("mount crossings", () => {
  test("walks enter mounts, and `..` at a mount root continues in the parent mount", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.writeFile("/beside", "x");
      t.mountTestfs("/mnt");
      t.mkdirp("/mnt/inner");
      expect(stat(t, "/mnt/inner").mode & S_IFMT).toBe(S_IFDIR);
      expect(stat(t, "/mnt/inner/../../beside").ino).toBe(stat(t, "/beside").ino);
      expect(stat(t, "/mnt/..").ino).toBe(stat(t, "/").ino);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("`..` at a bind-mount root goes to the bind's mount point, not the source's parent", () => {
    withVfs((t) => {
      t.mkdirp("/src/sub");
      t.mkdirp("/place/target");
      t.writeFile("/place/here", "p");
      t.writeFile("/src/there", "s");
      t.vfs.bindAt(t.ctx, t.pop("/src/sub"), t.pop("/place/target"));
      expect(stat(t, "/place/target/../here").ino).toBe(stat(t, "/place/here").ino);
      expectErrno(() => stat(t, "/place/target/../there"), "ENOENT");
      t.vfs.umountAt(t.ctx, t.pop("/place/target"), { flags: 0 });
    });
  });

  test("absolute symlinks inside a mount restart at the root", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.writeFile("/top", "x");
      t.mountTestfs("/mnt");
      t.vfs.symlinkAt(t.ctx, t.pop("/mnt/up", { follow: false }), "/top");
      expect(stat(t, "/mnt/up").ino).toBe(stat(t, "/top").ino);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });
});

describe("magic links (handleJump)", () => {
  function magic(t: TestVfs, path: string, target: VirtualDentry): void {
    t.vfs.symlinkAt(t.ctx, t.pop(path, { follow: false }), "ignored-text");
    const vd = t.vfs.getDentryAt(t.ctx, t.pop(path, { follow: false }));
    try {
      (vd.dentry.impl as TestDentry).inode.jump = () => target;
    } finally {
      vd.decRef(t.ctx);
    }
  }

  test("a jump restarts at the target, even on the same mount, and counts toward the 40 links", () => {
    withVfs((t) => {
      t.mkdirp("/far/away");
      t.writeFile("/far/away/f", "x");
      const target = t.vfs.getDentryAt(t.ctx, t.pop("/far/away"));
      try {
        magic(t, "/fd", target);
        expect(stat(t, "/fd/f").ino).toBe(stat(t, "/far/away/f").ino);
        expect(stat(t, "/fd").ino).toBe(stat(t, "/far/away").ino);
        expect(t.vfs.readlinkAt(t.ctx, t.pop("/fd", { follow: false }))).toBe("ignored-text");
        // 39 ordinary links to the magic link: 40 traversals in all.
        t.vfs.symlinkAt(t.ctx, t.pop("/j0", { follow: false }), "fd");
        for (let i = 1; i <= 39; i++) t.vfs.symlinkAt(t.ctx, t.pop(`/j${i}`, { follow: false }), `j${i - 1}`);
        expect(stat(t, "/j38/f").ino).toBe(stat(t, "/far/away/f").ino);
        expectErrno(() => stat(t, "/j39/f"), "ELOOP");
      } finally {
        target.decRef(t.ctx);
      }
    });
  });
});

describe("ResolvingPath for filesystems", () => {
  test("getComponents peeks without consuming; final() is false inside a symlink expansion", () => {
    withVfs((t) => {
      t.mkdirp("/a/b");
      t.vfs.symlinkAt(t.ctx, t.pop("/link", { follow: false }), "a/b");
      const impl = t.root.mount.fs.impl;
      const original = impl.statAt.bind(impl);
      const seen: string[][] = [];
      const finals: boolean[] = [];
      impl.statAt = (ctx, rp, opts) => {
        const all: string[] = [];
        rp.getComponents(false, (c) => {
          all.push(c);
          return true;
        });
        const allButLast: string[] = [];
        rp.getComponents(true, (c) => {
          allButLast.push(c);
          return true;
        });
        seen.push(all, allButLast);
        if (!rp.done()) finals.push(rp.final());
        return original(ctx, rp, opts);
      };
      try {
        stat(t, "/a/./b");
      } finally {
        impl.statAt = original;
      }
      expect(seen).toEqual([
        ["a", ".", "b"],
        ["a", "."],
      ]);
      expect(finals).toEqual([false]);
    });
  });
});

describe("ResolvingPath.copy", () => {
  test("a copy walks independently and releases what it holds", () => {
    withVfs((t) => {
      t.mkdirp("/mnt/x");
      t.mountTestfs("/mnt");
      t.mkdirp("/mnt/inner");
      const impl = t.root.mount.fs.impl;
      const original = impl.statAt.bind(impl);
      let copied: string[] = [];
      impl.statAt = (ctx, rp, opts) => {
        const copy = rp.copy();
        try {
          const names: string[] = [];
          while (!copy.done()) {
            names.push(copy.component());
            copy.advance();
          }
          copied = names;
        } finally {
          copy.release(ctx);
        }
        return original(ctx, rp, opts);
      };
      try {
        expect(stat(t, "/mnt/inner").mode & S_IFMT).toBe(S_IFDIR);
      } finally {
        impl.statAt = original;
      }
      expect(copied).toEqual(["mnt", "inner"]);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });
});
