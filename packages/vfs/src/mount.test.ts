// Mounts, bind mounts, remount, umount, stacking, limits and the busy rule (§3.7, §3.8,
// §8.2 rows 34–38). Expected answers were checked on Linux 6.18.
import {
  MNT_DETACH,
  MNT_EXPIRE,
  MNT_FORCE,
  MS_PRIVATE,
  MS_REC,
  MS_SHARED,
  MS_SLAVE,
  MS_UNBINDABLE,
  O_CREAT,
  O_RDONLY,
  O_WRONLY,
  S_IFDIR,
  S_IFMT,
  STATX_INO,
  STATX_TYPE,
  UMOUNT_NOFOLLOW,
  type Statx,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { withValue } from "./context.js";
import { MOUNT_MAX, PropagationType } from "./mount.js";
import { MountNamespaceKey, RootKey } from "./namespace.js";
import { createTestVfs, type PopOptions, type TestVfs } from "./testing/index.js";
import { TestFilesystemType } from "./testing/test-filesystem.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

const STAT = { mask: STATX_TYPE | STATX_INO, sync: 0 };

function withVfs(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}
function stat(t: TestVfs, path: string, opts: PopOptions = {}): Statx {
  return t.vfs.statAt(t.ctx, t.pop(path, opts), STAT);
}
function umount(t: TestVfs, path: string, flags = 0, ctx = t.ctx): void {
  t.vfs.umountAt(ctx, t.pop(path), { flags });
}

describe("filesystem types", () => {
  test("registration, lookup by the part before a dot, /proc/filesystems", () => {
    withVfs((t) => {
      const fsType = new TestFilesystemType();
      t.vfs.registerFilesystemType("hidden", fsType);
      t.vfs.registerFilesystemType("blockish", fsType, { allowUserList: true, requiresDevice: true });
      expect(() => t.vfs.registerFilesystemType("testfs", fsType)).toThrow(/already registered/);
      expect(t.vfs.getFilesystemType("testfs.variant")).toBeDefined();
      expect(t.vfs.getFilesystemType("nope")).toBeUndefined();
      expect(t.vfs.procFilesystems()).toBe("nodev\ttestfs\n\tblockish\n");
    });
  });

  test("mount: unknown type → ENODEV, not user-mountable → ENODEV unless internal, missing target → ENOENT first", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.vfs.registerFilesystemType("internal", new TestFilesystemType());
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), "nosuchfs"), "ENODEV");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/missing"), "nosuchfs"), "ENOENT");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), "internal"), "ENODEV");
      t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), "internal", { getFilesystemOptions: { internalMount: true } });
      t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), "testfs.whatever");
      umount(t, "/mnt");
      umount(t, "/mnt");
    });
  });

  test("mount, umount and bind need CAP_SYS_ADMIN over the namespace → EPERM", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mkdirp("/other");
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.mountAt(user, "none", t.pop("/mnt"), "testfs"), "EPERM");
      t.mountTestfs("/mnt");
      expectErrno(() => t.vfs.umountAt(user, t.pop("/mnt"), { flags: 0 }), "EPERM");
      expectErrno(() => t.vfs.bindAt(user, t.pop("/other"), t.pop("/mnt")), "EPERM");
      expectErrno(() => t.vfs.remountAt(user, t.pop("/mnt"), { readOnly: true }), "EPERM");
      umount(t, "/mnt");
    });
  });
});

