// Path operations on tmpfs: walking, creating, deleting, opening, links and symlinks,
// with the errno Linux gives (checked on Linux 6.18 with tmpfs at /dev/shm, as root and
// as an unprivileged user) and its order where several apply.
import {
  O_ACCMODE,
  O_APPEND,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_EXCL,
  O_NOATIME,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  STATX_ALL,
  STATX_SIZE,
  W_OK,
  R_OK,
  SysError,
} from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { FifoOpenerKey, VirtualDentry, lockBSD, withValue, type FifoOpener } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { bytes, createTmpfs, errnoOf, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

function withTmpfs(fn: (t: TmpfsTest) => void, data?: string): void {
  const t = createTmpfs(data === undefined ? {} : { data });
  try {
    fn(t);
  } finally {
    t.release();
  }
}

describe("walk", () => {
  test("files deep in a tree resolve; . and .. resolve physically", () =>
    withTmpfs((t) => {
      t.mkdir("/a");
      t.mkdir("/a/b");
      t.writeFile("/a/b/f", "x");
      t.vfs.symlinkAt(t.ctx, t.pop("/link", { follow: false }), "a/b");
      expect(t.stat("/a/./b/../b/f").size).toBe(1);
      expect(t.stat("/link/f").size).toBe(1);
      // `..` of a symlinked directory is its real parent: /a, not /.
      expect(t.stat("/link/../b/f").size).toBe(1);
      expect(t.stat("/../../a").mode & S_IFMT).toBe(S_IFDIR);
    }));

  test("missing components, non-directories and long names", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "x");
      expectErrno(() => t.stat("/nope"), "ENOENT");
      expectErrno(() => t.stat("/nope/../f"), "ENOENT"); // not lexically cleaned
      expectErrno(() => t.stat("/f/x"), "ENOTDIR");
      expectErrno(() => t.stat("/f/"), "ENOTDIR");
      expectErrno(() => t.stat(`/${"a".repeat(256)}`), "ENAMETOOLONG");
      // 128 two-byte characters: 256 UTF-8 bytes.
      expectErrno(() => t.stat(`/${"é".repeat(128)}`), "ENAMETOOLONG");
      t.writeFile(`/${"é".repeat(127)}a`, "");
      expect(t.stat(`/${"é".repeat(127)}a`).size).toBe(0);
      expect(t.vfs.tryStatAt(t.ctx, t.pop("/nope"), { mask: STATX_ALL, sync: 0 })).toBeUndefined();
    }));

  test("searching needs exec permission on every directory", () =>
    withTmpfs((t) => {
      t.mkdir("/d", 0o700);
      t.writeFile("/d/f", "x");
      const user = t.asUser(1000, 1000);
      expectErrno(() => t.stat("/d/f", { ctx: user }), "EACCES");
      // A directory with every x bit set is searchable by anyone.
      t.mkdir("/open", 0o111);
      t.writeFile("/open/f", "x");
      expect(t.stat("/open/f", { ctx: user }).size).toBe(1);
    }));

  test("a symlink loop is ELOOP; an empty-looking chain of 40 links works", () =>
    withTmpfs((t) => {
      t.vfs.symlinkAt(t.ctx, t.pop("/loop", { follow: false }), "loop");
      expectErrno(() => t.stat("/loop"), "ELOOP");
      t.writeFile("/l0", "x");
      for (let i = 1; i <= 40; i++) t.vfs.symlinkAt(t.ctx, t.pop(`/l${i}`, { follow: false }), `l${i - 1}`);
      expect(t.stat("/l40").size).toBe(1);
      t.vfs.symlinkAt(t.ctx, t.pop("/l41", { follow: false }), "l40");
      expectErrno(() => t.stat("/l41"), "ELOOP");
    }));

  test("walking into a mounted tmpfs and back out with ..", () =>
    withTmpfs((t) => {
      t.mkdir("/mnt");
      t.writeFile("/top", "x");
      t.mountTmpfs("/mnt");
      t.writeFile("/mnt/inner", "yy");
      expect(t.stat("/mnt/inner").size).toBe(2);
      expect(t.stat("/mnt/../top").size).toBe(1);
      expect(t.stat("/mnt").devMinor).not.toBe(t.stat("/").devMinor);
      // O_CREAT on a name something is mounted on opens the mounted root.
      expectErrno(() => t.open("/mnt", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/mnt", { follow: false })), "EISDIR");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, t.pop("/mnt", { follow: false })), "EBUSY");
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    }));
});

