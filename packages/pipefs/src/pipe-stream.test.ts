// An async producer and consumer moving 256 MiB through a pipe in 64 KiB chunks, waiting
// for readiness as the kernel's async read and write will: what comes out must hash the
// same as what went in.
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "@vfskit/abi";
import { waitForReadiness } from "@vfskit/vfs";
import { describe, expect, it } from "vitest";
import { ByteStream, WordHash } from "./testing-fixtures/helpers.js";
import { VFSPipe } from "./fifo.js";
import type { PipeEnd } from "./pipe-end.js";

const TOTAL = 256 * 1024 * 1024;
const CHUNK = 64 * 1024;

async function produce(end: PipeEnd, total: number, seed: number): Promise<{ hash: number; bytes: number; waits: number }> {
  const stream = new ByteStream(seed);
  const hash = new WordHash();
  const chunk = new Uint8Array(CHUNK);
  let offset = CHUNK; // bytes of `chunk` already written
  let sent = 0;
  let waits = 0;
  while (sent < total) {
    if (offset === CHUNK) {
      stream.fill(chunk);
      hash.update(chunk);
      offset = 0;
    }
    const n = end.tryWrite(offset === 0 ? chunk : chunk.subarray(offset));
    if (n < 0) {
      waits++;
      await waitForReadiness(end, EPOLLOUT | EPOLLERR);
      continue;
    }
    offset += n;
    sent += n;
  }
  end.decRef(); // the consumer then reads end of file
  return { hash: hash.digest(), bytes: sent, waits };
}

async function consume(end: PipeEnd): Promise<{ hash: number; bytes: number }> {
  const hash = new WordHash();
  const buf = new Uint8Array(CHUNK);
  for (;;) {
    const n = end.tryRead(buf);
    if (n === 0) break;
    if (n < 0) {
      await waitForReadiness(end, EPOLLIN | EPOLLHUP);
      continue;
    }
    hash.update(n === CHUNK ? buf : buf.subarray(0, n));
  }
  end.decRef();
  return { hash: hash.digest(), bytes: hash.length };
}

describe("Pipe under an async producer and consumer", () => {
  it("moves 256 MiB in 64 KiB chunks, bytes hashing equal", async () => {
    const [r, w] = new VFSPipe().readerWriterPair();
    const [sent, received] = await Promise.all([produce(w, TOTAL, 0x9e3779b9), consume(r)]);
    expect(sent.bytes).toBe(TOTAL);
    expect(received.bytes).toBe(TOTAL);
    expect(received.hash).toBe(sent.hash);
    expect(sent.waits).toBeGreaterThan(0); // the producer really did wait for room
  }, 30_000);

  it("moves odd-sized writes through a small pipe intact", async () => {
    const vp = new VFSPipe({ capacity: 4096 });
    const [r, w] = vp.readerWriterPair();
    const total = 3 * 1024 * 1024 + 12;
    const producer = (async () => {
      const stream = new ByteStream(7);
      const hash = new WordHash();
      const all = new Uint8Array(total + 4);
      stream.fill(all);
      const data = all.subarray(0, total);
      hash.update(data);
      let at = 0;
      let size = 1;
      while (at < total) {
        size = (size * 7 + 3) % 9001 || 1;
        const n = w.tryWrite(data.subarray(at, Math.min(total, at + size)));
        if (n < 0) await waitForReadiness(w, EPOLLOUT | EPOLLERR);
        else at += n;
      }
      w.decRef();
      return hash.digest();
    })();
    const consumer = consume(r);
    const [sentHash, received] = await Promise.all([producer, consumer]);
    expect(received.bytes).toBe(total);
    expect(received.hash).toBe(sentHash);
  });
});
