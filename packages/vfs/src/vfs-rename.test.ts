// renameAt through testfs (§8.2 rows 1–11); expected answers checked on Linux 6.18.
import {
  O_CREAT,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  RENAME_WHITEOUT,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { mkdir, names, nofollow, open, rename, stat, touch, withVfs } from "./testing-fixtures/vfs-helpers.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

describe("rename (§8.2 rows 1–11)", () => {
  test("flags: unknown, EXCHANGE|NOREPLACE and EXCHANGE|WHITEOUT → EINVAL; WHITEOUT unsupported → EINVAL", () => {
    withVfs((t) => {
      touch(t, "/a");
      touch(t, "/b");
      expectErrno(() => rename(t, "/a", "/b", RENAME_EXCHANGE | RENAME_NOREPLACE), "EINVAL");
      expectErrno(() => rename(t, "/missing", "/other", RENAME_EXCHANGE | RENAME_NOREPLACE), "EINVAL");
      expectErrno(() => rename(t, "/a", "/b", RENAME_EXCHANGE | RENAME_WHITEOUT), "EINVAL");
      expectErrno(() => rename(t, "/a", "/b", 8), "EINVAL");
      expectErrno(() => rename(t, "/a", "/c", RENAME_WHITEOUT), "EINVAL");
    });
  });

  test("paths ending in /. or /.. → EBUSY (EEXIST for the destination with NOREPLACE)", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      touch(t, "/f");
      expectErrno(() => rename(t, "/d/.", "/x"), "EBUSY");
      expectErrno(() => rename(t, "/d/..", "/x"), "EBUSY");
      expectErrno(() => rename(t, "/f", "/d/."), "EBUSY");
      expectErrno(() => rename(t, "/f", "/d/.."), "EBUSY");
      expectErrno(() => rename(t, "/f", "/d/.", RENAME_NOREPLACE), "EEXIST");
    });
  });

  test("missing source → ENOENT; NOREPLACE onto an existing file → EEXIST; EXCHANGE with a missing file → ENOENT", () => {
    withVfs((t) => {
      touch(t, "/a");
      touch(t, "/b");
      expectErrno(() => rename(t, "/missing", "/x"), "ENOENT");
      expectErrno(() => rename(t, "/a", "/b", RENAME_NOREPLACE), "EEXIST");
      expectErrno(() => rename(t, "/a", "/none", RENAME_EXCHANGE), "ENOENT");
    });
  });

  test("directories: into itself → EINVAL, onto an ancestor → ENOTEMPTY, onto a file → ENOTDIR, file onto dir → EISDIR", () => {
    withVfs((t) => {
      t.mkdirp("/d2/sub/deep");
      touch(t, "/f");
      mkdir(t, "/empty");
      expectErrno(() => rename(t, "/d2", "/d2/x"), "EINVAL");
      expectErrno(() => rename(t, "/d2", "/d2/sub/deep/x"), "EINVAL");
      expectErrno(() => rename(t, "/d2/sub", "/d2"), "ENOTEMPTY");
      expectErrno(() => rename(t, "/d2", "/f"), "ENOTDIR");
      expectErrno(() => rename(t, "/f", "/empty"), "EISDIR");
      expectErrno(() => rename(t, "/empty", "/d2"), "ENOTEMPTY");
      expectErrno(() => rename(t, "/f", "/g/"), "ENOTDIR");
      expectErrno(() => rename(t, "/f/", "/g"), "ENOTDIR");
      rename(t, "/d2/sub/deep", "/empty"); // a directory over an empty one
      expect(names(t, "/d2/sub")).toEqual([".", ".."]);
    });
  });

  test("renaming onto itself or a hard link of itself succeeds and changes nothing", () => {
    withVfs((t) => {
      touch(t, "/f");
      rename(t, "/f", "/f");
      t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/g"));
      rename(t, "/f", "/g");
      expect(names(t, "/")).toEqual([".", "..", "f", "g"]);
    });
  });

  test("moves and replaces; EXCHANGE swaps; names over NAME_MAX → ENAMETOOLONG", () => {
    withVfs((t) => {
      t.writeFile("/a", "A");
      t.writeFile("/b", "B");
      mkdir(t, "/d");
      rename(t, "/a", "/d/a2");
      expect(t.readText("/d/a2")).toBe("A");
      rename(t, "/b", "/d/a2");
      expect(t.readText("/d/a2")).toBe("B");
      t.writeFile("/c", "C");
      rename(t, "/c", "/d/a2", RENAME_EXCHANGE);
      expect(t.readText("/c")).toBe("B");
      expect(t.readText("/d/a2")).toBe("C");
      expectErrno(() => rename(t, "/c", `/${"x".repeat(256)}`), "ENAMETOOLONG");
      // A directory moving to another parent changes both link counts.
      mkdir(t, "/d/sub");
      rename(t, "/d/sub", "/sub");
      expect(stat(t, "/d").nlink).toBe(2);
      expect(stat(t, "/").nlink).toBe(4);
    });
  });

  test("rename needs write permission on both parents and on a directory changing parents", () => {
    withVfs((t) => {
      mkdir(t, "/pub", 0o777);
      mkdir(t, "/closed", 0o555);
      const user = t.as(t.user(1000, 1000));
      open(t, "/pub/f", O_WRONLY | O_CREAT, 0o644, user).decRef(user);
      expectErrno(() => rename(t, "/pub/f", "/closed/f", 0, user), "EACCES");
      mkdir(t, "/pub/rootdir", 0o755); // owned by root, not writable by the user
      mkdir(t, "/pub/other", 0o777);
      expectErrno(() => rename(t, "/pub/rootdir", "/pub/other/rootdir", 0, user), "EACCES");
      rename(t, "/pub/rootdir", "/pub/renamed", 0, user); // same parent: allowed
    });
  });
});

