// openAt through testfs (§3.4, §8.2 rows 16–23); expected answers checked on Linux 6.18.
import {
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { ALL, enc, mkdir, open, stat, symlink, touch, withVfs } from "./testing-fixtures/vfs-helpers.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

describe("open (§3.4, §8.2 rows 16–23)", () => {
  test("O_DIRECTORY and trailing slashes on files → ENOTDIR", () => {
    withVfs((t) => {
      touch(t, "/f");
      expectErrno(() => open(t, "/f", O_RDONLY | O_DIRECTORY), "ENOTDIR");
      expectErrno(() => open(t, "/f/", O_RDONLY), "ENOTDIR");
      open(t, "/", O_RDONLY | O_DIRECTORY).decRef(t.ctx);
    });
  });

  test("O_CREAT on directories and trailing slashes → EISDIR; with O_DIRECTORY → EINVAL (Linux ≥ 6.4)", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      expectErrno(() => open(t, "/d", O_RDONLY | O_CREAT), "EISDIR");
      expectErrno(() => open(t, "/d/", O_RDONLY | O_CREAT), "EISDIR");
      expectErrno(() => open(t, "/d/missing/", O_RDONLY | O_CREAT), "EISDIR");
      expectErrno(() => open(t, "/d/.", O_RDONLY | O_CREAT), "EISDIR");
      expectErrno(() => open(t, "/", O_RDONLY | O_CREAT), "EISDIR");
      expectErrno(() => open(t, "/d/.", O_RDONLY | O_CREAT | O_EXCL), "EEXIST");
      expectErrno(() => open(t, "/new", O_RDONLY | O_CREAT | O_DIRECTORY), "EINVAL");
    });
  });

  test("directories: O_RDWR and O_WRONLY → EISDIR, O_DIRECT → EINVAL", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      expectErrno(() => open(t, "/d", O_RDWR), "EISDIR");
      expectErrno(() => open(t, "/d", O_WRONLY), "EISDIR");
      expectErrno(() => open(t, "/d", O_RDONLY | O_TRUNC), "EISDIR");
      expectErrno(() => open(t, "/d", O_RDONLY | O_DIRECT), "EINVAL");
    });
  });

  test("symlinks: O_NOFOLLOW → ELOOP, O_CREAT|O_EXCL on a link → EEXIST, dangling link + O_CREAT creates the target", () => {
    withVfs((t) => {
      touch(t, "/f");
      symlink(t, "f", "/lf");
      symlink(t, "target", "/dangling");
      expectErrno(() => open(t, "/lf", O_RDONLY | O_NOFOLLOW), "ELOOP");
      expectErrno(() => open(t, "/lf", O_RDONLY | O_CREAT | O_NOFOLLOW), "ELOOP");
      expectErrno(() => open(t, "/lf", O_RDONLY | O_CREAT | O_EXCL), "EEXIST");
      expectErrno(() => open(t, "/dangling", O_RDONLY | O_CREAT | O_EXCL), "EEXIST");
      open(t, "/dangling", O_WRONLY | O_CREAT).decRef(t.ctx);
      expect(stat(t, "/target").mode & S_IFMT).toBe(S_IFREG);
      symlink(t, "self", "/self");
      expectErrno(() => open(t, "/self", O_RDONLY | O_CREAT), "ELOOP");
      // Links before the last component are still followed with O_NOFOLLOW.
      mkdir(t, "/d");
      touch(t, "/d/in");
      symlink(t, "d", "/ld");
      open(t, "/ld/in", O_RDONLY | O_NOFOLLOW).decRef(t.ctx);
    });
  });

  test("O_EXCL on an existing file → EEXIST; O_CREAT marks the description created", () => {
    withVfs((t) => {
      const fd = open(t, "/new", O_RDWR | O_CREAT | O_EXCL, 0o600);
      try {
        expect(fd.wasCreated()).toBe(true);
      } finally {
        fd.decRef(t.ctx);
      }
      expectErrno(() => open(t, "/new", O_RDWR | O_CREAT | O_EXCL), "EEXIST");
      const again = open(t, "/new", O_RDWR | O_CREAT);
      try {
        expect(again.wasCreated()).toBe(false);
      } finally {
        again.decRef(t.ctx);
      }
      expect(stat(t, "/new").mode & 0o7777).toBe(0o600);
    });
  });

  test("flags: O_CLOEXEC and unknown bits dropped, O_SYNC implies O_DSYNC, O_TMPFILE rules", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      const fd = open(t, "/f", O_WRONLY | O_CREAT | O_CLOEXEC | O_SYNC | O_APPEND | 0x40000000);
      try {
        const flags = fd.statusFlags();
        expect(flags & O_CLOEXEC).toBe(0);
        expect(flags & 0x40000000).toBe(0);
        expect(flags & O_DSYNC).toBe(O_DSYNC);
        expect(flags & O_APPEND).toBe(O_APPEND);
      } finally {
        fd.decRef(t.ctx);
      }
      expectErrno(() => open(t, "/d", O_RDONLY | O_TMPFILE), "EINVAL");
      expectErrno(() => open(t, "/d", O_RDWR | O_TMPFILE | O_CREAT), "EINVAL");
      expectErrno(() => open(t, "/d", O_RDWR | O_TMPFILE), "EOPNOTSUPP");
      // O_PATH drops O_TMPFILE (and every flag it does not use) before anything else.
      open(t, "/d", O_PATH | O_TMPFILE).decRef(t.ctx);
    });
  });

  test("O_TRUNC needs write permission even with O_RDONLY, and truncates", () => {
    withVfs((t) => {
      mkdir(t, "/pub", 0o777);
      t.writeFile("/pub/f", "data", 0o644);
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => open(t, "/pub/f", O_RDONLY | O_TRUNC, 0, user), "EACCES");
      expectErrno(() => open(t, "/pub/f", O_WRONLY, 0, user), "EACCES");
      open(t, "/pub/f", O_RDONLY | O_TRUNC).decRef(t.ctx);
      expect(stat(t, "/pub/f").size).toBe(0);
    });
  });

  test("O_PATH: no permission check, ENOTDIR with O_DIRECTORY on a file, stat works", () => {
    withVfs((t) => {
      mkdir(t, "/pub", 0o777);
      touch(t, "/pub/zero", 0o000);
      const user = t.as(t.user(1000, 1000));
      const fd = open(t, "/pub/zero", O_PATH, 0, user);
      try {
        expect(fd.stat(user, ALL).mode & 0o7777).toBe(0);
        expectErrno(() => fd.read(user, new Uint8Array(1)), "EBADF");
      } finally {
        fd.decRef(user);
      }
      expectErrno(() => open(t, "/pub/zero", O_PATH | O_DIRECTORY), "ENOTDIR");
      symlink(t, "zero", "/pub/link");
      const link = open(t, "/pub/link", O_PATH | O_NOFOLLOW);
      try {
        expect(link.stat(t.ctx, ALL).mode & S_IFMT).toBe(S_IFLNK);
      } finally {
        link.decRef(t.ctx);
      }
    });
  });

  test("fileExec: a regular file on an exec mount with exec permission", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      t.writeFile("/prog", "#!", 0o755);
      t.writeFile("/data", "x", 0o644);
      t.vfs.openAt(t.ctx, t.pop("/prog"), { flags: O_RDONLY, mode: 0, fileExec: true }).decRef(t.ctx);
      expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/data"), { flags: O_RDONLY, mode: 0, fileExec: true }), "EACCES");
      expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/d"), { flags: O_RDONLY, mode: 0, fileExec: true }), "EACCES");
      mkdir(t, "/mnt");
      t.mountTestfs("/mnt", { flags: { noExec: true } });
      t.writeFile("/mnt/prog", "#!", 0o755);
      expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/mnt/prog"), { flags: O_RDONLY, mode: 0, fileExec: true }), "EACCES");
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("read, write, append and seek through testfs descriptions", () => {
    withVfs((t) => {
      t.writeFile("/f", "hello");
      const fd = open(t, "/f", O_RDWR | O_APPEND);
      try {
        fd.write(t.ctx, enc.encode(" world"));
        expect(t.readText("/f")).toBe("hello world");
        expect(fd.seek(t.ctx, 0, 0)).toBe(0);
        const buf = new Uint8Array(5);
        expect(fd.read(t.ctx, buf)).toBe(5);
        expect(new TextDecoder().decode(buf)).toBe("hello");
      } finally {
        fd.decRef(t.ctx);
      }
    });
  });
});

