// rename(2)/renameat2(2) on tmpfs: every rule kernfs leaves to filesystems, and the
// errno order when several apply. Expected values were checked on Linux 6.18 (tmpfs).
import { RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, S_IFCHR, S_IFDIR, S_IFMT, S_IFREG } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { createTmpfs, errnoOf, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

function withTmpfs(fn: (t: TmpfsTest) => void): void {
  const t = createTmpfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

function rename(t: TmpfsTest, from: string, to: string, flags = 0, ctx = t.ctx): void {
  t.vfs.renameAt(ctx, t.pop(from, { follow: false }), t.pop(to, { follow: false }), { flags });
}

function tryRename(t: TmpfsTest, from: string, to: string, flags = 0, ctx = t.ctx): string {
  return errnoOf(() => rename(t, from, to, flags, ctx));
}

/** The tree the Linux experiment used. */
function setup(t: TmpfsTest): void {
  for (const d of ["/a", "/a/b", "/a/b/c", "/a/b/existing", "/a/b/existing/x", "/d", "/e", "/ne", "/empty"]) t.mkdir(d);
  for (const f of ["/f", "/g", "/a/b/file", "/ne/x"]) t.writeFile(f, f);
}

describe("rename rules", () => {
  test("a directory into itself or a descendant is EINVAL", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/a", "/a/b/z")).toBe("EINVAL");
      expect(tryRename(t, "/a", "/a/z")).toBe("EINVAL");
      // EINVAL wins over the replaced directory being non-empty.
      expect(tryRename(t, "/a", "/a/b/existing")).toBe("EINVAL");
    }));

  test("over an ancestor of the source: ENOTEMPTY (EINVAL with RENAME_EXCHANGE)", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/a/b/c", "/a")).toBe("ENOTEMPTY");
      expect(tryRename(t, "/a/b/c", "/a", RENAME_EXCHANGE)).toBe("EINVAL");
      expect(tryRename(t, "/a", "/a/b", RENAME_EXCHANGE)).toBe("EINVAL");
    }));

  test("directory over non-directory is ENOTDIR; non-directory over directory is EISDIR", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/d", "/f")).toBe("ENOTDIR");
      expect(tryRename(t, "/f", "/d")).toBe("EISDIR");
      // EISDIR (the type check of may_delete) comes before the target's emptiness.
      expect(tryRename(t, "/f", "/ne")).toBe("EISDIR");
    }));

  test("over a non-empty directory is ENOTEMPTY; over an empty one it replaces it", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/d", "/ne")).toBe("ENOTEMPTY");
      t.writeFile("/e/inside", "1");
      const before = t.stat("/").nlink;
      rename(t, "/e", "/empty");
      expect(t.readText("/empty/inside")).toBe("1");
      expectErrno(() => t.stat("/e"), "ENOENT");
      expect(t.stat("/").nlink).toBe(before - 1);
    }));

  test("RENAME_NOREPLACE: EEXIST onto any existing name, even the same file", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/f", "/g", RENAME_NOREPLACE)).toBe("EEXIST");
      expect(tryRename(t, "/f", "/f", RENAME_NOREPLACE)).toBe("EEXIST");
      // EEXIST is checked before the directory-into-itself rule...
      expect(tryRename(t, "/a", "/a/b/existing", RENAME_NOREPLACE)).toBe("EEXIST");
      // ...but after the source's existence.
      expect(tryRename(t, "/nothere", "/g", RENAME_NOREPLACE)).toBe("ENOENT");
      rename(t, "/f", "/f2", RENAME_NOREPLACE);
      expect(t.readText("/f2")).toBe("/f");
    }));

  test("same-inode renames: two hard links of one file stay as they are", () =>
    withTmpfs((t) => {
      setup(t);
      t.vfs.linkAt(t.ctx, t.pop("/f", { follow: false }), t.pop("/h", { follow: false }));
      rename(t, "/f", "/h");
      expect(t.stat("/f").nlink).toBe(2);
      expect(t.stat("/h").ino).toBe(t.stat("/f").ino);
      rename(t, "/f", "/f");
      rename(t, "/d", "/d");
      expect(t.stat("/d").mode & S_IFMT).toBe(S_IFDIR);
      // Two names of one file: a no-op even where a real rename would be refused.
      t.mkdir("/locked", 0o777);
      t.writeFile("/locked/x", "");
      t.vfs.linkAt(t.ctx, t.pop("/locked/x", { follow: false }), t.pop("/locked/y", { follow: false }));
      t.vfs.setStatAt(t.ctx, t.pop("/locked"), { stat: { mask: 0x2, mode: 0o1777 } });
      expect(tryRename(t, "/locked/x", "/locked/y", 0, t.asUser(1000, 1000))).toBe("OK");
    }));

  test("RENAME_EXCHANGE swaps any two files, fixing link counts across parents", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/f", "/nothere", RENAME_EXCHANGE)).toBe("ENOENT");
      expect(tryRename(t, "/nothere", "/f", RENAME_EXCHANGE)).toBe("ENOENT");
      // file <-> file
      rename(t, "/f", "/g", RENAME_EXCHANGE);
      expect(t.readText("/f")).toBe("/g");
      expect(t.readText("/g")).toBe("/f");
      // dir <-> file, same parent
      rename(t, "/d", "/f", RENAME_EXCHANGE);
      expect(t.stat("/f").mode & S_IFMT).toBe(S_IFDIR);
      expect(t.stat("/d").mode & S_IFMT).toBe(S_IFREG);
      // dir <-> file across parents: the ".." link moves with the directory.
      t.mkdir("/p1");
      t.mkdir("/p1/d1");
      t.mkdir("/p2");
      t.writeFile("/p2/file", "in p2");
      expect([t.stat("/p1").nlink, t.stat("/p2").nlink]).toEqual([3, 2]);
      rename(t, "/p1/d1", "/p2/file", RENAME_EXCHANGE);
      expect([t.stat("/p1").nlink, t.stat("/p2").nlink]).toEqual([2, 3]);
      expect(t.readText("/p1/d1")).toBe("in p2");
      expect(t.stat("/p2/file").mode & S_IFMT).toBe(S_IFDIR);
      // ...and back, the other direction.
      rename(t, "/p2/file", "/p1/d1", RENAME_EXCHANGE);
      expect([t.stat("/p1").nlink, t.stat("/p2").nlink]).toEqual([3, 2]);
      // dir <-> dir across parents: counts unchanged, the directories' ".." follow.
      t.mkdir("/p2/other");
      t.mkdir("/p2/other/deep");
      rename(t, "/p1/d1", "/p2/other", RENAME_EXCHANGE);
      expect(t.stat("/p1/d1/deep").mode & S_IFMT).toBe(S_IFDIR);
      expect(t.stat("/p1/d1/deep/../../d1").ino).toBe(t.stat("/p1/d1").ino);
      expect([t.stat("/p1").nlink, t.stat("/p2").nlink]).toEqual([3, 3]);
    }));

  test("trailing slashes: a non-directory source or a non-directory target with a slash is ENOTDIR", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/f", "/x/")).toBe("ENOTDIR");
      expect(tryRename(t, "/f/", "/x")).toBe("ENOTDIR");
      expect(tryRename(t, "/f", "/g/", RENAME_EXCHANGE)).toBe("ENOTDIR");
      expect(tryRename(t, "/f", "/d/", RENAME_EXCHANGE)).toBe("OK");
      expect(tryRename(t, "/e", "/e2/")).toBe("OK");
    }));

  test(". and .. are EBUSY (EEXIST with RENAME_NOREPLACE); long names ENAMETOOLONG; RENAME_WHITEOUT|EXCHANGE EINVAL", () =>
    withTmpfs((t) => {
      setup(t);
      expect(tryRename(t, "/a/.", "/zz")).toBe("EBUSY");
      expect(tryRename(t, "/f", "/a/.")).toBe("EBUSY");
      expect(tryRename(t, "/f", "/a/..")).toBe("EBUSY");
      expect(tryRename(t, "/f", "/a/.", RENAME_NOREPLACE)).toBe("EEXIST");
      expect(tryRename(t, "/f", `/${"x".repeat(256)}`)).toBe("ENAMETOOLONG");
      expect(tryRename(t, `/${"y".repeat(256)}`, "/z")).toBe("ENAMETOOLONG");
      expect(tryRename(t, "/f", "/g", RENAME_WHITEOUT | RENAME_EXCHANGE)).toBe("EINVAL");
      expect(tryRename(t, "/f", "/g", RENAME_NOREPLACE | RENAME_EXCHANGE)).toBe("EINVAL");
      expect(tryRename(t, "/", "/x")).toBe("EBUSY");
      expect(tryRename(t, "/nothere", "/nodir/x")).toBe("ENOENT");
    }));

  test("RENAME_WHITEOUT leaves a 0:0 character device behind; it needs CAP_MKNOD", () =>
    withTmpfs((t) => {
      setup(t);
      rename(t, "/g", "/gw", RENAME_WHITEOUT);
      expect(t.stat("/g", { follow: false })).toMatchObject({ mode: S_IFCHR, rdevMajor: 0, rdevMinor: 0 });
      expect(t.readText("/gw")).toBe("/g");
      t.mkdir("/pub", 0o777);
      const u = t.asUser(1000, 1000);
      t.writeFile("/pub/mine", "", 0o644, u);
      expect(tryRename(t, "/pub/mine", "/pub/w", RENAME_WHITEOUT, u)).toBe("EPERM");
    }));

  test("cross-mount renames are EXDEV; renaming a mount point is EBUSY", () =>
    withTmpfs((t) => {
      setup(t);
      t.mkdir("/m");
      t.mountTmpfs("/m");
      t.writeFile("/m/inner", "");
      expect(tryRename(t, "/f", "/m/f")).toBe("EXDEV");
      expect(tryRename(t, "/m/inner", "/x")).toBe("EXDEV");
      expect(tryRename(t, "/m", "/m2")).toBe("EBUSY");
      expect(tryRename(t, "/d", "/m")).toBe("EBUSY");
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    }));
});

