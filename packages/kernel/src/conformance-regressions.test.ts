/**
 * Regression tests for differences tooling/conformance found between vfskit and Linux.
 * Each test states what Linux does (checked on a Linux 6.18 host).
 */
import { AT_FDCWD, O_CREAT, O_RDWR, RENAME_EXCHANGE, RENAME_NOREPLACE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { bytes, expectErrno, userCreds, withKernel } from "./testing-fixtures/harness.js";

describe("conformance regressions", () => {
  test("pread64/pwrite64/preadv/pwritev: a negative offset is EINVAL even on a bad descriptor", () => {
    withKernel((_k, init) => {
      // Linux checks the offset before fdget(): EINVAL wins over EBADF.
      expectErrno(() => init.pread64(99, new Uint8Array(1), -1), "EINVAL");
      expectErrno(() => init.pwrite64(99, bytes("x"), -1), "EINVAL");
      expectErrno(() => init.preadv(99, [new Uint8Array(1)], -1), "EINVAL");
      expectErrno(() => init.pwritev(99, [bytes("x")], -1), "EINVAL");
      const fd = init.open("/f", O_RDWR | O_CREAT, 0o644);
      expectErrno(() => init.pread64(fd, new Uint8Array(1), -1), "EINVAL");
      init.close(fd);
    });
  });
});

describe("conformance regressions: the order of renameat2 and linkat errors", () => {
  test("renameat2 checks its flags before either name", () => {
    withKernel((_k, init) => {
      init.mkdir("/d", 0o755);
      expectErrno(() => init.renameat2(AT_FDCWD, "", AT_FDCWD, "/d", RENAME_EXCHANGE | RENAME_NOREPLACE), "EINVAL");
      expectErrno(() => init.renameat2(AT_FDCWD, "/d", AT_FDCWD, "", RENAME_EXCHANGE | RENAME_NOREPLACE), "EINVAL");
    });
  });

  test("a bad new name is reported after the old path's errors (do_renameat2, do_linkat)", () => {
    withKernel((_k, init) => {
      const tooLong = `/${"n".repeat(255)}`.repeat(17);
      expectErrno(() => init.rename("/missing/x", tooLong), "ENOENT");
      expectErrno(() => init.link("/missing", tooLong), "ENOENT");
      expectErrno(() => init.link("/missing", ""), "ENOENT");
      init.mkdir("/d", 0o755);
      expectErrno(() => init.rename("/d", tooLong), "ENAMETOOLONG");
      expectErrno(() => init.link("/d", tooLong), "ENAMETOOLONG");
    });
  });
});

describe("conformance regressions: chown(-1, -1)", () => {
  test("clears set-user-ID (root), is EPERM for a non-owner on a set-ID file, a no-op otherwise", () => {
    withKernel((_k, init) => {
      init.mkdir("/pub", 0o1777);
      for (const [name, mode] of [
        ["/pub/suid", 0o4755],
        ["/pub/sgid", 0o2755],
        ["/pub/plain", 0o755],
      ] as const) {
        init.close(init.open(name, O_CREAT | O_RDWR, 0o600));
        init.chown(name, 2000, 2000);
        init.chmod(name, mode);
      }
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000, 1000));
      // Linux: chown_common asks notify_change to kill the set-ID bits; that is a mode change.
      expectErrno(() => user.chown("/pub/suid", -1, -1), "EPERM");
      expectErrno(() => user.chown("/pub/sgid", -1, -1), "EPERM");
      user.chown("/pub/plain", -1, -1);
      init.chown("/pub/suid", -1, -1);
      init.chown("/pub/sgid", -1, -1);
      expect(init.stat("/pub/suid").mode & 0o7777).toBe(0o755);
      expect(init.stat("/pub/sgid").mode & 0o7777).toBe(0o755);
      expect(init.stat("/pub/plain").mode & 0o7777).toBe(0o755);
      user.exit(0);
      init.wait4(user.pid);
    });
  });
});
