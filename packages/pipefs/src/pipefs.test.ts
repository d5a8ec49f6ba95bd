// The anonymous pipefs (Linux's fs/pipe.c pipefs, gVisor's fsimpl/pipefs) and the
// PipeFifoOpener, on a test VFS. Host facts (Linux 6.18, python3): mount -t pipefs is
// EINVAL, /proc/filesystems lists `nodev\tpipefs`, fstatfs of a pipe reports
// PIPEFS_MAGIC with f_flags 0x20 (ST_VALID only), st_dev is 0:<anonymous minor>.
import {
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  PAGE_SIZE,
  PIPEFS_MAGIC,
  ST_VALID,
  S_IFIFO,
  STATX_TYPE,
} from "@vfskit/abi";
import { FifoOpenerKey, VirtualDentry, withValue, type FileDescription } from "@vfskit/vfs";
import { createTestVfs, expectErrno, type TestVfs } from "@vfskit/vfs/testing";
import { describe, expect, test } from "vitest";
import { PipeFifoOpener } from "./fifo-opener.js";
import { PIPEFS_NAME, PIPEFS_REGISTER_OPTIONS, PipeFilesystemType, newPipe, newPipeMount } from "./pipefs.js";

function withPipefs(body: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    t.vfs.registerFilesystemType(PIPEFS_NAME, new PipeFilesystemType(), PIPEFS_REGISTER_OPTIONS);
    body(t);
  } finally {
    t.release();
  }
}

describe("pipefs", () => {
  test("is listed in /proc/filesystems and cannot be mounted (EINVAL, as Linux; gVisor says ENODEV)", () => {
    withPipefs((t) => {
      expect(t.vfs.procFilesystems()).toContain("nodev\tpipefs\n");
      t.mkdirp("/mnt");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), PIPEFS_NAME), "EINVAL");
      expectErrno(() => t.vfs.mountDisconnected(t.ctx, "none", PIPEFS_NAME), "EINVAL");
      expectErrno(() => t.vfs.mountAt(t.ctx, "none", t.pop("/mnt"), "nosuchfs"), "ENODEV");
    });
  });

  test("newPipe: two descriptions of one S_IFIFO|0600 inode owned by the creator, named pipe:[ino]", () => {
    withPipefs((t) => {
      const mount = newPipeMount(t.ctx, t.vfs);
      const user = t.as(t.user(1000, 1001));
      const { reader, writer } = newPipe(user, mount, O_NONBLOCK);
      const { reader: reader2, writer: writer2 } = newPipe(t.ctx, mount, 0);
      try {
        expect(reader.statusFlags()).toBe(O_RDONLY | O_NONBLOCK);
        expect(writer.statusFlags()).toBe(O_WRONLY | O_NONBLOCK);
        expect(reader2.statusFlags()).toBe(O_RDONLY);
        const st = reader.stat(t.ctx, { mask: 0x7ff, sync: 0 });
        expect(st.mode).toBe(S_IFIFO | 0o600);
        expect([st.uid, st.gid, st.nlink, st.size, st.blksize]).toEqual([1000, 1001, 1, 0, PAGE_SIZE]);
        expect(st.devMajor).toBe(0);
        expect(st.devMinor).toBeGreaterThan(0);
        expect(st.atime).toEqual(st.mtime);
        expect(st.ctime).toEqual(st.mtime);
        expect(writer.stat(t.ctx, { mask: 0x7ff, sync: 0 }).ino).toBe(st.ino);
        const ino2 = reader2.stat(t.ctx, { mask: 0x7ff, sync: 0 }).ino;
        expect(ino2).not.toBe(st.ino);
        expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, reader.vd)).toBe(`pipe:[${st.ino}]`);
        expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, writer2.vd)).toBe(`pipe:[${ino2}]`);
        const statfs = reader.statFS(t.ctx);
        expect(statfs.type).toBe(PIPEFS_MAGIC);
        expect(statfs.flags).toBe(ST_VALID);
        // Data flows from one description to the other.
        expect(writer.write(t.ctx, new TextEncoder().encode("hi"))).toBe(2);
        expect(reader.read(t.ctx, new Uint8Array(4))).toBe(2);
        // A path beyond a pipe leads nowhere.
        expectErrno(() => t.vfs.statAt(t.ctx, t.pop("x", { start: reader.vd, root: reader.vd }), { mask: STATX_TYPE, sync: 0 }), "ENOTDIR");
      } finally {
        for (const fd of [reader, writer, reader2, writer2]) fd.decRef(t.ctx);
        mount.decRef(t.ctx);
      }
    });
  });

  test("each pipefs gets its own anonymous device number, returned when it is released", () => {
    withPipefs((t) => {
      const a = newPipeMount(t.ctx, t.vfs);
      const b = newPipeMount(t.ctx, t.vfs);
      const pa = newPipe(t.ctx, a, 0);
      const pb = newPipe(t.ctx, b, 0);
      const minorA = pa.reader.stat(t.ctx, { mask: STATX_TYPE, sync: 0 }).devMinor;
      const minorB = pb.reader.stat(t.ctx, { mask: STATX_TYPE, sync: 0 }).devMinor;
      expect(minorA).not.toBe(minorB);
      for (const fd of [pa.reader, pa.writer, pb.reader, pb.writer]) fd.decRef(t.ctx);
      a.decRef(t.ctx);
      b.decRef(t.ctx);
      // Both numbers are free again: the lowest is handed out next (Linux's IDA).
      const minor = t.vfs.getAnonBlockDevMinor();
      expect(minor).toBe(Math.min(minorA, minorB));
      t.vfs.putAnonBlockDevMinor(minor);
    });
  });
});

