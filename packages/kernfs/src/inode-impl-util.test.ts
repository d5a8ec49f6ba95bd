// The building blocks: InodeAttrs (setStat rules, links, times), OrderedChildren
// (static/dynamic entries, writability, references), StaticSymlink, the base classes.
import {
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  STATX_ATIME,
  STATX_GID,
  STATX_INO,
  STATX_MODE,
  STATX_MTIME,
  STATX_NLINK,
  STATX_SIZE,
  STATX_UID,
  UTIME_NOW,
  UTIME_OMIT,
  O_NOFOLLOW,
  O_RDONLY,
} from "@vfskit/abi";
import { Credentials, UserNamespace, type GID, type UID } from "@vfskit/auth";
import { ClockKey, InternalError, createContext, type Context } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { InodeAttrs } from "./inode-attrs.js";
import { OrderedChildren } from "./ordered-children.js";
import { StaticSymlink } from "./symlink.js";
import { createTestSystem, newReadonlyDir, TestDirectory } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

const userns = UserNamespace.root();
const root = Credentials.root(userns);
const alice = Credentials.user({ uid: 1000 as UID, gid: 1000 as GID, ns: userns });
let now = { sec: 100, nsec: 0 };
const clock = { now: () => ({ ...now }) };
const rootCtx: Context = createContext(root, [[ClockKey, clock]]);
const aliceCtx: Context = createContext(alice, [[ClockKey, clock]]);

describe("InodeAttrs", () => {
  test("starts with the creator's IDs, link count 1 (2 for a directory), times from the clock", () => {
    now = { sec: 100, nsec: 5 };
    const f = new InodeAttrs(aliceCtx, { ino: 7, mode: S_IFREG | 0o644 });
    const st = f.stat();
    expect([st.uid, st.gid, st.nlink, st.ino, st.mode, st.blksize]).toEqual([1000, 1000, 1, 7, S_IFREG | 0o644, 4096]);
    expect(st.mtime).toEqual({ sec: 100, nsec: 5 });
    expect(st.mask & (STATX_INO | STATX_NLINK | STATX_MODE)).toBe(STATX_INO | STATX_NLINK | STATX_MODE);
    expect(st.mask & STATX_SIZE).toBe(0);
    expect(new InodeAttrs(rootCtx, { ino: 8, mode: S_IFDIR | 0o755 }).links()).toBe(2);
    expect(() => new InodeAttrs(rootCtx, { ino: 9, mode: 0o644 })).toThrow(InternalError);
  });

  test("setStat: empty mask; EPERM for fields that cannot change; EISDIR for a directory's size", () => {
    const f = new InodeAttrs(rootCtx, { ino: 1, mode: S_IFREG | 0o644 });
    f.setStat(rootCtx, root, { stat: { mask: 0 } });
    expectErrno(() => f.setStat(rootCtx, root, { stat: { mask: STATX_INO } }), "EPERM");
    f.setStat(rootCtx, root, { stat: { mask: STATX_SIZE, size: 10 } }); // accepted, ignored
    const d = new InodeAttrs(rootCtx, { ino: 2, mode: S_IFDIR | 0o755 });
    expectErrno(() => d.setStat(rootCtx, root, { stat: { mask: STATX_SIZE, size: 0 } }), "EISDIR");
  });

  test("chmod keeps the file type; non-owners get EPERM; chown clears setuid; clearPrivs", () => {
    const f = new InodeAttrs(aliceCtx, { ino: 1, mode: S_IFREG | 0o644 });
    f.setStat(aliceCtx, alice, { stat: { mask: STATX_MODE, mode: 0o4755 } });
    expect(f.mode()).toBe(S_IFREG | 0o4755);
    const bob = Credentials.user({ uid: 2000 as UID, gid: 2000 as GID, ns: userns });
    expectErrno(() => f.setStat(aliceCtx, bob, { stat: { mask: STATX_MODE, mode: 0o777 } }), "EPERM");
    f.setStat(rootCtx, root, { stat: { mask: STATX_UID | STATX_GID, uid: 3000, gid: 3000 } });
    expect([f.uid(), f.gid(), f.mode()]).toEqual([3000, 3000, S_IFREG | 0o755]);
    f.setStat(rootCtx, root, { stat: { mask: STATX_MODE, mode: 0o6755 } });
    f.setStat(rootCtx, root, { stat: { mask: STATX_ATIME, atime: { sec: 1, nsec: 0 } }, clearPrivs: true });
    expect(f.mode()).toBe(S_IFREG | 0o755);
  });

  test("times: explicit values, UTIME_NOW, UTIME_OMIT; ctime moves on any change", () => {
    now = { sec: 100, nsec: 0 };
    const f = new InodeAttrs(rootCtx, { ino: 1, mode: S_IFREG | 0o644 });
    now = { sec: 200, nsec: 0 };
    f.setStat(rootCtx, root, { stat: { mask: STATX_ATIME | STATX_MTIME, atime: { sec: 5, nsec: 6 }, mtime: { sec: 0, nsec: UTIME_OMIT } } });
    let st = f.stat();
    expect([st.atime, st.mtime, st.ctime]).toEqual([{ sec: 5, nsec: 6 }, { sec: 100, nsec: 0 }, { sec: 200, nsec: 0 }]);
    now = { sec: 300, nsec: 0 };
    f.setStat(rootCtx, root, { stat: { mask: STATX_MTIME, mtime: { sec: 0, nsec: UTIME_NOW } } });
    st = f.stat();
    expect(st.mtime).toEqual({ sec: 300, nsec: 0 });
    f.touchCMtime(rootCtx);
    f.touchCtime(rootCtx);
  });

  test("links: incLinks and decLinks; decLinks at zero and revival are internal errors", () => {
    const f = new InodeAttrs(rootCtx, { ino: 1, mode: S_IFREG | 0o644 });
    f.incLinks(2);
    expect(f.links()).toBe(3);
    f.decLinks();
    f.decLinks();
    f.decLinks();
    expect(() => f.decLinks()).toThrow(InternalError);
    expect(() => f.incLinks(1)).toThrow(InternalError);
  });

  test("checkPermissions is generic_permission", () => {
    const f = new InodeAttrs(rootCtx, { ino: 1, mode: S_IFREG | 0o640 });
    expectErrno(() => f.checkPermissions(aliceCtx, alice, 4), "EACCES");
    f.checkPermissions(rootCtx, root, 6);
  });
});

