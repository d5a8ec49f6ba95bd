import {
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  DT_DIR,
  DT_REG,
  F_GETFL,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_LARGEFILE,
  O_NOFOLLOW,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_WRONLY,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  SEEK_END,
  SEEK_SET,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  isSysError,
  makedev,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { bytes, expectErrno, readText, userCreds, withKernel, writeFile } from "./testing-fixtures/harness.js";

describe("path system calls", () => {
  test("the umask applies to created modes; set-ID and sticky bits survive it", () => {
    withKernel((_k, init) => {
      init.umask(0o077);
      const fd = init.open("/c", O_CREAT | O_WRONLY, 0o4777);
      expect(init.fstat(fd).mode).toBe(S_IFREG | 0o4700);
      init.close(fd);
      init.umask(0o022);
      init.mkdir("/d", 0o1777);
      expect(init.stat("/d").mode & 0o7777).toBe(0o1755);
      init.mknod("/fifo", S_IFIFO | 0o666);
      expect(init.lstat("/fifo").mode).toBe(S_IFIFO | 0o644);
      const cfd = init.creat("/e", 0o666);
      expect(init.fstat(cfd).mode & 0o777).toBe(0o644);
      expect(init.fcntl(cfd, F_GETFL) & O_WRONLY).toBe(O_WRONLY);
      init.close(cfd);
      // O_CREAT on an existing file ignores the mode.
      const again = init.open("/e", O_CREAT | O_RDWR, 0o777);
      expect(init.fstat(again).mode & 0o777).toBe(0o644);
      init.close(again);
    });
  });

  test("F_GETFL of an opened file includes O_LARGEFILE, as on 64-bit Linux", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "x");
      const fd = init.open("/f", O_RDONLY);
      expect(init.fcntl(fd, F_GETFL)).toBe(O_RDONLY | O_LARGEFILE);
      const p = init.open("/f", O_PATH);
      expect(init.fcntl(p, F_GETFL)).toBe(O_PATH);
      init.close(fd);
      init.close(p);
    });
  });

  test("path checks: PATH_MAX in bytes, NUL, empty paths, bad and non-directory dirfds", () => {
    withKernel((_k, init) => {
      init.mkdir("/d", 0o755);
      writeFile(init, "/d/f", "data");
      const long = "/" + "a/".repeat(2047) + "b"; // 4096 bytes
      expect(new TextEncoder().encode(long).length).toBe(4096);
      expectErrno(() => init.open(long, O_RDONLY), "ENAMETOOLONG");
      expectErrno(() => init.open("/" + "é".repeat(2048), O_RDONLY), "ENAMETOOLONG"); // 4097 bytes
      expectErrno(() => init.open("/" + "x".repeat(256), O_RDONLY), "ENAMETOOLONG");
      expectErrno(() => init.open("/d/f\0x", O_RDONLY), "EINVAL");
      expectErrno(() => init.open("", O_RDONLY), "ENOENT");
      expectErrno(() => init.mkdirat(AT_FDCWD, "", 0o755), "ENOENT");
      expectErrno(() => init.unlinkat(AT_FDCWD, "", 0), "ENOENT");
      expectErrno(() => init.openat(42, "f", O_RDONLY), "EBADF");
      // An absolute path ignores dirfd, even a bad one.
      const abs = init.openat(42, "/d/f", O_RDONLY);
      const dir = init.open("/d", O_RDONLY | O_DIRECTORY);
      const viaDir = init.openat(dir, "f", O_RDONLY);
      expect(init.fstat(viaDir).ino).toBe(init.fstat(abs).ino);
      // A file as dirfd: ENOTDIR for any relative path, ENOENT for an empty one.
      expectErrno(() => init.openat(abs, "x", O_RDONLY), "ENOTDIR");
      expectErrno(() => init.openat(abs, "..", O_RDONLY), "ENOTDIR");
      expectErrno(() => init.openat(abs, "", O_RDONLY), "ENOENT");
      expectErrno(() => init.mkdirat(abs, "x", 0o755), "ENOTDIR");
      // Paths are not cleaned lexically.
      expectErrno(() => init.open("/missing/../d/f", O_RDONLY), "ENOENT");
      expect(readText(init, "/d/../d//f")).toBe("data");
      for (const fd of [abs, dir, viaDir]) init.close(fd);
    });
  });

  test("open flag checks come first; errors carry the system call and the path", () => {
    withKernel((_k, init) => {
      expectErrno(() => init.open("", O_CREAT | O_DIRECTORY), "EINVAL");
      expectErrno(() => init.open("/", O_TMPFILE | O_RDONLY), "EINVAL");
      const error = expectErrno(() => init.open("/nope", O_RDONLY), "ENOENT");
      expect(error.path).toBe("/nope");
      expect(error.syscall).toBeDefined();
      expect(error.message).toContain("/nope");
      const e2 = expectErrno(() => init.close(99), "EBADF");
      expect(e2.syscall).toBe("close");
      writeFile(init, "/f", "x");
      expectErrno(() => init.open("/f", O_CREAT | O_EXCL | O_RDWR), "EEXIST");
      expectErrno(() => init.open("/", O_RDWR), "EISDIR");
      expectErrno(() => init.open("/f", O_RDONLY | O_DIRECTORY), "ENOTDIR");
      init.symlink("/f", "/l");
      expectErrno(() => init.open("/l", O_RDONLY | O_NOFOLLOW), "ELOOP");
    });
  });

  test("an unprivileged task is refused by permissions", () => {
    withKernel((_k, init) => {
      init.mkdir("/root-only", 0o755);
      writeFile(init, "/secret", "s", 0o600);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.open("/root-only/x", O_CREAT | O_WRONLY, 0o644), "EACCES");
      expectErrno(() => user.open("/secret", O_RDONLY), "EACCES");
      expectErrno(() => user.mkdir("/root-only/d", 0o755), "EACCES");
      expectErrno(() => user.unlink("/secret"), "EPERM"); // the root of a tmpfs is sticky (1777)
      expectErrno(() => user.mknod("/dev0", 0o20644, makedev(1, 3)), "EPERM"); // a device needs CAP_MKNOD
      user.mknod("/user-fifo", S_IFIFO | 0o600); // a FIFO does not
      expect(user.lstat("/user-fifo").mode).toBe(S_IFIFO | 0o600);
      // The user may create in the world-writable root.
      const fd = user.open("/mine", O_CREAT | O_WRONLY, 0o600);
      expect(user.fstat(fd).uid).toBe(1000);
      user.close(fd);
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("link, unlink, rmdir, rename and their errors", () => {
    withKernel((_k, init) => {
      init.mkdir("/d", 0o755);
      writeFile(init, "/d/f", "x");
      init.link("/d/f", "/d/g");
      expect(init.stat("/d/g").nlink).toBe(2);
      expectErrno(() => init.link("/d/f", "/d/g"), "EEXIST");
      expectErrno(() => init.link("/d", "/e"), "EPERM");
      expectErrno(() => init.linkat(AT_FDCWD, "/d/f", AT_FDCWD, "/h", 0x1), "EINVAL");
      init.symlink("/d/f", "/sl");
      init.linkat(AT_FDCWD, "/sl", AT_FDCWD, "/hard-to-target", AT_SYMLINK_FOLLOW);
      expect(init.lstat("/hard-to-target").ino).toBe(init.stat("/d/f").ino);
      init.linkat(AT_FDCWD, "/sl", AT_FDCWD, "/hard-to-link", 0);
      expect(init.lstat("/hard-to-link").ino).toBe(init.lstat("/sl").ino);
      // AT_EMPTY_PATH links the descriptor's file: allowed for the opener.
      const fd = init.open("/d/f", O_RDONLY);
      init.linkat(fd, "", AT_FDCWD, "/via-fd", AT_EMPTY_PATH);
      expect(init.stat("/via-fd").ino).toBe(init.stat("/d/f").ino);
      expectErrno(() => init.linkat(fd, "", AT_FDCWD, "/via-fd2", 0), "ENOENT");
      // ...but not for another task's credentials without CAP_DAC_READ_SEARCH.
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.linkat(fd, "", AT_FDCWD, "/via-user", AT_EMPTY_PATH), "ENOENT");
      user.exit(0);
      init.wait4(user.pid);
      init.close(fd);
      expectErrno(() => init.unlink("/d"), "EISDIR");
      expectErrno(() => init.rmdir("/d"), "ENOTEMPTY");
      expectErrno(() => init.unlinkat(AT_FDCWD, "/d/f", AT_REMOVEDIR), "ENOTDIR");
      expectErrno(() => init.unlinkat(AT_FDCWD, "/d/f", 0x1), "EINVAL");
      expectErrno(() => init.rmdir("/d/."), "EINVAL");
      expectErrno(() => init.rmdir("/"), "EBUSY");
      init.rename("/d/g", "/d/h");
      expectErrno(() => init.stat("/d/g"), "ENOENT");
      expectErrno(() => init.renameat2(AT_FDCWD, "/d/h", AT_FDCWD, "/d/f", RENAME_NOREPLACE), "EEXIST");
      expectErrno(() => init.renameat2(AT_FDCWD, "/d/h", AT_FDCWD, "/d/f", RENAME_NOREPLACE | RENAME_EXCHANGE), "EINVAL");
      expectErrno(() => init.renameat2(AT_FDCWD, "/d/h", AT_FDCWD, "/d/f", 0x40), "EINVAL");
      expectErrno(() => init.rename("/", "/x"), "EBUSY");
      const e = expectErrno(() => init.rename("/nope", "/x"), "ENOENT");
      expect(e.path).toBe("/nope");
      expect(e.dest).toBe("/x");
      init.unlink("/d/h");
      init.unlink("/d/f");
      init.rmdir("/d/");
      expectErrno(() => init.stat("/d"), "ENOENT");
    });
  });

  test("symlink and readlink; an empty path reads the link a descriptor stands for", () => {
    withKernel((_k, init) => {
      expectErrno(() => init.symlink("", "/l"), "ENOENT");
      init.symlink("dangling/target", "/l");
      expect(init.readlink("/l")).toBe("dangling/target");
      expectErrno(() => init.readlink("/"), "EINVAL");
      expectErrno(() => init.readlinkat(AT_FDCWD, ""), "ENOENT");
      const fd = init.open("/l", O_PATH | O_NOFOLLOW);
      expect(init.readlinkat(fd, "")).toBe("dangling/target");
      init.close(fd);
      expectErrno(() => init.symlink("x", "/l"), "EEXIST");
    });
  });

  test("getdents64 lists entries within a byte budget; EINVAL when one does not fit", () => {
    withKernel((_k, init) => {
      init.mkdir("/d", 0o755);
      for (const name of ["a", "bb", "a-rather-long-file-name"]) writeFile(init, `/d/${name}`, "");
      const fd = init.open("/d", O_RDONLY | O_DIRECTORY);
      // "." and ".." take 24 bytes each; "a" 24, "bb" 24; the long name 48.
      expectErrno(() => init.getdents64(fd, 23), "EINVAL");
      const first = init.getdents64(fd, 48);
      expect(first.map((d) => d.name)).toEqual([".", ".."]);
      expect(first[0]?.type).toBe(DT_DIR);
      const rest = init.getdents64(fd, 4096);
      expect(rest.map((d) => d.name).sort()).toEqual(["a", "a-rather-long-file-name", "bb"]);
      expect(rest.every((d) => d.type === DT_REG)).toBe(true);
      expect(init.getdents64(fd, 4096)).toEqual([]);
      // Rewinding starts over.
      init.lseek(fd, 0, SEEK_SET);
      expect(init.getdents64(fd, 4096).length).toBe(5);
      init.close(fd);
      writeFile(init, "/f", "x");
      const file = init.open("/f", O_RDONLY);
      expectErrno(() => init.getdents64(file, 4096), "ENOTDIR");
      init.close(file);
    });
  });

  test("read, write, pread64, pwrite64, lseek and O_PATH on regular files", () => {
    withKernel((_k, init) => {
      const fd = init.open("/f", O_CREAT | O_RDWR, 0o644);
      expect(init.write(fd, bytes("hello world"))).toBe(11);
      expect(init.lseek(fd, 0, SEEK_END)).toBe(11);
      expect(init.pwrite64(fd, bytes("W"), 6)).toBe(1);
      const buf = new Uint8Array(5);
      expect(init.pread64(fd, buf, 6)).toBe(5);
      expect(new TextDecoder().decode(buf)).toBe("World");
      expectErrno(() => init.pread64(fd, buf, -1), "EINVAL");
      expect(init.lseek(fd, 0, SEEK_SET)).toBe(0);
      expect(init.read(fd, buf)).toBe(5);
      expectErrno(() => init.lseek(fd, -100, SEEK_SET), "EINVAL");
      init.close(fd);
      const p = init.open("/f", O_PATH);
      expectErrno(() => init.read(p, buf), "EBADF");
      expectErrno(() => init.lseek(p, 0, SEEK_SET), "EBADF");
      expect(init.fstat(p).size).toBe(11);
      init.close(p);
      const ro = init.open("/f", O_RDONLY);
      expectErrno(() => init.write(ro, buf), "EBADF");
      init.close(ro);
    });
  });

  test("every error is a SysError with a code", () => {
    withKernel((_k, init) => {
      try {
        init.stat("/none/such");
      } catch (error) {
        expect(isSysError(error, "ENOENT")).toBe(true);
      }
      expect(init.lstat("/").mode & S_IFMT).toBe(0o040000);
    });
  });
});
