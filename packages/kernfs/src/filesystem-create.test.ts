// Every errno of kernfs's create operations and open, in Linux's order (checked against
// the host kernel where gVisor differs).
import {
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  S_IFCHR,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  STATX_INO,
  STATX_NLINK,
  STATX_TYPE,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { describe, expect, test } from "vitest";
import { makeTree, type Tree } from "./testing-fixtures/tree.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

const long = "x".repeat(256);
// 128 characters of 2 UTF-8 bytes each: 256 bytes, over NAME_MAX although only 128 units.
const longUTF8 = "é".repeat(128);

function withTree(fn: (t: Tree) => void): void {
  const t = makeTree();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

function stat(t: Tree, path: string, follow = true): { mode: number; ino: number; nlink: number } {
  return t.vfs.statAt(t.ctx, t.pathOp(path, { follow }), { mask: STATX_TYPE | STATX_INO | STATX_NLINK, sync: 0 });
}

describe("mkdirAt", () => {
  test("creates a directory; a trailing slash is allowed", () =>
    withTree((t) => {
      t.mkdir("/dir/a/");
      expect(stat(t, "/dir/a").mode & S_IFMT).toBe(0o040000);
      expect(stat(t, "/dir").nlink).toBe(3);
    }));
  test("EACCES: the parent is not searchable (checked before the name)", () =>
    withTree((t) => {
      t.mkdir("/dir/p", 0o700);
      expectErrno(() => t.mkdir("/dir/p/.", 0o755, t.userCtx), "EACCES");
    }));
  test("EEXIST: `.` and `..`", () =>
    withTree((t) => {
      expectErrno(() => t.mkdir("/dir/."), "EEXIST");
      expectErrno(() => t.mkdir("/dir/.."), "EEXIST");
    }));
  test("ENAMETOOLONG: 256 bytes, counted in UTF-8", () =>
    withTree((t) => {
      expectErrno(() => t.mkdir(`/dir/${long}`), "ENAMETOOLONG");
      expectErrno(() => t.mkdir(`/dir/${longUTF8}`), "ENAMETOOLONG");
      t.mkdir(`/dir/${"é".repeat(127)}`);
    }));
  test("EEXIST: an existing entry, even one not looked up yet", () =>
    withTree((t) => {
      expectErrno(() => t.mkdir("/dir/file"), "EEXIST");
      expectErrno(() => t.mkdir("/ro/f"), "EEXIST");
    }));
  test("EEXIST before EROFS, EROFS before EACCES (as Linux; gVisor reports EACCES)", () =>
    withTree((t) => {
      t.mkdir("/dir/closed", 0o755);
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => t.mkdir("/dir/file", 0o755, t.userCtx), "EEXIST");
      expectErrno(() => t.mkdir("/dir/closed/x", 0o755, t.userCtx), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("ENOENT: the parent directory was removed", () =>
    withTree((t) => {
      t.mkdir("/dir/gone");
      const vd = t.getDentry("/dir/gone");
      t.vfs.rmdirAt(t.ctx, t.nofollow("/dir/gone"));
      expectErrno(() => t.vfs.mkdirAt(t.ctx, { root: t.root, start: vd, path: parse("x"), followFinalSymlink: false }, { mode: 0o755 }), "ENOENT");
      vd.decRef(t.ctx);
    }));
  test("EACCES: the parent is not writable", () =>
    withTree((t) => {
      expectErrno(() => t.mkdir("/x", 0o755, t.userCtx), "EACCES");
    }));
  test("EPERM: a static directory takes no new children", () =>
    withTree((t) => {
      expectErrno(() => t.mkdir("/ro/x"), "EPERM");
    }));
  test("forSyntheticMountpoint: a directory that refuses gets a synthetic one", () =>
    withTree((t) => {
      t.vfs.makeSyntheticMountpoint(t.ctx, t.root, "/ro/mnt/deeper");
      expect(stat(t, "/ro/mnt/deeper").mode & S_IFMT).toBe(0o040000);
      // Only synthetic directories can be made inside.
      expectErrno(() => t.mkdir("/ro/mnt/plain"), "EPERM");
      expectErrno(() => t.create("/ro/mnt/file"), "EPERM");
    }));
});

describe("mknodAt and symlinkAt", () => {
  test("mknod creates a node of the given type; symlink a link", () =>
    withTree((t) => {
      t.vfs.mknodAt(t.ctx, t.nofollow("/dir/fifo"), { mode: S_IFIFO | 0o644, devMajor: 0, devMinor: 0 });
      expect(stat(t, "/dir/fifo").mode & S_IFMT).toBe(S_IFIFO);
      t.symlink("file", "/dir/link");
      expect(t.vfs.readlinkAt(t.ctx, t.nofollow("/dir/link"))).toBe("file");
      expect(t.readFile("/dir/link")).toBe("hello\n");
    }));
  test("EEXIST: `.`, `..`, an existing file or directory, a dangling symlink", () =>
    withTree((t) => {
      t.symlink("nowhere", "/dir/dangling");
      for (const path of ["/dir/.", "/dir/..", "/dir/file", "/ro", "/dir/dangling"]) {
        expectErrno(() => t.symlink("x", path), "EEXIST");
        expectErrno(() => t.vfs.mknodAt(t.ctx, t.nofollow(path), { mode: S_IFREG | 0o644, devMajor: 0, devMinor: 0 }), "EEXIST");
      }
    }));
  test("ENOENT: a trailing slash, before EROFS and EACCES (as Linux)", () =>
    withTree((t) => {
      expectErrno(() => t.symlink("x", "/dir/new/"), "ENOENT");
      expectErrno(() => t.symlink("x", "/new/", t.userCtx), "ENOENT");
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => t.symlink("x", "/dir/new/"), "ENOENT");
      expectErrno(() => t.vfs.mknodAt(t.ctx, t.nofollow("/dir/n/"), { mode: S_IFCHR | 0o600, devMajor: 1, devMinor: 3 }), "ENOENT");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("EROFS, then EACCES", () =>
    withTree((t) => {
      expectErrno(() => t.symlink("x", "/new", t.userCtx), "EACCES");
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => t.symlink("x", "/new", t.userCtx), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("EPERM: a static directory", () =>
    withTree((t) => {
      expectErrno(() => t.symlink("x", "/ro/l"), "EPERM");
    }));
});

describe("linkAt", () => {
  const link = (t: Tree, from: string, to: string, ctx = t.ctx): void => t.vfs.linkAt(ctx, t.pathOp(from, { follow: false }), t.nofollow(to));
  test("adds a name for the same inode and counts the link", () =>
    withTree((t) => {
      link(t, "/dir/file", "/dir/again");
      expect(stat(t, "/dir/again").ino).toBe(stat(t, "/dir/file").ino);
      expect(stat(t, "/dir/file").nlink).toBe(2);
    }));
  test("EEXIST: `.`/`..` and an existing name", () =>
    withTree((t) => {
      expectErrno(() => link(t, "/dir/file", "/dir/."), "EEXIST");
      expectErrno(() => link(t, "/dir/file", "/dir/.."), "EEXIST");
      expectErrno(() => link(t, "/dir/file", "/ro"), "EEXIST");
    }));
  test("ENOENT: a trailing slash on the new name", () =>
    withTree((t) => {
      expectErrno(() => link(t, "/dir/file", "/dir/new/"), "ENOENT");
    }));
  test("EROFS before EXDEV; EEXIST before EXDEV (as Linux; gVisor: EXDEV first)", () =>
    withTree((t) => {
      t.mkdir("/dir/mnt");
      t.vfs.mountAt(t.ctx, "none", t.pathOp("/dir/mnt"), "kernfs");
      expectErrno(() => link(t, "/dir/file", "/dir/mnt/dir"), "EEXIST");
      expectErrno(() => link(t, "/dir/file", "/dir/mnt/dir/new"), "EXDEV");
      t.vfs.umountAt(t.ctx, t.pathOp("/dir/mnt"), { flags: 0 });
    }));
  test("EPERM: linking a directory", () =>
    withTree((t) => {
      expectErrno(() => link(t, "/dir", "/dir/d2"), "EPERM");
    }));
  test("EPERM: protected hard links (a user may not link a file it cannot read and write)", () =>
    withTree((t) => {
      expectErrno(() => link(t, "/ro/f", "/dir/mine", t.userCtx), "EPERM");
    }));
  test("EACCES: the new parent is not writable", () =>
    withTree((t) => {
      t.chown("/dir/file", 1000, 1000);
      expectErrno(() => link(t, "/dir/file", "/new", t.userCtx), "EACCES");
    }));
});

describe("openAt without O_CREAT", () => {
  test("ENOENT, ENOTDIR (intermediate and O_DIRECTORY), ELOOP with O_NOFOLLOW", () =>
    withTree((t) => {
      t.symlink("file", "/dir/link");
      expectErrno(() => t.open("/dir/missing"), "ENOENT");
      expectErrno(() => t.open("/dir/file/x"), "ENOTDIR");
      expectErrno(() => t.open("/dir/file/"), "ENOTDIR");
      expectErrno(() => t.open("/dir/file", O_RDONLY | O_DIRECTORY), "ENOTDIR");
      expectErrno(() => t.open("/dir/link", O_RDONLY | O_NOFOLLOW), "ELOOP");
      t.open("/dir/link").decRef(t.ctx);
    }));
  test("EISDIR: a directory opened for writing or with O_TRUNC, before EACCES (as Linux)", () =>
    withTree((t) => {
      expectErrno(() => t.open("/dir", O_WRONLY), "EISDIR");
      expectErrno(() => t.open("/dir", O_RDWR), "EISDIR");
      expectErrno(() => t.open("/dir", O_RDONLY | O_TRUNC), "EISDIR");
      t.mkdir("/closed", 0o500);
      expectErrno(() => t.openAs(t.userCtx, "/closed", O_WRONLY), "EISDIR");
      expectErrno(() => t.openAs(t.userCtx, "/closed", O_RDONLY), "EACCES");
    }));
  test("EINVAL: O_DIRECT on a directory", () =>
    withTree((t) => {
      expectErrno(() => t.open("/dir", O_RDONLY | O_DIRECT), "EINVAL");
    }));
  test("EACCES: no permission; O_RDONLY|O_TRUNC needs write permission", () =>
    withTree((t) => {
      t.chmod("/dir/file", 0o604);
      t.openAs(t.userCtx, "/dir/file", O_RDONLY).decRef(t.userCtx);
      expectErrno(() => t.openAs(t.userCtx, "/dir/file", O_WRONLY), "EACCES");
      expectErrno(() => t.openAs(t.userCtx, "/dir/file", O_RDONLY | O_TRUNC), "EACCES");
    }));
  test("EROFS: O_TRUNC of a regular file on a read-only mount comes before EACCES", () =>
    withTree((t) => {
      t.chmod("/dir/file", 0o600);
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => t.openAs(t.userCtx, "/dir/file", O_RDONLY | O_TRUNC), "EROFS");
      expectErrno(() => t.open("/dir/file", O_WRONLY), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("ELOOP: a symlink pointing at itself", () =>
    withTree((t) => {
      t.symlink("self", "/dir/self");
      expectErrno(() => t.open("/dir/self"), "ELOOP");
    }));
});

describe("openAt with O_TMPFILE", () => {
  test("resolves the directory, then EROFS, then EOPNOTSUPP", () =>
    withTree((t) => {
      const tmp = (path: string): void => t.vfs.openAt(t.ctx, t.pathOp(path), { flags: O_TMPFILE | O_RDWR, mode: 0o600 }).decRef(t.ctx);
      expectErrno(() => tmp("/missing"), "ENOENT");
      expectErrno(() => tmp("/dir/file"), "ENOTDIR");
      expectErrno(() => tmp("/dir"), "EOPNOTSUPP");
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => tmp("/dir"), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
});

describe("openAt with O_CREAT", () => {
  const creat = (t: Tree, path: string, flags = 0, ctx = t.ctx): void =>
    t.vfs.openAt(ctx, t.pathOp(path), { flags: O_CREAT | O_WRONLY | flags, mode: 0o644 }).decRef(ctx);
  test("EISDIR: no components (`/`), a trailing slash, `.`/`..`, an existing directory", () =>
    withTree((t) => {
      expectErrno(() => creat(t, "/"), "EISDIR");
      expectErrno(() => creat(t, "/dir/"), "EISDIR");
      expectErrno(() => creat(t, "/dir/missing/"), "EISDIR");
      expectErrno(() => creat(t, "/dir/."), "EISDIR");
      expectErrno(() => creat(t, "/dir/.."), "EISDIR");
      expectErrno(() => t.vfs.openAt(t.ctx, t.pathOp("/dir"), { flags: O_CREAT | O_RDONLY, mode: 0 }), "EISDIR");
    }));
  test("EISDIR for an existing directory comes before EACCES (as Linux)", () =>
    withTree((t) => {
      t.mkdir("/closed", 0o000);
      expectErrno(() => t.vfs.openAt(t.userCtx, t.pathOp("/closed"), { flags: O_CREAT | O_RDONLY, mode: 0 }), "EISDIR");
    }));
  test("EEXIST: empty relative path with O_EXCL, an existing file, a symlink even dangling", () =>
    withTree((t) => {
      const dir = t.getDentry("/dir");
      expectErrno(() => t.vfs.openAt(t.ctx, { root: t.root, start: dir, path: parse(""), followFinalSymlink: true }, { flags: O_CREAT | O_EXCL, mode: 0 }), "EEXIST");
      dir.decRef(t.ctx);
      expectErrno(() => creat(t, "/dir/file", O_EXCL), "EEXIST");
      t.symlink("nowhere", "/dir/dangling");
      t.symlink("/dir/file", "/dir/abs");
      expectErrno(() => creat(t, "/dir/dangling", O_EXCL), "EEXIST");
      expectErrno(() => creat(t, "/dir/abs", O_EXCL), "EEXIST");
    }));
  test("a dangling symlink creates its target; an absolute one too", () =>
    withTree((t) => {
      t.symlink("target", "/dir/dangling");
      creat(t, "/dir/dangling");
      expect(stat(t, "/dir/target").mode & S_IFMT).toBe(S_IFREG);
      t.symlink("/dir/other", "/dir/abs");
      creat(t, "/dir/abs");
      expect(stat(t, "/dir/other").mode & S_IFMT).toBe(S_IFREG);
    }));
  test("ELOOP: O_CREAT|O_NOFOLLOW on a symlink; a link to itself", () =>
    withTree((t) => {
      t.symlink("file", "/dir/link");
      expectErrno(() => creat(t, "/dir/link", O_NOFOLLOW), "ELOOP");
      t.symlink("self", "/dir/self");
      expectErrno(() => creat(t, "/dir/self"), "ELOOP");
    }));
  test("EACCES: parent not searchable; ENAMETOOLONG; ENOENT for a missing or removed parent", () =>
    withTree((t) => {
      t.mkdir("/dir/p", 0o700);
      expectErrno(() => creat(t, "/dir/p/x", 0, t.userCtx), "EACCES");
      expectErrno(() => creat(t, `/dir/${long}`), "ENAMETOOLONG");
      expectErrno(() => creat(t, "/dir/missing/x"), "ENOENT");
      t.mkdir("/dir/gone");
      const vd = t.getDentry("/dir/gone");
      t.vfs.rmdirAt(t.ctx, t.nofollow("/dir/gone"));
      expectErrno(() => t.vfs.openAt(t.ctx, { root: t.root, start: vd, path: parse("x"), followFinalSymlink: true }, { flags: O_CREAT, mode: 0 }), "ENOENT");
      vd.decRef(t.ctx);
    }));
  test("EROFS before EACCES for a new file (as Linux); an existing file opens on a read-only mount", () =>
    withTree((t) => {
      expectErrno(() => creat(t, "/new", 0, t.userCtx), "EACCES");
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => creat(t, "/new", 0, t.userCtx), "EROFS");
      t.vfs.openAt(t.ctx, t.pathOp("/dir/file"), { flags: O_CREAT | O_RDONLY, mode: 0 }).decRef(t.ctx);
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("EPERM: a static directory refuses new files", () =>
    withTree((t) => {
      expectErrno(() => creat(t, "/ro/new"), "EPERM");
    }));
  test("the created file is marked created and opened without a permission check", () =>
    withTree((t) => {
      const fd = t.vfs.openAt(t.userCtx, t.pathOp("/dir/mine"), { flags: O_CREAT | O_RDWR, mode: 0o000 });
      expect(fd.wasCreated()).toBe(true);
      fd.decRef(t.userCtx);
      expectErrno(() => t.openAs(t.userCtx, "/dir/mine", O_RDONLY), "EACCES");
    }));
});