describe("OrderedChildren", () => {
  function file(id: number): InstanceType<typeof TestDirectory> {
    return new TestDirectory(rootCtx, { nextIno: () => id } as never, 0o755);
  }

  test("populate counts directories; a duplicate is an internal error; insert EEXIST", () => {
    const oc = new OrderedChildren({ writable: true });
    const a = file(1);
    const b = file(2);
    expect(oc.populate([["a", a]])).toBe(1);
    expect(() => oc.populate([["a", b]])).toThrow(InternalError);
    expectErrno(() => oc.insert("a", b), "EEXIST");
    expectErrno(() => oc.inserter("a", () => b), "EEXIST");
    oc.insert("b", b);
    expect([...oc.entriesFrom(0)].map(([n]) => n)).toEqual(["a", "b"]);
    expect([...oc.entriesFrom(1)].map(([n]) => n)).toEqual(["b"]);
    expect(oc.lookup(rootCtx, "zz")).toBeUndefined();
    oc.destroy(rootCtx);
    expect(a.refCount).toBe(0);
    expect(b.refCount).toBe(0);
  });

  test("unlink and rename: EPERM when not writable or static, ENOENT when missing, EXDEV", () => {
    const ro = new OrderedChildren();
    const a = file(1);
    ro.insert("a", a);
    expectErrno(() => ro.unlink(rootCtx, "a", a), "EPERM");
    const rw = new OrderedChildren({ writable: true });
    const s = file(2);
    const d = file(3);
    rw.populate([["static", s]]);
    rw.insert("dyn", d);
    expectErrno(() => rw.unlink(rootCtx, "static", s), "EPERM");
    expectErrno(() => rw.unlink(rootCtx, "none", d), "ENOENT");
    expectErrno(() => rw.rename(rootCtx, "dyn", "x", d, undefined), "EXDEV");
    expectErrno(() => rw.rename(rootCtx, "dyn", "x", d, ro), "EPERM");
    expectErrno(() => rw.rename(rootCtx, "dyn", "static", d, rw), "EPERM");
    expectErrno(() => rw.rename(rootCtx, "static", "y", s, rw), "EPERM");
    rw.rename(rootCtx, "dyn", "moved", d, rw);
    expect(rw.get("moved")).toBe(d);
    expect(() => rw.unlink(rootCtx, "moved", s)).toThrow(InternalError);
    rw.unlink(rootCtx, "moved", d);
    expect(d.refCount).toBe(0);
    ro.destroy(rootCtx);
    rw.destroy(rootCtx);
  });
});

describe("StaticSymlink and the base classes", () => {
  test("a static symlink is lrwxrwxrwx, readable, not openable, immutable", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o555, [["l", new StaticSymlink(ctx, { ino: fs.nextIno(), target: "/somewhere" })]]));
    const st = sys.vfs.statAt(sys.ctx, sys.pathOp("/l", { follow: false }), { mask: STATX_MODE, sync: 0 });
    expect(st.mode).toBe(S_IFLNK | 0o777);
    expect(sys.vfs.readlinkAt(sys.ctx, sys.pathOp("/l", { follow: false }))).toBe("/somewhere");
    expectErrno(() => sys.vfs.openAt(sys.ctx, sys.pathOp("/l"), { flags: O_RDONLY | O_NOFOLLOW, mode: 0 }), "ELOOP");
    expectErrno(() => sys.vfs.setStatAt(sys.ctx, sys.pathOp("/l", { follow: false }), { stat: { mask: STATX_MODE, mode: 0o700 } }), "EPERM");
    sys.release();
  });

  test("a static directory takes no new entries and cannot change its attributes", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o555));
    expectErrno(() => sys.vfs.mkdirAt(sys.ctx, sys.pathOp("/x", { follow: false }), { mode: 0o755 }), "EPERM");
    expectErrno(() => sys.vfs.setStatAt(sys.ctx, sys.pathOp("/"), { stat: { mask: STATX_MODE, mode: 0o700 } }), "EPERM");
    expect(() => newReadonlyDir(sys.ctx, sys.fs, 0o40755)).toThrow(InternalError);
    sys.release();
  });
});
