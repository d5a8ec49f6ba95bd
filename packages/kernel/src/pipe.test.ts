// Pipes through the kernel: gVisor's pipe.cc assertions (inventory §7.6) and Linux's
// answers checked on the host (python3, Linux 6.18).
import {
  AT_EMPTY_PATH,
  FD_CLOEXEC,
  FIONREAD,
  F_GETFD,
  F_GETFL,
  F_GETPIPE_SZ,
  F_SETFL,
  F_SETPIPE_SZ,
  NAME_MAX,
  O_CLOEXEC,
  O_DIRECT,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  PAGE_SIZE,
  PIPEFS_MAGIC,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  SIGPIPE,
  ST_VALID,
  S_IFIFO,
  S_IFMT,
} from "@vfskit/abi";
import { parse as parsePath, type Path } from "@vfskit/fspath";
import type { AbortSignalLike } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { RLIMIT_NOFILE } from "./limits.js";
import { bytes, expectErrno, expectErrnoAsync, userCreds, withKernel, withKernelAsync } from "./testing-fixtures/harness.js";
import type { Task } from "./task.js";

function sigpipes(task: Task): number {
  return task.pendingSignals().filter((s) => s === SIGPIPE).length;
}

describe("pipe2 through the kernel", () => {
  test("both ends share one inode, a pipefs FIFO owned by the creator", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      const rs = init.fstat(r);
      const ws = init.fstat(w);
      expect(rs.ino).toBe(ws.ino);
      expect(rs.mode).toBe(S_IFIFO | 0o600);
      expect(rs.nlink).toBe(1);
      expect(rs.size).toBe(0);
      expect(rs.uid).toBe(0);
      expect(rs.blksize).toBe(PAGE_SIZE);
      // A second pipe is another inode.
      const [r2, w2] = init.pipe();
      expect(init.fstat(r2).ino).not.toBe(rs.ino);
      for (const fd of [r, w, r2, w2]) init.close(fd);
    });
  });

  test("writing the read end or reading the write end is EBADF", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      expectErrno(() => init.write(r, bytes("x")), "EBADF");
      expectErrno(() => init.read(w, new Uint8Array(1)), "EBADF");
      init.close(r);
      init.close(w);
    });
  });

  test("F_GETFL is exactly O_RDONLY / O_WRONLY (plus O_NONBLOCK when asked)", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      expect(init.fcntl(r, F_GETFL)).toBe(O_RDONLY);
      expect(init.fcntl(w, F_GETFL)).toBe(O_WRONLY);
      const [nr, nw] = init.pipe2(O_NONBLOCK);
      expect(init.fcntl(nr, F_GETFL)).toBe(O_RDONLY | O_NONBLOCK);
      expect(init.fcntl(nw, F_GETFL)).toBe(O_WRONLY | O_NONBLOCK);
      for (const fd of [r, w, nr, nw]) init.close(fd);
    });
  });

  test("small and page-sized writes read back intact", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      expect(init.write(w, bytes("abcd"))).toBe(4);
      const buf = new Uint8Array(16);
      expect(init.read(r, buf)).toBe(4);
      expect([...buf.subarray(0, 4)]).toEqual([...bytes("abcd")]);
      const page = new Uint8Array(PAGE_SIZE).map((_, i) => i & 0xff);
      expect(init.write(w, page)).toBe(PAGE_SIZE);
      const back = new Uint8Array(PAGE_SIZE);
      expect(init.read(r, back)).toBe(PAGE_SIZE);
      expect(back).toEqual(page);
      init.close(r);
      init.close(w);
    });
  });

  test("a non-blocking read of an empty pipe is EAGAIN, before and after a cycle", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2(O_NONBLOCK);
      expectErrno(() => init.read(r, new Uint8Array(1)), "EAGAIN");
      init.write(w, bytes("z"));
      expect(init.read(r, new Uint8Array(1))).toBe(1);
      expectErrno(() => init.read(r, new Uint8Array(1)), "EAGAIN");
      // A blocking pipe read through the synchronous call is EAGAIN too (D2).
      const [br, bw] = init.pipe2();
      expectErrno(() => init.read(br, new Uint8Array(1)), "EAGAIN");
      for (const fd of [r, w, br, bw]) init.close(fd);
    });
  });

  test("fstatfs is PIPEFS_MAGIC with page-sized blocks and NAME_MAX names", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      const st = init.fstatfs(r);
      expect(st.type).toBe(PIPEFS_MAGIC);
      expect(st.bsize).toBe(PAGE_SIZE);
      expect(st.namelen).toBe(NAME_MAX);
      // Host: a pipe's f_flags is 0x20 (ST_VALID only: pipefs is an internal mount).
      expect(st.flags).toBe(ST_VALID);
      init.close(r);
      init.close(w);
    });
  });

  test("pipe2(O_CLOEXEC) sets FD_CLOEXEC on both; bad flags are EINVAL", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2(O_CLOEXEC);
      expect(init.fcntl(r, F_GETFD)).toBe(FD_CLOEXEC);
      expect(init.fcntl(w, F_GETFD)).toBe(FD_CLOEXEC);
      const [r2, w2] = init.pipe2(0);
      expect(init.fcntl(r2, F_GETFD)).toBe(0);
      expectErrno(() => init.pipe2(0xdead), "EINVAL");
      // Packet mode is not offered (Linux accepts O_DIRECT).
      expectErrno(() => init.pipe2(O_DIRECT), "EINVAL");
      for (const fd of [r, w, r2, w2]) init.close(fd);
    });
  });

  test("lseek, pread and pwrite are ESPIPE on both ends; a bad whence is EINVAL first", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      for (const fd of [r, w]) {
        for (const whence of [SEEK_SET, SEEK_CUR, SEEK_END]) {
          for (const offset of [0, 4, -1]) expectErrno(() => init.lseek(fd, offset, whence), "ESPIPE");
        }
        expectErrno(() => init.lseek(fd, 0, 7), "EINVAL");
        expectErrno(() => init.pread64(fd, new Uint8Array(1), 0), "ESPIPE");
        expectErrno(() => init.pwrite64(fd, new Uint8Array(1), 0), "ESPIPE");
        expectErrno(() => init.preadv(fd, [new Uint8Array(1)], 0), "ESPIPE");
        expectErrno(() => init.pwritev(fd, [new Uint8Array(1)], 0), "ESPIPE");
      }
      init.close(r);
      init.close(w);
    });
  });

  test("after the writer closes the reader drains, then reads 0 (EOF)", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      init.write(w, bytes("tail"));
      init.close(w);
      const buf = new Uint8Array(2);
      expect(init.read(r, buf)).toBe(2);
      expect(init.read(r, buf)).toBe(2);
      expect(init.read(r, buf)).toBe(0);
      expect(init.read(r, buf)).toBe(0);
      init.close(r);
    });
  });

  test("a write without readers is EPIPE with exactly one SIGPIPE per failed write", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      init.close(r);
      expect(sigpipes(init)).toBe(0);
      // A zero-length write succeeds without SIGPIPE (host-checked).
      expect(init.write(w, new Uint8Array(0))).toBe(0);
      expect(sigpipes(init)).toBe(0);
      expectErrno(() => init.write(w, bytes("x")), "EPIPE");
      expect(sigpipes(init)).toBe(1);
      expectErrno(() => init.writev(w, [bytes("a"), bytes("b")]), "EPIPE");
      expect(sigpipes(init)).toBe(2);
      expect(init.signalLog().at(-1)).toEqual({ signo: SIGPIPE, reason: "writev", senderPid: 0 });
      init.close(w);
    });
  });

  test("a 2×capacity write fills the pipe; after the reader goes, the next write is EPIPE", async () => {
    await withKernelAsync(async (_k, init) => {
      const [r, w] = init.pipe2(O_NONBLOCK);
      const capacity = init.fcntl(w, F_GETPIPE_SZ);
      expect(init.write(w, new Uint8Array(2 * capacity))).toBe(capacity);
      init.close(r);
      expectErrno(() => init.write(w, new Uint8Array(1)), "EPIPE");
      expect(sigpipes(init)).toBe(1);
      init.close(w);
      // A blocked async writer gets EPIPE when the reader closes: partial count if any.
      const [r2, w2] = init.pipe2();
      const pending = init.writeAsync(w2, new Uint8Array(3 * capacity));
      await Promise.resolve();
      init.close(r2);
      expect(await pending).toBe(capacity);
      expect(sigpipes(init)).toBe(2);
      const [r3, w3] = init.pipe2();
      init.write(w3, new Uint8Array(capacity));
      const blocked = init.writeAsync(w3, bytes("more"));
      init.close(r3);
      await expectErrnoAsync(blocked, "EPIPE");
      expect(sigpipes(init)).toBe(3);
      init.close(w2);
      init.close(w3);
    });
  });

  test("closing a closed descriptor is EBADF", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      init.close(r);
      expectErrno(() => init.close(r), "EBADF");
      init.close(w);
      expectErrno(() => init.close(w), "EBADF");
    });
  });

  test("FIONREAD is 0 at first and then the bytes queued, on both ends", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      const count = new Int32Array(1);
      expect(init.ioctl(r, FIONREAD, count)).toBe(0);
      expect(count[0]).toBe(0);
      init.write(w, new Uint8Array(123));
      init.ioctl(r, FIONREAD, count);
      expect(count[0]).toBe(123);
      init.ioctl(w, FIONREAD, count);
      expect(count[0]).toBe(123);
      expectErrno(() => init.ioctl(r, FIONREAD, undefined), "EFAULT");
      expectErrno(() => init.ioctl(r, 0x1234, count), "ENOTTY");
      init.close(r);
      init.close(w);
    });
  });

  test("F_SETPIPE_SZ / F_GETPIPE_SZ: rounding, growing, EINVAL, EPERM, EBUSY; EBADF on non-pipes", () => {
    withKernel((k, init) => {
      const [r, w] = init.pipe2();
      expect(init.fcntl(w, F_GETPIPE_SZ)).toBe(65536);
      expect(init.fcntl(w, F_SETPIPE_SZ, 0)).toBe(PAGE_SIZE);
      expect(init.fcntl(r, F_GETPIPE_SZ)).toBe(PAGE_SIZE);
      expect(init.fcntl(w, F_SETPIPE_SZ, 5000)).toBe(8192);
      expect(init.fcntl(w, F_SETPIPE_SZ, 1 << 20)).toBe(1 << 20);
      // A negative int is a huge unsigned size: EINVAL.
      expectErrno(() => init.fcntl(w, F_SETPIPE_SZ, -1), "EINVAL");
      // Above 1 MiB needs CAP_SYS_RESOURCE in the initial namespace (root has it here).
      expect(init.fcntl(w, F_SETPIPE_SZ, 2 << 20)).toBe(2 << 20);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.fcntl(w, F_SETPIPE_SZ, 4 << 20), "EPERM");
      user.exit(0);
      init.wait4(user.pid);
      init.fcntl(w, F_SETPIPE_SZ, PAGE_SIZE * 4);
      init.write(w, new Uint8Array(PAGE_SIZE * 3));
      expectErrno(() => init.fcntl(w, F_SETPIPE_SZ, PAGE_SIZE), "EBUSY");
      const file = init.open("/", O_RDONLY);
      expectErrno(() => init.fcntl(file, F_GETPIPE_SZ), "EBADF");
      expectErrno(() => init.fcntl(file, F_SETPIPE_SZ, PAGE_SIZE), "EBADF");
      for (const fd of [r, w, file]) init.close(fd);
      void k;
    });
  });

  test("streaming 4× capacity in 1 KiB chunks; zero-byte reads and writes return 0", async () => {
    await withKernelAsync(async (_k, init) => {
      const [r, w] = init.pipe2();
      const capacity = init.fcntl(w, F_GETPIPE_SZ);
      const total = 4 * capacity;
      const producer = (async () => {
        const chunk = new Uint8Array(1024);
        for (let sent = 0; sent < total; sent += 1024) {
          chunk.fill((sent / 1024) & 0xff);
          await init.writeAsync(w, chunk);
        }
        init.close(w);
      })();
      let received = 0;
      let ok = true;
      const buf = new Uint8Array(1024);
      for (;;) {
        const n = await init.readAsync(r, buf);
        if (n === 0) break;
        for (let i = 0; i < n; i++) if (buf[i] !== (((received + i) / 1024) | 0) % 256) ok = false;
        received += n;
      }
      await producer;
      expect(ok).toBe(true);
      expect(received).toBe(total);
      expect(init.read(r, new Uint8Array(0))).toBe(0);
      init.close(r);
      const [r2, w2] = init.pipe2();
      expect(init.write(w2, new Uint8Array(0))).toBe(0);
      init.close(r2);
      init.close(w2);
    });
  });

  test("readAsync and writeAsync honour O_NONBLOCK (set with F_SETFL) and abort signals", async () => {
    await withKernelAsync(async (_k, init) => {
      const [r, w] = init.pipe2();
      init.fcntl(r, F_SETFL, O_NONBLOCK);
      await expectErrnoAsync(init.readAsync(r, new Uint8Array(1)), "EAGAIN");
      init.fcntl(r, F_SETFL, 0);
      const aborter = makeAbortSignal();
      const pending = init.readAsync(r, new Uint8Array(1), { signal: aborter.signal });
      aborter.abort();
      await expectErrnoAsync(pending, "EINTR");
      const capacity = init.fcntl(w, F_GETPIPE_SZ);
      init.write(w, new Uint8Array(capacity));
      init.fcntl(w, F_SETFL, O_NONBLOCK);
      await expectErrnoAsync(init.writeAsync(w, new Uint8Array(1)), "EAGAIN");
      init.close(r);
      init.close(w);
    });
  });

  test("an exit interrupts the task's pending async calls with EINTR", async () => {
    await withKernelAsync(async (_k, init) => {
      const child = init.fork();
      const [r, w] = child.pipe2();
      const pending = child.readAsync(r, new Uint8Array(1));
      child.exit(0);
      await expectErrnoAsync(pending, "EINTR");
      init.wait4(child.pid);
      void w;
    });
  });

  test("reopening a pipe end by its descriptor (as /proc/self/fd does) never blocks", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      // openat(fd, "", AT_EMPTY_PATH) is not open(2)'s interface; open the dentry through
      // the VFS the way procfs's magic link will (an empty path at the description).
      const file = init.fdTable.get(r);
      expect(file).toBeDefined();
      const st = init.fstatat(r, "", AT_EMPTY_PATH);
      expect(st.mode & S_IFMT).toBe(S_IFIFO);
      // Writing through an O_RDWR reopen of the same pipe.
      const vfs = init.kernel.vfs;
      const again = vfs.openAt(init.ctx, { root: init.fsContext.root(), start: (file as NonNullable<typeof file>).vd, path: emptyPath(), followFinalSymlink: true }, { flags: O_RDWR, mode: 0 });
      expect(again.write(init.ctx, bytes("hi"))).toBe(2);
      again.decRef(init.ctx);
      const buf = new Uint8Array(4);
      expect(init.read(r, buf)).toBe(2);
      init.close(r);
      init.close(w);
    });
  });

  test("creating pipes until descriptor numbers exceed 66,000", () => {
    withKernel((_k, init) => {
      init.setrlimit(RLIMIT_NOFILE, { cur: 70_000, max: 70_000 });
      const fds: number[] = [];
      let highest = -1;
      while (highest <= 66_000) {
        const [r, w] = init.pipe2();
        fds.push(r, w);
        highest = w;
      }
      expect(highest).toBe(66_001);
      expect(init.fdTable.size).toBe(66_002);
      // The default table is full at RLIMIT_NOFILE: one descriptor short of a pipe.
      init.setrlimit(RLIMIT_NOFILE, { cur: 66_003, max: 70_000 });
      expectErrno(() => init.pipe2(), "EMFILE");
      expect(init.fdTable.size).toBe(66_002);
      for (const fd of fds) init.close(fd);
    });
  });

  test("256 MiB through a pipe with writeAsync/readAsync in 64 KiB chunks arrives intact", async () => {
    await withKernelAsync(async (_k, init) => {
      const [r, w] = init.pipe2();
      const chunkSize = 64 * 1024;
      const chunks = (256 * 1024 * 1024) / chunkSize;
      const producer = (async () => {
        const chunk = new Uint8Array(chunkSize);
        const words = new Uint32Array(chunk.buffer);
        let x = 0x12345678;
        let hash = 0;
        for (let c = 0; c < chunks; c++) {
          for (let i = 0; i < words.length; i += 64) {
            x = (Math.imul(x, 1103515245) + 12345) >>> 0;
            words[i] = x;
          }
          hash = hashWords(hash, words);
          let done = 0;
          while (done < chunkSize) done += await init.writeAsync(w, done === 0 ? chunk : chunk.subarray(done));
        }
        init.close(w);
        return hash;
      })();
      const buf = new Uint8Array(chunkSize);
      const words = new Uint32Array(buf.buffer);
      let received = 0;
      let hash = 0;
      let filled = 0;
      for (;;) {
        const n = await init.readAsync(r, filled === 0 ? buf : buf.subarray(filled));
        if (n === 0) break;
        filled += n;
        received += n;
        if (filled === chunkSize) {
          hash = hashWords(hash, words);
          filled = 0;
        }
      }
      const sentHash = await producer;
      expect(received).toBe(256 * 1024 * 1024);
      expect(hash).toBe(sentHash);
      init.close(r);
    });
  }, 60_000);
});

function hashWords(hash: number, words: Uint32Array): number {
  let h = hash;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ (words[i] as number), 0x01000193) >>> 0;
  return h;
}

function emptyPath(): Path {
  return parsePath("");
}

/** A minimal AbortController stand-in (core packages compile without DOM types). */
function makeAbortSignal(): { signal: AbortSignalLike; abort(): void } {
  const listeners = new Set<() => void>();
  const signal = {
    aborted: false,
    reason: undefined as unknown,
    addEventListener: (_type: "abort", listener: () => void) => void listeners.add(listener),
    removeEventListener: (_type: "abort", listener: () => void) => void listeners.delete(listener),
  };
  return {
    signal,
    abort() {
      signal.aborted = true;
      for (const l of [...listeners]) l();
    },
  };
}