describe("rename permissions", () => {
  test("both parents must be writable and searchable; a directory changing parent must be writable", () =>
    withTmpfs((t) => {
      t.mkdir("/src", 0o777);
      t.mkdir("/ro", 0o555);
      t.mkdir("/dst", 0o777);
      t.mkdir("/src/rootdir", 0o755); // owned by root, not writable by the user
      const u = t.asUser(1000, 1000);
      t.writeFile("/src/mine", "", 0o644, u);
      expect(tryRename(t, "/src/mine", "/ro/x", 0, u)).toBe("EACCES");
      expect(tryRename(t, "/src/rootdir", "/dst/rootdir", 0, u)).toBe("EACCES");
      // Within the same parent the directory itself need not be writable.
      expect(tryRename(t, "/src/rootdir", "/src/renamed", 0, u)).toBe("OK");
      expect(tryRename(t, "/src/mine", "/dst/mine", 0, u)).toBe("OK");
    }));

  test("the sticky rule: EPERM to rename or replace someone else's file", () =>
    withTmpfs((t) => {
      t.mkdir("/tmp", 0o777);
      t.vfs.setStatAt(t.ctx, t.pop("/tmp"), { stat: { mask: 0x2, mode: 0o1777 } });
      t.writeFile("/tmp/rootfile", "", 0o666);
      t.mkdir("/tmp/rootdir", 0o777);
      const u = t.asUser(1000, 1000);
      t.writeFile("/tmp/mine", "", 0o644, u);
      expect(tryRename(t, "/tmp/rootfile", "/tmp/z", 0, u)).toBe("EPERM");
      expect(tryRename(t, "/tmp/mine", "/tmp/rootfile", 0, u)).toBe("EPERM");
      // EPERM (sticky) comes before EISDIR (the type) in may_delete.
      expect(tryRename(t, "/tmp/mine", "/tmp/rootdir", 0, u)).toBe("EPERM");
      expect(tryRename(t, "/tmp/mine", "/tmp/mine2", 0, u)).toBe("OK");
    }));
});

