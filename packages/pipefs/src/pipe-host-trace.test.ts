// Replays operation sequences recorded on the host Linux kernel (see
// testing-fixtures/host-pipe-traces.ts): every result, every FIONREAD value and every
// poll mask must match what Linux answered, and the bytes must come out in order.
import { EPOLLIN, EPOLLOUT, isSysError } from "@vfskit/abi";
import { describe, expect, it } from "vitest";
import { hostPipeTraces } from "./testing-fixtures/host-pipe-traces.js";
import { Pipe } from "./pipe.js";

describe("Pipe replays non-blocking operations recorded on Linux", () => {
  for (const trace of hostPipeTraces) {
    it(`seed ${trace.seed}: ${trace.ops.length} ops, capacity ${trace.capacity}`, () => {
      const pipe = new Pipe({ capacity: trace.capacity });
      pipe.rOpen();
      pipe.wOpen();
      expect(pipe.capacity()).toBe(trace.capacity);
      let written = 0; // stream position of the next byte written
      let read = 0; // stream position of the next byte read
      trace.ops.forEach(([kind, size, expected, fionread, readPoll, writePoll], index) => {
        const where = `op ${index}: ${kind}(${size})`;
        let result: number | string;
        try {
          if (kind === "w") {
            const src = new Uint8Array(size);
            for (let i = 0; i < size; i++) src[i] = (written + i) % 251;
            result = pipe.write(src);
            written += result;
          } else if (kind === "r") {
            const dst = new Uint8Array(size);
            result = pipe.read(dst);
            for (let i = 0; i < result; i++) {
              if (dst[i] !== (read + i) % 251) expect.fail(`${where}: byte ${read + i} out of order`);
            }
            read += result;
          } else {
            result = pipe.setCapacity(size);
          }
        } catch (error) {
          if (!isSysError(error)) throw error;
          result = error.code;
        }
        expect(result, where).toBe(expected);
        expect(pipe.queued(), `${where}: FIONREAD`).toBe(fionread);
        expect(pipe.readerReadiness(EPOLLIN | EPOLLOUT), `${where}: poll(read end)`).toBe(readPoll);
        expect(pipe.writerReadiness(EPOLLIN | EPOLLOUT), `${where}: poll(write end)`).toBe(writePoll);
      });
      pipe.rClose();
      pipe.wClose();
    });
  }
});
