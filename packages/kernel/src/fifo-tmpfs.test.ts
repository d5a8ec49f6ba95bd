// FIFOs on the kernel's tmpfs root: tmpfs hands FIFO opens to the FifoOpener in the task's
// context (pipefs's PipeFifoOpener, extended by the kernel to wait). Linux's rules
// (fs/pipe.c fifo_open; inventory §7.3, §7.4, §7.6), checked on the host with python3
// (Linux 6.18, /dev/shm).
import {
  AT_FDCWD,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  F_GETFL,
  F_SETFL,
  MS_RDONLY,
  MS_REMOUNT,
  O_LARGEFILE,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  S_IFIFO,
  S_IFMT,
  TMPFS_MAGIC,
} from "@vfskit/abi";
import { Credentials } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import { PipeFifoOpener } from "@vfskit/pipefs";
import { TmpfsFilesystemType } from "@vfskit/tmpfs";
import { FifoOpenerKey, MountNamespaceKey, RootKey, VirtualFilesystem, createContext } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { bytes, expectErrno, expectErrnoAsync, withKernel, withKernelAsync } from "./testing-fixtures/harness.js";
import type { Task } from "./task.js";

/** The readiness of descriptor `fd` for `mask` (what poll(2) would report). */
function poll(task: Task, fd: number, mask: number): number {
  const file = task.fdTable.get(fd);
  if (file === undefined) throw new Error(`fd ${fd} is not open`);
  return file.readiness(mask);
}

function text(buf: Uint8Array, n: number): string {
  return new TextDecoder().decode(buf.subarray(0, n));
}

describe("FIFOs on tmpfs through the kernel", () => {
  test("O_RDONLY | O_NONBLOCK opens at once; O_WRONLY | O_NONBLOCK without a reader is ENXIO", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o666);
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
      const r = init.open("/fifo", O_RDONLY | O_NONBLOCK);
      expect(init.fcntl(r, F_GETFL)).toBe(O_RDONLY | O_NONBLOCK | O_LARGEFILE);
      const st = init.fstat(r);
      expect(st.mode & S_IFMT).toBe(S_IFIFO);
      expect(st.ino).toBe(init.stat("/fifo").ino);
      expect(init.fstatfs(r).type).toBe(TMPFS_MAGIC);
      // Empty, no writer has ever been there: end of file, and no POLLHUP yet.
      expect(init.read(r, new Uint8Array(4))).toBe(0);
      expect(poll(init, r, EPOLLIN | EPOLLHUP)).toBe(0);
      // Now a reader exists: the non-blocking writer opens.
      const w = init.open("/fifo", O_WRONLY | O_NONBLOCK);
      expect(poll(init, w, EPOLLOUT)).toBe(EPOLLOUT);
      init.close(w);
      init.close(r);
    });
  });

  test("the synchronous blocking opens are EAGAIN and leave no half-open end behind", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o666);
      expectErrno(() => init.open("/fifo", O_RDONLY), "EAGAIN");
      expectErrno(() => init.open("/fifo", O_WRONLY), "EAGAIN");
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
      expect(init.fdTable.size).toBe(0);
    });
  });

  test("openatAsync O_RDONLY waits for a writer; data goes through; EAGAIN, then EOF and POLLHUP", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const writer = init.fork({ comm: "writer" });
      const reading = init.openatAsync(AT_FDCWD, "/fifo", O_RDONLY);
      const w = await writer.openatAsync(AT_FDCWD, "/fifo", O_WRONLY);
      const r = await reading;
      expect(init.fcntl(r, F_GETFL)).toBe(O_RDONLY | O_LARGEFILE);
      init.fcntl(r, F_SETFL, O_NONBLOCK);
      // A writer is open and nothing is queued: a non-blocking read would block.
      expectErrno(() => init.read(r, new Uint8Array(8)), "EAGAIN");
      await writer.writeAsync(w, bytes("through the fifo"));
      expect(poll(init, r, EPOLLIN)).toBe(EPOLLIN);
      const buf = new Uint8Array(64);
      expect(text(buf, init.read(r, buf))).toBe("through the fifo");
      writer.close(w);
      expect(poll(init, r, EPOLLIN | EPOLLHUP)).toBe(EPOLLHUP);
      expect(init.read(r, buf)).toBe(0);
      init.close(r);
      writer.exit(0);
      init.wait4(writer.pid);
    });
  });

  test("openatAsync O_WRONLY waits for a reader; hard links share the pipe", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      init.link("/fifo", "/other-name");
      const writing = init.openatAsync(AT_FDCWD, "/fifo", O_WRONLY);
      const r = init.open("/other-name", O_RDONLY | O_NONBLOCK);
      const w = await writing;
      init.write(w, bytes("x"));
      expect(init.read(r, new Uint8Array(1))).toBe(1);
      init.close(w);
      init.close(r);
    });
  });

  test("a blocked reader is released by a writer that opened and closed meanwhile, and sees EOF and POLLHUP", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const reading = init.openatAsync(AT_FDCWD, "/fifo", O_RDONLY);
      // The pending reader counts: a non-blocking writer opens, writes nothing, closes.
      const w = init.open("/fifo", O_WRONLY | O_NONBLOCK);
      init.close(w);
      const r = await reading;
      expect(init.read(r, new Uint8Array(4))).toBe(0);
      expect(poll(init, r, EPOLLIN | EPOLLHUP)).toBe(EPOLLHUP);
      init.close(r);
    });
  });

  test("O_RDWR never waits and can write then read its own data; unread data goes with the last close", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const rw = init.open("/fifo", O_RDWR);
      expect(init.fcntl(rw, F_GETFL)).toBe(O_RDWR | O_LARGEFILE);
      init.write(rw, bytes("self"));
      const buf = new Uint8Array(8);
      expect(text(buf, init.read(rw, buf))).toBe("self");
      init.write(rw, bytes("left over"));
      init.close(rw);
      const again = init.open("/fifo", O_RDWR | O_NONBLOCK);
      expectErrno(() => init.read(again, buf), "EAGAIN");
      init.close(again);
    });
  });

  test("an interrupted blocking open is EINTR and closes its half-open end", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const child = init.fork();
      const opening = child.openatAsync(AT_FDCWD, "/fifo", O_RDONLY);
      child.exit(0);
      await expectErrnoAsync(opening, "EINTR");
      init.wait4(child.pid);
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
    });
  });

  test("access mode 3 is EINVAL; truncate and ftruncate are EINVAL; open(O_TRUNC) is fine", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      expectErrno(() => init.open("/fifo", O_WRONLY | O_RDWR | O_NONBLOCK), "EINVAL");
      const rw = init.open("/fifo", O_RDWR | O_TRUNC);
      expectErrno(() => init.ftruncate(rw, 0), "EINVAL");
      expectErrno(() => init.truncate("/fifo", 0), "EINVAL");
      init.close(rw);
    });
  });

  test("a FIFO on a read-only mount opens for writing", () => {
    withKernel((_k, init) => {
      init.mkdir("/ro", 0o755);
      init.mount("none", "/ro", "tmpfs", 0);
      init.mknod("/ro/fifo", S_IFIFO | 0o666);
      init.mount("", "/ro", "", MS_REMOUNT | MS_RDONLY);
      expectErrno(() => init.mknod("/ro/other", S_IFIFO | 0o666), "EROFS");
      const r = init.open("/ro/fifo", O_RDONLY | O_NONBLOCK);
      const w = init.open("/ro/fifo", O_WRONLY);
      init.write(w, bytes("ro"));
      expect(init.read(r, new Uint8Array(4))).toBe(2);
      init.close(w);
      init.close(r);
      init.umount2("/ro", 0);
    });
  });
});