describe("mount tree", () => {
  test("mount IDs count from 1 and are never reused", () => {
    withVfs((t) => {
      expect(t.root.mount.id).toBe(1);
      t.mkdirp("/mnt");
      const first = t.mountTestfs("/mnt").id;
      umount(t, "/mnt");
      const second = t.mountTestfs("/mnt").id;
      expect([first, second]).toEqual([2, 3]);
      umount(t, "/mnt");
    });
  });

  test("stacked mounts: walks enter the topmost; umount peels them one at a time", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.writeFile("/mnt/under", "0");
      const a = t.mountTestfs("/mnt");
      t.writeFile("/mnt/a", "1");
      const b = t.mountTestfs("/mnt");
      t.writeFile("/mnt/b", "2");
      expect(b.parent()).toBe(a);
      expect(t.vfs.statAt(t.ctx, t.pop("/mnt/b"), { mask: 0x1000, sync: 0 }).mntId).toBe(b.id);
      expectErrno(() => stat(t, "/mnt/a"), "ENOENT");
      umount(t, "/mnt");
      expect(t.readText("/mnt/a")).toBe("1");
      umount(t, "/mnt");
      expect(t.readText("/mnt/under")).toBe("0");
      expectErrno(() => umount(t, "/mnt"), "EINVAL");
    });
  });

  test("mounting on a file works; mounting over a busy directory is allowed", () => {
    withVfs((t) => {
      t.mkdirp("/d");
      const fd = t.vfs.openAt(t.ctx, t.pop("/d"), { flags: O_RDONLY, mode: 0 });
      try {
        t.mountTestfs("/d");
        umount(t, "/d");
      } finally {
        fd.decRef(t.ctx);
      }
    });
  });

  test("the namespace root's mount: parent undefined, private propagation, flags", () => {
    withVfs((t) => {
      const root = t.root.mount;
      expect(root.parent()).toBeUndefined();
      expect(root.mountPoint()).toBeUndefined();
      expect(root.namespace()).toBe(t.mntns);
      expect(root.propagationType()).toBe(PropagationType.Private);
      expect(root.flags()).toEqual({ noExec: false, noATime: false, noDev: false, noSUID: false });
      expect(root.source()).toBe("none");
      expect(t.mntns.mountCount()).toBe(0);
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      expect(t.mntns.mountCount()).toBe(1);
      expect(t.mntns.pendingCount()).toBe(0);
      umount(t, "/mnt");
    });
  });

  test(`more than ${MOUNT_MAX} mounts in a namespace → ENOSPC`, () => {
    withVfs((t) => {
      t.mkdirp("/m");
      const fs = t.vfs.newFilesystem(t.ctx, "none", "testfs");
      try {
        for (let i = 0; i < MOUNT_MAX; i++) t.vfs.mkdirAt(t.ctx, t.pop(`/m/${i}`, { follow: false }), { mode: 0o755 });
        for (let i = 0; i < MOUNT_MAX; i++) {
          const mount = t.vfs.newDisconnectedMount(fs.fs, fs.root);
          try {
            t.vfs.connectMountAt(t.ctx, mount, t.pop(`/m/${i}`));
          } finally {
            mount.decRef(t.ctx);
          }
        }
        expect(t.mntns.mountCount()).toBe(MOUNT_MAX);
        t.mkdirp("/last");
        expectErrno(() => t.mountTestfs("/last"), "ENOSPC");
        expectErrno(() => t.vfs.bindAt(t.ctx, t.pop("/m"), t.pop("/last")), "ENOSPC");
        for (let i = 0; i < MOUNT_MAX; i++) umount(t, `/m/${i}`);
      } finally {
        fs.root.decRef(t.ctx);
        fs.fs.decRef(t.ctx);
      }
    });
  });
});

