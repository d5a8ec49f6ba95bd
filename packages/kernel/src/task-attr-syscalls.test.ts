import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_STATX_DONT_SYNC,
  AT_STATX_FORCE_SYNC,
  AT_SYMLINK_NOFOLLOW,
  FIONREAD,
  F_OK,
  O_CREAT,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  R_OK,
  STATX_BASIC_STATS,
  STATX_INO,
  STATX_MNT_ID,
  STATX__RESERVED,
  S_IFLNK,
  S_IFMT,
  TMPFS_MAGIC,
  ST_RELATIME,
  ST_VALID,
  UTIME_NOW,
  UTIME_OMIT,
  W_OK,
  X_OK,
} from "@vfskit/abi";
import { CapabilitySet, type UID } from "@vfskit/auth";
import { describe, expect, test } from "vitest";
import { FIOCLEX, FIONBIO, FIONCLEX } from "./task-fd-syscalls.js";
import { bytes, expectErrno, userCreds, withKernel, writeFile } from "./testing-fixtures/harness.js";

describe("attribute system calls", () => {
  test("stat, lstat, fstatat flags, statx checks", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "12345");
      init.symlink("/f", "/l");
      expect(init.stat("/l").size).toBe(5);
      expect(init.lstat("/l").mode & S_IFMT).toBe(S_IFLNK);
      expect(init.fstatat(AT_FDCWD, "/l", AT_SYMLINK_NOFOLLOW).mode & S_IFMT).toBe(S_IFLNK);
      expect(init.fstatat(AT_FDCWD, "/f", AT_STATX_FORCE_SYNC).size).toBe(5);
      expectErrno(() => init.fstatat(AT_FDCWD, "/f", 0x1), "EINVAL");
      expectErrno(() => init.stat("/f/x"), "ENOTDIR");
      expectErrno(() => init.statx(AT_FDCWD, "/f", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, 0), "EINVAL");
      expectErrno(() => init.statx(AT_FDCWD, "/f", 0, STATX__RESERVED), "EINVAL");
      expectErrno(() => init.statx(AT_FDCWD, "/f", 0x1, STATX_INO), "EINVAL");
      const sx = init.statx(AT_FDCWD, "/f", 0, STATX_BASIC_STATS | STATX_MNT_ID);
      expect(sx.mask & STATX_MNT_ID).toBe(STATX_MNT_ID);
      // AT_EMPTY_PATH: the descriptor itself (O_PATH too); the cwd for AT_FDCWD.
      const p = init.open("/f", O_PATH);
      expect(init.fstatat(p, "", AT_EMPTY_PATH).size).toBe(5);
      expect(init.statx(p, "", AT_EMPTY_PATH, STATX_INO).ino).toBe(init.stat("/f").ino);
      expect(init.fstatat(AT_FDCWD, "", AT_EMPTY_PATH).ino).toBe(init.stat("/").ino);
      expectErrno(() => init.fstatat(p, "", 0), "ENOENT");
      init.close(p);
      // An unlinked but open file: stat by path fails, fstat works with nlink 0.
      const fd = init.open("/f", O_RDONLY);
      init.unlink("/f");
      expectErrno(() => init.stat("/f"), "ENOENT");
      expect(init.fstat(fd).nlink).toBe(0);
      init.close(fd);
    });
  });

  test("faccessat2: bad mode/flags, real IDs by default, effective IDs with AT_EACCESS", () => {
    withKernel((_k, init) => {
      writeFile(init, "/owned-by-1000", "x", 0o600);
      init.chown("/owned-by-1000", 1000, 1000);
      writeFile(init, "/root-only", "x", 0o600);
      expectErrno(() => init.access("/root-only", 8), "EINVAL");
      expectErrno(() => init.faccessat2(AT_FDCWD, "/root-only", R_OK, 0x1), "EINVAL");
      init.access("/root-only", R_OK | W_OK);
      expectErrno(() => init.access("/root-only", X_OK), "EACCES"); // no x bit: even root
      expectErrno(() => init.access("/missing", F_OK), "ENOENT");
      // Real uid 1000, effective uid 0 (a set-user-ID-root program): access() checks as
      // 1000 without capabilities; AT_EACCESS checks as root.
      const t = init.fork();
      const ns = t.credentials.userNamespace;
      t.setCredentials(t.credentials.with({ realKUID: ns.mapToKUID(1000 as UID), realKGID: ns.mapToKGID(1000 as never) }));
      expectErrno(() => t.access("/root-only", R_OK), "EACCES");
      t.faccessat2(AT_FDCWD, "/root-only", R_OK, AT_EACCESS);
      t.access("/owned-by-1000", R_OK | W_OK);
      // Real uid 0 with effective uid 1000: access() uses the permitted capabilities.
      const u = init.fork();
      u.setCredentials(u.credentials.with({ effectiveKUID: ns.mapToKUID(1000 as UID), fsKUID: ns.mapToKUID(1000 as UID), effectiveCaps: CapabilitySet.EMPTY }));
      u.access("/root-only", R_OK);
      expectErrno(() => u.faccessat2(AT_FDCWD, "/root-only", R_OK, AT_EACCESS), "EACCES");
      for (const task of [t, u]) {
        task.exit(0);
        init.wait4(task.pid);
      }
    });
  });

  test("chmod, chown, fchmod, fchown and their permission rules", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "x", 0o644);
      init.chmod("/f", 0o4755);
      expect(init.stat("/f").mode & 0o7777).toBe(0o4755);
      expectErrno(() => init.fchmodat(AT_FDCWD, "/f", 0o644, 0x2), "EINVAL");
      init.chown("/f", 1000, 1000);
      expect(init.stat("/f")).toMatchObject({ uid: 1000, gid: 1000 });
      init.chown("/f", -1, 50);
      expect(init.stat("/f")).toMatchObject({ uid: 1000, gid: 50 });
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000, 1000));
      user.chmod("/f", 0o600); // the owner may
      expectErrno(() => user.chown("/f", 0, -1), "EPERM");
      expectErrno(() => user.chown("/f", -1, 7), "EPERM"); // not a member of group 7
      user.chown("/f", -1, 1000); // its own group
      writeFile(init, "/g", "x", 0o644);
      expectErrno(() => user.chmod("/g", 0o777), "EPERM");
      const fd = user.open("/f", O_RDWR);
      user.fchmod(fd, 0o640);
      expect(user.fstat(fd).mode & 0o777).toBe(0o640);
      expectErrno(() => user.fchown(fd, 0, 0), "EPERM");
      user.close(fd);
      user.exit(0);
      init.wait4(user.pid);
      const p = init.open("/g", O_PATH);
      expectErrno(() => init.fchmod(p, 0o600), "EBADF");
      expectErrno(() => init.fchown(p, 0, 0), "EBADF");
      init.close(p);
      // An ID without a mapping in the caller's namespace is EINVAL, after the lookup.
      expectErrno(() => init.chown("/g", 2 ** 32 - 1, -1), "EINVAL");
      expectErrno(() => init.chown("/missing", 2 ** 32 - 1, -1), "ENOENT");
    });
  });

  test("utimensat: now, explicit, UTIME_OMIT; bad nanoseconds; both omitted does nothing", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "x");
      init.utimensat(AT_FDCWD, "/f", [{ sec: 10, nsec: 1 }, { sec: 20, nsec: 2 }]);
      let st = init.stat("/f");
      expect(st.atime).toEqual({ sec: 10, nsec: 1 });
      expect(st.mtime).toEqual({ sec: 20, nsec: 2 });
      init.utimensat(AT_FDCWD, "/f", [{ sec: 99, nsec: UTIME_OMIT }, { sec: 30, nsec: 0 }]);
      st = init.stat("/f");
      expect(st.atime).toEqual({ sec: 10, nsec: 1 });
      expect(st.mtime).toEqual({ sec: 30, nsec: 0 });
      init.utimensat(AT_FDCWD, "/f", undefined);
      expect(init.stat("/f").mtime).toEqual({ sec: 1_700_000_000, nsec: 0 });
      expectErrno(() => init.utimensat(AT_FDCWD, "/f", [{ sec: 0, nsec: 1e9 }, { sec: 0, nsec: 0 }]), "EINVAL");
      expectErrno(() => init.utimensat(AT_FDCWD, "/f", undefined, 0x1), "EINVAL");
      // Both omitted: success without even looking the path up (host-checked).
      init.utimensat(AT_FDCWD, "/missing", [{ sec: 0, nsec: UTIME_OMIT }, { sec: 0, nsec: UTIME_OMIT }]);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.utimensat(AT_FDCWD, "/f", [{ sec: 1, nsec: 0 }, { sec: 1, nsec: 0 }]), "EPERM");
      expectErrno(() => user.utimensat(AT_FDCWD, "/f", undefined), "EACCES");
      init.chmod("/f", 0o666);
      user.utimensat(AT_FDCWD, "/f", [{ sec: 0, nsec: UTIME_NOW }, { sec: 0, nsec: UTIME_NOW }]);
      const fd = user.open("/f", O_RDONLY);
      expectErrno(() => user.futimens(fd, [{ sec: 5, nsec: 0 }, { sec: 5, nsec: 0 }]), "EPERM");
      user.futimens(fd, undefined);
      user.close(fd);
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("truncate and ftruncate", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "0123456789");
      init.truncate("/f", 4);
      expect(init.stat("/f").size).toBe(4);
      expectErrno(() => init.truncate("/f", -1), "EINVAL");
      expectErrno(() => init.truncate("/", 0), "EISDIR");
      const rw = init.open("/f", O_RDWR);
      init.ftruncate(rw, 100);
      expect(init.fstat(rw).size).toBe(100);
      expectErrno(() => init.ftruncate(rw, -1), "EINVAL");
      init.close(rw);
      const ro = init.open("/f", O_RDONLY);
      expectErrno(() => init.ftruncate(ro, 0), "EINVAL");
      init.close(ro);
      const dir = init.open("/", O_RDONLY);
      expectErrno(() => init.ftruncate(dir, 0), "EINVAL");
      init.close(dir);
      const p = init.open("/f", O_PATH);
      expectErrno(() => init.ftruncate(p, 0), "EBADF");
      init.close(p);
      const [r, w] = init.pipe2();
      expectErrno(() => init.ftruncate(w, 0), "EINVAL");
      init.close(r);
      init.close(w);
      init.chmod("/f", 0o644);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.truncate("/f", 0), "EACCES");
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("statfs and fstatfs report the filesystem and the mount's flags", () => {
    withKernel((_k, init) => {
      expect(init.statfs("/").type).toBe(TMPFS_MAGIC);
      // Host: tmpfs reports f_flags 0x1020 (ST_VALID | ST_RELATIME).
      expect(init.statfs("/").flags).toBe(ST_VALID | ST_RELATIME);
      const fd = init.open("/", O_RDONLY);
      expect(init.fstatfs(fd).type).toBe(TMPFS_MAGIC);
      init.close(fd);
      expectErrno(() => init.statfs("/missing"), "ENOENT");
    });
  });

  test("pipe metadata: chmod, chown and utimes work on a pipe, as in Linux", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      init.fchmod(r, 0o644);
      expect(init.fstat(w).mode & 0o777).toBe(0o644);
      init.fchown(r, 1, 1);
      expect(init.fstat(w)).toMatchObject({ uid: 1, gid: 1 });
      init.futimens(w, [{ sec: 1, nsec: 0 }, { sec: 2, nsec: 0 }]);
      expect(init.fstat(r).mtime).toEqual({ sec: 2, nsec: 0 });
      init.close(r);
      init.close(w);
    });
  });

  test("generic ioctls: FIOCLEX, FIONCLEX, FIONBIO, FIONREAD on a regular file", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "hello");
      const fd = init.open("/f", O_RDONLY);
      init.ioctl(fd, FIOCLEX);
      expect(init.fdTable.getFlags(fd).closeOnExec).toBe(true);
      init.ioctl(fd, FIONCLEX);
      expect(init.fdTable.getFlags(fd).closeOnExec).toBe(false);
      init.ioctl(fd, FIONBIO, new Int32Array([1]));
      expect(init.fcntl(fd, 3) & 0o4000).toBe(0o4000);
      const n = new Int32Array(1);
      init.ioctl(fd, FIONREAD, n);
      expect(n[0]).toBe(5);
      init.read(fd, new Uint8Array(2));
      init.ioctl(fd, FIONREAD, n);
      expect(n[0]).toBe(3);
      const dir = init.open("/", O_RDONLY);
      expectErrno(() => init.ioctl(dir, FIONREAD, n), "ENOTTY");
      init.close(dir);
      init.close(fd);
      const w = init.open("/g", O_CREAT | O_WRONLY, 0o644);
      init.write(w, bytes("x"));
      init.close(w);
    });
  });
});
