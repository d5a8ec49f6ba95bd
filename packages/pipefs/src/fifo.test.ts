// FIFO open rules. Every "host:" note was checked with python3 on Linux 6.18 (os.mkfifo,
// os.open with and without O_NONBLOCK from threads, select.poll).
import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_WRONLY,
  READABLE_EVENTS,
  WRITABLE_EVENTS,
} from "@vfskit/abi";
import { waitForReadiness, type AbortSignalLike, type Waiter } from "@vfskit/vfs";
import { describe, expect, it } from "vitest";
import { counting, expectErrno } from "./testing-fixtures/helpers.js";
import { PendingFifoOpen, VFSPipe } from "./fifo.js";
import { FIFO_PEER_EVENT } from "./pipe.js";
import type { PipeEnd } from "./pipe-end.js";

const ALL_EVENTS = READABLE_EVENTS | WRITABLE_EVENTS | EPOLLERR | EPOLLHUP;

function fifo(): VFSPipe {
  return new VFSPipe({ named: true });
}

function asEnd(result: PipeEnd | PendingFifoOpen): PipeEnd {
  if (result instanceof PendingFifoOpen) expect.fail("the open should not have waited");
  return result;
}

function asPending(result: PipeEnd | PendingFifoOpen): PendingFifoOpen {
  if (!(result instanceof PendingFifoOpen)) expect.fail("the open should have waited");
  return result;
}

/** A hand-made abort signal (core packages are compiled without DOM or Node types). */
function abortSignal(): { signal: AbortSignalLike; abort: (reason: unknown) => void } {
  const listeners = new Set<() => void>();
  const state = { aborted: false, reason: undefined as unknown };
  const signal: AbortSignalLike = {
    get aborted() {
      return state.aborted;
    },
    get reason() {
      return state.reason;
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  return {
    signal,
    abort: (reason) => {
      state.aborted = true;
      state.reason = reason;
      for (const listener of [...listeners]) listener();
    },
  };
}

describe("VFSPipe.open: errors", () => {
  it("fails an access mode with neither read nor write with EINVAL (host: open(fifo, 3))", () => {
    const vp = fifo();
    expectErrno(() => vp.open(3), "EINVAL");
    expectErrno(() => vp.open(3 | O_NONBLOCK), "EINVAL");
    expectErrno(() => new VFSPipe().open(3), "EINVAL");
    expect([vp.pipe.readers(), vp.pipe.writers()]).toEqual([0, 0]);
  });

  it("fails O_WRONLY | O_NONBLOCK without a reader with ENXIO, counting nothing", () => {
    const vp = fifo();
    expectErrno(() => vp.open(O_WRONLY | O_NONBLOCK), "ENXIO");
    expect([vp.pipe.writers(), vp.pipe.totalWriters(), vp.pipe.hadWriter()]).toEqual([0, 0, false]);
  });

  it("opens O_WRONLY | O_NONBLOCK when a reader is open", () => {
    const vp = fifo();
    const r = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    const w = asEnd(vp.open(O_WRONLY | O_NONBLOCK));
    w.write(counting(3));
    expect(r.read(new Uint8Array(3))).toBe(3);
    r.decRef();
    w.decRef();
  });
});

describe("VFSPipe.open: O_RDWR", () => {
  it("never waits, counts as reader and writer, and can write then read its own data", () => {
    const vp = fifo();
    for (const flags of [O_RDWR, O_RDWR | O_NONBLOCK]) {
      const rw = asEnd(vp.open(flags));
      expect([vp.pipe.readers(), vp.pipe.writers()]).toEqual([1, 1]);
      expect(rw.write(counting(2, 7))).toBe(2);
      const dst = new Uint8Array(10);
      expect(rw.read(dst)).toBe(2);
      expect(dst.subarray(0, 2)).toEqual(counting(2, 7));
      expect(rw.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS);
      rw.decRef();
    }
  });

  it("releases a waiting reader and a waiting writer", () => {
    const vp = fifo();
    const reader = asPending(vp.open(O_RDONLY));
    const rw = asEnd(vp.open(O_RDWR));
    expect(reader.isReady()).toBe(true);
    const r = reader.complete();
    r.decRef();
    rw.decRef();

    const writer = asPending(vp.open(O_WRONLY));
    const rw2 = asEnd(vp.open(O_RDWR));
    const w = writer.complete();
    w.decRef();
    rw2.decRef();
  });
});

describe("VFSPipe.open: O_RDONLY", () => {
  it("succeeds at once with O_NONBLOCK and no writer; reads then see end of file and no hang-up", () => {
    const vp = fifo();
    const r = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    expect(r.read(new Uint8Array(10))).toBe(0); // host: b''
    expect(r.readiness(ALL_EVENTS)).toBe(0); // host: poll 0
    r.decRef();
  });

  it("suppresses EPOLLHUP on a non-blocking reader until a writer comes and goes after it opened", () => {
    const vp = fifo();
    const r1 = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    const w1 = asEnd(vp.open(O_WRONLY | O_NONBLOCK));
    expect(r1.readiness(ALL_EVENTS)).toBe(0); // host: 0
    w1.decRef();
    expect(r1.readiness(ALL_EVENTS)).toBe(EPOLLHUP); // host: 0x10
    // A second non-blocking reader opened now, with the writer gone: no hang-up for it
    // (host: 0), though r1 still sees one (gVisor would report HUP to both).
    const r2 = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    expect(r2.readiness(ALL_EVENTS)).toBe(0);
    expect(r1.readiness(ALL_EVENTS)).toBe(EPOLLHUP);
    const w2 = asEnd(vp.open(O_WRONLY | O_NONBLOCK));
    w2.decRef();
    expect(r2.readiness(ALL_EVENTS)).toBe(EPOLLHUP); // host: 0x10
    r1.decRef();
    r2.decRef();
  });

  it("does not wait when a writer is open", () => {
    const vp = fifo();
    const rw = asEnd(vp.open(O_RDWR));
    const r = asEnd(vp.open(O_RDONLY));
    r.decRef();
    rw.decRef();
  });

  it("waits for a writer without O_NONBLOCK, already counting as a reader", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    expect(pending.isReady()).toBe(false);
    expect(pending.readiness(FIFO_PEER_EVENT)).toBe(0);
    expectErrno(() => pending.complete(), "EAGAIN");
    expect(vp.pipe.readers()).toBe(1);
    // host: a non-blocking writer opens while the blocking reader waits.
    const w = asEnd(vp.open(O_WRONLY | O_NONBLOCK));
    expect(pending.isReady()).toBe(true);
    expect(pending.readiness(FIFO_PEER_EVENT | EPOLLIN)).toBe(FIFO_PEER_EVENT);
    const r = pending.complete();
    w.write(counting(5));
    expect(r.read(new Uint8Array(5))).toBe(5);
    r.decRef();
    w.decRef();
  });

  it("completes when a writer opened since it began, even if that writer already closed", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    const w = asEnd(vp.open(O_WRONLY | O_NONBLOCK));
    w.decRef();
    expect(vp.pipe.writers()).toBe(0);
    expect(pending.isReady()).toBe(true);
    const r = pending.complete();
    // host (case B): the completed reader sees the hang-up at once, and end of file.
    expect(r.readiness(ALL_EVENTS)).toBe(EPOLLHUP);
    expect(r.read(new Uint8Array(1))).toBe(0);
    r.decRef();
  });

  it("never waits on an anonymous pipe (reopened through /proc/self/fd)", () => {
    const vp = new VFSPipe();
    const r = asEnd(vp.open(O_RDONLY));
    expect(r.readiness(ALL_EVENTS)).toBe(0);
    r.decRef();
  });
});

