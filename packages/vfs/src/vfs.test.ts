// The path operations of VirtualFilesystem, driven through testfs. Each errno the
// operations document is provoked here; the expected answers were checked on Linux 6.18.
import {
  MNT_DETACH,
  O_CREAT,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  STATX_GID,
  STATX_MNT_ID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_UID,
  ST_RDONLY,
  TMPFS_MAGIC,
  UTIME_NOW,
  UTIME_OMIT,
  XATTR_CREATE,
  XATTR_REPLACE,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { MAY_EXEC, MAY_READ, MAY_WRITE } from "./options.js";
import { ALL, enc, mkdir, names, nofollow, open, rename, stat, symlink, touch, withVfs } from "./testing-fixtures/vfs-helpers.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

describe("empty paths and final-symlink rules (§3.3)", () => {
  test("creating at an empty path: absolute → EEXIST, relative → ENOENT", () => {
    withVfs((t) => {
      expectErrno(() => t.vfs.mkdirAt(t.ctx, nofollow(t, "/"), { mode: 0o755 }), "EEXIST");
      expectErrno(() => t.vfs.mkdirAt(t.ctx, nofollow(t, ""), { mode: 0o755 }), "ENOENT");
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "/"), { mode: S_IFREG, devMajor: 0, devMinor: 0 }), "EEXIST");
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, ""), { mode: S_IFREG, devMajor: 0, devMinor: 0 }), "ENOENT");
      expectErrno(() => t.vfs.symlinkAt(t.ctx, nofollow(t, "/"), "x"), "EEXIST");
      expectErrno(() => t.vfs.symlinkAt(t.ctx, nofollow(t, ""), "x"), "ENOENT");
      touch(t, "/f");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/")), "EEXIST");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "")), "ENOENT");
    });
  });

  test("deleting at an empty path: absolute → EBUSY (rmdir(\"/\")) or EISDIR (unlink(\"/\")), relative → ENOENT", () => {
    withVfs((t) => {
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/")), "EBUSY");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "")), "ENOENT");
      // Linux 6.18 (found by tooling/conformance): unlink("/") is EISDIR, gVisor says EBUSY.
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/")), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "")), "ENOENT");
      expectErrno(() => rename(t, "/", "/x"), "EBUSY");
      expectErrno(() => rename(t, "", "/x"), "ENOENT");
      mkdir(t, "/d");
      expectErrno(() => rename(t, "/d", "/"), "EBUSY");
      expectErrno(() => rename(t, "/d", ""), "ENOENT");
      // An empty path that is not an error addresses the start itself (AT_EMPTY_PATH);
      // open("") → ENOENT is the system-call layer's check (checkPathname).
      const self = open(t, "", O_RDONLY);
      expect(self.stat(t.ctx, ALL).ino).toBe(stat(t, "/").ino);
      self.decRef(t.ctx);
    });
  });

  test("create and delete operations never follow the final component → EINVAL", () => {
    withVfs((t) => {
      touch(t, "/f");
      expectErrno(() => t.vfs.mkdirAt(t.ctx, t.pop("/x"), { mode: 0o755 }), "EINVAL");
      expectErrno(() => t.vfs.mknodAt(t.ctx, t.pop("/x"), { mode: S_IFREG, devMajor: 0, devMinor: 0 }), "EINVAL");
      expectErrno(() => t.vfs.symlinkAt(t.ctx, t.pop("/x"), "t"), "EINVAL");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), t.pop("/x")), "EINVAL");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, t.pop("/x")), "EINVAL");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/f")), "EINVAL");
      expectErrno(() => t.vfs.renameAt(t.ctx, t.pop("/f"), nofollow(t, "/x"), { flags: 0 }), "EINVAL");
      expectErrno(() => t.vfs.renameAt(t.ctx, nofollow(t, "/f"), t.pop("/x"), { flags: 0 }), "EINVAL");
    });
  });
});