describe("umount (§8.2 row 34)", () => {
  test("bad flags → EINVAL (MNT_EXPIRE is not implemented); not a mount root → EINVAL; the namespace root → EINVAL", () => {
    withVfs((t) => {
      t.mkdirp("/mnt/sub");
      t.mountTestfs("/mnt");
      t.mkdirp("/mnt/inner");
      expectErrno(() => umount(t, "/mnt", 16), "EINVAL");
      expectErrno(() => umount(t, "/mnt", MNT_EXPIRE), "EINVAL");
      expectErrno(() => umount(t, "/mnt", MNT_EXPIRE | MNT_DETACH), "EINVAL");
      expectErrno(() => umount(t, "/mnt/inner"), "EINVAL");
      expectErrno(() => umount(t, "/"), "EINVAL");
      expectErrno(() => umount(t, "/missing"), "ENOENT");
      umount(t, "/mnt");
    });
  });

  test("UMOUNT_NOFOLLOW on a symlink to a mount point → EINVAL; without it the link is followed", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.vfs.symlinkAt(t.ctx, t.pop("/link", { follow: false }), "/mnt");
      expectErrno(() => umount(t, "/link", UMOUNT_NOFOLLOW), "EINVAL");
      umount(t, "/link");
      expectErrno(() => umount(t, "/mnt"), "EINVAL");
    });
  });

  test("MNT_FORCE without CAP_SYS_ADMIN in the initial user namespace → EPERM", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      umount(t, "/mnt", MNT_FORCE); // root of the initial namespace may
      // Root of a child user namespace, in a mount namespace that namespace owns.
      const child = t.userns.newChild(t.ctx.credentials);
      const nsRoot = t.ctx.credentials.forkIntoUserNamespace(child);
      const clone = t.vfs.cloneMountNamespace(t.ctx, child, t.mntns, { root: t.root });
      const root2 = clone.root as NonNullable<typeof clone.root>;
      const ctx2 = withValue(withValue(t.as(nsRoot), MountNamespaceKey, clone.namespace), RootKey, root2);
      try {
        t.vfs.mountAt(ctx2, "none", t.pop("/mnt", { root: root2 }), "testfs");
        expectErrno(() => t.vfs.umountAt(ctx2, t.pop("/mnt", { root: root2 }), { flags: MNT_FORCE }), "EPERM");
        t.vfs.umountAt(ctx2, t.pop("/mnt", { root: root2 }), { flags: 0 });
      } finally {
        root2.decRef(t.ctx);
        clone.namespace.decRef(t.ctx);
      }
    });
  });

  test("a mount with an open file, a held position or a submount is busy (EBUSY)", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.writeFile("/mnt/f", "x");
      const fd = t.vfs.openAt(t.ctx, t.pop("/mnt/f"), { flags: O_RDONLY, mode: 0 });
      expectErrno(() => umount(t, "/mnt"), "EBUSY");
      fd.decRef(t.ctx);
      const cwd = t.vfs.getDentryAt(t.ctx, t.pop("/mnt"));
      expectErrno(() => umount(t, "/mnt"), "EBUSY");
      cwd.decRef(t.ctx);
      t.mkdirp("/mnt/sub");
      t.mountTestfs("/mnt/sub");
      expectErrno(() => umount(t, "/mnt"), "EBUSY");
      umount(t, "/mnt/sub");
      umount(t, "/mnt");
    });
  });

  test("MNT_DETACH: the mount leaves the tree at once; an open file keeps working", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.writeFile("/mnt/f", "kept");
      t.mkdirp("/mnt/sub");
      t.mountTestfs("/mnt/sub");
      const fd = t.vfs.openAt(t.ctx, t.pop("/mnt/f"), { flags: O_RDONLY, mode: 0 });
      const cwd = t.vfs.getDentryAt(t.ctx, t.pop("/mnt"));
      try {
        umount(t, "/mnt", MNT_DETACH);
        expectErrno(() => stat(t, "/mnt/f"), "ENOENT");
        expect(fd.mount().isUmounted()).toBe(true);
        const buf = new Uint8Array(16);
        expect(new TextDecoder().decode(buf.subarray(0, fd.read(t.ctx, buf)))).toBe("kept");
        // The old tree stays walkable from a position inside it (its submounts are gone).
        expect(stat(t, "f", { start: cwd }).mode & S_IFMT).not.toBe(S_IFDIR);
        expect(stat(t, "sub", { start: cwd }).mode & S_IFMT).toBe(S_IFDIR);
        // Nothing can be mounted on a detached mount (ENOENT, as Linux), nor bound from it.
        expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("sub", { start: cwd }), "testfs"), "ENOENT");
        t.mkdirp("/target");
        expectErrno(() => t.vfs.bindAt(t.ctx, t.pop("sub", { start: cwd }), t.pop("/target")), "EINVAL");
      } finally {
        cwd.decRef(t.ctx);
        fd.decRef(t.ctx);
      }
    });
  });

  test("a mount of another namespace cannot be unmounted or remounted → EINVAL", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      const other = t.vfs.newMountNamespace(t.ctx, "none", "testfs");
      const ctx = withValue(t.ctx, MountNamespaceKey, other);
      try {
        expectErrno(() => umount(t, "/mnt", 0, ctx), "EINVAL");
        expectErrno(() => t.vfs.remountAt(ctx, t.pop("/mnt"), { readOnly: true }), "EINVAL");
      } finally {
        other.decRef(t.ctx);
      }
      umount(t, "/mnt");
    });
  });
});