describe("VFSPipe.open: O_WRONLY", () => {
  it("waits for a reader without O_NONBLOCK, already counting as a writer", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_WRONLY));
    expect(vp.pipe.writers()).toBe(1);
    expectErrno(() => pending.complete(), "EAGAIN");
    // host (case C): a non-blocking reader opened now finds a writer: no HUP cookie.
    const r = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    const w = pending.complete();
    expect(w.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS);
    w.decRef();
    expect(r.readiness(ALL_EVENTS)).toBe(EPOLLHUP); // host: 0x10
    r.decRef();
  });

  it("completes when a reader opened since it began, even if that reader already closed", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_WRONLY));
    asEnd(vp.open(O_RDONLY | O_NONBLOCK)).decRef();
    const w = pending.complete();
    expect(w.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS | EPOLLERR);
    let sigpipes = 0;
    expectErrno(() => w.write(counting(1), () => sigpipes++), "EPIPE");
    expect(sigpipes).toBe(1);
    w.decRef();
  });

  it("does not wait when a reader is open, or on an anonymous pipe", () => {
    const vp = fifo();
    const r = asEnd(vp.open(O_RDONLY | O_NONBLOCK));
    asEnd(vp.open(O_WRONLY)).decRef();
    r.decRef();
    const anon = new VFSPipe();
    const w = asEnd(anon.open(O_WRONLY | O_NONBLOCK)); // no ENXIO for anonymous pipes
    expect(w.readiness(ALL_EVENTS)).toBe(WRITABLE_EVENTS | EPOLLERR);
    w.decRef();
  });

  it("releases a waiting reader when a blocking writer opens: the writer does not wait", () => {
    const vp = fifo();
    const reader = asPending(vp.open(O_RDONLY));
    const w = asEnd(vp.open(O_WRONLY));
    const r = reader.complete();
    r.decRef();
    w.decRef();
  });
});