describe("FIFOs on tmpfs through the plain VFS", () => {
  test("a context with pipefs's PipeFifoOpener: FIFOs work without a kernel, blocking opens are EAGAIN", () => {
    const vfs = new VirtualFilesystem();
    vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
    const creds = Credentials.root();
    const mntns = vfs.newMountNamespace(createContext(creds), "none", "tmpfs");
    const root = mntns.root(createContext(creds));
    const ctx = createContext(creds, [
      [MountNamespaceKey, mntns],
      [RootKey, root],
      [FifoOpenerKey, new PipeFifoOpener()],
    ]);
    const at = (path: string) => ({ root, start: root, path: parse(path), followFinalSymlink: true });
    try {
      vfs.mknodAt(ctx, { ...at("/fifo"), followFinalSymlink: false }, { mode: S_IFIFO | 0o644, devMajor: 0, devMinor: 0 });
      expectErrno(() => vfs.openAt(ctx, at("/fifo"), { flags: O_RDONLY, mode: 0 }), "EAGAIN");
      expectErrno(() => vfs.openAt(ctx, at("/fifo"), { flags: O_WRONLY | O_NONBLOCK, mode: 0 }), "ENXIO");
      const r = vfs.openAt(ctx, at("/fifo"), { flags: O_RDONLY | O_NONBLOCK, mode: 0 });
      const w = vfs.openAt(ctx, at("/fifo"), { flags: O_WRONLY, mode: 0 });
      w.write(ctx, bytes("plain"));
      const buf = new Uint8Array(8);
      expect(text(buf, r.read(ctx, buf))).toBe("plain");
      expect(r.stat(ctx, { mask: 0x7ff, sync: 0 }).mode).toBe(S_IFIFO | 0o644);
      w.decRef(ctx);
      expect(r.readiness(EPOLLHUP)).toBe(EPOLLHUP);
      r.decRef(ctx);
      // Without an opener in the context, tmpfs cannot open a FIFO.
      const bare = createContext(creds, [
        [MountNamespaceKey, mntns],
        [RootKey, root],
      ]);
      expectErrno(() => vfs.openAt(bare, at("/fifo"), { flags: O_RDWR, mode: 0 }), "ENXIO");
    } finally {
      root.decRef(ctx);
      mntns.decRef(ctx);
      vfs.release(ctx);
    }
  });
});