describe("bind mounts (§8.2 rows 36, 37)", () => {
  test("directory onto file and file onto directory → ENOTDIR; file onto file works", () => {
    withVfs((t) => {
      t.mkdirp("/d");
      t.writeFile("/f", "file");
      t.writeFile("/g", "other");
      expectErrno(() => t.vfs.bindAt(t.ctx, t.pop("/d"), t.pop("/f")), "ENOTDIR");
      expectErrno(() => t.vfs.bindAt(t.ctx, t.pop("/f"), t.pop("/d")), "ENOTDIR");
      t.vfs.bindAt(t.ctx, t.pop("/f"), t.pop("/g"));
      expect(t.readText("/g")).toBe("file");
      umount(t, "/g");
      expect(t.readText("/g")).toBe("other");
    });
  });

  test("a recursive bind copies the submounts below the source; a plain bind does not", () => {
    withVfs((t) => {
      t.mkdirp("/src/sub");
      t.mkdirp("/plain");
      t.mkdirp("/rec");
      t.mountTestfs("/src/sub");
      t.writeFile("/src/sub/inside", "in");
      t.vfs.bindAt(t.ctx, t.pop("/src"), t.pop("/plain"));
      t.vfs.bindAt(t.ctx, t.pop("/src"), t.pop("/rec"), { recursive: true });
      expectErrno(() => stat(t, "/plain/sub/inside"), "ENOENT");
      expect(t.readText("/rec/sub/inside")).toBe("in");
      umount(t, "/rec/sub");
      umount(t, "/rec");
      umount(t, "/plain");
      umount(t, "/src/sub");
    });
  });

  test("the target must be in the caller's namespace → EINVAL; remount of a non-mount-point → EINVAL", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mkdirp("/b");
      const other = t.vfs.newMountNamespace(t.ctx, "none", "testfs");
      const ctx = withValue(t.ctx, MountNamespaceKey, other);
      try {
        expectErrno(() => t.vfs.bindAt(ctx, t.pop("/a"), t.pop("/b")), "EINVAL");
      } finally {
        other.decRef(t.ctx);
      }
      expectErrno(() => t.vfs.remountAt(t.ctx, t.pop("/a"), { readOnly: true }), "EINVAL");
    });
  });
});

describe("the busy rule (§3.7, §8.2 row 35)", () => {
  test("rename, rmdir and unlink of a mount point in the caller's namespace → EBUSY", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.writeFile("/file", "f");
      t.mountTestfs("/mnt");
      t.vfs.bindAt(t.ctx, t.pop("/file"), t.pop("/file"));
      expectErrno(() => t.vfs.renameAt(t.ctx, t.pop("/mnt", { follow: false }), t.pop("/x", { follow: false }), { flags: 0 }), "EBUSY");
      expectErrno(() => t.vfs.rmdirAt(t.ctx, t.pop("/mnt", { follow: false })), "EBUSY");
      t.mkdirp("/empty");
      expectErrno(() => t.vfs.renameAt(t.ctx, t.pop("/empty", { follow: false }), t.pop("/mnt", { follow: false }), { flags: 0 }), "EBUSY");
      expectErrno(() => t.vfs.unlinkAt(t.ctx, t.pop("/file", { follow: false })), "EBUSY");
      umount(t, "/file");
      umount(t, "/mnt");
      t.vfs.rmdirAt(t.ctx, t.pop("/mnt", { follow: false }));
    });
  });

  test("a mount point of another namespace does not block, and its mount is detached there", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.writeFile("/mnt/inside", "x");
      // A second namespace showing the same tree, with /mnt mounted in both.
      const clone = t.vfs.cloneMountNamespace(t.ctx, t.userns, t.mntns, { root: t.root });
      const root2 = clone.root as NonNullable<typeof clone.root>;
      const ctx2 = withValue(withValue(t.ctx, MountNamespaceKey, clone.namespace), RootKey, root2);
      try {
        expect(t.vfs.statAt(ctx2, t.pop("/mnt/inside", { root: root2 }), STAT).mode & S_IFMT).not.toBe(S_IFDIR);
        // Unmount it in the first namespace, then remove the directory there.
        umount(t, "/mnt");
        t.vfs.rmdirAt(t.ctx, t.pop("/mnt", { follow: false }));
        // The second namespace lost its mount: /mnt is gone there too.
        expectErrno(() => t.vfs.statAt(ctx2, t.pop("/mnt/inside", { root: root2 }), STAT), "ENOENT");
        expect(clone.namespace.mountCount()).toBe(0);
      } finally {
        root2.decRef(t.ctx);
        clone.namespace.decRef(t.ctx);
      }
    });
  });
});

