// Regression tests for differences tooling/conformance found between tmpfs and Linux
// (each expected answer checked on a Linux 6.18 host).
import { O_CREAT, O_EXCL, O_RDONLY, O_RDWR, STATX_GID, STATX_MODE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { createTmpfs, expectErrno } from "./testing-fixtures/harness.js";

describe("conformance regressions", () => {
  test("open(\"/\" or \"//\", O_CREAT|O_EXCL) is EEXIST; without O_EXCL EISDIR", () => {
    const t = createTmpfs();
    try {
      expectErrno(() => t.open("//", O_CREAT | O_EXCL | O_RDONLY), "EEXIST");
      expectErrno(() => t.open("/", O_CREAT | O_EXCL | O_RDONLY), "EEXIST");
      expectErrno(() => t.open("//", O_CREAT | O_RDONLY), "EISDIR");
      t.mkdir("/d");
      // A trailing slash on a normal last component is EISDIR first (open_last_lookups).
      expectErrno(() => t.open("/d/", O_CREAT | O_EXCL | O_RDONLY), "EISDIR");
    } finally {
      t.release();
    }
  });
});

describe("conformance regressions: mode_strip_sgid before the umask", () => {
  test("a setgid-executable mode asked for by a non-member loses S_ISGID even when the umask removes group-execute", () => {
    const t = createTmpfs();
    try {
      t.mkdir("/sg", 0o777);
      t.vfs.setStatAt(t.ctx, t.pop("/sg"), { stat: { mask: STATX_MODE | STATX_GID, mode: 0o2777, gid: 2000 } });
      const user = t.asUser(1000, 1000);
      // Linux: vfs_prepare_mode strips S_ISGID from 02775 (the creator is not in group 2000),
      // then applies umask 077: 0700. Masking first (02700) would keep S_ISGID.
      const fd = t.vfs.openAt(user, t.pop("/sg/a"), { flags: O_CREAT | O_RDWR, mode: 0o2700, requestedMode: 0o2775 });
      fd.decRef(user);
      expect(t.stat("/sg/a").mode & 0o7777).toBe(0o700);
      // Without group-execute asked for, S_ISGID stays (mode_strip_sgid only strips S_ISGID|S_IXGRP).
      const fd2 = t.vfs.openAt(user, t.pop("/sg/b"), { flags: O_CREAT | O_RDWR, mode: 0o2740, requestedMode: 0o2745 });
      fd2.decRef(user);
      expect(t.stat("/sg/b").mode & 0o7777).toBe(0o2740);
    } finally {
      t.release();
    }
  });
});

describe("conformance regressions: the parent walk checks search permission", () => {
  test("rename(\"secret/.\", x) is EACCES, not EBUSY, when the parent is not searchable", () => {
    const t = createTmpfs();
    try {
      t.mkdir("/secret", 0o700);
      t.mkdir("/home", 0o777);
      const user = t.asUser(1000, 1000);
      // Linux's link_path_walk checks may_lookup on the directory holding the last
      // component, even when that component is `.` or `..`.
      const nofollow = { follow: false };
      const rename = (ctx: typeof user, from: string, to: string): void =>
        t.vfs.renameAt(ctx, t.pop(from, nofollow), t.pop(to, nofollow), { flags: 0 });
      expectErrno(() => rename(user, "/secret/.", "/home/x"), "EACCES");
      expectErrno(() => rename(user, "/home", "/secret/x"), "EACCES");
      expectErrno(() => rename(t.ctx, "/secret/.", "/home/x"), "EBUSY");
    } finally {
      t.release();
    }
  });
});