describe("creating files", () => {
  test("mkdir, mknod, symlink, link create entries with Linux's types and counts", () =>
    withTmpfs((t) => {
      t.mkdir("/d", 0o750);
      expect(t.stat("/d").mode).toBe(S_IFDIR | 0o750);
      expect(t.stat("/d").nlink).toBe(2);
      expect(t.stat("/").nlink).toBe(3);
      const mknod = (path: string, mode: number, devMajor = 0, devMinor = 0): void =>
        t.vfs.mknodAt(t.ctx, t.pop(path, { follow: false }), { mode, devMajor, devMinor });
      mknod("/fifo", S_IFIFO | 0o644);
      mknod("/chr", S_IFCHR | 0o600, 250, 3);
      mknod("/blk", S_IFBLK | 0o600, 8, 1);
      mknod("/sock", S_IFSOCK | 0o600);
      mknod("/plain", 0o640); // type 0 is a regular file
      expect(t.stat("/fifo").mode).toBe(S_IFIFO | 0o644);
      expect(t.stat("/chr")).toMatchObject({ mode: S_IFCHR | 0o600, rdevMajor: 250, rdevMinor: 3, size: 0 });
      expect(t.stat("/blk").mode & S_IFMT).toBe(S_IFBLK);
      expect(t.stat("/sock").mode & S_IFMT).toBe(S_IFSOCK);
      expect(t.stat("/plain").mode).toBe(S_IFREG | 0o640);
      expectErrno(() => mknod("/dir", S_IFDIR | 0o755), "EPERM");
      expectErrno(() => mknod("/lnk", S_IFLNK | 0o777), "EINVAL");
      t.vfs.symlinkAt(t.ctx, t.pop("/sl", { follow: false }), "target/x");
      expect(t.stat("/sl", { follow: false })).toMatchObject({ mode: S_IFLNK | 0o777, size: 8, blocks: 0 });
      expect(t.vfs.readlinkAt(t.ctx, t.pop("/sl", { follow: false }))).toBe("target/x");
      expectErrno(() => t.vfs.readlinkAt(t.ctx, t.pop("/d", { follow: false })), "EINVAL");
    }));

  test("the order of create errors (Linux's filename_create and may_create)", () =>
    withTmpfs((t) => {
      t.mkdir("/noexec", 0o777);
      t.mkdir("/noexec/x");
      t.vfs.setStatAt(t.ctx, t.pop("/noexec"), { stat: { mask: 0x2, mode: 0o666 } });
      t.mkdir("/nowrite", 0o555);
      t.vfs.mknodAt(t.ctx, t.pop("/nowrite/x", { follow: false }), { mode: S_IFREG | 0o644, devMajor: 0, devMinor: 0 });
      const u = t.asUser(1000, 1000);
      const mkdir = (path: string): string => errnoOf(() => t.vfs.mkdirAt(u, t.pop(path, { follow: false }), { mode: 0o755 }));
      // Search permission on the parent comes first, even before "." and existence.
      expect(mkdir("/noexec/x")).toBe("EACCES");
      expect(mkdir("/noexec/.")).toBe("EACCES");
      // Then "."/"..", the name's length, existence, and only then write permission.
      expect(mkdir("/nowrite/.")).toBe("EEXIST");
      expect(mkdir(`/nowrite/${"a".repeat(256)}`)).toBe("ENAMETOOLONG");
      expect(mkdir("/nowrite/x")).toBe("EEXIST");
      expect(mkdir("/nowrite/y")).toBe("EACCES");
      // A trailing slash on a new non-directory: ENOENT; on mkdir: fine.
      expectErrno(() => t.vfs.symlinkAt(t.ctx, t.pop("/s/", { follow: false }), "t"), "ENOENT");
      t.vfs.mkdirAt(t.ctx, t.pop("/withslash/", { follow: false }), { mode: 0o755 });
      expect(t.stat("/withslash").mode & S_IFMT).toBe(S_IFDIR);
    }));

  test("EROFS comes after EEXIST, before EACCES; creating in a removed directory is ENOENT", () =>
    withTmpfs((t) => {
      t.mkdir("/ro");
      t.mkdir("/ro/x");
      t.mountTmpfs("/ro", undefined, { readOnly: true });
      // A read-only mount: the mounted tmpfs is empty; create on it.
      expectErrno(() => t.mkdir("/ro/.", 0o755), "EEXIST");
      expectErrno(() => t.mkdir("/ro/y", 0o755), "EROFS");
      expectErrno(() => t.open("/ro/f", O_CREAT | O_WRONLY), "EROFS");
      t.vfs.umountAt(t.ctx, t.pop("/ro"), { flags: 0 });
      t.mkdir("/gone");
      const dir = t.vfs.getDentryAt(t.ctx, t.pop("/gone"));
      t.vfs.rmdirAt(t.ctx, t.pop("/gone", { follow: false }));
      const inGone = (name: string) => ({ root: t.root, start: dir, path: parse(name), followFinalSymlink: false });
      expectErrno(() => t.vfs.mkdirAt(t.ctx, inGone("x"), { mode: 0o755 }), "ENOENT");
      expectErrno(() => t.vfs.openAt(t.ctx, { ...inGone("f"), followFinalSymlink: true }, { flags: O_CREAT | O_RDWR, mode: 0o644 }), "ENOENT");
      expect(t.vfs.statAt(t.ctx, inGone("."), { mask: STATX_ALL, sync: 0 }).nlink).toBe(0);
      dir.decRef(t.ctx);
    }));

  test("symlink targets: empty is ENOENT, 4096 bytes ENAMETOOLONG, 128+ bytes take a page", () =>
    withTmpfs((t) => {
      const symlink = (path: string, target: string): void => t.vfs.symlinkAt(t.ctx, t.pop(path, { follow: false }), target);
      expectErrno(() => symlink("/e", ""), "ENOENT");
      expectErrno(() => symlink("/l", "y".repeat(4096)), "ENAMETOOLONG");
      symlink("/l4095", "y".repeat(4095));
      symlink("/short", "y".repeat(127));
      symlink("/long", "y".repeat(128));
      expect(t.stat("/short", { follow: false }).blocks).toBe(0);
      expect(t.stat("/long", { follow: false }).blocks).toBe(8);
      expect(t.stat("/l4095", { follow: false }).size).toBe(4095);
      // Dangling links are allowed; a symlink over an existing name is EEXIST.
      symlink("/dangling", "/nowhere");
      expectErrno(() => symlink("/short", "x"), "EEXIST");
    }));
});