describe("mount namespaces", () => {
  test("clone copies every mount; changes in one do not show in the other", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mkdirp("/b");
      t.mountTestfs("/a");
      const clone = t.vfs.cloneMountNamespace(t.ctx, t.userns, t.mntns, { root: t.root });
      const root2 = clone.root as NonNullable<typeof clone.root>;
      const ctx2 = withValue(withValue(t.ctx, MountNamespaceKey, clone.namespace), RootKey, root2);
      try {
        expect(root2.mount).not.toBe(t.root.mount);
        expect(clone.namespace.mountCount()).toBe(1);
        t.mountTestfs("/b");
        t.writeFile("/b/only-in-first", "1");
        expectErrno(() => t.vfs.statAt(ctx2, t.pop("/b/only-in-first", { root: root2 }), STAT), "ENOENT");
        t.vfs.umountAt(ctx2, t.pop("/a", { root: root2 }), { flags: 0 });
        expect(t.mntns.mountCount()).toBe(2);
      } finally {
        root2.decRef(t.ctx);
        clone.namespace.decRef(t.ctx);
      }
      umount(t, "/b");
      umount(t, "/a");
    });
  });

  test("a clone owned by another user namespace has locked mounts (umount → EINVAL)", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mountTestfs("/a");
      const child = t.userns.newChild(t.ctx.credentials);
      const clone = t.vfs.cloneMountNamespace(t.ctx, child, t.mntns, { root: t.root });
      const root2 = clone.root as NonNullable<typeof clone.root>;
      const ctx2 = withValue(withValue(t.ctx, MountNamespaceKey, clone.namespace), RootKey, root2);
      try {
        expectErrno(() => t.vfs.umountAt(ctx2, t.pop("/a", { root: root2 }), { flags: 0 }), "EINVAL");
      } finally {
        root2.decRef(t.ctx);
        clone.namespace.decRef(t.ctx);
      }
      umount(t, "/a");
    });
  });

  test("the poller is notified on mount, remount and umount", () => {
    withVfs((t) => {
      const events: number[] = [];
      const waiter = { notify: (e: number) => events.push(e) };
      t.mntns.poller.queue.register(waiter, 0xffff);
      const before = t.mntns.poller.sequence;
      t.mkdirp("/mnt");
      t.mountTestfs("/mnt");
      t.vfs.remountAt(t.ctx, t.pop("/mnt"), { readOnly: true });
      umount(t, "/mnt");
      t.mntns.poller.queue.unregister(waiter);
      expect(t.mntns.poller.sequence - before).toBe(3);
      expect(events).toHaveLength(3);
    });
  });

  test("dropping the last reference on a namespace unmounts everything lazily", () => {
    withVfs((t) => {
      const ns = t.vfs.newMountNamespace(t.ctx, "none", "testfs");
      const root = ns.root(t.ctx);
      const ctx = withValue(withValue(t.ctx, MountNamespaceKey, ns), RootKey, root);
      const pop = (path: string) => ({ ...t.pop(path, { root }), start: root });
      t.vfs.mkdirAt(ctx, { ...pop("/mnt"), followFinalSymlink: false }, { mode: 0o755 });
      t.vfs.mountAt(ctx, "none", pop("/mnt"), "testfs");
      const fd = t.vfs.openAt(ctx, pop("/mnt/f"), { flags: O_WRONLY | O_CREAT, mode: 0o644 });
      root.decRef(t.ctx);
      ns.decRef(t.ctx);
      expect(fd.mount().isUmounted()).toBe(true);
      fd.write(t.ctx, new Uint8Array([1, 2, 3]));
      fd.decRef(t.ctx);
    });
  });
});

