import { O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDWR, O_TRUNC, SEEK_SET, STATX_BASIC_STATS, STATX_MNT_ID } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { InternalError } from "./assert.js";
import type { FileDescription } from "./file-description.js";
import { OPathFileDescriptionImpl, newOPathFileDescription } from "./opath.js";
import { testContext } from "./testing-fixtures/credentials.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { fakeLocation, makeStatx } from "./testing-fixtures/fake-location.js";

const ctx = testContext();

describe("newOPathFileDescription", () => {
  test("host: keeps only O_PATH, O_DIRECTORY and O_NOFOLLOW as status flags", () => {
    const loc = fakeLocation();
    loc.mount.vfs.stat = makeStatx({ mode: 0o40755 });
    const fd = newOPathFileDescription(ctx, loc.vd, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC | O_RDWR | O_TRUNC);
    expect(fd.statusFlags()).toBe(O_PATH | O_NOFOLLOW | O_DIRECTORY);
    expect(fd.isReadable()).toBe(false);
    expect(fd.isWritable()).toBe(false);
    expect(fd.credentials()).toBe(ctx.credentials);
    fd.decRef(ctx);
    loc.release(ctx);
  });

  test("takes its own references and no write count, even on a read-only mount", () => {
    const loc = fakeLocation({ readOnly: true });
    const fd = newOPathFileDescription(ctx, loc.vd, O_PATH);
    expect(loc.mount.refCount).toBe(2);
    expect(loc.dentry.refs).toBe(2);
    expect(loc.mount.writers).toBe(0);
    fd.decRef(ctx);
    expect(loc.mount.refCount).toBe(1);
    expect(loc.dentry.refs).toBe(1);
    loc.release(ctx);
  });

  test("host: O_DIRECTORY on a non-directory is ENOTDIR and holds nothing", () => {
    const loc = fakeLocation();
    loc.mount.vfs.stat = makeStatx({ mode: 0o100000 });
    expectErrno(() => newOPathFileDescription(ctx, loc.vd, O_PATH | O_DIRECTORY), "ENOTDIR");
    expect(loc.mount.refCount).toBe(1);
    loc.release(ctx);
  });

  test("host: fstat and fstatfs work, through the dentry's filesystem", () => {
    const loc = fakeLocation();
    loc.mount.vfs.stat = makeStatx({ mask: STATX_BASIC_STATS, mode: 0o100000, size: 3 });
    const fd = newOPathFileDescription(ctx, loc.vd, O_PATH);
    const stat = fd.stat(ctx, { mask: STATX_BASIC_STATS | STATX_MNT_ID, sync: 0 });
    expect(stat.size).toBe(3);
    expect(stat.mntId).toBe(loc.mount.id);
    expect(fd.statFS(ctx).bsize).toBe(4096);
    expect(loc.mount.vfs.calls.map((c) => c.method)).toEqual(["statAt", "statFSAt"]);
    fd.decRef(ctx);
    loc.release(ctx);
  });

  // Every one of these is EBADF on an O_PATH descriptor on Linux (checked on the host).
  test.each([
    ["read", (fd: FileDescription) => fd.read(ctx, new Uint8Array(1))],
    ["pread", (fd: FileDescription) => fd.pread(ctx, new Uint8Array(1), 0)],
    ["write", (fd: FileDescription) => fd.write(ctx, new Uint8Array(1))],
    ["pwrite", (fd: FileDescription) => fd.pwrite(ctx, new Uint8Array(1), 0)],
    ["lseek", (fd: FileDescription) => fd.seek(ctx, 0, SEEK_SET)],
    ["getdents", (fd: FileDescription) => fd.iterDirents(ctx, () => true)],
    ["ioctl", (fd: FileDescription) => fd.ioctl(ctx, 0x5421, 0)],
    ["fsync", (fd: FileDescription) => fd.sync(ctx)],
    ["fallocate", (fd: FileDescription) => fd.allocate(ctx, 0, 0, 1)],
    ["fchmod", (fd: FileDescription) => fd.setStat(ctx, { stat: { mask: 2, mode: 0o600 } })],
    ["flistxattr", (fd: FileDescription) => fd.listXattr(ctx, 0)],
    ["fgetxattr", (fd: FileDescription) => fd.getXattr(ctx, { name: "user.x", size: 0 })],
    ["fsetxattr", (fd: FileDescription) => fd.setXattr(ctx, { name: "user.x", value: new Uint8Array(), flags: 0 })],
    ["fremovexattr", (fd: FileDescription) => fd.removeXattr(ctx, "user.x")],
    ["fcntl(F_SETFL)", (fd: FileDescription) => fd.setStatusFlags(ctx, 0)],
  ])("host: %s is EBADF", (_name, call) => {
    const loc = fakeLocation();
    const fd = newOPathFileDescription(ctx, loc.vd, O_PATH);
    expectErrno(() => call(fd), "EBADF");
    expect(loc.mount.vfs.calls).toEqual([]);
    fd.decRef(ctx);
    loc.release(ctx);
  });
});

describe("OPathFileDescriptionImpl called directly", () => {
  const impl = new OPathFileDescriptionImpl();
  test.each([
    ["read", () => impl.read(ctx, new Uint8Array(1), { flags: 0 })],
    ["pread", () => impl.pread(ctx, new Uint8Array(1), 0, { flags: 0 })],
    ["write", () => impl.write(ctx, new Uint8Array(1), { flags: 0 })],
    ["pwrite", () => impl.pwrite(ctx, new Uint8Array(1), 0, { flags: 0 })],
    ["seek", () => impl.seek(ctx, 0, SEEK_SET)],
    ["iterDirents", () => impl.iterDirents(ctx, () => true)],
    ["ioctl", () => impl.ioctl(ctx, 1, 0)],
    ["sync", () => impl.sync(ctx)],
    ["allocate", () => impl.allocate(ctx, 0, 0, 1)],
    ["setStat", () => impl.setStat(ctx, { stat: { mask: 0 } })],
    ["statFS", () => impl.statFS(ctx)],
    ["listXattr", () => impl.listXattr(ctx, 0)],
    ["getXattr", () => impl.getXattr(ctx, { name: "user.x", size: 0 })],
    ["setXattr", () => impl.setXattr(ctx, { name: "user.x", value: new Uint8Array(), flags: 0 })],
    ["removeXattr", () => impl.removeXattr(ctx, "user.x")],
  ])("%s is EBADF", (_name, call) => {
    expectErrno(call, "EBADF");
  });

  test("stat is never asked of the impl", () => {
    expect(() => impl.stat(ctx, { mask: 0, sync: 0 })).toThrow(InternalError);
    expect(() => impl.release(ctx)).not.toThrow();
  });
});
