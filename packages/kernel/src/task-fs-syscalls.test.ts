import {
  MNT_DETACH,
  MS_BIND,
  MS_NOEXEC,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REMOUNT,
  MS_SHARED,
  MS_MOVE,
  O_CREAT,
  O_DIRECTORY,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  ST_NOEXEC,
  ST_RDONLY,
  TMPFS_MAGIC,
  UMOUNT_NOFOLLOW,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { expectErrno, readText, userCreds, withKernel, writeFile } from "./testing-fixtures/harness.js";

describe("working directory, root, umask", () => {
  test("chdir and fchdir move relative paths; errors for files and unsearchable dirs", () => {
    withKernel((_k, init) => {
      init.mkdir("/a", 0o755);
      init.mkdir("/a/b", 0o755);
      writeFile(init, "/a/b/f", "in b");
      init.chdir("/a");
      expect(init.getcwd()).toBe("/a");
      expect(readText(init, "b/f")).toBe("in b");
      const fd = init.open("b", O_RDONLY | O_DIRECTORY);
      init.chdir("/");
      init.fchdir(fd);
      expect(init.getcwd()).toBe("/a/b");
      expect(readText(init, "f")).toBe("in b");
      init.close(fd);
      const p = init.open("/a", O_PATH);
      init.fchdir(p); // O_PATH descriptors are fine for fchdir
      expect(init.getcwd()).toBe("/a");
      init.close(p);
      expectErrno(() => init.chdir("/a/b/f"), "ENOTDIR");
      expectErrno(() => init.chdir("/nope"), "ENOENT");
      const file = init.open("/a/b/f", O_RDONLY);
      expectErrno(() => init.fchdir(file), "ENOTDIR");
      init.close(file);
      init.mkdir("/locked", 0o700);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.chdir("/locked"), "EACCES");
      expectErrno(() => user.getcwd(2), "ERANGE");
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("getcwd of a removed working directory is ENOENT", () => {
    withKernel((_k, init) => {
      init.mkdir("/gone", 0o755);
      init.chdir("/gone");
      init.rmdir("/gone");
      expectErrno(() => init.getcwd(), "ENOENT");
      // Relative creation in a removed directory fails too.
      expectErrno(() => init.open("x", O_CREAT | O_WRONLY, 0o644), "ENOENT");
      init.chdir("/");
      expect(init.getcwd()).toBe("/");
    });
  });

  test("chroot bounds absolute paths and `..`; EPERM without CAP_SYS_CHROOT", () => {
    withKernel((_k, init) => {
      init.mkdir("/jail", 0o755);
      init.mkdir("/jail/etc", 0o755);
      writeFile(init, "/jail/etc/motd", "inside");
      writeFile(init, "/outside", "outside");
      const outsideDir = init.open("/", O_RDONLY | O_DIRECTORY);
      const child = init.fork();
      child.chroot("/jail");
      expect(readText(child, "/etc/motd")).toBe("inside");
      expectErrno(() => child.open("/outside", O_RDONLY), "ENOENT");
      // The working directory did not move: it is now outside the root.
      expect(child.getcwd()).toBe("(unreachable)/");
      child.chdir("/");
      expect(child.getcwd()).toBe("/");
      expect(readText(child, "../../etc/motd")).toBe("inside");
      // A descriptor opened outside still reaches outside (chroot bounds only walks
      // that pass through the root).
      const out = child.openat(outsideDir, "outside", O_RDONLY);
      child.close(out);
      expectErrno(() => child.chroot("/etc/motd"), "ENOTDIR");
      expectErrno(() => child.chroot("/nope"), "ENOENT");
      const user = child.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.chroot("/etc"), "EPERM");
      user.exit(0);
      child.wait4(user.pid);
      child.exit(0);
      init.wait4(child.pid);
      init.close(outsideDir);
    });
  });

  test("umask returns the old mask and keeps only 0777", () => {
    withKernel((_k, init) => {
      expect(init.umask(0o7777)).toBe(0o022);
      expect(init.umask(0)).toBe(0o777);
      init.open("/f", O_CREAT | O_WRONLY, 0o777);
      expect(init.stat("/f").mode & 0o777).toBe(0o777);
    });
  });
});

describe("mount and umount2", () => {
  test("mount tmpfs and testfs on directories, with flags; statfs shows them", () => {
    withKernel((k, init) => {
      init.mkdir("/mnt", 0o755);
      init.mkdir("/mnt/t", 0o755);
      init.mkdir("/mnt/u", 0o755);
      init.mount("none", "/mnt/t", "tmpfs", MS_NOEXEC, "mode=700");
      expect(init.stat("/mnt/t").mode & 0o777).toBe(0o700);
      expect(init.statfs("/mnt/t").type).toBe(TMPFS_MAGIC);
      expect(init.statfs("/mnt/t").flags & ST_NOEXEC).toBe(ST_NOEXEC);
      writeFile(init, "/mnt/t/file", "on tmpfs");
      init.mount("none", "/mnt/u", "testfs", MS_RDONLY);
      expect(init.statfs("/mnt/u").flags & ST_RDONLY).toBe(ST_RDONLY);
      expectErrno(() => init.open("/mnt/u/x", O_CREAT | O_WRONLY, 0o644), "EROFS");
      expect(k.vfs.generateProcMounts(init.ctx, init.fsContext.root())).toContain("/mnt/t tmpfs");
      expectErrno(() => init.mount("none", "/mnt/t", "nosuchfs", 0), "ENODEV");
      // pipefs is listed but never mountable: EINVAL as Linux (gVisor: ENODEV).
      expect(k.vfs.procFilesystems()).toContain("nodev\tpipefs\n");
      expectErrno(() => init.mount("none", "/mnt/t", "pipefs", 0), "EINVAL");
      expectErrno(() => init.mount("none", "/missing", "tmpfs", 0), "ENOENT");
      init.umount("/mnt/u");
      init.umount("/mnt/t");
      expectErrno(() => init.stat("/mnt/t/file"), "ENOENT");
    });
  });

  test("umount is EBUSY while a file is open; MNT_DETACH detaches at once", () => {
    withKernel((_k, init) => {
      init.mkdir("/m", 0o755);
      init.mount("none", "/m", "tmpfs", 0);
      writeFile(init, "/m/f", "still here");
      const fd = init.open("/m/f", O_RDWR);
      expectErrno(() => init.umount("/m"), "EBUSY");
      // A working directory inside also keeps it busy.
      const child = init.fork();
      init.close(fd);
      child.chdir("/m");
      expectErrno(() => init.umount("/m"), "EBUSY");
      child.chdir("/");
      const again = init.open("/m/f", O_RDONLY);
      init.umount2("/m", MNT_DETACH);
      // The mount is gone from the tree but the open file still works.
      expectErrno(() => init.stat("/m/f"), "ENOENT");
      const buf = new Uint8Array(32);
      const n = init.read(again, buf);
      expect(new TextDecoder().decode(buf.subarray(0, n))).toBe("still here");
      init.close(again);
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("mount errors: EPERM for users, EINVAL for non-mount points and unsupported flags", () => {
    withKernel((_k, init) => {
      init.mkdir("/m", 0o755);
      init.mkdir("/b", 0o755);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.mount("none", "/m", "tmpfs", 0), "EPERM");
      expectErrno(() => user.umount("/"), "EPERM");
      expectErrno(() => user.mount("none", "/m", "tmpfs", MS_PRIVATE), "EPERM");
      user.exit(0);
      init.wait4(user.pid);
      expectErrno(() => init.umount("/m"), "EINVAL"); // not a mount point
      expectErrno(() => init.umount("/"), "EINVAL"); // the namespace root
      expectErrno(() => init.umount2("/m", 0x100), "EINVAL");
      init.mount("none", "/m", "tmpfs", 0);
      init.mount("", "/m", "", MS_PRIVATE); // every mount is private already
      expectErrno(() => init.mount("", "/m", "", MS_SHARED), "EINVAL");
      expectErrno(() => init.mount("", "/b", "", MS_PRIVATE), "EINVAL");
      expectErrno(() => init.mount("/m", "/b", "", MS_MOVE), "EINVAL");
      // Remount read-only, then back.
      init.mount("", "/m", "", MS_REMOUNT | MS_RDONLY);
      expectErrno(() => init.open("/m/x", O_CREAT | O_WRONLY, 0o644), "EROFS");
      init.mount("", "/m", "", MS_REMOUNT);
      init.close(init.open("/m/x", O_CREAT | O_WRONLY, 0o644));
      // A remount to read-only with a file open for writing is EBUSY.
      const w = init.open("/m/x", O_WRONLY);
      expectErrno(() => init.mount("", "/m", "", MS_REMOUNT | MS_RDONLY), "EBUSY");
      init.close(w);
      // A bind mount shows the same files; umount through a symlink with UMOUNT_NOFOLLOW is EINVAL.
      init.mount("/m", "/b", "", MS_BIND);
      expect(init.stat("/b/x").ino).toBe(init.stat("/m/x").ino);
      init.symlink("/b", "/link-to-b");
      expectErrno(() => init.umount2("/link-to-b", UMOUNT_NOFOLLOW), "EINVAL");
      init.umount("/link-to-b");
      init.umount("/m");
    });
  });

  test("sync and syncfs succeed", () => {
    withKernel((_k, init) => {
      init.sync();
      const fd = init.open("/", O_RDONLY);
      init.syncfs(fd);
      init.close(fd);
      expectErrno(() => init.syncfs(fd), "EBADF");
    });
  });
});
