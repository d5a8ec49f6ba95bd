import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  FIONREAD,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  READABLE_EVENTS,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  WRITABLE_EVENTS,
  isSysError,
} from "@vfskit/abi";
import { waitForReadiness, type Waiter } from "@vfskit/vfs";
import { describe, expect, it } from "vitest";
import { counting, expectErrno, filled } from "./testing-fixtures/helpers.js";
import { VFSPipe } from "./fifo.js";
import { Pipe } from "./pipe.js";
import { PipeEnd } from "./pipe-end.js";

const ALL_EVENTS = READABLE_EVENTS | WRITABLE_EVENTS | EPOLLERR | EPOLLHUP;

/** An anonymous pipe's two ends, as pipe2 makes them. */
function pipe2(capacity?: number): [PipeEnd, PipeEnd] {
  return new VFSPipe(capacity === undefined ? {} : { capacity }).readerWriterPair();
}

/**
 * What the kernel's blocking write(2) does with a pipe end: write until everything is
 * queued, waiting for room; if the reader goes away after part was written, return the
 * partial count (the SIGPIPE was still raised, as Linux does).
 */
async function blockingWrite(end: PipeEnd, src: Uint8Array, onSigpipe: () => void): Promise<number> {
  let done = 0;
  while (done < src.length) {
    let n: number;
    try {
      n = end.tryWrite(src.subarray(done), onSigpipe);
    } catch (error) {
      if (done > 0 && isSysError(error, "EPIPE")) return done;
      throw error;
    }
    if (n < 0) await waitForReadiness(end, EPOLLOUT | EPOLLERR);
    else done += n;
  }
  return done;
}

