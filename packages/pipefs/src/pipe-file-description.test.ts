import { EPOLLHUP, EPOLLIN, EPOLLOUT, FIONREAD, READABLE_EVENTS } from "@vfskit/abi";
import type { Context, Waiter } from "@vfskit/vfs";
import { describe, expect, it } from "vitest";
import { counting, expectErrno } from "./testing-fixtures/helpers.js";
import { VFSPipe } from "./fifo.js";
import { PIPE_FILE_DESCRIPTION_OPTIONS, PipeFileDescriptionImpl } from "./pipe-file-description.js";

/** The pipe impl never looks at the context. */
const ctx = { credentials: undefined, value: () => undefined } as unknown as Context;
const PLAIN = { flags: 0 };

function pair(): [PipeFileDescriptionImpl, PipeFileDescriptionImpl] {
  const [r, w] = new VFSPipe().readerWriterPair();
  return [new PipeFileDescriptionImpl(r), new PipeFileDescriptionImpl(w)];
}

describe("PipeFileDescriptionImpl", () => {
  it("asks the FileDescription for ESPIPE on pread/pwrite, dentry metadata and special-file opens", () => {
    expect(PIPE_FILE_DESCRIPTION_OPTIONS).toEqual({ denyPRead: true, denyPWrite: true, useDentryMetadata: true, specialFile: true });
  });

  it("reads and writes through its end, and release closes the end", () => {
    const [r, w] = pair();
    expect(w.write(ctx, counting(5), PLAIN)).toBe(5);
    const dst = new Uint8Array(8);
    expect(r.read(ctx, dst, PLAIN)).toBe(5);
    expectErrno(() => r.read(ctx, dst, PLAIN), "EAGAIN");
    w.release(ctx);
    expect(r.read(ctx, dst, PLAIN)).toBe(0);
    expect(r.pipe.writers()).toBe(0);
    r.release(ctx);
    expect(r.pipe.readers()).toBe(0);
  });

  it("fails a write without readers with EPIPE", () => {
    const [r, w] = pair();
    r.release(ctx);
    expectErrno(() => w.write(ctx, counting(1), PLAIN), "EPIPE");
    w.release(ctx);
  });

  it("answers ESPIPE for pread, pwrite, lseek and fallocate", () => {
    const [r, w] = pair();
    expectErrno(() => r.pread(ctx, new Uint8Array(1), 0, PLAIN), "ESPIPE");
    expectErrno(() => w.pwrite(ctx, counting(1), 0, PLAIN), "ESPIPE");
    expectErrno(() => r.seek(ctx, 0, 0), "ESPIPE");
    expectErrno(() => w.allocate(ctx, 0, 0, 10), "ESPIPE");
    r.release(ctx);
    w.release(ctx);
  });

  it("stores FIONREAD's count in an Int32Array argument; EFAULT without one; ENOTTY/EOPNOTSUPP otherwise", () => {
    const [r, w] = pair();
    w.write(ctx, counting(42), PLAIN);
    const out = new Int32Array(1);
    expect(r.ioctl(ctx, FIONREAD, out)).toBe(0);
    expect(out[0]).toBe(42);
    expect(w.ioctl(ctx, FIONREAD, out)).toBe(0);
    expect(out[0]).toBe(42);
    expectErrno(() => r.ioctl(ctx, FIONREAD, undefined), "EFAULT");
    expectErrno(() => r.ioctl(ctx, FIONREAD, new Int32Array(0)), "EFAULT");
    expectErrno(() => r.ioctl(ctx, 0x5413, out), "ENOTTY");
    expectErrno(() => r.ioctl(ctx, 0x40049409 /* FICLONE */, 3), "EOPNOTSUPP");
    r.release(ctx);
    w.release(ctx);
  });

  it("is epollable and forwards readiness and waiters to its end", () => {
    const [r, w] = pair();
    expect(r.epollable()).toBe(true);
    expect(w.readiness(EPOLLOUT | EPOLLIN)).toBe(EPOLLOUT);
    const events: number[] = [];
    const waiter: Waiter = { notify: (e) => void events.push(e) };
    r.eventRegister(waiter, EPOLLIN | EPOLLHUP);
    w.write(ctx, counting(1), PLAIN);
    expect(r.readiness(READABLE_EVENTS)).toBe(READABLE_EVENTS);
    r.eventUnregister(waiter);
    w.write(ctx, counting(1), PLAIN);
    expect(events).toEqual([EPOLLIN]);
    r.release(ctx);
    w.release(ctx);
  });
});
