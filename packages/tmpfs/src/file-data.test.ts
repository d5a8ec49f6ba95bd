// FileData against a byte-array model: random writes, truncations, fallocate and hole
// punching keep the contents, the size, the page count and SEEK_DATA/SEEK_HOLE exact.
import { isSysError } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CHUNK_SIZE, FileData, type PageAccount } from "./file-data.js";

const PAGE = 4096;
const SPAN = 5 * CHUNK_SIZE; // offsets up to 320 KiB: several chunks, partial pages

class Model {
  bytes = new Uint8Array(SPAN * 2);
  size = 0;
  pages = new Set<number>();

  write(offset: number, data: Uint8Array): void {
    this.bytes.set(data, offset);
    for (let p = Math.floor(offset / PAGE); p <= Math.floor((offset + data.length - 1) / PAGE); p++) this.pages.add(p);
    this.size = Math.max(this.size, offset + data.length);
  }
  truncate(size: number): void {
    if (size < this.size) {
      this.bytes.fill(0, size);
      const keep = Math.ceil(size / PAGE);
      for (const p of [...this.pages]) if (p >= keep) this.pages.delete(p);
    }
    this.size = size;
  }
  allocate(start: number, end: number): void {
    for (let p = Math.floor(start / PAGE); p <= Math.floor((end - 1) / PAGE); p++) this.pages.add(p);
  }
  punch(start: number, end: number): void {
    this.bytes.fill(0, start, end);
    for (let p = Math.ceil(start / PAGE); (p + 1) * PAGE <= end; p++) this.pages.delete(p);
  }
  seekData(offset: number): number | "ENXIO" {
    if (offset >= this.size) return "ENXIO";
    for (let p = Math.floor(offset / PAGE); p * PAGE < this.size; p++) if (this.pages.has(p)) return Math.max(offset, p * PAGE);
    return "ENXIO";
  }
  seekHole(offset: number): number | "ENXIO" {
    if (offset >= this.size) return "ENXIO";
    for (let p = Math.floor(offset / PAGE); p * PAGE < this.size; p++) if (!this.pages.has(p)) return Math.max(offset, p * PAGE);
    return this.size;
  }
}

class Account implements PageAccount {
  used = 0;
  freePages(): number {
    return Infinity;
  }
  addPages(count: number): void {
    this.used += count;
  }
}

const offset = fc.integer({ min: 0, max: SPAN - 1 });
const length = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 2 * CHUNK_SIZE }));
const op = fc.oneof(
  fc.record({ kind: fc.constant("write" as const), offset, length, seed: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), offset }),
  fc.record({ kind: fc.constant("allocate" as const), offset, length }),
  fc.record({ kind: fc.constant("punch" as const), offset, length }),
);

/** The first index where `a` and `b` differ (over `a`'s length), or -1. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function errno(fn: () => number): number | string {
  try {
    return fn();
  } catch (error) {
    if (isSysError(error)) return error.code;
    throw error;
  }
}

describe("FileData", () => {
  test("matches a byte-array model under random operations", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), fc.array(offset, { minLength: 4, maxLength: 4 }), (ops, probes) => {
        const data = new FileData();
        const model = new Model();
        const account = new Account();
        for (const o of ops) {
          switch (o.kind) {
            case "write": {
              const buf = new Uint8Array(o.length).map((_, i) => (o.seed + i) & 0xff || 1);
              expect(data.write(buf, o.offset, account)).toBe(o.length);
              model.write(o.offset, buf);
              break;
            }
            case "truncate":
              data.truncate(o.offset, account);
              model.truncate(o.offset);
              break;
            case "allocate":
              data.allocate(o.offset, o.offset + o.length, account);
              model.allocate(o.offset, o.offset + o.length);
              break;
            case "punch":
              data.punchHole(o.offset, o.offset + o.length, account);
              model.punch(o.offset, o.offset + o.length);
              break;
          }
          expect(data.size).toBe(model.size);
          expect(data.pages).toBe(model.pages.size);
          expect(account.used).toBe(model.pages.size);
        }
        const out = new Uint8Array(model.size);
        expect(data.read(out, 0)).toBe(model.size);
        expect(firstDifference(out, model.bytes)).toBe(-1);
        for (const p of probes) {
          expect(errno(() => data.seekData(p))).toBe(model.seekData(p));
          expect(errno(() => data.seekHole(p))).toBe(model.seekHole(p));
        }
        data.release(account);
        expect(account.used).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  test("a limited budget cuts writes at a page boundary and refuses allocations whole", () => {
    const account = { used: 0, freePages: () => 3 - account.used, addPages: (n: number) => (account.used += n) };
    const data = new FileData();
    expect(data.write(new Uint8Array(20_000).fill(1), 100, account)).toBe(3 * PAGE - 100);
    expect(() => data.write(new Uint8Array(1), 3 * PAGE, account)).toThrow(expect.objectContaining({ code: "ENOSPC" }));
    // Rewriting allocated pages needs no budget.
    expect(data.write(new Uint8Array(PAGE), 0, account)).toBe(PAGE);
    data.truncate(PAGE, account);
    expect(account.used).toBe(1);
    expect(() => data.allocate(0, 4 * PAGE, account)).toThrow(expect.objectContaining({ code: "ENOSPC" }));
    expect(account.used).toBe(1);
    data.allocate(0, 3 * PAGE, account);
    expect(account.used).toBe(3);
  });

  test("a sparse write far away allocates only what it touches", () => {
    const account = new Account();
    const data = new FileData();
    data.write(new Uint8Array([7]), 2 ** 40, account);
    expect(data.size).toBe(2 ** 40 + 1);
    expect(data.pages).toBe(1);
    expect(data.seekData(0)).toBe(2 ** 40);
    const tail = new Uint8Array(4);
    expect(data.read(tail, 2 ** 40 - 3)).toBe(4);
    expect(Array.from(tail)).toEqual([0, 0, 0, 7]);
    data.truncate(10, account);
    expect(data.pages).toBe(0);
    expect(account.used).toBe(0);
  });
});