describe("mkdir, mknod, symlink, link", () => {
  test("mkdir: ./.. and existing names are EEXIST; a trailing slash is fine; mode keeps sticky", () => {
    withVfs((t) => {
      mkdir(t, "/d/");
      expect(stat(t, "/d").mode & S_IFMT).toBe(S_IFDIR);
      expectErrno(() => mkdir(t, "/d"), "EEXIST");
      expectErrno(() => mkdir(t, "/d/."), "EEXIST");
      expectErrno(() => mkdir(t, "/d/.."), "EEXIST");
      expectErrno(() => mkdir(t, "/missing/x"), "ENOENT");
      mkdir(t, "/s", 0o1777 | 0o4000);
      expect(stat(t, "/s").mode & 0o7777).toBe(0o1777);
      expect(stat(t, "/").nlink).toBe(4);
    });
  });

  test("mkdir in a removed directory is ENOENT", () => {
    withVfs((t) => {
      mkdir(t, "/gone");
      const dir = t.vfs.getDentryAt(t.ctx, t.pop("/gone"));
      try {
        t.vfs.rmdirAt(t.ctx, nofollow(t, "/gone"));
        expectErrno(() => t.vfs.mkdirAt(t.ctx, { ...nofollow(t, "x"), start: dir }, { mode: 0o755 }), "ENOENT");
      } finally {
        dir.decRef(t.ctx);
      }
    });
  });

  test("mknod: file types, S_IFDIR → EPERM, bad type → EINVAL, trailing slash → ENOENT", () => {
    withVfs((t) => {
      t.vfs.mknodAt(t.ctx, nofollow(t, "/fifo"), { mode: S_IFIFO | 0o600, devMajor: 0, devMinor: 0 });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/null"), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/plain"), { mode: 0o600, devMajor: 0, devMinor: 0 });
      expect(stat(t, "/fifo").mode & S_IFMT).toBe(S_IFIFO);
      expect(stat(t, "/plain").mode & S_IFMT).toBe(S_IFREG);
      const dev = stat(t, "/null");
      expect([dev.rdevMajor, dev.rdevMinor]).toEqual([1, 3]);
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "/d"), { mode: S_IFDIR | 0o755, devMajor: 0, devMinor: 0 }), "EPERM");
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "/b"), { mode: 0o170000, devMajor: 0, devMinor: 0 }), "EINVAL");
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "/x/"), { mode: S_IFIFO, devMajor: 0, devMinor: 0 }), "ENOENT");
      expectErrno(() => t.vfs.mknodAt(t.ctx, nofollow(t, "/fifo"), { mode: S_IFIFO, devMajor: 0, devMinor: 0 }), "EEXIST");
      // Device nodes need CAP_MKNOD.
      const user = t.as(t.user(1000, 1000));
      t.vfs.mkdirAt(t.ctx, nofollow(t, "/pub"), { mode: 0o777 });
      expectErrno(() => t.vfs.mknodAt(user, nofollow(t, "/pub/dev"), { mode: S_IFCHR | 0o600, devMajor: 1, devMinor: 3 }), "EPERM");
    });
  });

  test("symlink: an empty target is ENOENT before anything else (host: symlink(\"\", x))", () => {
    withVfs((t) => {
      touch(t, "/f");
      expectErrno(() => symlink(t, "", "/f"), "ENOENT");
      expectErrno(() => symlink(t, "", "/new"), "ENOENT");
      expectErrno(() => t.vfs.symlinkAt(t.ctx, t.pop(""), ""), "ENOENT");
    });
  });

  test("symlink: EEXIST over files and dirs, a dangling target is fine, trailing slash → ENOENT", () => {
    withVfs((t) => {
      touch(t, "/f");
      mkdir(t, "/d");
      expectErrno(() => symlink(t, "x", "/f"), "EEXIST");
      expectErrno(() => symlink(t, "x", "/d"), "EEXIST");
      expectErrno(() => symlink(t, "x", "/d/."), "EEXIST");
      expectErrno(() => symlink(t, "x", "/new/"), "ENOENT");
      symlink(t, "dangling", "/l");
      expect(t.vfs.readlinkAt(t.ctx, nofollow(t, "/l"))).toBe("dangling");
      expect(stat(t, "/l", { follow: false }).mode & S_IFMT).toBe(S_IFLNK);
      expectErrno(() => t.vfs.readlinkAt(t.ctx, nofollow(t, "/f")), "EINVAL");
    });
  });

  test("link: EPERM for directories, EEXIST, ENOENT with trailing slash, EXDEV across mounts", () => {
    withVfs((t) => {
      touch(t, "/f");
      mkdir(t, "/d");
      mkdir(t, "/mnt");
      t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/g"));
      expect(stat(t, "/g").ino).toBe(stat(t, "/f").ino);
      expect(stat(t, "/f").nlink).toBe(2);
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/d"), nofollow(t, "/e")), "EPERM");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/g")), "EEXIST");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/x/")), "ENOENT");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/missing"), nofollow(t, "/y")), "ENOENT");
      t.mountTestfs("/mnt");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/f"), nofollow(t, "/mnt/f")), "EXDEV");
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("link of a non-owned file the caller cannot read and write is EPERM (protected hard links)", () => {
    withVfs((t) => {
      mkdir(t, "/pub", 0o777);
      touch(t, "/pub/secret", 0o600);
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.linkAt(user, t.pop("/pub/secret"), nofollow(t, "/pub/mine")), "EPERM");
    });
  });

  test("link to an unlinked file is ENOENT", () => {
    withVfs((t) => {
      touch(t, "/f");
      const vd = t.vfs.getDentryAt(t.ctx, t.pop("/f"));
      try {
        t.vfs.unlinkAt(t.ctx, nofollow(t, "/f"));
        const emptyFromVd = { root: vd, start: vd, path: t.pop("").path, followFinalSymlink: false };
        expectErrno(() => t.vfs.linkAt(t.ctx, emptyFromVd, nofollow(t, "/again")), "ENOENT");
      } finally {
        vd.decRef(t.ctx);
      }
    });
  });

  test("creating needs write and search permission on the directory (EACCES)", () => {
    withVfs((t) => {
      mkdir(t, "/ro", 0o555);
      mkdir(t, "/nox", 0o666);
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => mkdir(t, "/ro/x", 0o755, user), "EACCES");
      expectErrno(() => mkdir(t, "/nox/x", 0o755, user), "EACCES");
      expectErrno(() => open(t, "/ro/f", O_WRONLY | O_CREAT, 0o644, user), "EACCES");
    });
  });
});