describe("open", () => {
  test("O_CREAT, O_EXCL, trailing slashes and dots", () =>
    withTmpfs((t) => {
      t.mkdir("/dir");
      t.writeFile("/f", "data");
      expectErrno(() => t.open("/f", O_CREAT | O_EXCL | O_RDWR), "EEXIST");
      expectErrno(() => t.open("/dir", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.open("/dir/", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.open("/dir/missing/", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.open("/dir/.", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.open("/dir/.", O_CREAT | O_EXCL | O_RDONLY), "EEXIST");
      expectErrno(() => t.open("/", O_CREAT | O_RDONLY), "EISDIR");
      expectErrno(() => t.open("/f", O_DIRECTORY | O_RDONLY), "ENOTDIR");
      expectErrno(() => t.open("/f/", O_RDONLY), "ENOTDIR");
      expectErrno(() => t.open("/dir", O_RDWR), "EISDIR");
      expectErrno(() => t.open("/dir", O_RDONLY | O_TRUNC), "EISDIR");
      expectErrno(() => t.open("/dir", O_RDONLY | O_DIRECT), "EINVAL");
      expectErrno(() => t.open(`/dir/${"n".repeat(256)}`, O_CREAT | O_RDWR), "ENAMETOOLONG");
      const fd = t.open("/new", O_CREAT | O_EXCL | O_RDWR, 0o640);
      expect(fd.wasCreated()).toBe(true);
      expect(fd.stat(t.ctx, { mask: 0, sync: 0 }).mode).toBe(S_IFREG | 0o640);
      fd.decRef(t.ctx);
      const again = t.open("/new", O_CREAT | O_RDWR);
      expect(again.wasCreated()).toBe(false);
      again.decRef(t.ctx);
    }));

  test("O_CREAT through symlinks: a dangling link creates its target; O_EXCL and O_NOFOLLOW refuse", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      t.vfs.symlinkAt(t.ctx, t.pop("/dangling", { follow: false }), "d/target");
      t.vfs.symlinkAt(t.ctx, t.pop("/abs", { follow: false }), "/d/abs-target");
      t.vfs.symlinkAt(t.ctx, t.pop("/self", { follow: false }), "self");
      t.vfs.symlinkAt(t.ctx, t.pop("/parent", { follow: false }), "/d/../parent");
      expectErrno(() => t.open("/dangling", O_CREAT | O_EXCL | O_RDWR), "EEXIST");
      expectErrno(() => t.open("/dangling", O_CREAT | O_NOFOLLOW | O_RDWR), "ELOOP");
      expectErrno(() => t.open("/self", O_CREAT | O_RDWR), "ELOOP");
      expectErrno(() => t.open("/parent", O_CREAT | O_RDWR), "ELOOP");
      t.open("/dangling", O_CREAT | O_RDWR).decRef(t.ctx);
      t.open("/abs", O_CREAT | O_RDWR).decRef(t.ctx);
      expect(t.list("/d").sort()).toEqual(["abs-target", "target"]);
      expectErrno(() => t.open("/dangling", O_NOFOLLOW | O_RDONLY), "ELOOP");
    }));

  test("permission checks, O_TRUNC needs write permission, O_NOATIME needs ownership", () =>
    withTmpfs((t) => {
      t.writeFile("/private", "secret", 0o600);
      t.writeFile("/public", "hello", 0o644);
      t.mkdir("/locked", 0o555);
      const u = t.asUser(1000, 1000);
      expectErrno(() => t.open("/private", O_RDONLY, 0, u), "EACCES");
      expectErrno(() => t.open("/public", O_RDONLY | O_TRUNC, 0, u), "EACCES");
      expectErrno(() => t.open("/public", O_RDONLY | O_NOATIME, 0, u), "EPERM");
      // Type rules come before permission: a directory for writing is EISDIR for anyone.
      expectErrno(() => t.open("/locked", O_WRONLY, 0, u), "EISDIR");
      // Creating needs write permission on the parent.
      expectErrno(() => t.open("/locked/new", O_CREAT | O_WRONLY, 0o644, u), "EACCES");
      t.open("/public", O_RDONLY | O_NOATIME).decRef(t.ctx);
      t.vfs.accessAt(u, t.pop("/public"), R_OK);
      expectErrno(() => t.vfs.accessAt(u, t.pop("/public"), W_OK), "EACCES");
      expectErrno(() => t.vfs.accessAt(u, t.pop("/locked"), W_OK), "EACCES");
    }));

  test("O_TRUNC empties an existing file and sets mtime; it is ignored for new files", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "0123456789");
      const before = t.stat("/f");
      t.clock.advance(5);
      t.open("/f", O_WRONLY | O_TRUNC).decRef(t.ctx);
      const after = t.stat("/f");
      expect(after.size).toBe(0);
      expect(after.blocks).toBe(0);
      expect(after.mtime.sec).toBe(before.mtime.sec + 5);
      expect(after.ctime.sec).toBe(before.ctime.sec + 5);
    }));

  test("on a read-only mount: O_TRUNC and write opens are EROFS, reads work and leave atime alone", () =>
    withTmpfs((t) => {
      t.mkdir("/m");
      t.mountTmpfs("/m");
      t.writeFile("/m/f", "keep");
      t.vfs.remountAt(t.ctx, t.pop("/m"), { readOnly: true });
      const atime = t.stat("/m/f").atime;
      t.clock.advance(3 * 24 * 3600);
      expectErrno(() => t.open("/m/f", O_RDONLY | O_TRUNC), "EROFS");
      expectErrno(() => t.open("/m/f", O_WRONLY), "EROFS");
      expectErrno(() => t.vfs.accessAt(t.ctx, t.pop("/m/f"), W_OK), "EROFS");
      expect(t.readText("/m/f")).toBe("keep");
      expect(t.stat("/m/f").atime).toEqual(atime);
      // Linux's order: EACCES from the permission check before EROFS from the write count.
      t.vfs.remountAt(t.ctx, t.pop("/m"), { readOnly: false });
      t.writeFile("/m/private", "", 0o600);
      t.vfs.remountAt(t.ctx, t.pop("/m"), { readOnly: true });
      expectErrno(() => t.open("/m/private", O_WRONLY, 0, t.asUser(1000, 1000)), "EACCES");
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    }));

  test("O_DIRECT is accepted on regular files (Linux 6.6+), O_APPEND writes at the end", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "abc");
      const fd = t.open("/f", O_WRONLY | O_DIRECT | O_APPEND);
      fd.write(t.ctx, bytes("def"));
      fd.pwrite(t.ctx, bytes("g"), 0); // O_APPEND wins over the offset, as in Linux
      fd.decRef(t.ctx);
      expect(t.readText("/f")).toBe("abcdefg");
    }));

  test("FIFOs open through the FifoOpener in the context, after tmpfs's own checks", () =>
    withTmpfs((t) => {
      t.vfs.mknodAt(t.ctx, t.pop("/fifo", { follow: false }), { mode: S_IFIFO | 0o640, devMajor: 0, devMinor: 0 });
      t.vfs.linkAt(t.ctx, t.pop("/fifo", { follow: false }), t.pop("/link", { follow: false }));
      // Without an opener a FIFO cannot be opened.
      expectErrno(() => t.open("/fifo", O_RDONLY), "ENXIO");
      const calls: { inode: object; flags: number; path: string }[] = [];
      const opener: FifoOpener = {
        open(ctx, vd, inode, flags) {
          calls.push({ inode, flags, path: t.vfs.pathnameWithDeleted(ctx, t.root, vd) });
          // Stand-in for a pipe: any description of the FIFO will do here.
          throw new SysError("EAGAIN", { syscall: "open" });
        },
      };
      const ctx = withValue(t.ctx, FifoOpenerKey, opener);
      expectErrno(() => t.open("/fifo", O_WRONLY | O_TRUNC, 0, ctx), "EAGAIN");
      expectErrno(() => t.open("/link", O_RDONLY, 0, ctx), "EAGAIN");
      expect(calls.map((c) => [c.path, c.flags & (O_ACCMODE | O_TRUNC)])).toEqual([
        ["/fifo", O_WRONLY | O_TRUNC],
        ["/link", O_RDONLY],
      ]);
      // Hard links pass the same inode object.
      expect(calls[0]?.inode).toBe(calls[1]?.inode);
      // The filesystem's checks come first: O_EXCL, O_DIRECTORY, permission.
      expectErrno(() => t.open("/fifo", O_RDONLY | O_CREAT | O_EXCL, 0o644, ctx), "EEXIST");
      expectErrno(() => t.open("/fifo", O_RDONLY | O_DIRECTORY, 0, ctx), "ENOTDIR");
      const user = withValue(t.asUser(1000, 1000), FifoOpenerKey, opener);
      expectErrno(() => t.open("/fifo", O_RDONLY, 0, user), "EACCES");
      expect(calls).toHaveLength(2);
      // truncate(2) of a FIFO is EINVAL (Linux's do_truncate via shmem_setattr's type check).
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/fifo"), { stat: { mask: STATX_SIZE, size: 0 } }), "EINVAL");
    }));

  test("devices and sockets cannot be opened yet (ENXIO); nodev is EACCES", () =>
    withTmpfs((t) => {
      t.vfs.mknodAt(t.ctx, t.pop("/chr", { follow: false }), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      t.vfs.mknodAt(t.ctx, t.pop("/sock", { follow: false }), { mode: S_IFSOCK | 0o666, devMajor: 0, devMinor: 0 });
      expectErrno(() => t.open("/chr", O_RDWR), "ENXIO");
      expectErrno(() => t.open("/sock", O_RDONLY), "ENXIO");
      t.mkdir("/nodev");
      const m = t.mountTmpfs("/nodev", undefined, { flags: { noDev: true } });
      t.vfs.mknodAt(t.ctx, t.pop("/nodev/chr", { follow: false }), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      expectErrno(() => t.open("/nodev/chr", O_RDONLY), "EACCES");
      expect(m.flags().noDev).toBe(true);
      t.vfs.umountAt(t.ctx, t.pop("/nodev"), { flags: 0 });
    }));

  test("mknod of a device needs CAP_MKNOD; a FIFO does not", () =>
    withTmpfs((t) => {
      t.mkdir("/pub", 0o777);
      const u = t.asUser(1000, 1000);
      expectErrno(() => t.vfs.mknodAt(u, t.pop("/pub/c", { follow: false }), { mode: S_IFCHR | 0o600, devMajor: 1, devMinor: 3 }), "EPERM");
      t.vfs.mknodAt(u, t.pop("/pub/p", { follow: false }), { mode: S_IFIFO | 0o600, devMajor: 0, devMinor: 0 });
      expect(t.stat("/pub/p").uid).toBe(1000);
    }));

  test("O_TMPFILE: an unnamed file, linkable with linkat unless O_EXCL", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      const fd = t.open("/d", O_TMPFILE | O_RDWR, 0o600);
      fd.write(t.ctx, bytes("anon"));
      expect(fd.stat(t.ctx, { mask: 0, sync: 0 }).nlink).toBe(0);
      expect(t.list("/d")).toEqual([]);
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, fd.vd)).toMatch(/^\/d\/#\d+ \(deleted\)$/);
      const self = { root: t.root, start: fd.vd, path: parse(""), followFinalSymlink: false };
      t.vfs.linkAt(t.ctx, self, t.pop("/d/named", { follow: false }));
      expect(fd.stat(t.ctx, { mask: 0, sync: 0 }).nlink).toBe(1);
      fd.decRef(t.ctx);
      expect(t.readText("/d/named")).toBe("anon");
      const excl = t.open("/d", O_TMPFILE | O_EXCL | O_RDWR, 0o600);
      const excl0 = { root: t.root, start: excl.vd, path: parse(""), followFinalSymlink: false };
      expectErrno(() => t.vfs.linkAt(t.ctx, excl0, t.pop("/d/never", { follow: false })), "ENOENT");
      excl.decRef(t.ctx);
      // Closed without a name: gone.
      t.open("/d", O_TMPFILE | O_RDWR, 0o600).decRef(t.ctx);
    }));
});

