// Inode metadata: chmod/chown/utimensat, the sticky rule and setgid inheritance, as an
// unprivileged user and as root. Expected values were checked on Linux 6.18 (tmpfs, run
// as root and through `setpriv --reuid=65534`).
import { Capability, O_CREAT, O_WRONLY, STATX_ATIME, STATX_GID, STATX_MODE, STATX_MTIME, STATX_UID, S_IFDIR, S_IFREG, UTIME_NOW, UTIME_OMIT } from "@vfskit/abi";
import { Credentials, type GID, type UID } from "@vfskit/auth";
import { describe, expect, test } from "vitest";
import { createTmpfs, errnoOf, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

function withTmpfs(fn: (t: TmpfsTest) => void): void {
  const t = createTmpfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

function chmod(t: TmpfsTest, path: string, mode: number, ctx = t.ctx): void {
  t.vfs.setStatAt(ctx, t.pop(path), { stat: { mask: STATX_MODE, mode } });
}

function chown(t: TmpfsTest, path: string, uid: number | undefined, gid: number | undefined, ctx = t.ctx): void {
  const mask = (uid === undefined ? 0 : STATX_UID) | (gid === undefined ? 0 : STATX_GID);
  t.vfs.setStatAt(ctx, t.pop(path), { stat: { mask, ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }) } });
}

/** A user with one capability (in the test's user namespace). */
function userWith(t: TmpfsTest, uid: number, cap: number): Credentials {
  const base = t.user(uid, uid);
  return base.with({ effectiveCaps: base.effectiveCaps.with(cap), permittedCaps: base.permittedCaps.with(cap) });
}

describe("the sticky bit", () => {
  function setup(t: TmpfsTest): void {
    t.mkdir("/tmp", 0o777);
    chmod(t, "/tmp", 0o1777);
    t.writeFile("/tmp/rootfile", "", 0o666);
    t.mkdir("/tmp/rootdir", 0o777);
    t.writeFile("/tmp/alice", "", 0o666, t.asUser(1000, 1000));
    t.mkdir("/bobs", 0o777, t.asUser(2000, 2000));
    chmod(t, "/bobs", 0o1777, t.asUser(2000, 2000));
    t.writeFile("/bobs/rootfile", "", 0o666);
  }

  test("a user may not delete or rename someone else's file (EPERM) even with write permission on it", () =>
    withTmpfs((t) => {
      setup(t);
      const alice = t.asUser(1000, 1000);
      expect(errnoOf(() => t.vfs.unlinkAt(alice, t.pop("/tmp/rootfile", { follow: false })))).toBe("EPERM");
      expect(errnoOf(() => t.vfs.rmdirAt(alice, t.pop("/tmp/rootdir", { follow: false })))).toBe("EPERM");
      expect(errnoOf(() => t.vfs.renameAt(alice, t.pop("/tmp/rootfile", { follow: false }), t.pop("/tmp/x", { follow: false }), { flags: 0 }))).toBe("EPERM");
    }));

  test("allowed: the file's owner, the directory's owner, and CAP_FOWNER", () =>
    withTmpfs((t) => {
      setup(t);
      // The owner of the file.
      t.vfs.unlinkAt(t.asUser(1000, 1000), t.pop("/tmp/alice", { follow: false }));
      // The owner of the directory deletes root's file in it.
      t.vfs.unlinkAt(t.asUser(2000, 2000), t.pop("/bobs/rootfile", { follow: false }));
      // CAP_FOWNER over the file.
      const fowner = t.as(userWith(t, 3000, Capability.CAP_FOWNER));
      t.vfs.unlinkAt(fowner, t.pop("/tmp/rootfile", { follow: false }));
      expect(t.list("/tmp")).toEqual(["rootdir"]);
    }));

  test("user.* xattrs on a sticky directory: only its owner (or CAP_FOWNER) may set them", () =>
    withTmpfs((t) => {
      setup(t);
      const alice = t.asUser(1000, 1000);
      const set = (ctx = alice): string => errnoOf(() => t.vfs.setXattrAt(ctx, t.pop("/tmp"), { name: "user.a", value: new Uint8Array(1), flags: 0 }));
      expect(set()).toBe("EPERM");
      expect(set(t.ctx)).toBe("OK");
    }));
});

