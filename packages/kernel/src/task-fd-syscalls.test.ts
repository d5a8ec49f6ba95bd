import {
  FD_CLOEXEC,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_GETLK,
  F_SETFD,
  F_SETFL,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  SEEK_CUR,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { RLIMIT_NOFILE } from "./limits.js";
import { bytes, expectErrno, withKernel } from "./testing-fixtures/harness.js";

describe("descriptor numbers and dup", () => {
  test("open returns the lowest free number; closed numbers are reused", () => {
    withKernel((_k, init) => {
      const a = init.open("/", O_RDONLY);
      const b = init.open("/", O_RDONLY);
      const c = init.open("/", O_RDONLY);
      expect([a, b, c]).toEqual([0, 1, 2]);
      init.close(b);
      expect(init.open("/", O_RDONLY)).toBe(1);
      expect(init.dup(a)).toBe(3);
      init.close(0);
      expect(init.dup(2)).toBe(0);
      for (const fd of [0, 1, 2, 3]) init.close(fd);
    });
  });

  test("dup shares the description (offset, status flags) but not FD_CLOEXEC", () => {
    withKernel((_k, init) => {
      const fd = init.open("/f", O_CREAT | O_RDWR | O_CLOEXEC, 0o644);
      const copy = init.dup(fd);
      expect(init.fcntl(fd, F_GETFD)).toBe(FD_CLOEXEC);
      expect(init.fcntl(copy, F_GETFD)).toBe(0);
      init.write(fd, bytes("abc"));
      expect(init.lseek(copy, 0, SEEK_CUR)).toBe(3);
      init.fcntl(copy, F_SETFL, O_APPEND);
      expect(init.fcntl(fd, F_GETFL) & O_APPEND).toBe(O_APPEND);
      init.fcntl(copy, F_SETFD, FD_CLOEXEC);
      init.fcntl(fd, F_SETFD, 0);
      expect(init.fcntl(fd, F_GETFD)).toBe(0);
      expect(init.fcntl(copy, F_GETFD)).toBe(FD_CLOEXEC);
      expect(init.fdTable.get(fd)).toBe(init.fdTable.get(copy));
      init.close(fd);
      init.close(copy);
      expectErrno(() => init.dup(fd), "EBADF");
    });
  });

  test("dup2 onto an open descriptor closes what was there; equal fds return at once", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      const file = init.open("/", O_RDONLY | O_CLOEXEC);
      // dup2 over the pipe's write end: the pipe loses its only writer.
      expect(init.dup2(file, w)).toBe(w);
      expect(init.fcntl(w, F_GETFD)).toBe(0);
      expect(init.read(r, new Uint8Array(1))).toBe(0); // EOF: the writer was closed
      expect(init.dup2(file, file)).toBe(file);
      expectErrno(() => init.dup2(99, 99), "EBADF");
      expectErrno(() => init.dup2(99, 5), "EBADF");
      expectErrno(() => init.dup2(file, -1), "EBADF");
      expectErrno(() => init.dup2(file, 1024), "EBADF"); // RLIMIT_NOFILE is 1024
      expect(init.dup2(file, 1023)).toBe(1023);
      for (const fd of [r, w, file, 1023]) init.close(fd);
    });
  });

  test("dup3: EINVAL for equal fds or flags other than O_CLOEXEC; O_CLOEXEC sets FD_CLOEXEC", () => {
    withKernel((_k, init) => {
      const fd = init.open("/", O_RDONLY);
      expectErrno(() => init.dup3(fd, fd, 0), "EINVAL");
      expectErrno(() => init.dup3(fd, 5, O_NONBLOCK), "EINVAL");
      // Flags are checked before the descriptors.
      expectErrno(() => init.dup3(77, 77, 0), "EINVAL");
      expectErrno(() => init.dup3(77, 5, 0), "EBADF");
      expect(init.dup3(fd, 5, O_CLOEXEC)).toBe(5);
      expect(init.fcntl(5, F_GETFD)).toBe(FD_CLOEXEC);
      expect(init.dup3(fd, 5, 0)).toBe(5);
      expect(init.fcntl(5, F_GETFD)).toBe(0);
      init.close(5);
      init.close(fd);
    });
  });

  test("F_DUPFD and F_DUPFD_CLOEXEC: lowest free at or above arg; EINVAL at or above RLIMIT_NOFILE", () => {
    withKernel((_k, init) => {
      const fd = init.open("/", O_RDONLY);
      expect(init.fcntl(fd, F_DUPFD, 10)).toBe(10);
      expect(init.fcntl(fd, F_DUPFD, 10)).toBe(11);
      expect(init.fcntl(fd, F_DUPFD_CLOEXEC, 0)).toBe(1);
      expect(init.fcntl(1, F_GETFD)).toBe(FD_CLOEXEC);
      expect(init.fcntl(10, F_GETFD)).toBe(0);
      expectErrno(() => init.fcntl(fd, F_DUPFD, 1024), "EINVAL");
      expectErrno(() => init.fcntl(fd, F_DUPFD, -1), "EINVAL");
      expect(init.fcntl(fd, F_DUPFD, 1023)).toBe(1023);
      expectErrno(() => init.fcntl(fd, F_DUPFD, 1023), "EMFILE");
      expectErrno(() => init.fcntl(fd, F_GETLK, 0), "EINVAL");
      expectErrno(() => init.fcntl(fd, 12345, 0), "EINVAL");
      expectErrno(() => init.fcntl(500, F_GETFD), "EBADF");
      for (const n of [fd, 1, 10, 11, 1023]) init.close(n);
    });
  });

  test("O_PATH descriptors allow only F_DUPFD*, F_GETFD, F_SETFD and F_GETFL", () => {
    withKernel((_k, init) => {
      const p = init.open("/", O_PATH);
      expect(init.fcntl(p, F_GETFL)).toBe(O_PATH);
      init.fcntl(p, F_SETFD, FD_CLOEXEC);
      const d = init.fcntl(p, F_DUPFD, 0);
      expectErrno(() => init.fcntl(p, F_SETFL, O_NONBLOCK), "EBADF");
      expectErrno(() => init.ioctl(p, 0x5451), "EBADF");
      init.close(p);
      init.close(d);
    });
  });

  test("F_SETFL changes only the settable flags", () => {
    withKernel((_k, init) => {
      const fd = init.open("/f", O_CREAT | O_WRONLY, 0o644);
      init.fcntl(fd, F_SETFL, O_NONBLOCK | O_RDWR | O_CREAT);
      expect(init.fcntl(fd, F_GETFL) & (O_NONBLOCK | O_RDWR | O_WRONLY | O_CREAT)).toBe(O_NONBLOCK | O_WRONLY);
      init.close(fd);
    });
  });

  test("EMFILE at RLIMIT_NOFILE for open, dup, F_DUPFD and pipe2", () => {
    withKernel((_k, init) => {
      init.setrlimit(RLIMIT_NOFILE, { cur: 4, max: 4096 });
      const fds = [init.open("/", O_RDONLY), init.open("/", O_RDONLY), init.open("/", O_RDONLY)];
      expectErrno(() => init.pipe2(), "EMFILE"); // needs two
      const last = init.dup(0);
      expect(last).toBe(3);
      expectErrno(() => init.open("/", O_RDONLY), "EMFILE");
      expectErrno(() => init.dup(0), "EMFILE");
      expectErrno(() => init.fcntl(0, F_DUPFD, 0), "EMFILE");
      expectErrno(() => init.pipe2(), "EMFILE");
      // Descriptors above a lowered limit stay usable.
      init.setrlimit(RLIMIT_NOFILE, { cur: 2, max: 4096 });
      expect(init.fcntl(3, F_GETFD)).toBe(0);
      expectErrno(() => init.dup2(0, 3), "EBADF");
      for (const fd of [...fds, last]) init.close(fd);
    });
  });

  test("a child's table is a copy: closing in one does not close in the other", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      const child = init.fork();
      child.close(w);
      init.write(w, bytes("still open"));
      expect(child.read(r, new Uint8Array(32))).toBe(10);
      init.close(w);
      expect(child.read(r, new Uint8Array(32))).toBe(0);
      child.exit(0);
      init.wait4(child.pid);
      init.close(r);
    });
  });
});