describe("unlink and rmdir", () => {
  test("errors and their order (do_unlinkat, vfs_unlink)", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      t.writeFile("/f", "x");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/d", { follow: false })), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/d/.", { follow: false })), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/f/.", { follow: false })), "ENOTDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/f/", { follow: false })), "ENOTDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/d/", { follow: false })), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/missing", { follow: false })), "ENOENT");
      t.mkdir("/nw", 0o555);
      t.writeFile("/nw/x", "");
      t.mkdir("/nw/sub");
      const u = t.asUser(1000, 1000);
      expectErrno(() => t.vfs.unlinkAt(u, t.pop("/nw/zz", { follow: false })), "ENOENT");
      expectErrno(() => t.vfs.unlinkAt(u, t.pop("/nw/sub", { follow: false })), "EACCES");
      expectErrno(() => t.vfs.unlinkAt(u, t.pop("/nw/x/", { follow: false })), "ENOTDIR");
      expectErrno(() => t.vfs.unlinkAt(u, t.pop("/nw/sub/", { follow: false })), "EISDIR");
      expectErrno(() => t.vfs.rmdirAt(u, t.pop("/nw/x", { follow: false })), "EACCES");
    }));

  test("rmdir: . is EINVAL, .. ENOTEMPTY, non-empty ENOTEMPTY, files ENOTDIR; trailing slashes are fine", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      t.mkdir("/d/e");
      t.writeFile("/f", "");
      const rmdir = (path: string): void => t.vfs.rmdirAt(t.ctx, t.pop(path, { follow: false }));
      expectErrno(() => rmdir("/d/."), "EINVAL");
      expectErrno(() => rmdir("/d/.."), "ENOTEMPTY");
      expectErrno(() => rmdir("/d"), "ENOTEMPTY");
      expectErrno(() => rmdir("/f"), "ENOTDIR");
      expectErrno(() => rmdir("/"), "EBUSY");
      rmdir("/d/e//");
      expect(t.stat("/d").nlink).toBe(2);
      rmdir("/d/");
      expect(t.stat("/").nlink).toBe(2);
    }));

  test("timestamps: unlink sets the parent's mtime and ctime and the file's ctime", () =>
    withTmpfs((t) => {
      t.mkdir("/d");
      t.writeFile("/d/a", "x");
      t.vfs.linkAt(t.ctx, t.pop("/d/a", { follow: false }), t.pop("/d/b", { follow: false }));
      t.clock.advance(10);
      const fd = t.open("/d/a", O_RDONLY);
      t.vfs.unlinkAt(t.ctx, t.pop("/d/a", { follow: false }));
      const file = fd.stat(t.ctx, { mask: 0, sync: 0 });
      const dir = t.stat("/d");
      expect(file.nlink).toBe(1);
      expect(file.ctime.sec).toBe(t.clock.sec);
      expect(dir.mtime.sec).toBe(t.clock.sec);
      expect(dir.ctime.sec).toBe(t.clock.sec);
      fd.decRef(t.ctx);
    }));
});