describe("rename errno order (do_renameat2, then vfs_rename)", () => {
  test("EXDEV before . and ..; ENOENT (missing source) before EACCES; EACCES before EISDIR and ENOTEMPTY", () =>
    withTmpfs((t) => {
      t.mkdir("/m");
      t.mountTmpfs("/m");
      t.writeFile("/f", "");
      expect(tryRename(t, "/f", "/m/.")).toBe("EXDEV");
      t.mkdir("/ro", 0o755);
      t.writeFile("/ro/file", "");
      t.mkdir("/ro/dir");
      t.mkdir("/ro/full");
      t.writeFile("/ro/full/x", "");
      const u = t.asUser(1000, 1000);
      expect(tryRename(t, "/ro/missing", "/ro/x", 0, u)).toBe("ENOENT");
      expect(tryRename(t, "/ro/file", "/ro/dir", 0, u)).toBe("EACCES");
      expect(tryRename(t, "/ro/dir", "/ro/full", 0, u)).toBe("EACCES");
      // A missing new parent is ENOENT from the walk, whatever else is wrong.
      expect(tryRename(t, "/ro/missing", "/nodir/x", RENAME_EXCHANGE, u)).toBe("ENOENT");
      // RENAME_EXCHANGE with a missing target: ENOENT before the directory-into-itself EINVAL.
      t.mkdir("/a");
      t.mkdir("/a/b");
      expect(tryRename(t, "/a", "/a/b/none", RENAME_EXCHANGE)).toBe("ENOENT");
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    }));
});

