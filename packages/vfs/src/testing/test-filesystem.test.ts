// testfs's own behaviour beyond what the VFS tests drive: removed directories, exchange
// corner cases, device and socket nodes, directory listings, setgid directories.
import {
  DT_DIR,
  DT_FIFO,
  DT_LNK,
  DT_REG,
  O_CREAT,
  O_DIRECTORY,
  O_NOATIME,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  RENAME_EXCHANGE,
  S_IFCHR,
  S_IFIFO,
  S_IFSOCK,
  STATX_GID,
  STATX_MODE,
  type Dirent,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { expectErrno } from "../testing-fixtures/expect-errno.js";
import type { VirtualDentry } from "../virtual-dentry.js";
import { createTestVfs, type TestVfs } from "./index.js";

function withVfs(fn: (t: TestVfs) => void, rootData?: string): void {
  const t = createTestVfs(rootData === undefined ? {} : { rootData });
  try {
    fn(t);
  } finally {
    t.release();
  }
}
const nofollow = (t: TestVfs, path: string, start?: VirtualDentry) =>
  t.pop(path, start === undefined ? { follow: false } : { follow: false, start });

describe("testfs", () => {
  test("operations inside a removed directory: creating is ENOENT", () => {
    withVfs((t) => {
      t.mkdirp("/gone");
      t.writeFile("/f", "");
      const dir = t.vfs.getDentryAt(t.ctx, t.pop("/gone"));
      try {
        t.vfs.rmdirAt(t.ctx, nofollow(t, "/gone"));
        expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "x", dir), { mode: S_IFIFO, devMajor: 0, devMinor: 0 }), "ENOENT");
        expectErrno(() => t.vfs.symlinkAt(t.ctx, nofollow(t, "x", dir), "t"), "ENOENT");
        expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "x", dir)), "ENOENT");
        expectErrno(() => t.vfs.openAt(t.ctx, t.pop("x", { start: dir }), { flags: O_WRONLY | O_CREAT, mode: 0o644 }), "ENOENT");
        expectErrno(() => t.vfs.renameAt(t.ctx, nofollow(t, "/f"), nofollow(t, "x", dir), { flags: 0 }), "ENOENT");
        // `..` of a removed directory still leads to its old parent.
        expect(t.vfs.statAt(t.ctx, t.pop("..", { start: dir }), { mask: 0, sync: 0 }).ino).toBe(
          t.vfs.statAt(t.ctx, t.pop("/"), { mask: 0, sync: 0 }).ino,
        );
      } finally {
        dir.decRef(t.ctx);
      }
    });
  });

  test("RENAME_EXCHANGE: with an ancestor → EINVAL; a directory and a file swap; link counts follow", () => {
    withVfs((t) => {
      t.mkdirp("/a/b");
      t.writeFile("/f", "file");
      expectErrno(() => t.vfs.renameAt(t.ctx, nofollow(t, "/a/b"), nofollow(t, "/a"), { flags: RENAME_EXCHANGE }), "EINVAL");
      expectErrno(() => t.vfs.renameAt(t.ctx, nofollow(t, "/a"), nofollow(t, "/a/b"), { flags: RENAME_EXCHANGE }), "EINVAL");
      t.vfs.renameAt(t.ctx, nofollow(t, "/a/b"), nofollow(t, "/f"), { flags: RENAME_EXCHANGE });
      expect(t.readText("/a/b")).toBe("file");
      expect(t.vfs.statAt(t.ctx, t.pop("/"), { mask: 0, sync: 0 }).nlink).toBe(4);
      expect(t.vfs.statAt(t.ctx, t.pop("/a"), { mask: 0, sync: 0 }).nlink).toBe(2);
      // A directory onto a file name with a trailing slash: ENOTDIR.
      t.mkdirp("/d");
      t.writeFile("/g", "");
      expectErrno(() => t.vfs.renameAt(t.ctx, nofollow(t, "/d"), nofollow(t, "/g/"), { flags: 0 }), "ENOTDIR");
    });
  });

  test("device nodes on a nodev mount → EACCES; sockets → ENXIO; FIFOs deny positional I/O", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt", { flags: { noDev: true } });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/mnt/null"), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/mnt/sock"), { mode: S_IFSOCK | 0o666, devMajor: 0, devMinor: 0 });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/mnt/fifo"), { mode: S_IFIFO | 0o666, devMajor: 0, devMinor: 0 });
      expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/mnt/null"), { flags: O_RDWR, mode: 0 }), "EACCES");
      expectErrno(() => t.vfs.openAt(t.ctx, t.pop("/mnt/sock"), { flags: O_RDWR, mode: 0 }), "ENXIO");
      const fifo = t.vfs.openAt(t.ctx, t.pop("/mnt/fifo"), { flags: O_RDWR, mode: 0 });
      try {
        expectErrno(() => fifo.pread(t.ctx, new Uint8Array(1), 0), "ESPIPE");
      } finally {
        fifo.decRef(t.ctx);
      }
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("O_NOATIME on someone else's file → EPERM", () => {
    withVfs((t) => {
      t.writeFile("/f", "x", 0o644);
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.openAt(user, t.pop("/f"), { flags: O_RDONLY | O_NOATIME, mode: 0 }), "EPERM");
      t.vfs.openAt(t.ctx, t.pop("/f"), { flags: O_RDONLY | O_NOATIME, mode: 0 }).decRef(t.ctx);
    });
  });

  test("directory listings: ., .., then entries in creation order with their types; seek back to 0", () => {
    withVfs((t) => {
      t.mkdirp("/d/sub");
      t.writeFile("/d/file", "");
      t.vfs.symlinkAt(t.ctx, nofollow(t, "/d/link"), "file");
      t.vfs.mknodAt(t.ctx, nofollow(t, "/d/fifo"), { mode: S_IFIFO | 0o600, devMajor: 0, devMinor: 0 });
      const fd = t.vfs.openAt(t.ctx, t.pop("/d"), { flags: O_RDONLY | O_DIRECTORY, mode: 0 });
      try {
        const seen: Dirent[] = [];
        fd.iterDirents(t.ctx, (d) => {
          seen.push(d);
          return seen.length < 3; // stop after three: the third is delivered again
        });
        expect(seen.map((d) => d.name)).toEqual([".", "..", "sub"]);
        const rest: Dirent[] = [];
        fd.iterDirents(t.ctx, (d) => {
          rest.push(d);
          return true;
        });
        expect(rest.map((d) => [d.name, d.type])).toEqual([
          ["sub", DT_DIR],
          ["file", DT_REG],
          ["link", DT_LNK],
          ["fifo", DT_FIFO],
        ]);
        expect(fd.seek(t.ctx, 0, 0)).toBe(0);
        let count = 0;
        fd.iterDirents(t.ctx, () => ++count > 0);
        expect(count).toBe(6);
        expectErrno(() => fd.seek(t.ctx, 0, 2), "EINVAL");
      } finally {
        fd.decRef(t.ctx);
      }
    });
  });

  test("root options: mode, uid, gid; setgid directories pass their group on", () => {
    withVfs(
      (t) => {
        const root = t.vfs.statAt(t.ctx, t.pop("/"), { mask: STATX_MODE, sync: 0 });
        expect(root.mode & 0o7777).toBe(0o3777);
        expect([root.uid, root.gid]).toEqual([0, 500]);
        const user = t.as(t.user(1000, 1000));
        t.vfs.mkdirAt(user, nofollow(t, "/mine"), { mode: 0o755 });
        const mine = t.vfs.statAt(t.ctx, t.pop("/mine"), { mask: STATX_GID | STATX_MODE, sync: 0 });
        expect(mine.gid).toBe(500);
        expect(mine.mode & 0o2000).toBe(0o2000);
      },
      "mode=3777,gid=500",
    );
  });
});
