// Per-mount flags as statfs(2) reports them, the cheap accessors, and filesystem types
// that only internal mounts may create. Host (Linux 6.18, python3): statfs of a tmpfs
// mount reports f_flags 0x1020 (ST_VALID | ST_RELATIME), fstatfs of a pipe 0x20 (pipefs is
// kern_mount'ed: no MNT_RELATIME); mount -t pipefs is EINVAL, an unknown type ENODEV.
import { ST_NOATIME, ST_NODEV, ST_NOEXEC, ST_NOSUID, ST_RDONLY, ST_RELATIME, ST_VALID } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { TestFilesystemType, createTestVfs, expectErrno } from "./testing/index.js";

describe("mount flags", () => {
  test("statfs flags always include ST_VALID; mount(2) mounts are relatime unless noatime", () => {
    const t = createTestVfs();
    try {
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).flags).toBe(ST_VALID | ST_RELATIME);
      t.mkdirp("/m");
      t.mountTestfs("/m", { readOnly: true, flags: { noATime: true, noExec: true, noDev: true, noSUID: true } });
      expect(t.vfs.statFSAt(t.ctx, t.pop("/m")).flags).toBe(ST_VALID | ST_RDONLY | ST_NOATIME | ST_NOEXEC | ST_NODEV | ST_NOSUID);
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("internal (disconnected) mounts get no ST_RELATIME and no relatime in the mounts files", () => {
    const t = createTestVfs();
    try {
      const { fs, root } = t.vfs.newFilesystem(t.ctx, "none", "testfs");
      const mount = t.vfs.newDisconnectedMount(fs, root);
      root.decRef(t.ctx);
      fs.decRef(t.ctx);
      expect(mount.statfsFlags()).toBe(ST_VALID);
      t.mkdirp("/m");
      t.vfs.connectMountAt(t.ctx, mount, t.pop("/m"));
      mount.decRef(t.ctx); // the VFS holds its own now
      expect(t.vfs.statFSAt(t.ctx, t.pop("/m")).flags).toBe(ST_VALID);
      expect(t.vfs.generateProcMounts(t.ctx, t.root).split("\n")[1]).toBe("none /m testfs rw 0 0");
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("noExec(), noATime(), noDev(), noSUID() read the flags without a copy; flags() still copies", () => {
    const t = createTestVfs();
    try {
      t.mkdirp("/m");
      const m = t.mountTestfs("/m", { flags: { noATime: true, noDev: true } });
      expect([m.noExec(), m.noATime(), m.noDev(), m.noSUID()]).toEqual([false, true, true, false]);
      expect(m.flags()).toEqual({ noExec: false, noATime: true, noDev: true, noSUID: false });
      expect(m.flags()).not.toBe(m.flags());
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
    } finally {
      t.release();
    }
  });

  test("a noUser type: mount(2) is EINVAL (Linux's SB_NOUSER; gVisor: ENODEV), internal mounts work", () => {
    const t = createTestVfs();
    try {
      t.vfs.registerFilesystemType("internalfs", new TestFilesystemType(), { allowUserList: true, noUser: true });
      t.vfs.registerFilesystemType("hiddenfs", new TestFilesystemType(), {});
      t.mkdirp("/m");
      expect(t.vfs.procFilesystems()).toContain("nodev\tinternalfs\n");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/m"), "internalfs"), "EINVAL");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/m"), "hiddenfs"), "ENODEV");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/m"), "nosuchfs"), "ENODEV");
      const mount = t.vfs.mountDisconnected(t.ctx, "none", "internalfs", { getFilesystemOptions: { internalMount: true } });
      mount.decRef(t.ctx);
    } finally {
      t.release();
    }
  });
});
