// The read-only rules, each errno as Linux 6.18 returns it on the host's /sys (checked as
// root and as uid 65534 with python3's os module).
import { O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_IFIFO, STATX_MODE, STATX_SIZE, STATX_UID, STATX_ATIME, STATX_MTIME, UTIME_NOW } from "@vfskit/abi";
import type { Context } from "@vfskit/vfs";
import { expectErrno } from "@vfskit/vfs/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createSysHarness, type SysHarness } from "./testing-fixtures/harness.js";

let h: SysHarness | undefined;
afterEach(() => {
  h?.release();
  h = undefined;
});

const ONLINE = "/sys/devices/system/cpu/online";

function ops(s: SysHarness, ctx: Context) {
  const { vfs } = s;
  const pop = (p: string) => s.pop(p, { follow: false });
  const popf = (p: string) => s.pop(p);
  return {
    mkdir: (p: string) => vfs.mkdirAt(ctx, pop(p), { mode: 0o755 }),
    creat: (p: string, flags = O_CREAT | O_WRONLY) => vfs.openAt(ctx, popf(p), { flags, mode: 0o644 }).decRef(ctx),
    open: (p: string, flags: number) => vfs.openAt(ctx, popf(p), { flags, mode: 0 }).decRef(ctx),
    symlink: (p: string) => vfs.symlinkAt(ctx, pop(p), "x"),
    mknod: (p: string) => vfs.mknodAt(ctx, pop(p), { mode: S_IFIFO | 0o600, devMajor: 0, devMinor: 0 }),
    link: (from: string, to: string) => vfs.linkAt(ctx, pop(from), pop(to)),
    unlink: (p: string) => vfs.unlinkAt(ctx, pop(p)),
    rmdir: (p: string) => vfs.rmdirAt(ctx, pop(p)),
    rename: (from: string, to: string) => vfs.renameAt(ctx, pop(from), pop(to), { flags: 0 }),
    chmod: (p: string, mode: number) => vfs.setStatAt(ctx, popf(p), { stat: { mask: STATX_MODE, mode } }),
    chown: (p: string, uid: number) => vfs.setStatAt(ctx, popf(p), { stat: { mask: STATX_UID, uid } }),
    truncate: (p: string) => vfs.setStatAt(ctx, popf(p), { stat: { mask: STATX_SIZE, size: 0 }, needWritePerm: true }),
    touch: (p: string) => vfs.setStatAt(ctx, popf(p), { stat: { mask: STATX_ATIME | STATX_MTIME, atime: { sec: 0, nsec: UTIME_NOW }, mtime: { sec: 0, nsec: UTIME_NOW } } }),
  };
}