describe("setgid directories", () => {
  test("new entries take the directory's group; new subdirectories also get S_ISGID", () =>
    withTmpfs((t) => {
      t.mkdir("/sg", 0o777);
      chown(t, "/sg", 0, 4242);
      chmod(t, "/sg", 0o2777);
      const u = t.asUser(1000, 1000);
      t.writeFile("/sg/f", "", 0o644, u);
      t.mkdir("/sg/d", 0o755, u);
      t.vfs.symlinkAt(u, t.pop("/sg/l", { follow: false }), "f");
      expect(t.stat("/sg/f")).toMatchObject({ uid: 1000, gid: 4242, mode: S_IFREG | 0o644 });
      expect(t.stat("/sg/d")).toMatchObject({ uid: 1000, gid: 4242, mode: S_IFDIR | 0o2755 });
      expect(t.stat("/sg/l", { follow: false }).gid).toBe(4242);
      // Inherited further down.
      t.writeFile("/sg/d/g", "", 0o644, u);
      expect(t.stat("/sg/d/g").gid).toBe(4242);
    }));

  test("a file created setgid-executable by a non-member loses S_ISGID (mode_strip_sgid)", () =>
    withTmpfs((t) => {
      t.mkdir("/sg", 0o777);
      chown(t, "/sg", 0, 4242);
      chmod(t, "/sg", 0o2777);
      const u = t.asUser(1000, 1000);
      t.vfs.openAt(u, t.pop("/sg/g"), { flags: O_CREAT | O_WRONLY, mode: 0o2775 }).decRef(u);
      expect(t.stat("/sg/g").mode).toBe(S_IFREG | 0o775);
      // A member keeps it.
      const member = t.as(t.user(1001, 1001, [4242]));
      t.vfs.openAt(member, t.pop("/sg/h"), { flags: O_CREAT | O_WRONLY, mode: 0o2775 }).decRef(member);
      expect(t.stat("/sg/h").mode).toBe(S_IFREG | 0o2775);
    }));

  test("without setgid, new files get the creator's group", () =>
    withTmpfs((t) => {
      t.mkdir("/plain", 0o777);
      t.writeFile("/plain/f", "", 0o644, t.asUser(1000, 1500));
      expect(t.stat("/plain/f")).toMatchObject({ uid: 1000, gid: 1500 });
    }));
});

