// Regression tests for differences tooling/conformance found between vfskit and Linux
// (each expected answer checked on a Linux 6.18 host).
import { O_DIRECTORY, O_NOFOLLOW, O_RDONLY, RENAME_NOREPLACE } from "@vfskit/abi";
import { describe, test } from "vitest";
import { mkdir, open, rename, symlink, withVfs } from "./testing-fixtures/vfs-helpers.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

describe("conformance regressions", () => {
  test("O_DIRECTORY|O_NOFOLLOW on a final symlink is ENOTDIR: O_DIRECTORY does not follow it", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      symlink(t, "d", "/ld");
      symlink(t, "nowhere", "/dangling");
      // Linux: the link is not followed (no LOOKUP_FOLLOW), do_open sees a non-directory.
      expectErrno(() => open(t, "/ld", O_RDONLY | O_DIRECTORY | O_NOFOLLOW), "ENOTDIR");
      expectErrno(() => open(t, "/dangling", O_RDONLY | O_DIRECTORY | O_NOFOLLOW), "ENOTDIR");
      // A trailing slash still follows, O_NOFOLLOW or not.
      open(t, "/ld/", O_RDONLY | O_DIRECTORY | O_NOFOLLOW).decRef(t.ctx);
      open(t, "/ld", O_RDONLY | O_DIRECTORY).decRef(t.ctx);
    });
  });
});

describe("conformance regressions: rename and unlink of /, . and ..", () => {
  test("unlink(\"/\") is EISDIR (LAST_ROOT in do_unlinkat)", () => {
    withVfs((t) => {
      expectErrno(() => t.vfs.unlinkAt(t.ctx, { ...t.pop("/"), followFinalSymlink: false }), "EISDIR");
    });
  });

  test("rename resolves both parents before EBUSY for /, . and ..; RENAME_NOREPLACE onto . is EEXIST", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      // The new parent is missing: its walk error comes before the old name's EBUSY.
      expectErrno(() => rename(t, "/d/.", "/missing/x"), "ENOENT");
      expectErrno(() => rename(t, "/", "/missing/x"), "ENOENT");
      expectErrno(() => rename(t, "/d/.", "/x"), "EBUSY");
      expectErrno(() => rename(t, "/d", "/d/.."), "EBUSY");
      expectErrno(() => rename(t, "/d", "/d/..", RENAME_NOREPLACE), "EEXIST");
      expectErrno(() => rename(t, "/d/..", "/d/.", RENAME_NOREPLACE), "EBUSY");
    });
  });
});