describe("PipeFifoOpener", () => {
  test("one pipe per inode while open; EAGAIN where Linux would block; ENXIO; a new pipe after the last close", () => {
    const t = createTestVfs();
    const opened: FileDescription[] = [];
    try {
      const opener = new PipeFifoOpener();
      const ctx = withValue(t.ctx, FifoOpenerKey, opener);
      t.writeFile("/f", "");
      const vd = new VirtualDentry(t.root.mount, t.root.dentry);
      const inode = {};
      expectErrno(() => opener.open(ctx, vd, inode, O_WRONLY | O_NONBLOCK), "ENXIO");
      expectErrno(() => opener.open(ctx, vd, inode, O_RDONLY), "EAGAIN");
      expectErrno(() => opener.open(ctx, vd, inode, O_WRONLY | O_NONBLOCK), "ENXIO"); // nothing left behind
      expectErrno(() => opener.open(ctx, vd, inode, 3), "EINVAL");
      const r = opener.open(ctx, vd, inode, O_RDONLY | O_NONBLOCK);
      opened.push(r);
      const w = opener.open(ctx, vd, inode, O_WRONLY);
      opened.push(w);
      expect(opener.pipeOf(inode)).toBe(opener.pipeOf(inode));
      w.write(ctx, new TextEncoder().encode("unread"));
      const first = opener.pipeOf(inode);
      for (const fd of opened.splice(0)) fd.decRef(ctx);
      const fresh = opener.pipeOf(inode);
      expect(fresh).not.toBe(first);
      const rw = opener.open(ctx, vd, inode, O_RDWR | O_NONBLOCK);
      opened.push(rw);
      expectErrno(() => rw.read(ctx, new Uint8Array(8)), "EAGAIN");
      // Another inode has another pipe.
      const other = opener.open(ctx, vd, {}, O_RDWR);
      opened.push(other);
      other.write(ctx, new Uint8Array(1));
      expectErrno(() => rw.read(ctx, new Uint8Array(8)), "EAGAIN");
    } finally {
      for (const fd of opened) fd.decRef(t.ctx);
      t.release();
    }
  });
});
