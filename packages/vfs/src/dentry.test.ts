import { describe, expect, test } from "vitest";
import { InternalError } from "./assert.js";
import { createTestVfs, type TestVfs } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { VirtualDentry } from "./virtual-dentry.js";

function withVfs(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

function held<T>(t: TestVfs, path: string, fn: (vd: VirtualDentry) => T): T {
  const vd = t.vfs.getDentryAt(t.ctx, t.pop(path, { follow: false }));
  try {
    return fn(vd);
  } finally {
    vd.decRef(t.ctx);
  }
}

describe("delete tickets", () => {
  test("commit marks the dentry dead; abort leaves it alive; a ticket ends once", () => {
    withVfs((t) => {
      t.mkdirp("/a");
      t.mkdirp("/b");
      held(t, "/a", (a) => {
        const ticket = t.vfs.prepareDeleteDentry(t.mntns, a.dentry);
        // Nothing else may start on it until the ticket ends.
        expect(() => t.vfs.prepareDeleteDentry(t.mntns, a.dentry)).toThrow(InternalError);
        ticket.abort();
        expect(a.dentry.isDead()).toBe(false);
        expect(() => ticket.commit(t.ctx)).toThrow(InternalError);
      });
      held(t, "/b", (b) => {
        const ticket = t.vfs.prepareDeleteDentry(t.mntns, b.dentry);
        ticket.commit(t.ctx);
        expect(b.dentry.isDead()).toBe(true);
        expect(() => ticket.abort()).toThrow(InternalError);
      });
    });
  });

  test("a mount point of the caller's namespace is EBUSY; without a namespace any mount point is", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      held(t, "/mnt", (underlying) => {
        t.mountTestfs("/mnt");
        expect(underlying.dentry.isMountpoint()).toBe(true);
        expectErrno(() => t.vfs.prepareDeleteDentry(t.mntns, underlying.dentry), "EBUSY");
        expectErrno(() => t.vfs.prepareDeleteDentry(undefined, underlying.dentry), "EBUSY");
        expectErrno(() => t.vfs.prepareRenameDentry(t.mntns, underlying.dentry), "EBUSY");
        t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
        expect(underlying.dentry.isMountpoint()).toBe(false);
        t.vfs.prepareDeleteDentry(t.mntns, underlying.dentry).abort();
      });
    });
  });
});

describe("rename tickets", () => {
  test("commitReplace kills the replaced dentry; commitExchange keeps both; misuse is an InternalError", () => {
    withVfs((t) => {
      t.writeFile("/a", "");
      t.writeFile("/b", "");
      held(t, "/a", (a) =>
        held(t, "/b", (b) => {
          expect(() => t.vfs.prepareRenameDentry(t.mntns, a.dentry, a.dentry)).toThrow(InternalError);
          t.vfs.prepareRenameDentry(t.mntns, a.dentry, b.dentry).commitExchange();
          expect([a.dentry.isDead(), b.dentry.isDead()]).toEqual([false, false]);
          const alone = t.vfs.prepareRenameDentry(t.mntns, a.dentry);
          expect(() => alone.commitExchange()).toThrow(InternalError);
          alone.commitReplace(t.ctx);
          const replacing = t.vfs.prepareRenameDentry(t.mntns, a.dentry, b.dentry);
          replacing.commitReplace(t.ctx);
          expect([a.dentry.isDead(), b.dentry.isDead()]).toEqual([false, true]);
          expect(() => replacing.abort()).toThrow(InternalError);
        }),
      );
    });
  });
});

describe("invalidateDentry and dentry flags", () => {
  test("an invalidated mount point loses its mounts (in every namespace)", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      held(t, "/mnt", (underlying) => {
        t.mountTestfs("/mnt");
        t.writeFile("/mnt/f", "x");
        expect(t.mntns.mountCount()).toBe(1);
        t.vfs.invalidateDentry(t.ctx, underlying.dentry);
        expect(underlying.dentry.isDead()).toBe(true);
        expect(t.mntns.mountCount()).toBe(0);
        expectErrno(() => t.readText("/mnt/f"), "ENOENT");
      });
    });
  });

  test("a lazily unmounted subtree below a deleted mount point is released", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      held(t, "/mnt", (underlying) => {
        const outer = t.mountTestfs("/mnt");
        t.mkdirp("/mnt/sub");
        t.mountTestfs("/mnt/sub");
        const fd = t.vfs.openAt(t.ctx, t.pop("/mnt/sub"), { flags: 0, mode: 0 });
        const outerRoot = t.vfs.getDentryAt(t.ctx, t.pop("/mnt"));
        try {
          t.vfs.invalidateDentry(t.ctx, underlying.dentry);
          expect(outer.isUmounted()).toBe(true);
          // Below its unmounted parent, the inner mount stays connected while the parent
          // lives (Linux's UMOUNT_CONNECTED), and goes with it.
          expect(fd.mount().isUmounted()).toBe(true);
          expect(fd.mount().parent()).toBe(outer);
          outerRoot.decRef(t.ctx);
          expect(fd.mount().parent()).toBeUndefined();
        } finally {
          fd.decRef(t.ctx);
        }
      });
    });
  });

  test("markEvictable is a sticky hint", () => {
    withVfs((t) => {
      held(t, "/", (root) => {
        expect(root.dentry.isEvictable()).toBe(false);
        root.dentry.markEvictable();
        expect(root.dentry.isEvictable()).toBe(true);
      });
    });
  });
});

describe("VirtualDentry", () => {
  test("equals compares both halves; incRef/decRef take and drop both", () => {
    withVfs((t) => {
      const a = new VirtualDentry(t.root.mount, t.root.dentry);
      expect(a.equals(t.root)).toBe(true);
      expect(a.equals(undefined)).toBe(false);
      held(t, "/", (vd) => expect(vd.equals(t.root)).toBe(true));
      const before = t.root.mount.refCount;
      a.incRef();
      expect(t.root.mount.refCount).toBe(before + 1);
      a.decRef(t.ctx);
      expect(t.root.mount.refCount).toBe(before);
    });
  });
});