describe("moving mounts (MS_MOVE, §8.2 row 37)", () => {
  test("moves a mount and its submounts; open files follow", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mkdirp("/b");
      const moved = t.mountTestfs("/a");
      t.mkdirp("/a/sub");
      t.mountTestfs("/a/sub");
      t.writeFile("/a/sub/f", "deep");
      const fd = t.vfs.openAt(t.ctx, t.pop("/a/sub/f"), { flags: O_RDONLY, mode: 0 });
      try {
        t.vfs.moveMountAt(t.ctx, t.pop("/a"), t.pop("/b"));
        expect(t.readText("/b/sub/f")).toBe("deep");
        expectErrno(() => stat(t, "/a/sub"), "ENOENT");
        expect(moved.parent()).toBe(t.root.mount);
        expect(t.mntns.mountCount()).toBe(2);
      } finally {
        fd.decRef(t.ctx);
      }
      umount(t, "/b/sub");
      umount(t, "/b");
    });
  });

  test("not a mount root → EINVAL; the namespace root → EINVAL; below itself → ELOOP; dir onto file → EINVAL", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mkdirp("/b");
      t.writeFile("/file", "");
      t.mountTestfs("/a");
      t.mkdirp("/a/inner");
      expectErrno(() => t.vfs.moveMountAt(t.ctx, t.pop("/a/inner"), t.pop("/b")), "EINVAL");
      expectErrno(() => t.vfs.moveMountAt(t.ctx, t.pop("/"), t.pop("/b")), "EINVAL");
      expectErrno(() => t.vfs.moveMountAt(t.ctx, t.pop("/a"), t.pop("/a/inner")), "ELOOP");
      expectErrno(() => t.vfs.moveMountAt(t.ctx, t.pop("/a"), t.pop("/file")), "EINVAL");
      const user = t.as(t.user(1000, 1000));
      expectErrno(() => t.vfs.moveMountAt(user, t.pop("/a"), t.pop("/b")), "EPERM");
      umount(t, "/a");
    });
  });
});

describe("propagation types (§8.2 row 37)", () => {
  test("exactly one type → else EINVAL; private and slave succeed; unbindable refuses binds; shared is not implemented", () => {
    withVfs((t) => {
      t.mkdirp("/a/sub");
      t.mkdirp("/b");
      const a = t.mountTestfs("/a");
      t.mkdirp("/a/sub");
      const sub = t.mountTestfs("/a/sub");
      const set = (flags: number) => t.vfs.setMountPropagationAt(t.ctx, t.pop("/a"), flags);
      expectErrno(() => set(MS_PRIVATE | MS_SLAVE), "EINVAL");
      expectErrno(() => set(MS_REC), "EINVAL");
      expectErrno(() => set(MS_SHARED), "EINVAL");
      expectErrno(() => t.vfs.setMountPropagationAt(t.ctx, t.pop("/b"), MS_PRIVATE), "EINVAL");
      set(MS_PRIVATE | MS_REC);
      set(MS_SLAVE);
      set(MS_UNBINDABLE | MS_REC);
      expect([a.propagationType(), sub.propagationType()]).toEqual([PropagationType.Unbindable, PropagationType.Unbindable]);
      expectErrno(() => t.vfs.bindAt(t.ctx, t.pop("/a"), t.pop("/b")), "EINVAL");
      set(MS_PRIVATE);
      t.vfs.bindAt(t.ctx, t.pop("/a"), t.pop("/b"));
      umount(t, "/b");
      umount(t, "/a/sub");
      umount(t, "/a");
    });
  });
});