describe("hard links", () => {
  test("nlink counts, errors, and EXDEV across mounts", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "data");
      t.mkdir("/d");
      const link = (a: string, b: string, c = t.ctx): void => t.vfs.linkAt(c, t.pop(a, { follow: false }), t.pop(b, { follow: false }));
      t.clock.advance(30);
      link("/f", "/g");
      link("/g", "/d/h");
      expect(t.stat("/f").nlink).toBe(3);
      // link sets the file's ctime and the new parent's mtime and ctime.
      expect(t.stat("/f").ctime.sec).toBe(t.clock.sec);
      expect(t.stat("/f").mtime.sec).toBe(t.clock.sec - 30);
      expect(t.stat("/d").mtime.sec).toBe(t.clock.sec);
      expect(t.stat("/f").ino).toBe(t.stat("/d/h").ino);
      expectErrno(() => link("/d", "/d2"), "EPERM");
      expectErrno(() => link("/f", "/g"), "EEXIST");
      expectErrno(() => link("/f", "/new/"), "ENOENT");
      expectErrno(() => link("/f", "/missing/x"), "ENOENT");
      t.mkdir("/m");
      t.mountTmpfs("/m");
      expectErrno(() => link("/f", "/m/f"), "EXDEV");
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
      t.vfs.unlinkAt(t.ctx, t.pop("/f", { follow: false }));
      expect(t.stat("/g").nlink).toBe(2);
      expect(t.readText("/d/h")).toBe("data");
    }));

  test("protected hard links: a non-owner may link only regular files it can read and write", () =>
    withTmpfs((t) => {
      t.mkdir("/pub", 0o777);
      t.writeFile("/pub/rootonly", "", 0o600);
      t.writeFile("/pub/rw", "", 0o666);
      t.writeFile("/pub/suid", "", 0o4777);
      t.vfs.mknodAt(t.ctx, t.pop("/pub/fifo", { follow: false }), { mode: S_IFIFO | 0o666, devMajor: 0, devMinor: 0 });
      const u = t.asUser(1000, 1000);
      const link = (a: string, b: string): string =>
        errnoOf(() => t.vfs.linkAt(u, t.pop(a, { follow: false }), t.pop(b, { follow: false })));
      expect(link("/pub/rootonly", "/pub/l1")).toBe("EPERM");
      expect(link("/pub/rw", "/pub/l2")).toBe("OK");
      expect(link("/pub/suid", "/pub/l3")).toBe("EPERM");
      expect(link("/pub/fifo", "/pub/l4")).toBe("EPERM");
    }));

  test("an unlinked file stays readable and writable through an open description", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "before");
      const fd = t.open("/f", O_RDWR);
      t.vfs.unlinkAt(t.ctx, t.pop("/f", { follow: false }));
      expectErrno(() => t.stat("/f"), "ENOENT");
      fd.pwrite(t.ctx, bytes(" and after"), 6);
      const buf = new Uint8Array(32);
      const n = fd.pread(t.ctx, buf, 0);
      expect(new TextDecoder().decode(buf.subarray(0, n))).toBe("before and after");
      const st = fd.stat(t.ctx, { mask: 0, sync: 0 });
      expect(st.nlink).toBe(0);
      expect(st.size).toBe(16);
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, fd.vd)).toBe("/f (deleted)");
      // A new file can take the name meanwhile.
      t.writeFile("/f", "new");
      expect(t.readText("/f")).toBe("new");
      fd.decRef(t.ctx);
    }));
});