describe("PendingFifoOpen", () => {
  it("is a ticket: complete or cancel once", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    pending.cancel();
    expect(() => pending.cancel()).toThrow(/after complete\(\) or cancel\(\)/);
    expect(() => pending.complete()).toThrow(/after complete\(\) or cancel\(\)/);
    expect(pending.isReady()).toBe(false);
    expect(pending.readiness(FIFO_PEER_EVENT)).toBe(0);
  });

  it("cancel closes the end: a cancelled writer uncounts itself and wakes readers with a hang-up", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_WRONLY));
    const events: number[] = [];
    const waiter: Waiter = { notify: (e) => void events.push(e) };
    vp.pipe.queue.register(waiter, ALL_EVENTS);
    pending.cancel();
    expect(vp.pipe.writers()).toBe(0);
    expect(events).toEqual([READABLE_EVENTS | EPOLLHUP]);
    vp.pipe.queue.unregister(waiter);
  });

  it("cancel of a waiting reader wakes writers with EPOLLERR", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    const events: number[] = [];
    vp.pipe.queue.register({ notify: (e) => void events.push(e) }, ALL_EVENTS);
    pending.cancel();
    expect(vp.pipe.readers()).toBe(0);
    expect(events).toEqual([WRITABLE_EVENTS | EPOLLERR]);
  });

  it("notifies a waiter registered when already ready at once", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    const w = asEnd(vp.open(O_WRONLY));
    const events: number[] = [];
    const waiter: Waiter = { notify: (e) => void events.push(e) };
    pending.eventRegister(waiter, FIFO_PEER_EVENT);
    expect(events).toEqual([FIFO_PEER_EVENT]);
    pending.eventUnregister(waiter);
    pending.complete().decRef();
    pending.eventUnregister(waiter); // after completion: harmless
    w.decRef();
  });

  it("unregisters waiters even after the ticket completed", () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_WRONLY));
    const waiter: Waiter = { notify: () => undefined };
    pending.eventRegister(waiter, FIFO_PEER_EVENT);
    const r = asEnd(vp.open(O_RDONLY));
    const w = pending.complete();
    expect(vp.pipe.queue.isEmpty()).toBe(false);
    pending.eventUnregister(waiter);
    expect(vp.pipe.queue.isEmpty()).toBe(true);
    expect(() => pending.eventRegister(waiter, FIFO_PEER_EVENT)).toThrow(/after complete/);
    r.decRef();
    w.decRef();
  });

  it("wakes waitForReadiness when the other side opens (the kernel's async open)", async () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_WRONLY));
    const opened = waitForReadiness(pending, FIFO_PEER_EVENT);
    const r = asEnd(vp.open(O_RDONLY));
    expect(await opened).toBe(FIFO_PEER_EVENT);
    const w = pending.complete();
    expect(vp.pipe.queue.isEmpty()).toBe(true);
    w.write(counting(3));
    expect(r.read(new Uint8Array(3))).toBe(3);
    r.decRef();
    w.decRef();
  });

  it("lets an interrupted async open cancel (EINTR is the kernel's)", async () => {
    const vp = fifo();
    const pending = asPending(vp.open(O_RDONLY));
    const { signal, abort } = abortSignal();
    const opened = waitForReadiness(pending, FIFO_PEER_EVENT, signal);
    abort(new Error("interrupted"));
    await expect(opened).rejects.toThrow("interrupted");
    pending.cancel();
    expect(vp.pipe.readers()).toBe(0);
    expect(vp.pipe.queue.isEmpty()).toBe(true);
  });
});

describe("VFSPipe.readerWriterPair", () => {
  it("makes a read-only and a write-only end on one pipe, never waiting", () => {
    const vp = new VFSPipe({ capacity: 4096 });
    const [r, w] = vp.readerWriterPair();
    expect([r.isReadable(), r.isWritable(), w.isReadable(), w.isWritable()]).toEqual([true, false, false, true]);
    expect(r.pipe).toBe(vp.pipe);
    expect(w.pipe).toBe(vp.pipe);
    expect(vp.pipe.capacity()).toBe(4096);
    expect(vp.named).toBe(false);
    expect(r.readiness(ALL_EVENTS)).toBe(0);
    expect(w.readiness(EPOLLOUT)).toBe(EPOLLOUT);
    w.decRef();
    expect(r.readiness(ALL_EVENTS)).toBe(EPOLLHUP);
    r.decRef();
  });

  it("works for a named pipe too (both sides exist at once)", () => {
    const [r, w] = fifo().readerWriterPair();
    w.write(counting(1));
    expect(r.read(new Uint8Array(1))).toBe(1);
    r.decRef();
    w.decRef();
  });
});