describe("unlink and rmdir (§8.2 rows 20, 26, 27, 29, 30)", () => {
  test("rmdir: dir/. → EINVAL, dir/.. → ENOTEMPTY, non-empty → ENOTEMPTY, file → ENOTDIR, dir/ works", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      mkdir(t, "/d/sub");
      touch(t, "/f");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/d/.")), "EINVAL");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/d/..")), "ENOTEMPTY");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/d")), "ENOTEMPTY");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/f")), "ENOTDIR");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, nofollow(t, "/missing")), "ENOENT");
      t.vfs.rmdirAt(t.ctx, nofollow(t, "/d/sub/"));
      t.vfs.rmdirAt(t.ctx, nofollow(t, "/d//"));
      expectErrno(() => stat(t, "/d"), "ENOENT");
      expect(stat(t, "/").nlink).toBe(2);
    });
  });

  test("unlink: directories → EISDIR, file/. → ENOTDIR, file/ → ENOTDIR, dir/. → EISDIR", () => {
    withVfs((t) => {
      mkdir(t, "/d");
      touch(t, "/f");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/d")), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/d/")), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/d/.")), "EISDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/f/.")), "ENOTDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/f/")), "ENOTDIR");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/missing")), "ENOENT");
      symlink(t, "/d", "/l");
      t.vfs.unlinkAt(t.ctx, nofollow(t, "/l")); // removes the link, not the directory
      expect(stat(t, "/d").mode & S_IFMT).toBe(S_IFDIR);
      t.vfs.unlinkAt(t.ctx, nofollow(t, "/f"));
      expectErrno(() => stat(t, "/f"), "ENOENT");
    });
  });

  test("deleting needs write and search on the parent; the sticky bit protects others' files", () => {
    withVfs((t) => {
      mkdir(t, "/tmp", 0o1777);
      mkdir(t, "/locked", 0o755);
      touch(t, "/locked/f");
      const alice = t.as(t.user(1000, 1000));
      const bob = t.as(t.user(1001, 1001));
      expectErrno(() => t.vfs.unlinkAt(alice, nofollow(t, "/locked/f")), "EACCES");
      open(t, "/tmp/alice", O_WRONLY | O_CREAT, 0o666, alice).decRef(alice);
      expectErrno(() => t.vfs.unlinkAt(bob, nofollow(t, "/tmp/alice")), "EPERM");
      expectErrno(() => rename(t, "/tmp/alice", "/tmp/bob", 0, bob), "EPERM");
      t.vfs.unlinkAt(alice, nofollow(t, "/tmp/alice"));
    });
  });

  test("an unlinked file stays readable through an open description", () => {
    withVfs((t) => {
      t.writeFile("/f", "still here");
      const fd = open(t, "/f", O_RDONLY);
      try {
        t.vfs.unlinkAt(t.ctx, nofollow(t, "/f"));
        expectErrno(() => stat(t, "/f"), "ENOENT");
        expect(fd.stat(t.ctx, ALL).nlink).toBe(0);
        const buf = new Uint8Array(32);
        expect(new TextDecoder().decode(buf.subarray(0, fd.read(t.ctx, buf)))).toBe("still here");
      } finally {
        fd.decRef(t.ctx);
      }
    });
  });
});

