// Extended attributes on tmpfs: inventory §8.2 row 39 and Linux's limits (checked on
// Linux 6.18 tmpfs, as root and as an unprivileged user).
import { O_RDONLY, S_IFCHR, XATTR_CREATE, XATTR_REPLACE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { createTmpfs, errnoOf, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";

function withTmpfs(fn: (t: TmpfsTest) => void, data?: string): void {
  const t = createTmpfs(data === undefined ? {} : { data });
  try {
    fn(t);
  } finally {
    t.release();
  }
}

const v = (text: string): Uint8Array => new TextEncoder().encode(text);

function set(t: TmpfsTest, path: string, name: string, value: Uint8Array, flags = 0, ctx = t.ctx): string {
  return errnoOf(() => t.vfs.setXattrAt(ctx, t.pop(path, { follow: false }), { name, value, flags }));
}

function get(t: TmpfsTest, path: string, name: string, size = 0, ctx = t.ctx): Uint8Array | string {
  try {
    return t.vfs.getXattrAt(ctx, t.pop(path, { follow: false }), { name, size });
  } catch (error) {
    return (error as { code: string }).code;
  }
}

function list(t: TmpfsTest, path: string, size = 0, ctx = t.ctx): string[] | string {
  try {
    return t.vfs.listXattrAt(ctx, t.pop(path, { follow: false }), size);
  } catch (error) {
    return (error as { code: string }).code;
  }
}

describe("xattrs", () => {
  test("set, get, replace, remove, list; empty values; ctime changes", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "");
      t.clock.advance(3);
      expect(set(t, "/f", "user.a", v("1"))).toBe("OK");
      expect(t.stat("/f").ctime.sec).toBe(t.clock.sec);
      expect(set(t, "/f", "user.empty", new Uint8Array(0))).toBe("OK");
      expect(get(t, "/f", "user.a")).toEqual(v("1"));
      expect(get(t, "/f", "user.empty")).toEqual(new Uint8Array(0));
      expect(set(t, "/f", "user.a", v("22"), XATTR_REPLACE)).toBe("OK");
      expect(get(t, "/f", "user.a")).toEqual(v("22"));
      expect(list(t, "/f")).toEqual(["user.a", "user.empty"]);
      t.vfs.removeXattrAt(t.ctx, t.pop("/f"), "user.a");
      expect(get(t, "/f", "user.a")).toBe("ENODATA");
      expect(list(t, "/f")).toEqual(["user.empty"]);
      // The value returned is a copy.
      const got = get(t, "/f", "user.empty") as Uint8Array;
      expect(got.length).toBe(0);
    }));

  test("the errors of row 39, in Linux's order", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "", 0o644);
      expect(set(t, "/f", "", v("x"))).toBe("ERANGE");
      expect(set(t, "/f", `user.${"a".repeat(251)}`, v("x"))).toBe("ERANGE");
      expect(set(t, "/f", `user.${"a".repeat(250)}`, v("x"))).toBe("OK");
      expect(set(t, "/f", "user.big", new Uint8Array(65537))).toBe("E2BIG");
      expect(set(t, "/f", "user.big", new Uint8Array(65536))).toBe("OK");
      expect(set(t, "/f", "foo.bar", v("x"))).toBe("EOPNOTSUPP");
      expect(set(t, "/f", "system.posix_acl_access", v("x"))).toBe("EOPNOTSUPP");
      expect(set(t, "/f", "user.", v("x"))).toBe("EINVAL");
      expect(set(t, "/f", "user.x", v("x"), 4)).toBe("EINVAL");
      expect(set(t, "/f", "user.big", v("x"), XATTR_CREATE)).toBe("EEXIST");
      expect(set(t, "/f", "user.none", v("x"), XATTR_REPLACE)).toBe("ENODATA");
      expect(get(t, "/f", "user.none")).toBe("ENODATA");
      expect(get(t, "/f", "user.big", 100)).toBe("ERANGE");
      expect((get(t, "/f", "user.big", 65536) as Uint8Array).length).toBe(65536);
      expect(errnoOf(() => t.vfs.removeXattrAt(t.ctx, t.pop("/f"), "user.none"))).toBe("ENODATA");
      // security.*: stored as Linux's tmpfs stores them; writing needs CAP_SYS_ADMIN
      // (CAP_SETFCAP for security.capability), not permission on the file.
      expect(set(t, "/f", "security.selinux", v("x"))).toBe("OK");
      expect(set(t, "/f", "security.selinux", v("x"), 0, t.asUser(1000, 1000))).toBe("EPERM");
      expect(set(t, "/f", "security.capability", v("x"))).toBe("OK");
      expect(get(t, "/f", "security.capability")).toEqual(v("x"));
      // trusted.* for root.
      expect(set(t, "/f", "trusted.t", v("x"))).toBe("OK");
    }));

  test("user.* on symlinks and devices: set EPERM, get ENODATA; trusted.* is allowed there", () =>
    withTmpfs((t) => {
      t.vfs.symlinkAt(t.ctx, t.pop("/l", { follow: false }), "target");
      t.vfs.mknodAt(t.ctx, t.pop("/c", { follow: false }), { mode: S_IFCHR | 0o666, devMajor: 1, devMinor: 3 });
      expect(set(t, "/l", "user.x", v("1"))).toBe("EPERM");
      expect(get(t, "/l", "user.x")).toBe("ENODATA");
      expect(set(t, "/c", "user.x", v("1"))).toBe("EPERM");
      expect(set(t, "/l", "trusted.x", v("1"))).toBe("OK");
    }));

  test("permissions: trusted.* needs CAP_SYS_ADMIN (hidden from lists); user.* needs read or write permission", () =>
    withTmpfs((t) => {
      t.writeFile("/rw", "", 0o666);
      t.writeFile("/private", "", 0o600);
      set(t, "/rw", "trusted.t", v("secret"));
      set(t, "/rw", "user.u", v("visible"));
      set(t, "/private", "user.p", v("p"));
      const u = t.asUser(1000, 1000);
      expect(set(t, "/rw", "trusted.t", v("x"), 0, u)).toBe("EPERM");
      expect(get(t, "/rw", "trusted.t", 0, u)).toBe("ENODATA");
      expect(list(t, "/rw", 0, u)).toEqual(["user.u"]);
      expect(list(t, "/rw")).toEqual(["trusted.t", "user.u"]);
      expect(set(t, "/rw", "user.mine", v("x"), 0, u)).toBe("OK");
      expect(set(t, "/private", "user.p", v("x"), 0, u)).toBe("EACCES");
      expect(get(t, "/private", "user.p", 0, u)).toBe("EACCES");
      expect(errnoOf(() => t.vfs.removeXattrAt(u, t.pop("/private"), "user.p"))).toBe("EACCES");
      // Listing needs no permission on the file.
      expect(list(t, "/private", 0, u)).toEqual(["user.p"]);
    }));

  test("list sizes: ERANGE when the names do not fit, E2BIG past 64 KiB", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "");
      set(t, "/f", "user.ab", v("1"));
      set(t, "/f", "user.cd", v("1"));
      expect(list(t, "/f", 16)).toEqual(["user.ab", "user.cd"]);
      expect(list(t, "/f", 15)).toBe("ERANGE");
      for (let i = 0; i < 300; i++) set(t, "/f", `user.${String(i).padStart(240, "x")}`, v(""));
      expect((list(t, "/f") as string[]).length).toBe(302);
      expect(list(t, "/f", 65536)).toBe("E2BIG");
      expect(list(t, "/f", 1000)).toBe("ERANGE");
    }));

  test("a write removes security.capability; xattrs through descriptions work; read-only mounts are EROFS", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "");
      set(t, "/f", "security.capability", v("caps"));
      t.writeFile("/f", "changed");
      expect(get(t, "/f", "security.capability")).toBe("ENODATA");
      const fd = t.open("/f", O_RDONLY);
      fd.setXattr(t.ctx, { name: "user.fd", value: v("via fd"), flags: 0 });
      expect(fd.getXattr(t.ctx, { name: "user.fd", size: 0 })).toEqual(v("via fd"));
      expect(fd.listXattr(t.ctx, 0)).toEqual(["user.fd"]);
      fd.removeXattr(t.ctx, "user.fd");
      fd.decRef(t.ctx);
      t.mkdir("/ro");
      t.mountTmpfs("/ro", undefined, { readOnly: true });
      expect(set(t, "/ro", "user.x", v("1"))).toBe("EROFS");
      expectErrno(() => t.vfs.removeXattrAt(t.ctx, t.pop("/ro"), "user.x"), "EROFS");
      expect(get(t, "/ro", "user.x")).toBe("ENODATA");
      t.vfs.umountAt(t.ctx, t.pop("/ro"), { flags: 0 });
    }));

  test("with nr_inodes, attributes take inode space (ENOSPC), returned on removal", () =>
    withTmpfs((t) => {
      t.writeFile("/f", "");
      // Root and /f use 2 of 3 slots: 1024 bytes left, minus what each attribute takes.
      expect(set(t, "/f", "user.a", new Uint8Array(900))).toBe("OK");
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(0);
      expect(set(t, "/f", "user.b", new Uint8Array(100))).toBe("ENOSPC");
      t.vfs.removeXattrAt(t.ctx, t.pop("/f"), "user.a");
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(1);
      expect(set(t, "/f", "user.b", new Uint8Array(100))).toBe("OK");
    }, "nr_inodes=3"));
});
