/**
 * Regression tests for differences tooling/conformance found between vfskit and Linux.
 * Each test states what Linux does (checked on a Linux 6.18 host).
 */
import { AT_FDCWD, O_CREAT, O_DIRECTORY, O_PATH, O_RDWR, RENAME_EXCHANGE, RENAME_NOREPLACE } from "@vfskit/abi";
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

  test("readv/writev look the descriptor up before checking the vector (host: EBADF, then EINVAL)", () => {
    withKernel((_k, init) => {
      const many = Array.from({ length: 2000 }, () => new Uint8Array(1));
      expectErrno(() => init.readv(99, many), "EBADF");
      expectErrno(() => init.writev(99, many), "EBADF");
      const fd = init.open("/f", O_RDWR | O_CREAT, 0o644);
      expectErrno(() => init.readv(fd, many), "EINVAL");
      expectErrno(() => init.writev(fd, many), "EINVAL");
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

describe("conformance regressions: fchown(fd, -1, -1)", () => {
  test("clears set-user-ID like chown(-1, -1)", () => {
    withKernel((_k, init) => {
      const fd = init.open("/a", O_CREAT | O_RDWR, 0o4755);
      expect(init.fstat(fd).mode & 0o7777).toBe(0o4755);
      init.fchown(fd, -1, -1);
      expect(init.fstat(fd).mode & 0o7777).toBe(0o755);
      init.close(fd);
    });
  });
});

describe("conformance regressions: O_PATH", () => {
  test("O_PATH drops O_CREAT before the O_CREAT|O_DIRECTORY check", () => {
    withKernel((_k, init) => {
      init.mkdir("/d", 0o755);
      init.close(init.open("/f", O_CREAT | O_RDWR, 0o644));
      // Linux's build_open_how keeps only O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC next to O_PATH.
      const fd = init.open("/d", O_PATH | O_CREAT | O_DIRECTORY | O_RDWR, 0o777);
      init.close(fd);
      expectErrno(() => init.open("/f", O_PATH | O_CREAT | O_DIRECTORY), "ENOTDIR");
      expectErrno(() => init.open("/missing", O_PATH | O_CREAT | O_DIRECTORY), "ENOENT");
    });
  });
});

describe("conformance regressions: umask and setgid directories", () => {
  test("open(O_CREAT, 02775) under umask 077 by a non-member of a setgid directory's group gives 0700", () => {
    withKernel((_k, init) => {
      init.mkdir("/sg", 0o777);
      init.chown("/sg", 2000, 2000);
      init.chmod("/sg", 0o2777);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000, 1000));
      user.umask(0o077);
      user.close(user.open("/sg/a", O_CREAT | O_RDWR, 0o2775));
      expect(user.stat("/sg/a").mode & 0o7777).toBe(0o700);
      user.exit(0);
      init.wait4(user.pid);
    });
  });
});
