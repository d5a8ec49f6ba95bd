// The README's example, run as a test so that it stays true.
import { EPOLLHUP, EPOLLIN, O_NONBLOCK, O_RDONLY, O_WRONLY, isSysError } from "@vfskit/abi";
import { waitForReadiness } from "@vfskit/vfs";
import { expect, it } from "vitest";
import { PendingFifoOpen, VFSPipe } from "./index.js";

// Core packages are compiled without DOM or Node types; the README's readers have them.
const { TextEncoder, TextDecoder } = globalThis as unknown as {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
};

it("runs the README example", async () => {
  const [reader, writer] = new VFSPipe().readerWriterPair();
  writer.write(new TextEncoder().encode("hello"));

  const buf = new Uint8Array(64);
  const n = reader.read(buf);
  expect(n).toBe(5);
  expect(new TextDecoder().decode(buf.subarray(0, n))).toBe("hello");

  let wouldBlock = false;
  try {
    reader.read(buf);
  } catch (e) {
    if (isSysError(e, "EAGAIN")) wouldBlock = true;
  }
  expect(wouldBlock).toBe(true);
  expect(reader.readiness(EPOLLIN)).toBe(0);

  const ready = waitForReadiness(reader, EPOLLIN | EPOLLHUP);
  writer.decRef();
  expect((await ready) & EPOLLHUP).toBe(16);
  expect(reader.read(buf)).toBe(0);
  reader.decRef();

  const fifo = new VFSPipe({ named: true });
  const pending = fifo.open(O_RDONLY);
  expect(pending instanceof PendingFifoOpen).toBe(true);
  const w = fifo.open(O_WRONLY | O_NONBLOCK);
  const r = (pending as PendingFifoOpen).complete();
  r.decRef();
  if (!(w instanceof PendingFifoOpen)) w.decRef();
});