/** Lets pending promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("PipeEnd access modes", () => {
  it("counts a reader, a writer, or both, and uncounts them on the last decRef", () => {
    const pipe = new Pipe();
    const r = new PipeEnd(pipe, O_RDONLY);
    const w = new PipeEnd(pipe, O_WRONLY);
    const rw = new PipeEnd(pipe, O_RDWR);
    expect([pipe.readers(), pipe.writers()]).toEqual([2, 2]);
    expect([r.isReadable(), r.isWritable(), w.isReadable(), w.isWritable(), rw.isReadable(), rw.isWritable()]).toEqual([
      true,
      false,
      false,
      true,
      true,
      true,
    ]);
    rw.incRef();
    rw.decRef();
    expect([pipe.readers(), pipe.writers()]).toEqual([2, 2]);
    rw.decRef();
    expect([pipe.readers(), pipe.writers()]).toEqual([1, 1]);
    r.decRef();
    w.decRef();
    expect([pipe.readers(), pipe.writers()]).toEqual([0, 0]);
  });

  it("ignores flags other than the access mode", () => {
    const pipe = new Pipe();
    const end = new PipeEnd(pipe, O_WRONLY | 0o4000 | 0o2000000);
    expect(end.isWritable()).toBe(true);
    expect(end.isReadable()).toBe(false);
    end.decRef();
  });

  it("refuses an access mode with neither read nor write as a broken contract, leaking nothing", () => {
    const pipe = new Pipe();
    expect(() => new PipeEnd(pipe, 3)).toThrow(/access mode/);
    expect([pipe.readers(), pipe.writers()]).toEqual([0, 0]);
  });

  it("treats use after the last decRef as a broken contract", () => {
    const [r, w] = pipe2();
    r.decRef();
    expect(() => r.read(new Uint8Array(1))).toThrow(/after its last decRef/);
    expect(() => r.decRef()).toThrow();
    w.decRef();
  });

  it("fails write on the read end and read on the write end with EBADF, even for zero bytes", () => {
    const [r, w] = pipe2();
    expectErrno(() => r.write(counting(1)), "EBADF");
    expectErrno(() => r.write(new Uint8Array(0)), "EBADF");
    expectErrno(() => r.tryWrite(counting(1)), "EBADF");
    expectErrno(() => w.read(new Uint8Array(1)), "EBADF");
    expectErrno(() => w.read(new Uint8Array(0)), "EBADF");
    expectErrno(() => w.tryRead(new Uint8Array(1)), "EBADF");
    r.decRef();
    w.decRef();
  });

  it("fails lseek (any whence, any offset), pread and pwrite with ESPIPE on both ends", () => {
    const [r, w] = pipe2();
    for (const end of [r, w]) {
      for (const whence of [SEEK_SET, SEEK_CUR, SEEK_END]) {
        for (const offset of [-5, 0, 5, 1 << 30]) expectErrno(() => end.seek(offset, whence), "ESPIPE");
      }
      // ESPIPE wins over EBADF: pread on the write end is ESPIPE (host-checked).
      expectErrno(() => end.pread(new Uint8Array(1), 0), "ESPIPE");
      expectErrno(() => end.pwrite(counting(1), 0), "ESPIPE");
    }
    r.decRef();
    w.decRef();
  });
});

describe("PipeEnd data", () => {
  it("reads back a 4-byte and a page-sized write intact", () => {
    const [r, w] = pipe2();
    expect(w.write(counting(4, 1))).toBe(4);
    const small = new Uint8Array(4);
    expect(r.read(small)).toBe(4);
    expect(small).toEqual(counting(4, 1));
    expect(w.write(counting(4096, 2))).toBe(4096);
    const page = new Uint8Array(4096);
    expect(r.read(page)).toBe(4096);
    expect(page).toEqual(counting(4096, 2));
    r.decRef();
    w.decRef();
  });

  it("reads EAGAIN from an empty pipe, before and after a write and read", () => {
    const [r, w] = pipe2();
    expectErrno(() => r.read(new Uint8Array(1)), "EAGAIN");
    expect(r.tryRead(new Uint8Array(1))).toBe(-1);
    w.write(counting(1));
    r.read(new Uint8Array(1));
    expectErrno(() => r.read(new Uint8Array(1)), "EAGAIN");
    r.decRef();
    w.decRef();
  });

  it("returns 0 for zero-byte reads and writes", () => {
    const [r, w] = pipe2();
    expect(r.read(new Uint8Array(0))).toBe(0);
    expect(w.write(new Uint8Array(0))).toBe(0);
    r.decRef();
    w.decRef();
  });

  it("lets the reader drain after the writer closes, then reads end of file", () => {
    const [r, w] = pipe2();
    w.write(counting(100));
    w.decRef();
    const dst = new Uint8Array(60);
    expect(r.read(dst)).toBe(60);
    expect(r.read(dst)).toBe(40);
    expect(dst.subarray(0, 40)).toEqual(counting(40, 60));
    expect(r.read(dst)).toBe(0);
    r.decRef();
  });

  it("answers FIONREAD with the queued bytes on both ends, and ENOTTY to anything else", () => {
    const [r, w] = pipe2();
    expect(r.ioctl(FIONREAD)).toBe(0);
    expect(w.ioctl(FIONREAD)).toBe(0);
    w.write(counting(1234));
    expect(r.ioctl(FIONREAD)).toBe(1234);
    expect(w.ioctl(FIONREAD)).toBe(1234);
    r.read(new Uint8Array(1000));
    expect(r.ioctl(FIONREAD)).toBe(234);
    expectErrno(() => r.ioctl(0x5413 /* TIOCGWINSZ */), "ENOTTY");
    expectErrno(() => w.ioctl(0), "ENOTTY");
    r.decRef();
    w.decRef();
  });

  it("sizes through the pipe: F_SETPIPE_SZ(0) rounds up, growing works, huge is EINVAL, below queued is EBUSY", () => {
    const [r, w] = pipe2();
    expect(w.pipe.setCapacity(0)).toBeGreaterThan(0);
    expect(r.pipe.capacity()).toBe(4096);
    expect(w.pipe.setCapacity(65536 * 2)).toBe(131072);
    expectErrno(() => w.pipe.setCapacity(2 ** 40), "EINVAL");
    w.write(filled(100_000, 1));
    expectErrno(() => r.pipe.setCapacity(65536), "EBUSY");
    r.decRef();
    w.decRef();
  });

  it("streams 4× the capacity in 1 KiB chunks", async () => {
    const [r, w] = pipe2();
    const total = 4 * w.pipe.capacity();
    const producer = blockingWrite(w, counting(total), () => expect.fail("SIGPIPE"));
    const received = new Uint8Array(total);
    let at = 0;
    while (at < total) {
      const n = r.tryRead(received.subarray(at, Math.min(at + 1024, total)));
      if (n < 0) await waitForReadiness(r, EPOLLIN | EPOLLHUP);
      else at += n;
    }
    expect(await producer).toBe(total);
    const expected = counting(total);
    expect(received.every((byte, i) => byte === expected[i])).toBe(true);
    r.decRef();
    w.decRef();
  });
});

