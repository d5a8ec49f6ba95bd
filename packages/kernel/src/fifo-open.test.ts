// FIFOs through the kernel's FifoOpener on a filesystem other than tmpfs: testfs with its
// open patched the way tmpfs does it (after its own checks, a FIFO is handed to the opener
// from the context). The opener is filesystem-agnostic, as Linux's fifo_open is; the
// tmpfs side is in fifo-tmpfs.test.ts.
import {
  AT_FDCWD,
  FIONREAD,
  F_GETFL,
  O_LARGEFILE,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  STATX_TYPE,
  S_IFIFO,
  S_IFMT,
} from "@vfskit/abi";
import {
  RESTART,
  type Context,
  type FilesystemType,
  type GetFilesystemOptions,
  type NewFilesystem,
  type OpenOptions,
  type ResolvingPath,
  type VirtualFilesystem,
} from "@vfskit/vfs";
import { TestFilesystemType, type TestDentry } from "@vfskit/vfs/testing";
import { describe, expect, test } from "vitest";
import { FifoOpenerKey } from "./fifo-open.js";
import { bytes, expectErrno, expectErrnoAsync, withKernel, withKernelAsync } from "./testing-fixtures/harness.js";

/** testfs whose FIFOs open through the FifoOpener in the context. */
class FifoTestfsType implements FilesystemType {
  readonly #inner = new TestFilesystemType();

  name(): string {
    return "fifotestfs";
  }

  getFilesystem(ctx: Context, vfs: VirtualFilesystem, source: string, opts: GetFilesystemOptions): NewFilesystem {
    const result = this.#inner.getFilesystem(ctx, vfs, source, opts);
    const impl = result.fs.impl;
    const openAt = impl.openAt.bind(impl);
    impl.openAt = (c: Context, rp: ResolvingPath, o: OpenOptions) => {
      const file = openAt(c, rp, o);
      if (file === RESTART) return file;
      if ((file.stat(c, { mask: STATX_TYPE, sync: 0 }).mode & S_IFMT) !== S_IFIFO) return file;
      const vd = file.vd;
      vd.incRef();
      file.decRef(c);
      try {
        const opener = c.value(FifoOpenerKey);
        if (opener === undefined) throw new Error("no FifoOpener in the context");
        return opener.open(c, vd, (vd.dentry.impl as TestDentry).inode, o.flags);
      } finally {
        vd.decRef(c);
      }
    };
    return result;
  }

  release(): void {}
}

const opts = {
  rootFilesystem: "fifotestfs",
  registerFilesystems: (vfs: VirtualFilesystem) => vfs.registerFilesystemType("fifotestfs", new FifoTestfsType(), { allowUserMount: true }),
};

describe("FIFOs", () => {
  test("non-blocking opens: O_RDONLY opens at once, O_WRONLY without a reader is ENXIO", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o666);
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
      const r = init.open("/fifo", O_RDONLY | O_NONBLOCK);
      expect(init.fcntl(r, F_GETFL)).toBe(O_RDONLY | O_NONBLOCK | O_LARGEFILE);
      expect(init.fstat(r).mode & S_IFMT).toBe(S_IFIFO);
      expect(init.fstat(r).ino).toBe(init.stat("/fifo").ino);
      const w = init.open("/fifo", O_WRONLY | O_NONBLOCK);
      init.write(w, bytes("hi"));
      expect(init.read(r, new Uint8Array(4))).toBe(2);
      init.close(w);
      expect(init.read(r, new Uint8Array(4))).toBe(0);
      init.close(r);
    }, opts);
  });

  test("a blocking open through the synchronous call is EAGAIN and leaves nothing behind", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o666);
      expectErrno(() => init.open("/fifo", O_RDONLY), "EAGAIN");
      expectErrno(() => init.open("/fifo", O_WRONLY), "EAGAIN");
      // No half-open reader was left: a non-blocking writer still finds none.
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
      expect(init.fdTable.size).toBe(0);
    }, opts);
  });

  test("openatAsync: a reader waits for a writer and the two exchange data", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const writer = init.fork();
      const reading = init.openatAsync(AT_FDCWD, "/fifo", O_RDONLY);
      const w = await writer.openatAsync(AT_FDCWD, "/fifo", O_WRONLY);
      const r = await reading;
      expect(init.fcntl(r, F_GETFL)).toBe(O_RDONLY | O_LARGEFILE);
      await writer.writeAsync(w, bytes("through the fifo"));
      writer.close(w);
      const buf = new Uint8Array(64);
      const n = await init.readAsync(r, buf);
      expect(new TextDecoder().decode(buf.subarray(0, n))).toBe("through the fifo");
      expect(await init.readAsync(r, buf)).toBe(0);
      init.close(r);
      writer.exit(0);
      init.wait4(writer.pid);
    }, opts);
  });

  test("a writer waits for a reader; hard links share the pipe", async () => {
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
    }, opts);
  });

  test("an interrupted blocking open is EINTR, and the half-open end is closed", async () => {
    await withKernelAsync(async (_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const listeners = new Set<() => void>();
      const signal = {
        aborted: false,
        addEventListener: (_t: "abort", l: () => void) => void listeners.add(l),
        removeEventListener: (_t: "abort", l: () => void) => void listeners.delete(l),
      };
      const pending = init.openatAsync(AT_FDCWD, "/fifo", O_RDONLY, 0, { signal });
      signal.aborted = true;
      for (const l of [...listeners]) l();
      await expectErrnoAsync(pending, "EINTR");
      expectErrno(() => init.open("/fifo", O_WRONLY | O_NONBLOCK), "ENXIO");
      // An exit interrupts too.
      const child = init.fork();
      const childOpen = child.openatAsync(AT_FDCWD, "/fifo", O_WRONLY);
      child.exit(0);
      await expectErrnoAsync(childOpen, "EINTR");
      init.wait4(child.pid);
      expectErrno(() => init.open("/fifo", O_RDONLY), "EAGAIN");
    }, opts);
  });

  test("O_RDWR never blocks; unread data goes when the last end closes; O_TRUNC is fine, truncate is EINVAL", () => {
    withKernel((_k, init) => {
      init.mknod("/fifo", S_IFIFO | 0o644);
      const rw = init.open("/fifo", O_RDWR | O_TRUNC);
      init.write(rw, bytes("self"));
      expect(init.read(rw, new Uint8Array(4))).toBe(4);
      init.write(rw, bytes("left over"));
      expectErrno(() => init.ftruncate(rw, 0), "EINVAL");
      expectErrno(() => init.truncate("/fifo", 0), "EINVAL");
      init.close(rw);
      const again = init.open("/fifo", O_RDWR);
      const n = new Int32Array(1);
      init.ioctl(again, FIONREAD, n);
      expect(n[0]).toBe(0);
      init.close(again);
    }, opts);
  });
});
