import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLRDNORM,
  EPOLLWRNORM,
  PIPE_BUF,
  READABLE_EVENTS,
  WRITABLE_EVENTS,
} from "@vfskit/abi";
import type { Waiter } from "@vfskit/vfs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { counting, expectErrno, filled } from "./testing-fixtures/helpers.js";
import {
  DEFAULT_PIPE_SIZE,
  FIFO_PEER_EVENT,
  MAXIMUM_PIPE_SIZE,
  MINIMUM_PIPE_SIZE,
  Pipe,
} from "./pipe.js";

const ALL_EVENTS = READABLE_EVENTS | WRITABLE_EVENTS | EPOLLERR | EPOLLHUP;

/** A pipe with one reader and one writer counted. */
function openPipe(capacity?: number): Pipe {
  const pipe = new Pipe(capacity === undefined ? {} : { capacity });
  pipe.rOpen();
  pipe.wOpen();
  return pipe;
}

/** Records every notification of the pipe's queue for `mask`. */
function recordEvents(pipe: Pipe, mask = ALL_EVENTS | FIFO_PEER_EVENT): number[] {
  const events: number[] = [];
  const waiter: Waiter = { notify: (e) => void events.push(e) };
  pipe.queue.register(waiter, mask);
  return events;
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readAll(pipe: Pipe): Uint8Array {
  const dst = new Uint8Array(pipe.queued());
  const n = pipe.read(dst);
  return dst.subarray(0, n);
}

describe("Pipe sizes", () => {
  it("starts at 65536 bytes (16 pages) by default", () => {
    expect(new Pipe().capacity()).toBe(DEFAULT_PIPE_SIZE);
    expect(DEFAULT_PIPE_SIZE).toBe(65536);
    expect(MINIMUM_PIPE_SIZE).toBe(4096);
    expect(MAXIMUM_PIPE_SIZE).toBe(1048576);
  });

  it("rounds and clamps a constructor capacity without failing", () => {
    expect(new Pipe({ capacity: 0 }).capacity()).toBe(4096);
    expect(new Pipe({ capacity: 5000 }).capacity()).toBe(8192);
    expect(new Pipe({ capacity: 1 << 30 }).capacity()).toBe(MAXIMUM_PIPE_SIZE);
    expect(new Pipe({ capacity: Number.NaN }).capacity()).toBe(4096);
  });

  // Each row was checked on the host: fcntl(F_SETPIPE_SZ, n) then F_GETPIPE_SZ (Linux
  // 6.18, as root without CAP_SYS_RESOURCE and as nobody). gVisor keeps n exactly; Linux
  // rounds up to a power-of-two number of pages.
  it.each([
    [0, 4096],
    [1, 4096],
    [4095, 4096],
    [4096, 4096],
    [4097, 8192],
    [5000, 8192],
    [8192, 8192],
    [8193, 16384],
    [12288, 16384],
    [65535, 65536],
    [65536, 65536],
    [65537, 131072],
    [100000, 131072],
    [1048576, 1048576],
  ])("F_SETPIPE_SZ(%i) sets and returns %i, as Linux", (size, expected) => {
    const pipe = new Pipe();
    expect(pipe.setCapacity(size)).toBe(expected);
    expect(pipe.capacity()).toBe(expected);
  });

  it.each([1048577, 1052672, 2 ** 31 - 1, 2 ** 31])("F_SETPIPE_SZ(%i) is EPERM without CAP_SYS_RESOURCE", (size) => {
    const pipe = new Pipe();
    expectErrno(() => pipe.setCapacity(size), "EPERM");
    expect(pipe.capacity()).toBe(65536);
  });

  it.each([-1, -4096, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 40, 1.5, Number.NaN])("F_SETPIPE_SZ(%d) is EINVAL", (size) => {
    const pipe = new Pipe();
    expectErrno(() => pipe.setCapacity(size), "EINVAL");
  });

  it("checks EINVAL before EPERM, and EPERM before EBUSY", () => {
    const pipe = openPipe(4096);
    pipe.write(filled(4096, 1));
    expectErrno(() => pipe.setCapacity(-1), "EINVAL");
    expectErrno(() => pipe.setCapacity(2 * MAXIMUM_PIPE_SIZE), "EPERM");
    pipe.read(new Uint8Array(4096));
  });

  it("lets CAP_SYS_RESOURCE grow beyond 1 MiB, and anyone shrink from there", () => {
    const pipe = new Pipe();
    expect(pipe.setCapacity(2 * MAXIMUM_PIPE_SIZE + 1, { capSysResource: true })).toBe(4 * MAXIMUM_PIPE_SIZE);
    expect(pipe.setCapacity(2 * MAXIMUM_PIPE_SIZE)).toBe(2 * MAXIMUM_PIPE_SIZE); // shrinking: no check
    expectErrno(() => pipe.setCapacity(3 * MAXIMUM_PIPE_SIZE), "EPERM");
    expect(pipe.setCapacity(2 ** 31, { capSysResource: true })).toBe(2 ** 31);
    expectErrno(() => pipe.setCapacity(2 ** 31 + 1, { capSysResource: true }), "EINVAL");
  });

  it("refuses to shrink below the queued data with EBUSY (host: 5000 queued, 4096 → EBUSY, 8192 → ok)", () => {
    const pipe = openPipe();
    pipe.write(filled(5000, 7));
    expectErrno(() => pipe.setCapacity(4096), "EBUSY");
    expect(pipe.capacity()).toBe(65536);
    expect(pipe.setCapacity(8192)).toBe(8192);
    expect(readAll(pipe)).toEqual(filled(5000, 7));
  });

  it("counts pages, not bytes, for EBUSY (host: 4096 bytes spread over two pages → EBUSY)", () => {
    const pipe = openPipe();
    pipe.write(filled(4096, 1));
    pipe.write(filled(100, 2));
    pipe.read(new Uint8Array(100));
    expect(pipe.queued()).toBe(4096);
    expectErrno(() => pipe.setCapacity(4096), "EBUSY");
    // 100 bytes in one page shrink fine.
    const other = openPipe();
    other.write(filled(100, 3));
    expect(other.setCapacity(0)).toBe(4096);
  });

  it("keeps queued data, in order, across growing and shrinking", () => {
    const pipe = openPipe(4096);
    pipe.write(counting(3000));
    expect(pipe.setCapacity(1 << 20)).toBe(1 << 20);
    pipe.write(counting(100_000, 3000));
    expect(pipe.setCapacity(131072)).toBe(131072);
    expect(readAll(pipe)).toEqual(counting(103_000));
  });

  it("notifies writers when growing, not when shrinking", () => {
    const pipe = openPipe(4096);
    pipe.write(filled(4096, 1));
    const events = recordEvents(pipe);
    expect(pipe.writerReadiness(EPOLLOUT)).toBe(0);
    pipe.setCapacity(8192);
    expect(events).toEqual([WRITABLE_EVENTS]);
    expect(pipe.writerReadiness(EPOLLOUT)).toBe(EPOLLOUT);
    pipe.read(new Uint8Array(4096));
    events.length = 0;
    pipe.setCapacity(4096);
    expect(events).toEqual([]);
  });
});

describe("Pipe.read", () => {
  it("returns 0 at once for a zero-length read, even when empty with writers", () => {
    const pipe = openPipe();
    expect(pipe.read(new Uint8Array(0))).toBe(0);
    pipe.wClose();
    expect(pipe.read(new Uint8Array(0))).toBe(0);
    pipe.rClose();
  });

  it("throws EAGAIN when empty with a writer, before and after a write/read cycle", () => {
    const pipe = openPipe();
    expectErrno(() => pipe.read(new Uint8Array(10)), "EAGAIN");
    expect(pipe.tryRead(new Uint8Array(10))).toBe(-1);
    pipe.write(counting(4));
    expect(pipe.read(new Uint8Array(10))).toBe(4);
    expectErrno(() => pipe.read(new Uint8Array(10)), "EAGAIN");
  });

  it("returns 0 (end of file) when empty without writers, even if there never was one", () => {
    const pipe = new Pipe();
    pipe.rOpen();
    expect(pipe.read(new Uint8Array(10))).toBe(0);
    pipe.rClose();
  });

  it("drains what is left after the last writer closes, then reads end of file", () => {
    const pipe = openPipe();
    pipe.write(counting(10));
    pipe.wClose();
    const dst = new Uint8Array(4);
    expect(pipe.read(dst)).toBe(4);
    expect(dst).toEqual(counting(4));
    expect(pipe.read(new Uint8Array(100))).toBe(6);
    expect(pipe.read(new Uint8Array(100))).toBe(0);
    expect(pipe.read(new Uint8Array(100))).toBe(0);
    pipe.rClose();
  });

  it("returns short reads across the chunks of several writes, in order", () => {
    const pipe = openPipe();
    pipe.write(counting(3));
    pipe.write(counting(5000, 3));
    pipe.write(counting(10, 5003));
    const dst = new Uint8Array(6000);
    expect(pipe.read(dst.subarray(0, 2))).toBe(2);
    expect(pipe.read(dst.subarray(2))).toBe(5011);
    expect(dst.subarray(0, 5013)).toEqual(counting(5013));
  });

  it("copies written bytes: the writer may reuse its buffer at once", () => {
    const pipe = openPipe();
    const src = filled(100, 1);
    pipe.write(src);
    src.fill(2);
    pipe.write(src.subarray(0, 10));
    const out = readAll(pipe);
    expect(out.subarray(0, 100)).toEqual(filled(100, 1));
    expect(out.subarray(100)).toEqual(filled(10, 2));
  });

  it("reads a 4-byte and a page-sized write back intact", () => {
    const pipe = openPipe();
    pipe.write(counting(4, 9));
    expect(readAll(pipe)).toEqual(counting(4, 9));
    pipe.write(counting(4096, 1));
    expect(readAll(pipe)).toEqual(counting(4096, 1));
  });
});

describe("Pipe.write", () => {
  it("returns 0 for a zero-length write, even without readers (host-checked), with no SIGPIPE", () => {
    const pipe = new Pipe();
    pipe.wOpen();
    let signals = 0;
    expect(pipe.write(new Uint8Array(0), () => signals++)).toBe(0);
    expect(signals).toBe(0);
    pipe.wClose();
  });

  it("throws EPIPE without readers and calls onSigpipe exactly once per failed write", () => {
    const pipe = new Pipe();
    pipe.wOpen();
    let signals = 0;
    expectErrno(() => pipe.write(counting(1), () => signals++), "EPIPE");
    expect(signals).toBe(1);
    expectErrno(() => pipe.tryWrite(counting(100_000), () => signals++), "EPIPE");
    expect(signals).toBe(2);
    expectErrno(() => pipe.write(counting(1)), "EPIPE"); // no handler: still EPIPE
    pipe.wClose();
  });

  it("checks for readers before room: a full pipe without readers gives EPIPE", () => {
    const pipe = openPipe(4096);
    pipe.write(filled(4096, 1));
    pipe.rClose();
    expectErrno(() => pipe.write(counting(1)), "EPIPE");
    pipe.wClose();
  });

  it("throws EAGAIN when full", () => {
    const pipe = openPipe();
    expect(pipe.write(filled(65536, 1))).toBe(65536);
    expectErrno(() => pipe.write(counting(1)), "EAGAIN");
    expect(pipe.tryWrite(counting(1))).toBe(-1);
    expectErrno(() => pipe.write(counting(100_000)), "EAGAIN");
  });

  it("writes PIPE_BUF bytes or fewer all or nothing", () => {
    const pipe = openPipe(8192); // two pages
    expect(pipe.write(filled(3000, 1))).toBe(3000); // page 1: 3000 used, 1096 free
    expect(pipe.write(filled(2000, 2))).toBe(2000); // does not fit page 1: page 2
    // Page 2 has 2096 bytes of room and no page is free: 2097 bytes cannot go in whole,
    // so none go in, although 3192 bytes of room exist in all.
    expectErrno(() => pipe.write(filled(2097, 3)), "EAGAIN");
    expect(pipe.queued()).toBe(5000);
    expect(pipe.write(filled(2096, 3))).toBe(2096);
    expect(pipe.queued()).toBe(7096);
    expectErrno(() => pipe.write(filled(PIPE_BUF, 4)), "EAGAIN");
  });

  it("writes what fits of a larger request and returns the count (a short write)", () => {
    const pipe = openPipe();
    pipe.write(filled(1000, 1));
    // Host-checked: the request's last 100000 % 4096 = 1696 bytes' worth goes first into
    // the room of the page holding 1000 bytes, then 15 free pages take 61440 more.
    expect(pipe.write(counting(100_000))).toBe(1696 + 61440);
    expect(pipe.writerReadiness(EPOLLOUT)).toBe(0);
    const out = readAll(pipe);
    expect(out.subarray(0, 1000)).toEqual(filled(1000, 1));
    expect(out.subarray(1000)).toEqual(counting(63136));
  });

  it("takes a 2×capacity write's first capacity bytes", () => {
    const pipe = openPipe();
    expect(pipe.write(counting(2 * 65536))).toBe(65536);
    expect(readAll(pipe)).toEqual(counting(65536));
  });

  it("appends small writes to the last page, so 65536 one-byte writes fit", () => {
    const pipe = openPipe();
    const one = new Uint8Array(1);
    let accepted = 0;
    for (let i = 0; i < 65536; i++) {
      one[0] = i & 0xff;
      accepted += pipe.tryWrite(one);
    }
    expect(accepted).toBe(65536);
    expect(pipe.tryWrite(one)).toBe(-1);
    expect(readAll(pipe)).toEqual(counting(65536));
  });

  it("fills up early when pages are left partly empty, as Linux does", () => {
    // write(1) then write(4096), eight times: every write opens a page; 16 pages in use
    // hold only 32776 bytes, and the pipe is full.
    const pipe = openPipe();
    for (let i = 0; i < 8; i++) {
      expect(pipe.write(filled(1, i))).toBe(1);
      expect(pipe.write(filled(4096, i))).toBe(4096);
    }
    expect(pipe.queued()).toBe(32776);
    expect(pipe.writerReadiness(EPOLLOUT)).toBe(0);
    expectErrno(() => pipe.write(filled(4096, 9)), "EAGAIN");
    // Not even one byte: the newest page is full too.
    expectErrno(() => pipe.write(filled(1, 9)), "EAGAIN");
  });

  it("does not reuse the part of a page a reader consumed", () => {
    const pipe = openPipe(4096);
    pipe.write(filled(4000, 1));
    pipe.read(new Uint8Array(4000 - 10));
    // 10 bytes queued in the one page, whose room is 96 bytes: 96 fit, 97 do not.
    expectErrno(() => pipe.write(filled(97, 2)), "EAGAIN");
    expect(pipe.write(filled(96, 2))).toBe(96);
    expect(pipe.queued()).toBe(106);
  });
});

describe("Pipe counts", () => {
  it("tracks readers, writers, totals and whether a writer ever opened", () => {
    const pipe = new Pipe();
    expect([pipe.readers(), pipe.writers(), pipe.totalReaders(), pipe.totalWriters(), pipe.hadWriter()]).toEqual([0, 0, 0, 0, false]);
    pipe.rOpen();
    pipe.wOpen();
    pipe.wOpen();
    pipe.wClose();
    expect([pipe.readers(), pipe.writers(), pipe.totalReaders(), pipe.totalWriters(), pipe.hadWriter()]).toEqual([1, 1, 1, 2, true]);
    pipe.wClose();
    pipe.rClose();
    expect([pipe.readers(), pipe.writers(), pipe.hadWriter()]).toEqual([0, 0, true]);
  });

  it("treats closing a side that is not open as a broken contract, not a SysError", () => {
    const pipe = new Pipe();
    expect(() => pipe.rClose()).toThrow(/rClose/);
    expect(() => pipe.wClose()).toThrow(/wClose/);
  });

  it("clamps FIONREAD-style queued() to INT32_MAX", () => {
    // Queuing 2 GiB is impractical in a test; the clamp is Math.min(size, 2^31 - 1).
    const pipe = openPipe();
    pipe.write(counting(10));
    expect(pipe.queued()).toBe(10);
  });
});

describe("Pipe readiness", () => {
  it("read side: readable while data is queued; EPOLLHUP only once a writer has come and gone", () => {
    const pipe = new Pipe();
    pipe.rOpen();
    expect(pipe.readerReadiness(ALL_EVENTS)).toBe(0); // no writer yet: no hang-up
    pipe.wOpen();
    expect(pipe.readerReadiness(ALL_EVENTS)).toBe(0);
    pipe.write(counting(1));
    expect(pipe.readerReadiness(ALL_EVENTS)).toBe(EPOLLIN | EPOLLRDNORM);
    pipe.wClose();
    expect(pipe.readerReadiness(ALL_EVENTS)).toBe(EPOLLIN | EPOLLRDNORM | EPOLLHUP);
    pipe.read(new Uint8Array(1));
    expect(pipe.readerReadiness(ALL_EVENTS)).toBe(EPOLLHUP);
    expect(pipe.readerReadiness(EPOLLIN)).toBe(0); // masked
    pipe.rClose();
  });

  it("read side: no EPOLLHUP until a writer opened after writersSeen (Linux's f_pipe cookie)", () => {
    const pipe = new Pipe();
    pipe.rOpen();
    pipe.wOpen();
    pipe.wClose();
    const seen = pipe.totalWriters();
    expect(pipe.readerReadiness(EPOLLHUP)).toBe(EPOLLHUP);
    expect(pipe.readerReadiness(EPOLLHUP, seen)).toBe(0);
    pipe.wOpen();
    expect(pipe.readerReadiness(EPOLLHUP, seen)).toBe(0);
    pipe.wClose();
    expect(pipe.readerReadiness(EPOLLHUP, seen)).toBe(EPOLLHUP);
    pipe.rClose();
  });

  it("write side: writable while a page is free; EPOLLERR while no reader is open", () => {
    const pipe = new Pipe({ capacity: 4096 });
    pipe.wOpen();
    expect(pipe.writerReadiness(ALL_EVENTS)).toBe(EPOLLOUT | EPOLLWRNORM | EPOLLERR);
    pipe.rOpen();
    expect(pipe.writerReadiness(ALL_EVENTS)).toBe(EPOLLOUT | EPOLLWRNORM);
    pipe.write(filled(10, 1));
    expect(pipe.writerReadiness(ALL_EVENTS)).toBe(0); // the only page is taken
    pipe.read(new Uint8Array(10));
    expect(pipe.writerReadiness(ALL_EVENTS)).toBe(EPOLLOUT | EPOLLWRNORM);
    pipe.rClose();
    expect(pipe.writerReadiness(EPOLLERR)).toBe(EPOLLERR);
    pipe.wClose();
  });

  it("notifies readers after a write, writers after a read", () => {
    const pipe = openPipe();
    const events = recordEvents(pipe);
    pipe.write(counting(10));
    expect(events).toEqual([READABLE_EVENTS]);
    pipe.read(new Uint8Array(3));
    expect(events).toEqual([READABLE_EVENTS, WRITABLE_EVENTS]);
  });

  it("does not notify for reads and writes that moved nothing", () => {
    const pipe = openPipe(4096);
    pipe.write(filled(4096, 1));
    const events = recordEvents(pipe);
    expect(pipe.tryWrite(counting(1))).toBe(-1);
    expect(pipe.write(new Uint8Array(0))).toBe(0);
    expect(pipe.read(new Uint8Array(0))).toBe(0);
    expect(events).toEqual([]);
    pipe.read(new Uint8Array(4096));
    events.length = 0;
    expect(pipe.tryRead(new Uint8Array(1))).toBe(-1);
    expect(events).toEqual([]);
  });

  it("notifies readers with readable|EPOLLHUP when the last writer closes, and only then", () => {
    const pipe = openPipe();
    pipe.wOpen();
    const events = recordEvents(pipe, ALL_EVENTS);
    pipe.wClose();
    expect(events).toEqual([]);
    pipe.wClose();
    expect(events).toEqual([READABLE_EVENTS | EPOLLHUP]);
    pipe.rClose();
  });

  it("notifies writers with writable|EPOLLERR when the last reader closes, and only then", () => {
    const pipe = openPipe();
    pipe.rOpen();
    const events = recordEvents(pipe, ALL_EVENTS);
    pipe.rClose();
    expect(events).toEqual([]);
    pipe.rClose();
    expect(events).toEqual([WRITABLE_EVENTS | EPOLLERR]);
    pipe.wClose();
  });

  it("notifies FIFO_PEER_EVENT on every open, and nothing else does", () => {
    const pipe = new Pipe();
    const events = recordEvents(pipe, FIFO_PEER_EVENT);
    pipe.rOpen();
    pipe.wOpen();
    pipe.write(counting(1));
    pipe.read(new Uint8Array(1));
    pipe.wClose();
    pipe.rClose();
    expect(events).toEqual([FIFO_PEER_EVENT, FIFO_PEER_EVENT]);
  });

  it("only notifies waiters whose mask matches", () => {
    const pipe = openPipe();
    const readers = recordEvents(pipe, EPOLLIN);
    const writers = recordEvents(pipe, EPOLLOUT);
    pipe.write(counting(1));
    pipe.read(new Uint8Array(1));
    expect(readers).toEqual([EPOLLIN]);
    expect(writers).toEqual([EPOLLOUT]);
  });
});

describe("Pipe streaming", () => {
  it("moves 4× the capacity in 1 KiB chunks, in order", () => {
    const pipe = openPipe();
    const total = 4 * pipe.capacity();
    const chunk = new Uint8Array(1024);
    const dst = new Uint8Array(1024);
    let sent = 0;
    let received = 0;
    while (received < total) {
      while (sent < total) {
        for (let i = 0; i < 1024; i++) chunk[i] = (sent + i) % 253;
        const n = pipe.tryWrite(chunk);
        if (n < 0) break;
        expect(n).toBe(1024);
        sent += n;
      }
      const n = pipe.read(dst);
      for (let i = 0; i < n; i++) {
        if (dst[i] !== (received + i) % 253) expect.fail(`byte ${received + i} wrong`);
      }
      received += n;
    }
    expect(sent).toBe(total);
    expect(pipe.queued()).toBe(0);
  });

  it("keeps every write of at most PIPE_BUF bytes whole and in order under random interleavings", () => {
    // Several writers each write tagged records of 1..4096 bytes whenever the pipe takes
    // them (EAGAIN: retry later), a reader reads random amounts; reassembled, the stream
    // is each accepted record, contiguous and whole, in the order the writes returned.
    const op = fc.oneof(
      fc.record({ kind: fc.constant("write" as const), writer: fc.integer({ min: 0, max: 3 }), size: fc.integer({ min: 1, max: PIPE_BUF }) }),
      fc.record({ kind: fc.constant("read" as const), size: fc.integer({ min: 1, max: 20_000 }) }),
      fc.record({ kind: fc.constant("resize" as const), size: fc.constantFrom(4096, 8192, 16384, 65536) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.constantFrom(4096, 8192, 65536), (ops, capacity) => {
        const pipe = openPipe(capacity);
        const accepted: Uint8Array[] = [];
        const received: Uint8Array[] = [];
        let serial = 0;
        const take = (size: number): void => {
          const dst = new Uint8Array(size);
          const n = pipe.tryRead(dst);
          if (n > 0) received.push(dst.subarray(0, n));
        };
        for (const o of ops) {
          if (o.kind === "write") {
            // Every byte of a record carries its serial number and writer.
            const record = filled(o.size, (serial * 4 + o.writer) & 0xff);
            const n = pipe.tryWrite(record);
            if (n >= 0) {
              expect(n).toBe(o.size); // atomic: whole or nothing
              accepted.push(record);
              serial++;
            }
          } else if (o.kind === "read") {
            take(o.size);
          } else {
            try {
              pipe.setCapacity(o.size);
            } catch {
              // EBUSY: too much queued to shrink; fine.
            }
          }
        }
        while (pipe.queued() > 0) take(65536);
        expect(concat(received)).toEqual(concat(accepted));
      }),
      { numRuns: 200 },
    );
  });
});