describe("chmod, chown, utimensat", () => {
  test("chmod: only the owner or CAP_FOWNER; S_ISGID dropped for a non-member; ctime changes", () =>
    withTmpfs((t) => {
      t.mkdir("/pub", 0o777);
      const alice = t.asUser(1000, 1000);
      t.writeFile("/pub/f", "", 0o644, alice);
      expectErrno(() => chmod(t, "/pub/f", 0o600, t.asUser(2000, 2000)), "EPERM");
      t.clock.advance(5);
      chmod(t, "/pub/f", 0o4755, alice);
      const st = t.stat("/pub/f");
      expect(st.mode).toBe(S_IFREG | 0o4755);
      expect(st.ctime.sec).toBe(t.clock.sec);
      expect(st.mtime.sec).toBe(t.clock.sec - 5);
      chown(t, "/pub/f", undefined, 4242);
      chmod(t, "/pub/f", 0o2755, alice);
      expect(t.stat("/pub/f").mode).toBe(S_IFREG | 0o755);
    }));

  test("chown: the owner may only change the group to one of its own; root always; setuid is cleared", () =>
    withTmpfs((t) => {
      t.mkdir("/pub", 0o777);
      const alice = t.as(t.user(1000, 1000, [1500]));
      t.writeFile("/pub/f", "", 0o644, alice);
      expectErrno(() => chown(t, "/pub/f", 2000, undefined, alice), "EPERM");
      expectErrno(() => chown(t, "/pub/f", undefined, 4242, alice), "EPERM");
      chown(t, "/pub/f", undefined, 1500, alice);
      expect(t.stat("/pub/f").gid).toBe(1500);
      chmod(t, "/pub/f", 0o6755);
      chown(t, "/pub/f", 0, 0);
      expect(t.stat("/pub/f")).toMatchObject({ uid: 0, gid: 0, mode: S_IFREG | 0o755 });
      // Setgid without group-execute survives a chown by root.
      chmod(t, "/pub/f", 0o2745);
      chown(t, "/pub/f", 0, 0);
      expect(t.stat("/pub/f").mode).toBe(S_IFREG | 0o2745);
      // Directories keep both bits.
      t.mkdir("/pub/d");
      chmod(t, "/pub/d", 0o6755);
      chown(t, "/pub/d", 1000, 1000);
      expect(t.stat("/pub/d").mode).toBe(S_IFDIR | 0o6755);
    }));

  test("utimensat: explicit times need ownership; 'now' needs write permission; UTIME_OMIT twice changes nothing", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "", 0o666);
      const u = t.asUser(1000, 1000);
      const times = (atime: { sec: number; nsec: number }, mtime: { sec: number; nsec: number }, ctx = t.ctx): void =>
        t.vfs.setStatAt(ctx, t.pop("/f"), { stat: { mask: STATX_ATIME | STATX_MTIME, atime, mtime } });
      expectErrno(() => times({ sec: 1, nsec: 0 }, { sec: 1, nsec: 0 }, u), "EPERM");
      t.clock.advance(7);
      times({ sec: 0, nsec: UTIME_NOW }, { sec: 0, nsec: UTIME_NOW }, u);
      expect(t.stat("/f").mtime.sec).toBe(t.clock.sec);
      times({ sec: 1000, nsec: 5 }, { sec: 2_000_000_000_000, nsec: 6 });
      const st = t.stat("/f");
      expect(st.atime).toEqual({ sec: 1000, nsec: 5 });
      expect(st.mtime).toEqual({ sec: 2_000_000_000_000, nsec: 6 });
      expect(st.ctime.sec).toBe(t.clock.sec);
      t.clock.advance(7);
      times({ sec: 0, nsec: UTIME_OMIT }, { sec: 0, nsec: UTIME_OMIT });
      expect(t.stat("/f").ctime.sec).toBe(t.clock.sec - 7);
      times({ sec: 0, nsec: UTIME_OMIT }, { sec: 5, nsec: 0 });
      expect(t.stat("/f")).toMatchObject({ atime: { sec: 1000, nsec: 5 }, mtime: { sec: 5, nsec: 0 } });
    }));

  test("metadata changes on a read-only mount are EROFS; fchmod through a description too", () =>
    withTmpfs((t) => {
      t.mkdir("/ro");
      t.mountTmpfs("/ro", undefined, { readOnly: true });
      expectErrno(() => chmod(t, "/ro", 0o700), "EROFS");
      const fd = t.open("/ro", 0);
      expectErrno(() => fd.setStat(t.ctx, { stat: { mask: STATX_MODE, mode: 0o700 } }), "EROFS");
      fd.decRef(t.ctx);
      t.vfs.umountAt(t.ctx, t.pop("/ro"), { flags: 0 });
    }));

  test("credentials built with a real user namespace map uid/gid as the kernel does", () =>
    withTmpfs((t) => {
      const creds = Credentials.user({ uid: 1234 as UID, gid: 5678 as GID, ns: t.userns });
      const ctx = t.as(creds);
      t.mkdir("/pub", 0o777);
      t.writeFile("/pub/f", "", 0o600, ctx);
      expect(t.stat("/pub/f")).toMatchObject({ uid: 1234, gid: 5678 });
      expect(t.readText("/pub/f", ctx)).toBe("");
    }));
});