describe("locks", () => {
  test("flock conflicts between descriptions of one file, on files and directories; released on close", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "");
      t.mkdir("/d");
      for (const path of ["/f", "/d"]) {
        const a = t.open(path, O_RDONLY);
        const b = t.open(path, O_RDONLY);
        lockBSD(t.ctx, a, 1, "write");
        expectErrno(() => lockBSD(t.ctx, b, 2, "read"), "EAGAIN");
        a.decRef(t.ctx);
        lockBSD(t.ctx, b, 2, "write");
        b.decRef(t.ctx);
      }
    }));
});

describe("pathnames", () => {
  test("prependPath and isDescendant follow renames", () =>
    withTmpfs((t) => {
      t.mkdir("/a");
      t.mkdir("/a/b");
      const vd = t.vfs.getDentryAt(t.ctx, t.pop("/a/b"));
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/a/b");
      t.vfs.renameAt(t.ctx, t.pop("/a", { follow: false }), t.pop("/z", { follow: false }), { flags: 0 });
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/z/b");
      const fs = vd.mount.fs.impl;
      expect(fs.isDescendant(t.root, vd)).toBe(true);
      const sub = t.vfs.getDentryAt(t.ctx, t.pop("/z"));
      expect(fs.isDescendant(vd, sub)).toBe(false);
      expect(fs.isDescendant(sub, vd)).toBe(true);
      expect(t.vfs.pathnameReachable(t.ctx, new VirtualDentry(sub.mount, sub.dentry), vd)).toBe("/b");
      sub.decRef(t.ctx);
      vd.decRef(t.ctx);
    }));
});