describe("rename bookkeeping", () => {
  test("link counts and parent references follow a directory to its new parent", () =>
    withTmpfs((t) => {
      t.mkdir("/p");
      t.mkdir("/q");
      t.mkdir("/p/d");
      t.mkdir("/p/d/sub");
      rename(t, "/p/d", "/q/d");
      expect(t.stat("/p").nlink).toBe(2);
      expect(t.stat("/q").nlink).toBe(3);
      expect(t.stat("/q/d/sub/../..").ino).toBe(t.stat("/q").ino);
      // Replace a directory with a directory across parents.
      t.mkdir("/p/e");
      rename(t, "/q/d/sub", "/p/e");
      expect(t.stat("/p").nlink).toBe(3);
      expect(t.stat("/q/d").nlink).toBe(2);
      // The old parent can now be removed.
      t.vfs.rmdirAt(t.ctx, t.pop("/q/d", { follow: false }));
      t.vfs.rmdirAt(t.ctx, t.pop("/q", { follow: false }));
    }));

  test("timestamps: both parents' mtime/ctime, the moved file's ctime and a replaced file's ctime", () =>
    withTmpfs((t) => {
      t.mkdir("/p");
      t.mkdir("/q");
      t.writeFile("/p/f", "moved");
      t.writeFile("/q/f", "replaced");
      const replaced = t.open("/q/f", 0);
      const before = t.stat("/p/f");
      t.clock.advance(100);
      rename(t, "/p/f", "/q/f");
      const now = t.clock.sec;
      const moved = t.stat("/q/f");
      expect(moved.ctime.sec).toBe(now);
      expect(moved.mtime.sec).toBe(before.mtime.sec);
      expect(t.stat("/p").mtime.sec).toBe(now);
      expect(t.stat("/q").ctime.sec).toBe(now);
      const gone = replaced.stat(t.ctx, { mask: 0, sync: 0 });
      expect(gone.nlink).toBe(0);
      expect(gone.ctime.sec).toBe(now);
      replaced.decRef(t.ctx);
    }));

  test("a renamed entry moves to the end of the listing; a replaced one disappears", () =>
    withTmpfs((t) => {
      for (const n of ["a", "b", "c"]) t.writeFile(`/${n}`, n);
      rename(t, "/a", "/d");
      expect(t.list("/")).toEqual(["b", "c", "d"]);
      rename(t, "/b", "/c");
      expect(t.list("/")).toEqual(["d", "c"]);
      // An exchange keeps both positions: the names stay where they were, the files swap.
      rename(t, "/d", "/c", RENAME_EXCHANGE);
      expect(t.list("/")).toEqual(["d", "c"]);
      expect(t.readText("/c")).toBe("a");
      expect(t.readText("/d")).toBe("b");
    }));
});
