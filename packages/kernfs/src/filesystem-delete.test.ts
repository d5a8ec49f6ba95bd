// Every errno of kernfs's rmdir, unlink and rename, in Linux's order (checked against the
// host kernel where gVisor differs).
import { O_RDONLY, RENAME_EXCHANGE, RENAME_NOREPLACE, STATX_INO, STATX_NLINK, STATX_TYPE } from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { describe, expect, test } from "vitest";
import type { Dentry } from "./kernfs.js";
import { makeTree, type Tree } from "./testing-fixtures/tree.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

function withTree(fn: (t: Tree) => void): void {
  const t = makeTree();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

const rmdir = (t: Tree, path: string, ctx = t.ctx): void => t.vfs.rmdirAt(ctx, t.nofollow(path));
const unlink = (t: Tree, path: string, ctx = t.ctx): void => t.vfs.unlinkAt(ctx, t.nofollow(path));
const rename = (t: Tree, from: string, to: string, flags = 0, ctx = t.ctx): void =>
  t.vfs.renameAt(ctx, t.nofollow(from), t.nofollow(to), { flags });
const exists = (t: Tree, path: string): boolean =>
  t.vfs.tryStatAt(t.ctx, t.pathOp(path, { follow: false }), { mask: STATX_TYPE, sync: 0 }) !== undefined;
const ino = (t: Tree, path: string): number => t.vfs.statAt(t.ctx, t.pathOp(path), { mask: STATX_INO, sync: 0 }).ino;

/** Mounts another kernfs instance on `path` (which must exist). */
function mountOn(t: Tree, path: string): void {
  t.vfs.mountAt(t.ctx, "none", t.pathOp(path), "kernfs");
}

describe("rmdirAt", () => {
  test("removes an empty directory and updates the parent's link count", () =>
    withTree((t) => {
      t.mkdir("/dir/d");
      rmdir(t, "/dir/d/");
      expect(exists(t, "/dir/d")).toBe(false);
      expect(t.vfs.statAt(t.ctx, t.pathOp("/dir"), { mask: STATX_NLINK, sync: 0 }).nlink).toBe(2);
    }));
  test("EACCES: the parent is not searchable, even for `.`", () =>
    withTree((t) => {
      t.mkdir("/dir/p", 0o700);
      expectErrno(() => rmdir(t, "/dir/p/.", t.userCtx), "EACCES");
    }));
  test("EINVAL for `.` and ENOTEMPTY for `..`, before EROFS (as Linux; gVisor: EROFS first)", () =>
    withTree((t) => {
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => rmdir(t, "/dir/."), "EINVAL");
      expectErrno(() => rmdir(t, "/dir/.."), "ENOTEMPTY");
      // EROFS before ENOENT: Linux takes the mount write access before the lookup.
      expectErrno(() => rmdir(t, "/dir/missing"), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("ENOENT, ENOTDIR, ENOTEMPTY, ENAMETOOLONG", () =>
    withTree((t) => {
      expectErrno(() => rmdir(t, "/dir/missing"), "ENOENT");
      expectErrno(() => rmdir(t, "/dir/file"), "ENOTDIR");
      t.mkdir("/dir/full");
      t.mkdir("/dir/full/x");
      expectErrno(() => rmdir(t, "/dir/full"), "ENOTEMPTY");
      expectErrno(() => rmdir(t, `/dir/${"y".repeat(256)}`), "ENAMETOOLONG");
    }));
  test("EBUSY: a mount point, before ENOTEMPTY (as Linux's is_local_mountpoint)", () =>
    withTree((t) => {
      t.mkdir("/dir/mp");
      t.mkdir("/dir/mp/under");
      mountOn(t, "/dir/mp");
      expectErrno(() => rmdir(t, "/dir/mp"), "EBUSY");
      t.vfs.umountAt(t.ctx, t.pathOp("/dir/mp"), { flags: 0 });
      expectErrno(() => rmdir(t, "/dir/mp"), "ENOTEMPTY");
    }));
  test("EPERM: a static directory cannot lose entries", () =>
    withTree((t) => {
      t.vfs.makeSyntheticMountpoint(t.ctx, t.root, "/ro/syn");
      expectErrno(() => rmdir(t, "/ro/syn/.."), "ENOTEMPTY");
      expectErrno(() => rmdir(t, "/ro/syn"), "EPERM");
    }));
  test("an open directory keeps working after rmdir (stat through the description)", () =>
    withTree((t) => {
      t.mkdir("/dir/d");
      const fd = t.open("/dir/d");
      rmdir(t, "/dir/d");
      expect(fd.stat(t.ctx, { mask: STATX_TYPE, sync: 0 }).mode & 0o170000).toBe(0o040000);
      expect(fd.dentry().isDead()).toBe(true);
      fd.decRef(t.ctx);
    }));
});

describe("rmdir and unlink permissions", () => {
  test("EACCES: the parent is not writable", () =>
    withTree((t) => {
      t.mkdir("/closed", 0o755);
      t.mkdir("/closed/d");
      t.create("/closed/f");
      expectErrno(() => rmdir(t, "/closed/d", t.userCtx), "EACCES");
      expectErrno(() => unlink(t, "/closed/f", t.userCtx), "EACCES");
    }));
  test("EPERM: in a sticky directory, only the owner of the file or of the directory", () =>
    withTree((t) => {
      t.mkdir("/tmp", 0o1777);
      t.create("/tmp/users", 0o666, t.userCtx);
      t.mkdir("/tmp/userd", 0o777, t.userCtx);
      expectErrno(() => unlink(t, "/tmp/users", t.otherCtx), "EPERM");
      expectErrno(() => rmdir(t, "/tmp/userd", t.otherCtx), "EPERM");
      unlink(t, "/tmp/users", t.userCtx);
      rmdir(t, "/tmp/userd", t.ctx); // root has CAP_FOWNER
    }));
});

describe("unlinkAt", () => {
  test("removes the name; an open file keeps working", () =>
    withTree((t) => {
      const fd = t.open("/dir/file", O_RDONLY);
      unlink(t, "/dir/file");
      expect(exists(t, "/dir/file")).toBe(false);
      expect(t.readToEnd(fd)).toBe("hello\n");
      fd.decRef(t.ctx);
    }));
  test("EISDIR: `.`/`..` before EROFS; a directory; a directory with a trailing slash", () =>
    withTree((t) => {
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => unlink(t, "/dir/."), "EISDIR");
      expectErrno(() => unlink(t, "/dir/.."), "EISDIR");
      expectErrno(() => unlink(t, "/dir/missing"), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
      expectErrno(() => unlink(t, "/dir"), "EISDIR");
      expectErrno(() => unlink(t, "/dir/"), "EISDIR");
    }));
  test("ENOTDIR: a trailing slash on a file (before EACCES); `file/.` walks into a file", () =>
    withTree((t) => {
      t.mkdir("/closed");
      t.create("/closed/f");
      expectErrno(() => unlink(t, "/closed/f/", t.userCtx), "ENOTDIR");
      expectErrno(() => unlink(t, "/dir/file/."), "ENOTDIR");
    }));
  test("ENOENT before EACCES (as Linux)", () =>
    withTree((t) => {
      t.mkdir("/closed");
      expectErrno(() => unlink(t, "/closed/missing", t.userCtx), "ENOENT");
    }));
  test("EACCES before EISDIR for a directory in a non-writable parent (as Linux)", () =>
    withTree((t) => {
      t.mkdir("/closed");
      t.mkdir("/closed/sub");
      expectErrno(() => unlink(t, "/closed/sub", t.userCtx), "EACCES");
    }));
  test("EPERM: a static directory's file", () =>
    withTree((t) => {
      expectErrno(() => unlink(t, "/ro/f"), "EPERM");
    }));
  test("EBUSY: a mount point in this namespace (rmdir, rename from and to)", () =>
    withTree((t) => {
      t.create("/dir/target");
      t.mkdir("/dir/mp");
      mountOn(t, "/dir/mp");
      expectErrno(() => rmdir(t, "/dir/mp"), "EBUSY");
      expectErrno(() => rename(t, "/dir/mp", "/dir/mp2"), "EBUSY");
      // A file over the mount point is EISDIR first (may_delete), as in Linux.
      expectErrno(() => rename(t, "/dir/target", "/dir/mp"), "EISDIR");
      t.mkdir("/dir/d2");
      expectErrno(() => rename(t, "/dir/d2", "/dir/mp"), "EBUSY");
      t.vfs.umountAt(t.ctx, t.pathOp("/dir/mp"), { flags: 0 });
    }));
});

describe("renameAt", () => {
  test("moves a file, keeping its inode and open descriptions", () =>
    withTree((t) => {
      const before = ino(t, "/dir/file");
      const fd = t.open("/dir/file");
      t.mkdir("/dir/sub");
      rename(t, "/dir/file", "/dir/sub/moved");
      expect(ino(t, "/dir/sub/moved")).toBe(before);
      expect(exists(t, "/dir/file")).toBe(false);
      expect(t.readToEnd(fd)).toBe("hello\n");
      fd.decRef(t.ctx);
    }));
  test("replaces an existing file, which is then deleted", () =>
    withTree((t) => {
      t.create("/dir/other");
      const old = t.open("/dir/other");
      rename(t, "/dir/file", "/dir/other");
      expect(old.dentry().isDead()).toBe(true);
      expect(t.readFile("/dir/other")).toBe("hello\n");
      old.decRef(t.ctx);
    }));
  test("EINVAL: RENAME_EXCHANGE is not supported by kernfs", () =>
    withTree((t) => {
      t.create("/dir/other");
      expectErrno(() => rename(t, "/dir/file", "/dir/other", RENAME_EXCHANGE), "EINVAL");
    }));
  test("EACCES before EBUSY: renaming `dir/.` needs search permission on dir (host: link_path_walk)", () =>
    withTree((t) => {
      t.mkdir("/dir/p", 0o700);
      expectErrno(() => rename(t, "/dir/p/.", "/dir/x", 0, t.userCtx), "EACCES");
      expectErrno(() => rename(t, "/dir/p/..", "/dir/x", 0, t.userCtx), "EACCES");
      expectErrno(() => rename(t, "/dir/p/.", "/dir/x"), "EBUSY");
    }));
  test("EBUSY for a new name `.`/`..`, EEXIST with RENAME_NOREPLACE", () =>
    withTree((t) => {
      expectErrno(() => rename(t, "/dir/file", "/dir/."), "EBUSY");
      expectErrno(() => rename(t, "/dir/file", "/dir/.."), "EBUSY");
      expectErrno(() => rename(t, "/dir/file", "/dir/..", RENAME_NOREPLACE), "EEXIST");
    }));
  test("EXDEV: across mounts", () =>
    withTree((t) => {
      t.mkdir("/dir/mp");
      mountOn(t, "/dir/mp");
      expectErrno(() => rename(t, "/dir/file", "/dir/mp/dir/file2"), "EXDEV");
      t.vfs.umountAt(t.ctx, t.pathOp("/dir/mp"), { flags: 0 });
    }));
  test("ENOENT for a missing source, even in a non-writable directory (gVisor: EACCES)", () =>
    withTree((t) => {
      t.mkdir("/closed");
      expectErrno(() => rename(t, "/closed/missing", "/dir/x", 0, t.userCtx), "ENOENT");
      t.create("/closed/f");
      expectErrno(() => rename(t, "/closed/f", "/dir/x", 0, t.userCtx), "EACCES");
    }));
  test("EROFS before ENOENT", () =>
    withTree((t) => {
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => rename(t, "/dir/missing", "/dir/x"), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("EEXIST: RENAME_NOREPLACE over an existing file", () =>
    withTree((t) => {
      t.create("/dir/other");
      expectErrno(() => rename(t, "/dir/file", "/dir/other", RENAME_NOREPLACE), "EEXIST");
      rename(t, "/dir/file", "/dir/fresh", RENAME_NOREPLACE);
    }));
  test("ENOTDIR: a trailing slash on either name of a non-directory", () =>
    withTree((t) => {
      expectErrno(() => rename(t, "/dir/file/", "/dir/x"), "ENOTDIR");
      expectErrno(() => rename(t, "/dir/file", "/dir/x/"), "ENOTDIR");
      t.mkdir("/dir/d");
      rename(t, "/dir/d/", "/dir/e/");
    }));
  test("EINVAL: a directory into itself or its descendant; ENOTEMPTY: over an ancestor", () =>
    withTree((t) => {
      t.mkdir("/dir/a");
      t.mkdir("/dir/a/b");
      expectErrno(() => rename(t, "/dir/a", "/dir/a/b/c"), "EINVAL");
      expectErrno(() => rename(t, "/dir/a", "/dir/a/c"), "EINVAL");
      expectErrno(() => rename(t, "/dir/a/b", "/dir"), "ENOTEMPTY");
    }));
  test("two names of one inode: success, nothing changes", () =>
    withTree((t) => {
      t.vfs.linkAt(t.ctx, t.nofollow("/dir/file"), t.nofollow("/dir/hard"));
      rename(t, "/dir/file", "/dir/hard");
      expect(exists(t, "/dir/file")).toBe(true);
      expect(exists(t, "/dir/hard")).toBe(true);
      rename(t, "/dir/file", "/dir/file");
    }));
  test("EACCES: a parent not writable; EPERM: sticky", () =>
    withTree((t) => {
      t.mkdir("/closed");
      t.create("/closed/f");
      expectErrno(() => rename(t, "/dir/file", "/closed/g", 0, t.userCtx), "EACCES");
      t.mkdir("/tmp", 0o1777);
      t.create("/tmp/mine", 0o666, t.userCtx);
      expectErrno(() => rename(t, "/tmp/mine", "/tmp/theirs", 0, t.otherCtx), "EPERM");
      t.create("/tmp/victim", 0o666, t.userCtx);
      t.create("/tmp/mover", 0o666, t.otherCtx);
      expectErrno(() => rename(t, "/tmp/mover", "/tmp/victim", 0, t.otherCtx), "EPERM");
    }));
  test("ENOTDIR: a directory over a file; EISDIR: a file over a directory", () =>
    withTree((t) => {
      t.mkdir("/dir/d");
      expectErrno(() => rename(t, "/dir/d", "/dir/file"), "ENOTDIR");
      expectErrno(() => rename(t, "/dir/file", "/dir/d"), "EISDIR");
    }));
  test("ENOTEMPTY: over a non-empty directory; an empty one is replaced", () =>
    withTree((t) => {
      t.mkdir("/dir/a");
      t.mkdir("/dir/b");
      t.mkdir("/dir/b/x");
      expectErrno(() => rename(t, "/dir/a", "/dir/b"), "ENOTEMPTY");
      t.mkdir("/dir/c");
      rename(t, "/dir/a", "/dir/c");
      expect(exists(t, "/dir/a")).toBe(false);
    }));
  test("EACCES: a directory changing parent must be writable itself", () =>
    withTree((t) => {
      t.mkdir("/dir/ro", 0o555, t.userCtx);
      t.mkdir("/dir/other", 0o777, t.userCtx);
      expectErrno(() => rename(t, "/dir/ro", "/dir/other/ro", 0, t.userCtx), "EACCES");
      rename(t, "/dir/ro", "/dir/ro2", 0, t.userCtx); // same parent: no `..` change
    }));
  test("EPERM: read-only directories refuse renames", () =>
    withTree((t) => {
      expectErrno(() => rename(t, "/ro/f", "/ro/g"), "EPERM");
      expectErrno(() => rename(t, "/ro/f", "/dir/g"), "EPERM");
    }));
  test("renames through directory descriptors keep the tree consistent", () =>
    withTree((t) => {
      t.mkdir("/dir/a");
      t.mkdir("/dir/b");
      const a = t.getDentry("/dir/a");
      t.create("/dir/a/f");
      t.vfs.renameAt(
        t.ctx,
        { root: t.root, start: a, path: parse("f"), followFinalSymlink: false },
        t.nofollow("/dir/b/g"),
        { flags: 0 },
      );
      a.decRef(t.ctx);
      expect(exists(t, "/dir/b/g")).toBe(true);
      const vd = t.getDentry("/dir/b/g");
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/dir/b/g");
      vd.decRef(t.ctx);
    }));
});

describe("inotify events of removal and rename", () => {
  function watchAll(t: Tree, paths: Record<string, string>, log: string[]): void {
    for (const [tag, path] of Object.entries(paths)) {
      const vd = t.getDentry(path, { follow: false });
      (vd.dentry.impl as Dentry).watches().add((_ctx, e) => log.push(`${tag} ${e.mask.toString(16)}${e.name === "" ? "" : ` ${e.name}`}${e.cookie === 0 ? "" : " cookie"}`));
      vd.decRef(t.ctx);
    }
  }

  test("unlink: the file's IN_ATTRIB, the parent's IN_DELETE, then IN_DELETE_SELF and IN_IGNORED", () =>
    withTree((t) => {
      const log: string[] = [];
      watchAll(t, { dir: "/dir", file: "/dir/file" }, log);
      unlink(t, "/dir/file");
      expect(log).toEqual(["file 4", "dir 200 file", "file 400", "file 8000"]);
    }));

  test("rename: IN_MOVED_FROM and IN_MOVED_TO with one cookie, then IN_MOVE_SELF", () =>
    withTree((t) => {
      t.mkdir("/dir/sub");
      const log: string[] = [];
      watchAll(t, { dir: "/dir", sub: "/dir/sub", file: "/dir/file" }, log);
      rename(t, "/dir/file", "/dir/sub/moved");
      expect(log).toEqual(["dir 40 file cookie", "sub 80 moved cookie", "file 800"]);
    }));

  test("create events: IN_CREATE, with IN_ISDIR for mkdir", () =>
    withTree((t) => {
      const log: string[] = [];
      watchAll(t, { dir: "/dir" }, log);
      t.mkdir("/dir/d");
      t.create("/dir/f");
      t.symlink("f", "/dir/l");
      expect(log).toEqual(["dir 40000100 d", "dir 100 f", "dir 100 l"]);
    }));
});