describe("PipeEnd EPIPE and SIGPIPE", () => {
  it("fails a write after the reader closed with EPIPE and exactly one SIGPIPE per write", () => {
    const [r, w] = pipe2();
    r.decRef();
    let sigpipes = 0;
    expectErrno(() => w.write(counting(10), () => sigpipes++), "EPIPE");
    expect(sigpipes).toBe(1);
    expectErrno(() => w.write(counting(10), () => sigpipes++), "EPIPE");
    expect(sigpipes).toBe(2);
    w.decRef();
  });

  it("gives a blocked writer EPIPE when the reader closes", async () => {
    const [r, w] = pipe2();
    w.write(filled(65536, 1));
    let sigpipes = 0;
    const blocked = blockingWrite(w, counting(10), () => sigpipes++);
    await settle();
    expect(sigpipes).toBe(0);
    r.decRef();
    await expect(blocked).rejects.toSatisfy((e) => isSysError(e, "EPIPE"));
    expect(sigpipes).toBe(1);
    w.decRef();
  });

  it("returns the capacity from a blocked 2×capacity write when the reader closes, then EPIPE (two SIGPIPEs)", async () => {
    const [r, w] = pipe2();
    const capacity = w.pipe.capacity();
    let sigpipes = 0;
    const blocked = blockingWrite(w, counting(2 * capacity), () => sigpipes++);
    await settle();
    expect(w.pipe.queued()).toBe(capacity);
    r.decRef();
    expect(await blocked).toBe(capacity);
    expect(sigpipes).toBe(1);
    await expect(blockingWrite(w, counting(2 * capacity), () => sigpipes++)).rejects.toSatisfy((e) => isSysError(e, "EPIPE"));
    expect(sigpipes).toBe(2);
    w.decRef();
  });
});

describe("PipeEnd readiness", () => {
  it("reports the read side on a read end and the write side on a write end", () => {
    const [r, w] = pipe2(4096);
    expect(r.readiness(ALL_EVENTS)).toBe(0);
    expect(w.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS);
    w.write(counting(4096));
    expect(r.readiness(ALL_EVENTS)).toBe(READABLE_EVENTS);
    expect(w.readiness(ALL_EVENTS)).toBe(0);
    w.decRef();
    expect(r.readiness(ALL_EVENTS)).toBe(READABLE_EVENTS | EPOLLHUP);
    r.decRef();
  });

  it("reports EPOLLERR on the write end once the reader is gone", () => {
    const [r, w] = pipe2();
    r.decRef();
    expect(w.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS | EPOLLERR);
    w.decRef();
  });

  it("reports the union for an O_RDWR end (host: alone 0x4, after a write 0x5)", () => {
    const pipe = new Pipe();
    const rw = new PipeEnd(pipe, O_RDWR);
    expect(rw.readiness(EPOLLIN | EPOLLOUT)).toBe(EPOLLOUT);
    rw.write(counting(2));
    expect(rw.readiness(EPOLLIN | EPOLLOUT)).toBe(EPOLLIN | EPOLLOUT);
    expect(rw.readiness(ALL_EVENTS)).toBe(READABLE_EVENTS | WRITABLE_EVENTS);
    rw.decRef();
  });

  it("notifies a registered waiter at once with what is already ready, then on each change", () => {
    const [r, w] = pipe2();
    const events: number[] = [];
    const waiter: Waiter = { notify: (e) => void events.push(e) };
    w.eventRegister(waiter, EPOLLOUT | EPOLLERR);
    expect(events).toEqual([EPOLLOUT]);
    r.eventRegister(waiter, EPOLLIN | EPOLLHUP); // same waiter, new mask; nothing ready
    expect(events).toEqual([EPOLLOUT]);
    w.write(counting(1));
    expect(events).toEqual([EPOLLOUT, EPOLLIN]);
    w.decRef();
    expect(events).toEqual([EPOLLOUT, EPOLLIN, EPOLLIN | EPOLLHUP]);
    r.eventUnregister(waiter);
    r.read(new Uint8Array(1));
    expect(events).toHaveLength(3);
    r.decRef();
  });

  it("wakes waitForReadiness when data arrives and when the writer hangs up", async () => {
    const [r, w] = pipe2();
    const readable = waitForReadiness(r, EPOLLIN | EPOLLHUP);
    w.write(counting(1));
    expect(await readable).toBe(EPOLLIN);
    r.read(new Uint8Array(1));
    const hangup = waitForReadiness(r, EPOLLIN | EPOLLHUP);
    w.decRef();
    expect(await hangup).toBe(EPOLLHUP);
    expect(r.pipe.queue.isEmpty()).toBe(true);
    r.decRef();
  });
});