describe("as root", () => {
  it("refuses to create: mkdir/symlink/mknod/link EPERM, open(O_CREAT) EACCES, existing names EEXIST", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.ctx);
    expectErrno(() => o.mkdir("/sys/foo"), "EPERM");
    expectErrno(() => o.mkdir("/sys/kernel/foo"), "EPERM");
    expectErrno(() => o.mkdir("/sys/devices/system/cpu/foo"), "EPERM");
    expectErrno(() => o.mkdir("/sys/block"), "EEXIST");
    expectErrno(() => o.creat("/sys/foo"), "EACCES"); // Linux's kernfs dirs have no ->create
    expectErrno(() => o.creat("/sys/devices/system/cpu/foo"), "EACCES");
    expectErrno(() => o.creat(ONLINE, O_CREAT | O_EXCL | O_WRONLY), "EEXIST");
    expectErrno(() => o.symlink("/sys/foo"), "EPERM");
    expectErrno(() => o.mknod("/sys/foo"), "EPERM");
    expectErrno(() => o.link(ONLINE, "/sys/foo"), "EPERM");
  });

  it("refuses to remove or rename: EPERM, ENOENT for missing names, EPERM even for non-empty dirs", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.ctx);
    expectErrno(() => o.unlink(ONLINE), "EPERM");
    expectErrno(() => o.unlink("/sys/devices/system/cpu/nosuch"), "ENOENT");
    expectErrno(() => o.rmdir("/sys/power"), "EPERM");
    expectErrno(() => o.rmdir("/sys/dev/block"), "EPERM");
    expectErrno(() => o.rmdir("/sys/devices"), "EPERM"); // Linux: EPERM, not ENOTEMPTY
    expectErrno(() => o.rmdir("/sys/fs/cgroup"), "EPERM");
    expectErrno(() => o.rename(ONLINE, "/sys/devices/system/cpu/foo"), "EPERM");
    expectErrno(() => o.rename("/sys/power", "/sys/foo"), "EPERM");
    expectErrno(() => o.rename("/sys/power", "/sys/devices"), "EPERM");
    expectErrno(() => o.rename("/sys/nosuch", "/sys/foo"), "ENOENT");
  });

  it("opens attributes for reading only, even root (EACCES for O_WRONLY/O_RDWR); O_TRUNC with O_RDONLY is fine", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.ctx);
    expectErrno(() => o.open(ONLINE, O_WRONLY), "EACCES");
    expectErrno(() => o.open(ONLINE, O_RDWR), "EACCES");
    o.open(ONLINE, O_RDONLY | O_TRUNC);
    expectErrno(() => o.open("/sys/power", O_WRONLY), "EISDIR");
  });

  it("allows chmod, chown, utimes and truncate (Linux keeps them; gVisor: EPERM)", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.ctx);
    o.chmod(ONLINE, 0o400);
    expect(s.stat(ONLINE).mode & 0o7777).toBe(0o400);
    o.chmod("/sys/power", 0o700);
    expect(s.stat("/sys/power").mode & 0o7777).toBe(0o700);
    o.chown(ONLINE, 1000);
    expect(s.stat(ONLINE).uid).toBe(1000);
    o.touch(ONLINE);
    o.truncate(ONLINE);
    expect(s.read(ONLINE)).toBe("0\n"); // the size is ignored
    // fchmod through a description, too.
    const fd = s.open(ONLINE);
    try {
      fd.setStat(s.ctx, { stat: { mask: STATX_MODE, mode: 0o444 } });
    } finally {
      fd.decRef(s.ctx);
    }
    expect(s.stat(ONLINE).mode & 0o7777).toBe(0o444);
    // A write bit alone does not make an attribute without `store` writable (Linux).
    o.chmod(ONLINE, 0o644);
    expectErrno(() => o.open(ONLINE, O_WRONLY), "EACCES");
  });

  it("has no extended attributes: get ENODATA, list empty, set EOPNOTSUPP (as the host)", () => {
    const s = (h = createSysHarness());
    const { vfs, ctx } = s;
    const pop = (p: string) => s.pop(p);
    expectErrno(() => vfs.getXattrAt(ctx, pop(ONLINE), { name: "user.x", size: 0 }), "ENODATA");
    expectErrno(() => vfs.getXattrAt(ctx, pop("/sys/power"), { name: "trusted.x", size: 0 }), "ENODATA");
    expect(vfs.listXattrAt(ctx, pop(ONLINE), 0)).toEqual([]);
    expectErrno(() => vfs.setXattrAt(ctx, pop(ONLINE), { name: "user.x", value: new Uint8Array([1]), flags: 0 }), "EOPNOTSUPP");
    expectErrno(() => vfs.removeXattrAt(ctx, pop("/sys/power"), "user.x"), "EOPNOTSUPP");
    expectErrno(() => vfs.removeXattrAt(ctx, pop("/sys/power"), "trusted.x"), "ENODATA");
  });

  it("fs/cgroup: creating anything inside is ENOENT (Linux's empty_dir_lookup)", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.ctx);
    expectErrno(() => o.mkdir("/sys/fs/cgroup/x"), "ENOENT");
    expectErrno(() => o.creat("/sys/fs/cgroup/x"), "ENOENT");
    expectErrno(() => o.symlink("/sys/fs/cgroup/x"), "ENOENT");
    expectErrno(() => o.mknod("/sys/fs/cgroup/x"), "ENOENT");
    expectErrno(() => o.link("/sys/power", "/sys/fs/cgroup/x"), "ENOENT");
    expectErrno(() => s.stat("/sys/fs/cgroup/x"), "ENOENT");
  });
});

describe("as an unprivileged user (uid 65534 on the host)", () => {
  it("gets EACCES for creation, removal, rename, writing, truncate; EPERM for chmod", () => {
    const s = (h = createSysHarness());
    const o = ops(s, s.userCtx(65534));
    expectErrno(() => o.mkdir("/sys/foo"), "EACCES");
    expectErrno(() => o.mkdir("/sys/kernel/foo"), "EACCES");
    expectErrno(() => o.creat("/sys/kernel/foo"), "EACCES");
    expectErrno(() => o.mkdir("/sys/fs/cgroup/x"), "ENOENT"); // checked on a fresh sysfs mount
    expectErrno(() => o.open(ONLINE, O_WRONLY), "EACCES");
    expectErrno(() => o.chmod(ONLINE, 0o444), "EPERM");
    expectErrno(() => o.truncate(ONLINE), "EACCES");
    expectErrno(() => o.unlink(ONLINE), "EACCES");
    expectErrno(() => o.rmdir("/sys/power"), "EACCES");
    expectErrno(() => o.rename(ONLINE, "/sys/devices/system/cpu/x"), "EACCES");
    expectErrno(() => o.touch(ONLINE), "EACCES");
    expect(s.read(ONLINE, s.userCtx(65534))).toBe("0\n");
  });
});
