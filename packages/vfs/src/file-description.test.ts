import {
  Capability,
  EPOLLIN,
  O_APPEND,
  O_ASYNC,
  O_CREAT,
  O_DIRECT,
  O_EXCL,
  O_NOATIME,
  O_NOCTTY,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SEEK_SET,
  STATX_BASIC_STATS,
  STATX_MNT_ID,
  STATX_MODE,
  STATX_UID,
  SysError,
  type Dirent,
  type Statx,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { InternalError } from "./assert.js";
import type { Context } from "./context.js";
import { withCredentials } from "./context.js";
import { FileDescription } from "./file-description.js";
import type { IterDirentsCallback } from "./file-description-impl.js";
import { FileDescriptionDefaultImpl } from "./file-description-impl-util.js";
import { findLeaks, leakSnapshot } from "./testing/index.js";
import { rootCredentials, testContext, testCredentials } from "./testing-fixtures/credentials.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { fakeLocation, makeStatx, type FakeLocation } from "./testing-fixtures/fake-location.js";
import type { Waiter } from "./waiter.js";

const ctx = testContext();
const STATX_ATTR_APPEND = 0x20;

/** An impl that records calls and answers stat from a field. */
class RecordingFD extends FileDescriptionDefaultImpl {
  readonly log: string[] = [];
  statx: Statx = makeStatx({ mask: STATX_BASIC_STATS, uid: 1000 });
  listError: SysError | undefined;

  release(_ctx: Context): void {
    this.log.push("release");
  }
  stat(_ctx: Context, _opts: unknown): Statx {
    this.log.push("stat");
    return { ...this.statx };
  }
  setStat(_ctx: Context, _opts: unknown): void {
    this.log.push("setStat");
  }
  override onClose(_ctx: Context): void {
    this.log.push("onClose");
  }
  override read(_ctx: Context, dst: Uint8Array): number {
    this.log.push("read");
    dst[0] = 0x41;
    return 1;
  }
  override pread(_ctx: Context, _dst: Uint8Array, offset: number): number {
    this.log.push(`pread@${offset}`);
    return 0;
  }
  override write(_ctx: Context, src: Uint8Array): number {
    this.log.push("write");
    return src.length;
  }
  override pwrite(_ctx: Context, src: Uint8Array, offset: number): number {
    this.log.push(`pwrite@${offset}`);
    return src.length;
  }
  override allocate(): void {
    this.log.push("allocate");
  }
  override seek(_ctx: Context, offset: number): number {
    this.log.push("seek");
    return offset;
  }
  override sync(): void {
    this.log.push("sync");
  }
  override ioctl(_ctx: Context, request: number): number {
    this.log.push(`ioctl ${request}`);
    return 7;
  }
  override iterDirents(_ctx: Context, cb: IterDirentsCallback): void {
    this.log.push("iterDirents");
    const dirent: Dirent = { name: "a", type: 8, ino: 2, nextOff: 1 };
    cb(dirent);
  }
  override listXattr(): string[] {
    this.log.push("listXattr");
    if (this.listError !== undefined) throw this.listError;
    return ["user.a"];
  }
  override getXattr(): Uint8Array {
    this.log.push("getXattr");
    return new Uint8Array([1]);
  }
  override setXattr(): void {
    this.log.push("setXattr");
  }
  override removeXattr(): void {
    this.log.push("removeXattr");
  }
  override statFS(): ReturnType<FileDescriptionDefaultImpl["statFS"]> {
    this.log.push("statFS");
    return { type: 1, bsize: 1, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [0, 0], namelen: 255, frsize: 1, flags: 0 };
  }
}

interface Opened {
  readonly fd: FileDescription;
  readonly impl: RecordingFD;
  readonly loc: FakeLocation;
  readonly close: () => void;
}

function open(flags: number, opts: Parameters<FileDescription["init"]>[4] = {}, loc: FakeLocation = fakeLocation(), c: Context = ctx): Opened {
  const impl = new RecordingFD();
  const fd = new FileDescription();
  fd.init(c, impl, flags, loc.vd, opts);
  return {
    fd,
    impl,
    loc,
    close: (): void => {
      fd.decRef(ctx);
      loc.release(ctx);
    },
  };
}

describe("FileDescription.init", () => {
  test("takes a reference on the mount and the dentry and sets impl.vfsfd", () => {
    const loc = fakeLocation();
    const { fd, impl, close } = open(O_RDONLY, {}, loc);
    expect(loc.mount.refCount).toBe(2);
    expect(loc.dentry.refs).toBe(2);
    expect(impl.vfsfd).toBe(fd);
    expect(fd.impl).toBe(impl);
    expect(fd.vd).toBe(loc.vd);
    expect(fd.mount()).toBe(loc.vd.mount);
    expect(fd.dentry()).toBe(loc.vd.dentry);
    expect(fd.refCount).toBe(1);
    close();
    expect(loc.mount.refCount).toBe(0);
    expect(loc.dentry.refs).toBe(0);
  });

  test("keeps the opener's credentials", () => {
    const creds = testCredentials({ uid: 1000, gid: 1000 });
    const { fd, close } = open(O_RDONLY, {}, fakeLocation(), withCredentials(ctx, creds));
    expect(fd.credentials()).toBe(creds);
    close();
  });

  test("status flags drop O_CREAT, O_EXCL, O_NOCTTY and O_TRUNC and keep the rest", () => {
    const { fd, close } = open(O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK);
    expect(fd.statusFlags()).toBe(O_RDWR | O_APPEND | O_NONBLOCK);
    close();
  });

  test.each([
    ["O_RDONLY", O_RDONLY, true, false],
    ["O_WRONLY", O_WRONLY, false, true],
    ["O_RDWR", O_RDWR, true, true],
    ["access mode 3", 3, false, false],
  ])("%s: readable %s, writable %s", (_name, flags, readable, writable) => {
    const { fd, loc, close } = open(flags);
    expect(fd.isReadable()).toBe(readable);
    expect(fd.isWritable()).toBe(writable);
    expect(loc.mount.writers).toBe(writable ? 1 : 0);
    close();
    expect(loc.mount.writers).toBe(0);
  });

  test("opening for writing on a read-only mount is EROFS and holds nothing", () => {
    const loc = fakeLocation({ readOnly: true });
    const snapshot = leakSnapshot();
    const impl = new RecordingFD();
    const fd = new FileDescription();
    expectErrno(() => fd.init(ctx, impl, O_WRONLY, loc.vd), "EROFS");
    expect(fd.refCount).toBe(0);
    expect(loc.mount.refCount).toBe(1);
    expect(loc.dentry.refs).toBe(1);
    expect(findLeaks(snapshot)).toEqual([]);
    loc.release(ctx);
  });

  test("reading on a read-only mount is fine", () => {
    const { fd, close } = open(O_RDONLY, {}, fakeLocation({ readOnly: true }));
    expect(fd.isReadable()).toBe(true);
    close();
  });

  test("a special file opens for writing on a read-only mount without a write count", () => {
    const loc = fakeLocation({ readOnly: true });
    const { fd, close } = open(O_WRONLY, { specialFile: true }, loc);
    expect(fd.isWritable()).toBe(true);
    expect(loc.mount.writers).toBe(0);
    close(); // must not call endWrite (the fake would throw)
  });

  test("O_PATH descriptions are neither readable nor writable and take no write count", () => {
    const loc = fakeLocation({ readOnly: true });
    const { fd, close } = open(O_PATH | O_RDWR, {}, loc);
    expect(fd.isReadable()).toBe(false);
    expect(fd.isWritable()).toBe(false);
    close();
  });

  test("init twice is a broken contract", () => {
    const { fd, loc, close } = open(O_RDONLY);
    expect(() => fd.init(ctx, new RecordingFD(), O_RDONLY, loc.vd)).toThrow(InternalError);
    expect(loc.mount.refCount).toBe(2);
    close();
  });

  test("using a description before init is a broken contract", () => {
    const fd = new FileDescription();
    expect(() => fd.impl).toThrow(InternalError);
    expect(() => fd.vd).toThrow(InternalError);
    expect(() => fd.credentials()).toThrow(InternalError);
    fd.decRef(ctx); // releasing an uninitialised description is harmless
  });
});

describe("FileDescription.decRef", () => {
  test("the last reference releases the impl, ends the write, then drops the dentry and the mount", () => {
    const loc = fakeLocation();
    const { fd, impl } = open(O_WRONLY, {}, loc);
    const order = impl.log;
    const endWrite = loc.mount.endWrite.bind(loc.mount);
    loc.mount.endWrite = () => {
      order.push("endWrite");
      endWrite();
    };
    const dentryDecRef = loc.dentry.decRef.bind(loc.dentry);
    loc.dentry.decRef = (c) => {
      order.push("dentry.decRef");
      dentryDecRef(c);
    };
    const mountDecRef = loc.mount.decRef.bind(loc.mount);
    loc.mount.decRef = (c) => {
      order.push("mount.decRef");
      mountDecRef(c);
    };
    fd.incRef();
    fd.decRef(ctx);
    expect(order).toEqual([]);
    fd.decRef(ctx);
    expect(order).toEqual(["release", "endWrite", "dentry.decRef", "mount.decRef"]);
    expect(fd.refCount).toBe(0);
    loc.release(ctx);
  });

  test("a description whose last reference is not dropped is reported as a leak", () => {
    const snapshot = leakSnapshot();
    const { fd, close } = open(O_RDONLY);
    expect(findLeaks(snapshot).map((l) => l.kind)).toContain("FileDescription");
    close();
    expect(findLeaks(snapshot)).toEqual([]);
    expect(fd.refCount).toBe(0);
  });
});

describe("access-mode checks", () => {
  test("read and pread need a readable description", () => {
    const { fd, impl, close } = open(O_WRONLY);
    expectErrno(() => fd.read(ctx, new Uint8Array(1)), "EBADF");
    expectErrno(() => fd.pread(ctx, new Uint8Array(1), 0), "EBADF");
    expect(impl.log).toEqual([]);
    close();
  });

  test("write, pwrite and allocate need a writable description", () => {
    const { fd, impl, close } = open(O_RDONLY);
    expectErrno(() => fd.write(ctx, new Uint8Array(1)), "EBADF");
    expectErrno(() => fd.pwrite(ctx, new Uint8Array(1), 0), "EBADF");
    expectErrno(() => fd.allocate(ctx, 0, 0, 1), "EBADF");
    expect(impl.log).toEqual([]);
    close();
  });

  test("access mode 3 allows neither reads nor writes", () => {
    const { fd, close } = open(3);
    expectErrno(() => fd.read(ctx, new Uint8Array(1)), "EBADF");
    expectErrno(() => fd.write(ctx, new Uint8Array(1)), "EBADF");
    close();
  });

  test("allowed calls reach the impl", () => {
    const { fd, impl, close } = open(O_RDWR);
    const buf = new Uint8Array(1);
    expect(fd.read(ctx, buf)).toBe(1);
    expect(buf[0]).toBe(0x41);
    expect(fd.pread(ctx, buf, 5)).toBe(0);
    expect(fd.write(ctx, new Uint8Array(3))).toBe(3);
    expect(fd.pwrite(ctx, new Uint8Array(2), 9)).toBe(2);
    fd.allocate(ctx, 0, 0, 10);
    expect(impl.log).toEqual(["read", "pread@5", "write", "pwrite@9", "allocate"]);
    close();
  });

  test("host: a negative pread/pwrite offset is EINVAL before anything else", () => {
    const pipeEnd = open(O_WRONLY, { denyPRead: true, denyPWrite: true });
    expectErrno(() => pipeEnd.fd.pread(ctx, new Uint8Array(1), -1), "EINVAL");
    expectErrno(() => pipeEnd.fd.pwrite(ctx, new Uint8Array(1), -1), "EINVAL");
    pipeEnd.close();
    const opath = open(O_PATH);
    expectErrno(() => opath.fd.pread(ctx, new Uint8Array(1), -1), "EINVAL");
    opath.close();
  });

  // Linux: pread on the write end of a pipe is ESPIPE, not EBADF (checked on the host).
  test("denyPRead / denyPWrite: ESPIPE, checked before the access mode", () => {
    const reader = open(O_RDONLY, { denyPRead: true, denyPWrite: true });
    expectErrno(() => reader.fd.pread(ctx, new Uint8Array(1), 0), "ESPIPE");
    expectErrno(() => reader.fd.pwrite(ctx, new Uint8Array(1), 0), "ESPIPE");
    expect(reader.fd.read(ctx, new Uint8Array(1))).toBe(1);
    reader.close();
    const writer = open(O_WRONLY, { denyPRead: true, denyPWrite: true });
    expectErrno(() => writer.fd.pread(ctx, new Uint8Array(1), 0), "ESPIPE");
    writer.close();
  });
});

describe("O_PATH descriptions", () => {
  // Each of these is EBADF on an O_PATH descriptor on Linux (checked on the host).
  test.each([
    ["read", (fd: FileDescription) => fd.read(ctx, new Uint8Array(1))],
    ["pread", (fd: FileDescription) => fd.pread(ctx, new Uint8Array(1), 0)],
    ["write", (fd: FileDescription) => fd.write(ctx, new Uint8Array(1))],
    ["pwrite", (fd: FileDescription) => fd.pwrite(ctx, new Uint8Array(1), 0)],
    ["seek", (fd: FileDescription) => fd.seek(ctx, 0, SEEK_SET)],
    ["iterDirents", (fd: FileDescription) => fd.iterDirents(ctx, () => true)],
    ["ioctl", (fd: FileDescription) => fd.ioctl(ctx, 0x5421, 0)],
    ["sync", (fd: FileDescription) => fd.sync(ctx)],
    ["allocate", (fd: FileDescription) => fd.allocate(ctx, 0, 0, 1)],
    ["setStat", (fd: FileDescription) => fd.setStat(ctx, { stat: { mask: STATX_MODE, mode: 0o600 } })],
    ["listXattr", (fd: FileDescription) => fd.listXattr(ctx, 0)],
    ["getXattr", (fd: FileDescription) => fd.getXattr(ctx, { name: "user.a", size: 0 })],
    ["setXattr", (fd: FileDescription) => fd.setXattr(ctx, { name: "user.a", value: new Uint8Array(), flags: 0 })],
    ["removeXattr", (fd: FileDescription) => fd.removeXattr(ctx, "user.a")],
    ["setStatusFlags (fcntl F_SETFL)", (fd: FileDescription) => fd.setStatusFlags(ctx, O_NONBLOCK)],
  ])("%s is EBADF", (_name, call) => {
    const { fd, impl, close } = open(O_PATH, { denyPRead: true });
    expectErrno(() => call(fd), "EBADF");
    expect(impl.log).toEqual([]);
    close();
  });

  test("stat and statFS still work", () => {
    const { fd, impl, close } = open(O_PATH);
    expect(fd.stat(ctx, { mask: STATX_BASIC_STATS, sync: 0 }).uid).toBe(1000);
    expect(fd.statFS(ctx).namelen).toBe(255);
    expect(impl.log).toEqual(["stat", "statFS"]);
    close();
  });
});

describe("FileDescription.setStatusFlags", () => {
  test("changes only O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME and O_NONBLOCK", () => {
    const { fd, close } = open(O_RDWR | O_NONBLOCK, { allowDirectIO: true });
    fd.setStatusFlags(ctx, O_WRONLY | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_CREAT | O_TRUNC | O_EXCL);
    expect(fd.statusFlags()).toBe(O_RDWR | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME);
    fd.setStatusFlags(ctx, 0);
    expect(fd.statusFlags()).toBe(O_RDWR);
    close();
  });

  test("O_NOATIME: the owner may set it", () => {
    const owner = withCredentials(ctx, testCredentials({ uid: 1000, gid: 1000 }));
    const { fd, close } = open(O_RDONLY);
    fd.setStatusFlags(owner, O_NOATIME);
    expect(fd.statusFlags() & O_NOATIME).toBe(O_NOATIME);
    close();
  });

  test("O_NOATIME: a non-owner with CAP_FOWNER may set it", () => {
    const fowner = withCredentials(ctx, testCredentials({ uid: 2000, gid: 2000, caps: [Capability.CAP_FOWNER] }));
    const { fd, close } = open(O_RDONLY);
    fd.setStatusFlags(fowner, O_NOATIME);
    expect(fd.statusFlags() & O_NOATIME).toBe(O_NOATIME);
    close();
  });

  test("O_NOATIME: anyone else gets EPERM, checked before O_DIRECT's EINVAL", () => {
    const other = withCredentials(ctx, testCredentials({ uid: 2000, gid: 2000 }));
    const { fd, close } = open(O_RDONLY);
    expectErrno(() => fd.setStatusFlags(other, O_NOATIME), "EPERM");
    expectErrno(() => fd.setStatusFlags(other, O_NOATIME | O_DIRECT), "EPERM");
    expect(fd.statusFlags()).toBe(O_RDONLY);
    close();
  });

  test("O_NOATIME: EPERM if the file reports no owner", () => {
    const { fd, impl, close } = open(O_RDONLY);
    impl.statx = makeStatx({ mask: STATX_MODE });
    expectErrno(() => fd.setStatusFlags(ctx, O_NOATIME), "EPERM");
    close();
  });

  test("O_NOATIME already set: keeping it needs no check", () => {
    const other = withCredentials(ctx, testCredentials({ uid: 2000, gid: 2000 }));
    const { fd, impl, close } = open(O_RDONLY | O_NOATIME);
    fd.setStatusFlags(other, O_NOATIME | O_NONBLOCK);
    expect(impl.log).toEqual([]);
    close();
  });

  test("O_DIRECT without allowDirectIO is EINVAL", () => {
    const { fd, close } = open(O_RDONLY);
    expectErrno(() => fd.setStatusFlags(ctx, O_DIRECT), "EINVAL");
    close();
  });

  test("changing O_APPEND (either way) on an append-only file is EPERM", () => {
    const appendOnly = makeStatx({ mask: STATX_BASIC_STATS, attributes: STATX_ATTR_APPEND, attributesMask: STATX_ATTR_APPEND });
    const plain = open(O_WRONLY);
    plain.impl.statx = appendOnly;
    expectErrno(() => plain.fd.setStatusFlags(ctx, O_APPEND), "EPERM");
    plain.fd.setStatusFlags(ctx, O_NONBLOCK); // O_APPEND unchanged: fine
    plain.close();
    const appending = open(O_WRONLY | O_APPEND);
    appending.impl.statx = appendOnly;
    expectErrno(() => appending.fd.setStatusFlags(ctx, 0), "EPERM");
    appending.fd.setStatusFlags(ctx, O_APPEND | O_NONBLOCK);
    appending.close();
  });
});

describe("metadata", () => {
  test("stat fills the mount ID when STATX_MNT_ID is asked for", () => {
    const { fd, loc, close } = open(O_RDONLY);
    const withID = fd.stat(ctx, { mask: STATX_BASIC_STATS | STATX_MNT_ID, sync: 0 });
    expect(withID.mntId).toBe(loc.mount.id);
    expect(withID.mask & STATX_MNT_ID).toBe(STATX_MNT_ID);
    const without = fd.stat(ctx, { mask: STATX_BASIC_STATS, sync: 0 });
    expect(without.mask & STATX_MNT_ID).toBe(0);
    expect(without.mntId).toBe(0);
    close();
  });

  test("filling the mount ID does not modify the impl's object", () => {
    const shared = makeStatx({ mask: STATX_BASIC_STATS });
    const impl = new (class extends RecordingFD {
      override stat(): Statx {
        return shared;
      }
    })();
    const loc = fakeLocation();
    const fd = new FileDescription();
    fd.init(ctx, impl, O_RDONLY, loc.vd);
    expect(fd.stat(ctx, { mask: STATX_MNT_ID, sync: 0 }).mntId).toBe(loc.mount.id);
    expect(shared.mntId).toBe(0);
    expect(shared.mask & STATX_MNT_ID).toBe(0);
    fd.decRef(ctx);
    loc.release(ctx);
  });

  test("without useDentryMetadata, metadata calls go to the impl", () => {
    const { fd, impl, loc, close } = open(O_RDWR);
    fd.stat(ctx, { mask: STATX_UID, sync: 0 });
    fd.setStat(ctx, { stat: { mask: STATX_MODE, mode: 0o600 } });
    fd.statFS(ctx);
    expect(fd.listXattr(ctx, 0)).toEqual(["user.a"]);
    fd.getXattr(ctx, { name: "user.a", size: 0 });
    fd.setXattr(ctx, { name: "user.a", value: new Uint8Array(), flags: 0 });
    fd.removeXattr(ctx, "user.a");
    expect(impl.log).toEqual(["stat", "setStat", "statFS", "listXattr", "getXattr", "setXattr", "removeXattr"]);
    expect(loc.mount.vfs.calls).toEqual([]);
    close();
  });

  test("with useDentryMetadata, metadata calls go to the VFS on the description's own dentry", () => {
    const { fd, impl, loc, close } = open(O_RDWR, { useDentryMetadata: true });
    const vfs = loc.mount.vfs;
    vfs.stat = makeStatx({ mask: STATX_BASIC_STATS, uid: 42 });
    expect(fd.stat(ctx, { mask: STATX_BASIC_STATS | STATX_MNT_ID, sync: 0 })).toMatchObject({ uid: 42, mntId: loc.mount.id });
    fd.setStat(ctx, { stat: { mask: STATX_MODE, mode: 0o600 } });
    expect(fd.statFS(ctx).type).toBe(vfs.statfs.type);
    fd.setXattr(ctx, { name: "user.k", value: new Uint8Array([9]), flags: 0 });
    expect(fd.listXattr(ctx, 0)).toEqual(["user.k"]);
    expect([...fd.getXattr(ctx, { name: "user.k", size: 0 })]).toEqual([9]);
    fd.removeXattr(ctx, "user.k");
    expectErrno(() => fd.removeXattr(ctx, "user.k"), "ENODATA");
    expect(impl.log).toEqual([]);
    expect(vfs.calls.map((c) => c.method)).toEqual([
      "statAt",
      "setStatAt",
      "statFSAt",
      "setXattrAt",
      "listXattrAt",
      "getXattrAt",
      "removeXattrAt",
      "removeXattrAt",
    ]);
    for (const call of vfs.calls) {
      expect(call.pop.root).toBe(fd.vd);
      expect(call.pop.start).toBe(fd.vd);
      expect(call.pop.path.hasComponents()).toBe(false);
      expect(call.pop.path.absolute).toBe(false);
      expect(call.pop.followFinalSymlink).toBe(false);
    }
    close();
  });

  test("listXattr: a file without xattr support has none", () => {
    const { fd, impl, close } = open(O_RDONLY);
    impl.listError = new SysError("EOPNOTSUPP");
    expect(fd.listXattr(ctx, 0)).toEqual([]);
    impl.listError = new SysError("ERANGE");
    expectErrno(() => fd.listXattr(ctx, 1), "ERANGE");
    close();
  });

  test("setCreated / wasCreated", () => {
    const { fd, close } = open(O_RDWR | O_CREAT);
    expect(fd.wasCreated()).toBe(false);
    fd.setCreated();
    expect(fd.wasCreated()).toBe(true);
    close();
  });

  test("options() returns what init was given", () => {
    const opts = { denyPRead: true, allowDirectIO: true };
    const { fd, close } = open(O_RDONLY, opts);
    expect(fd.options()).toBe(opts);
    close();
  });
});

describe("pass-through operations", () => {
  test("onClose, seek, sync, ioctl, iterDirents, readiness and waiters reach the impl", () => {
    const { fd, impl, close } = open(O_RDONLY);
    fd.onClose(ctx);
    expect(fd.seek(ctx, 12, SEEK_SET)).toBe(12);
    fd.sync(ctx);
    expect(fd.ioctl(ctx, 0x5421, undefined)).toBe(7);
    const names: string[] = [];
    fd.iterDirents(ctx, (d) => names.push(d.name) > 0);
    expect(names).toEqual(["a"]);
    expect(impl.log).toEqual(["onClose", "seek", "sync", "ioctl 21537", "iterDirents"]);
    expect(fd.readiness(EPOLLIN)).toBe(EPOLLIN);
    const waiter: Waiter = { notify: () => undefined };
    fd.eventRegister(waiter, EPOLLIN);
    fd.eventUnregister(waiter);
    expect(fd.epollable()).toBe(false);
    close();
  });

  test("errors from the impl come through unchanged", () => {
    const impl = new (class extends RecordingFD {
      override seek(): number {
        throw new SysError("ESPIPE");
      }
    })();
    const loc = fakeLocation();
    const fd = new FileDescription();
    fd.init(testContext(rootCredentials()), impl, O_RDONLY, loc.vd);
    expectErrno(() => fd.seek(ctx, 0, SEEK_SET), "ESPIPE");
    fd.decRef(ctx);
    loc.release(ctx);
  });
});