describe("stat, setStat, statfs, access, xattrs", () => {
  test("statAt fills the mount ID on request; tryStatAt returns undefined for a missing file", () => {
    withVfs((t) => {
      touch(t, "/f");
      const withId = t.vfs.statAt(t.ctx, t.pop("/f"), { mask: STATX_MNT_ID, sync: 0 });
      expect(withId.mask & STATX_MNT_ID).toBe(STATX_MNT_ID);
      expect(withId.mntId).toBe(t.root.mount.id);
      expect(t.vfs.tryStatAt(t.ctx, t.pop("/missing"), ALL)).toBeUndefined();
      expect(t.vfs.tryStatAt(t.ctx, t.pop("/f"), ALL)?.mode).toBe(S_IFREG | 0o644);
      expectErrno(() => t.vfs.tryStatAt(t.ctx, t.pop("/f/x"), ALL), "ENOTDIR");
      expect(t.vfs.tryGetDentryAt(t.ctx, t.pop("/missing"))).toBeUndefined();
      const vd = t.vfs.tryGetDentryAt(t.ctx, t.pop("/f"));
      expect(vd).toBeDefined();
      vd?.decRef(t.ctx);
    });
  });

  test("getDentryAt with checkSearchable: ENOTDIR for files, EACCES without search permission", () => {
    withVfs((t) => {
      touch(t, "/f");
      mkdir(t, "/closed", 0o700);
      expectErrno(() => t.vfs.getDentryAt(t.ctx, t.pop("/f"), { checkSearchable: true }), "ENOTDIR");
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.getDentryAt(user, t.pop("/closed"), { checkSearchable: true }), "EACCES");
      expectErrno(() => t.vfs.statAt(user, t.pop("/closed/x"), ALL), "EACCES");
    });
  });

  test("setStatAt: chmod, chown, utimes with UTIME_NOW/UTIME_OMIT, truncate", () => {
    withVfs((t) => {
      t.writeFile("/f", "0123456789");
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_MODE, mode: 0o600 } });
      expect(stat(t, "/f").mode).toBe(S_IFREG | 0o600);
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_UID | STATX_GID, uid: 1000, gid: 1000 } });
      expect([stat(t, "/f").uid, stat(t, "/f").gid]).toEqual([1000, 1000]);
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_SIZE, size: 4 } });
      expect(t.readText("/f")).toBe("0123");
      const when = { sec: 1_000_000, nsec: 5 };
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_MTIME | 0x20, mtime: when, atime: { sec: 0, nsec: UTIME_OMIT } } });
      const after = t.vfs.statAt(t.ctx, t.pop("/f"), { mask: STATX_MTIME, sync: 0 });
      expect(after.mtime).toEqual(when);
      t.vfs.setStatAt(t.ctx, t.pop("/f"), { stat: { mask: STATX_MTIME, mtime: { sec: 0, nsec: UTIME_NOW } } });
      expect(t.vfs.statAt(t.ctx, t.pop("/f"), { mask: STATX_MTIME, sync: 0 }).mtime.sec).toBeGreaterThan(1_000_000);
      mkdir(t, "/d");
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/d"), { stat: { mask: STATX_SIZE, size: 0 } }), "EISDIR");
      const user = t.as(t.user(1001, 1001));
      expectErrno(() => t.vfs.setStatAt(user, t.pop("/f"), { stat: { mask: STATX_MODE, mode: 0o777 } }), "EPERM");
    });
  });

  test("statFSAt reports the filesystem and ORs in the mount's flags", () => {
    withVfs((t) => {
      mkdir(t, "/mnt");
      t.mountTestfs("/mnt", { readOnly: true });
      const statfs = t.vfs.statFSAt(t.ctx, t.pop("/mnt"));
      expect(statfs.type).toBe(TMPFS_MAGIC);
      expect(statfs.flags & ST_RDONLY).toBe(ST_RDONLY);
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).flags & ST_RDONLY).toBe(0);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("accessAt: EINVAL for bad modes, EACCES without permission, EROFS for write on read-only mounts", () => {
    withVfs((t) => {
      mkdir(t, "/d", 0o755);
      mkdir(t, "/mnt");
      const user = t.as(t.user(1000, 1000));
      t.vfs.accessAt(user, t.pop("/d"), MAY_READ | MAY_EXEC);
      expectErrno(() => t.vfs.accessAt(user, t.pop("/d"), MAY_WRITE), "EACCES");
      expectErrno(() => t.vfs.accessAt(t.ctx, t.pop("/d"), 8), "EINVAL");
      expectErrno(() => t.vfs.accessAt(t.ctx, t.pop("/missing"), 0), "ENOENT");
      t.mountTestfs("/mnt", { readOnly: true });
      t.vfs.accessAt(t.ctx, t.pop("/mnt"), MAY_READ);
      expectErrno(() => t.vfs.accessAt(t.ctx, t.pop("/mnt"), MAY_WRITE), "EROFS");
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("xattrs: set/get/list/remove, CREATE/REPLACE, ENODATA, ERANGE, and unsupported namespaces", () => {
    withVfs((t) => {
      touch(t, "/f");
      const value = enc.encode("v");
      t.vfs.setXattrAt(t.ctx, t.pop("/f"), { name: "user.a", value, flags: 0 });
      expect(t.vfs.getXattrAt(t.ctx, t.pop("/f"), { name: "user.a", size: 0 })).toEqual(value);
      expect(t.vfs.listXattrAt(t.ctx, t.pop("/f"), 0)).toEqual(["user.a"]);
      expectErrno(() => t.vfs.listXattrAt(t.ctx, t.pop("/f"), 3), "ERANGE");
      expectErrno(() => t.vfs.setXattrAt(t.ctx, t.pop("/f"), { name: "user.a", value, flags: XATTR_CREATE }), "EEXIST");
      expectErrno(() => t.vfs.setXattrAt(t.ctx, t.pop("/f"), { name: "user.b", value, flags: XATTR_REPLACE }), "ENODATA");
      expectErrno(() => t.vfs.getXattrAt(t.ctx, t.pop("/f"), { name: "user.b", size: 0 }), "ENODATA");
      t.vfs.setXattrAt(t.ctx, t.pop("/f"), { name: "user.long", value: enc.encode("long value"), flags: 0 });
      expectErrno(() => t.vfs.getXattrAt(t.ctx, t.pop("/f"), { name: "user.long", size: 2 }), "ERANGE");
      expectErrno(() => t.vfs.setXattrAt(t.ctx, t.pop("/f"), { name: "trusted.x", value, flags: 0 }), "EOPNOTSUPP");
      t.vfs.removeXattrAt(t.ctx, t.pop("/f"), "user.a");
      expectErrno(() => t.vfs.removeXattrAt(t.ctx, t.pop("/f"), "user.a"), "ENODATA");
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.setXattrAt(user, t.pop("/f"), { name: "user.c", value, flags: 0 }), "EACCES");
    });
  });

  test("listXattrAt turns the filesystem's EOPNOTSUPP into an empty list", () => {
    withVfs((t) => {
      touch(t, "/f");
      const impl = t.root.mount.fs.impl;
      const original = impl.listXattrAt.bind(impl);
      impl.listXattrAt = () => {
        throw new (class extends Error {
          readonly errno = 95;
          readonly code = "EOPNOTSUPP";
          get [Symbol.for("@vfskit/abi.SysError")](): true {
            return true;
          }
        })();
      };
      try {
        expect(t.vfs.listXattrAt(t.ctx, t.pop("/f"), 0)).toEqual([]);
      } finally {
        impl.listXattrAt = original;
      }
    });
  });
});

describe("mkdirAllAt and makeSyntheticMountpoint", () => {
  test("creates every missing directory, accepts existing ones and links to them", () => {
    withVfs((t) => {
      t.vfs.mkdirAllAt(t.ctx, t.root, "/a/b/c", { mode: 0o755 });
      t.vfs.mkdirAllAt(t.ctx, t.root, "/a/b/c", { mode: 0o755 });
      symlink(t, "a", "/la");
      t.vfs.mkdirAllAt(t.ctx, t.root, "/la/b/d", { mode: 0o755 });
      expect(names(t, "/a/b")).toEqual([".", "..", "c", "d"]);
      touch(t, "/file");
      expectErrno(() => t.vfs.mkdirAllAt(t.ctx, t.root, "/file/x", { mode: 0o755 }), "ENOTDIR");
      expectErrno(() => t.vfs.mkdirAllAt(t.ctx, t.root, "/file", { mode: 0o755 }), "ENOTDIR");
      t.vfs.makeSyntheticMountpoint(t.ctx, t.root, "/x/y/z");
      expect(stat(t, "/x/y/z").mode & S_IFMT).toBe(S_IFDIR);
      t.vfs.makeSyntheticMountpoint(t.ctx, t.root, "/file"); // any existing file type is fine
    });
  });
});

describe("read-only mounts (§8.2 row 38)", () => {
  test("writes through a read-only bind of a writable mount are EROFS; the original stays writable", () => {
    withVfs((t) => {
      mkdir(t, "/data");
      mkdir(t, "/view");
      t.writeFile("/data/f", "x");
      t.vfs.mknodAt(t.ctx, nofollow(t, "/data/fifo"), { mode: S_IFIFO | 0o666, devMajor: 0, devMinor: 0 });
      t.vfs.mknodAt(t.ctx, nofollow(t, "/data/null"), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      t.vfs.bindAt(t.ctx, t.pop("/data"), t.pop("/view"));
      t.vfs.remountAt(t.ctx, t.pop("/view"), { readOnly: true });
      expectErrno(() => open(t, "/view/f", O_RDWR), "EROFS");
      expectErrno(() => open(t, "/view/f", O_WRONLY), "EROFS");
      expectErrno(() => open(t, "/view/f", O_RDONLY | O_TRUNC), "EROFS");
      expectErrno(() => open(t, "/view/new", O_WRONLY | O_CREAT), "EROFS");
      expectErrno(() => mkdir(t, "/view/d"), "EROFS");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, nofollow(t, "/view/f")), "EROFS");
      expectErrno(() => t.vfs.setStatAt(t.ctx, t.pop("/view/f"), { stat: { mask: STATX_MODE, mode: 0o600 } }), "EROFS");
      // Reading works, and FIFOs and device nodes may still be opened for writing.
      expect(t.readText("/view/f")).toBe("x");
      open(t, "/view/fifo", O_WRONLY).decRef(t.ctx);
      open(t, "/view/null", O_RDWR).decRef(t.ctx);
      // The original is still writable.
      t.writeFile("/data/f", "y");
      expect(t.readText("/view/f")).toBe("y");
      t.vfs.umountAt(t.ctx, t.pop("/view"), { flags: 0 });
    });
  });

  test("remount read-only while a file is open for writing → EBUSY", () => {
    withVfs((t) => {
      mkdir(t, "/mnt");
      t.mountTestfs("/mnt");
      const fd = open(t, "/mnt/f", O_WRONLY | O_CREAT);
      try {
        expectErrno(() => t.vfs.remountAt(t.ctx, t.pop("/mnt"), { readOnly: true }), "EBUSY");
      } finally {
        fd.decRef(t.ctx);
      }
      t.vfs.remountAt(t.ctx, t.pop("/mnt"), { readOnly: true });
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: MNT_DETACH });
    });
  });
});
