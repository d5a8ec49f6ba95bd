import { MNT_DETACH } from "@vfskit/abi";
import type { Builder } from "@vfskit/fspath";
import { describe, expect, test } from "vitest";
import { PrependPathResult } from "./filesystem.js";
import { checkPathname } from "./pathname.js";
import { createTestVfs, type TestVfs } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import type { VirtualDentry } from "./virtual-dentry.js";

function withVfs(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

function at<T>(t: TestVfs, path: string, fn: (vd: VirtualDentry) => T): T {
  const vd = t.vfs.getDentryAt(t.ctx, t.pop(path, { follow: false }));
  try {
    return fn(vd);
  } finally {
    vd.decRef(t.ctx);
  }
}

describe("checkPathname (the system-call layer's checks)", () => {
  test("empty → ENOENT unless allowed; NUL → EINVAL; PATH_MAX counts UTF-8 bytes and the NUL", () => {
    expectErrno(() => checkPathname(""), "ENOENT");
    checkPathname("", { allowEmpty: true });
    expectErrno(() => checkPathname("a\0"), "EINVAL");
    checkPathname("a".repeat(4095));
    expectErrno(() => checkPathname("a".repeat(4096)), "ENAMETOOLONG");
    checkPathname("é".repeat(2047)); // 4094 bytes
    expectErrno(() => checkPathname("é".repeat(2048)), "ENAMETOOLONG");
  });
});

describe("pathnames", () => {
  test("pathnameWithDeleted: absolute paths across mounts, ` (deleted)` for removed files", () => {
    withVfs((t) => {
      t.mkdirp("/a/b");
      t.writeFile("/a/b/f", "x");
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.writeFile("/mnt/inner", "y");
      expect(at(t, "/a/b/f", (vd) => t.vfs.pathnameWithDeleted(t.ctx, t.root, vd))).toBe("/a/b/f");
      expect(at(t, "/mnt/inner", (vd) => t.vfs.pathnameWithDeleted(t.ctx, t.root, vd))).toBe("/mnt/inner");
      expect(at(t, "/", (vd) => t.vfs.pathnameWithDeleted(t.ctx, t.root, vd))).toBe("/");
      at(t, "/a/b/f", (vd) => {
        t.vfs.unlinkAt(t.ctx, t.pop("/a/b/f", { follow: false }));
        expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/a/b/f (deleted)");
      });
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("synthetic names are returned as they are", () => {
    withVfs((t) => {
      t.writeFile("/pipe", "");
      const impl = t.root.mount.fs.impl;
      const original = impl.prependPath.bind(impl);
      impl.prependPath = (_ctx, _root, _mount, _dentry, builder: Builder) => {
        builder.prependComponent("pipe:[12]");
        return PrependPathResult.Synthetic;
      };
      try {
        expect(at(t, "/pipe", (vd) => t.vfs.pathnameWithDeleted(t.ctx, t.root, vd))).toBe("pipe:[12]");
        expect(at(t, "/pipe", (vd) => t.vfs.pathnameReachable(t.ctx, t.root, vd))).toBe("");
      } finally {
        impl.prependPath = original;
      }
    });
  });

  test("pathnameReachable: relative to the root; \"\" outside it", () => {
    withVfs((t) => {
      t.mkdirp("/jail/in");
      t.mkdirp("/out");
      const jail = t.vfs.getDentryAt(t.ctx, t.pop("/jail"));
      try {
        expect(at(t, "/jail/in", (vd) => t.vfs.pathnameReachable(t.ctx, jail, vd))).toBe("/in");
        expect(at(t, "/out", (vd) => t.vfs.pathnameReachable(t.ctx, jail, vd))).toBe("");
        expect(at(t, "/jail", (vd) => t.vfs.pathnameReachable(t.ctx, jail, vd))).toBe("/");
      } finally {
        jail.decRef(t.ctx);
      }
    });
  });

  test("pathnameInFilesystem: from the filesystem's root, `//deleted` for removed files", () => {
    withVfs((t) => {
      t.mkdirp("/src/sub");
      t.mkdirp("/bind");
      t.vfs.bindAt(t.ctx, t.pop("/src/sub"), t.pop("/bind"));
      expect(at(t, "/bind", (vd) => t.vfs.pathnameInFilesystem(t.ctx, vd))).toBe("/src/sub");
      t.vfs.umountAt(t.ctx, t.pop("/bind"), { flags: 0 });
      t.writeFile("/gone", "");
      at(t, "/gone", (vd) => {
        t.vfs.unlinkAt(t.ctx, t.pop("/gone", { follow: false }));
        expect(t.vfs.pathnameInFilesystem(t.ctx, vd)).toBe("/gone//deleted");
      });
    });
  });

  test("pathnameForGetcwd: ENOENT for a removed directory, `(unreachable)` outside the root", () => {
    withVfs((t) => {
      t.mkdirp("/jail");
      t.mkdirp("/out/deep");
      t.mkdirp("/tmpdir");
      const jail = t.vfs.getDentryAt(t.ctx, t.pop("/jail"));
      try {
        expect(at(t, "/out/deep", (vd) => t.vfs.pathnameForGetcwd(t.ctx, t.root, vd))).toBe("/out/deep");
        expect(at(t, "/out/deep", (vd) => t.vfs.pathnameForGetcwd(t.ctx, jail, vd))).toBe("(unreachable)/out/deep");
        at(t, "/tmpdir", (vd) => {
          t.vfs.rmdirAt(t.ctx, t.pop("/tmpdir", { follow: false }));
          expectErrno(() => t.vfs.pathnameForGetcwd(t.ctx, t.root, vd), "ENOENT");
        });
      } finally {
        jail.decRef(t.ctx);
      }
    });
  });

  test("inside a lazily unmounted mount: paths from its own root, getcwd unreachable", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.mkdirp("/mnt/dir");
      at(t, "/mnt/dir", (vd) => {
        t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: MNT_DETACH });
        expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/dir");
        expect(t.vfs.pathnameReachable(t.ctx, t.root, vd)).toBe("");
        expect(t.vfs.pathnameForGetcwd(t.ctx, t.root, vd)).toBe("(unreachable)/dir");
      });
    });
  });
});
