import { isSysError } from "@vfskit/abi";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { FDTable } from "./fd-table.js";
import { boot, expectErrno } from "./testing-fixtures/harness.js";
import type { Context, FileDescription } from "@vfskit/vfs";

const NO = { closeOnExec: false };
const YES = { closeOnExec: true };

/** Runs `body` with a table and a supply of real descriptions (pipe ends). */
function withTable(body: (table: FDTable, newFile: () => FileDescription, ctx: Context) => void): void {
  const k = boot();
  const table = new FDTable();
  const newFile = (): FileDescription => {
    const [r, w] = k.init.pipe2();
    const file = k.init.fdTable.get(r) as FileDescription;
    file.incRef();
    k.init.close(r);
    k.init.close(w);
    return file;
  };
  try {
    body(table, newFile, k.ctx);
  } finally {
    table.decRef(k.ctx);
    k.shutdown();
  }
}

describe("FDTable", () => {
  test("allocates the lowest free number and reuses closed ones", () => {
    withTable((table, newFile, ctx) => {
      expect(table.newFD(newFile(), NO, 0, 1024)).toBe(0);
      expect(table.newFD(newFile(), NO, 0, 1024)).toBe(1);
      expect(table.newFD(newFile(), NO, 0, 1024)).toBe(2);
      table.remove(1)?.decRef(ctx);
      expect(table.newFD(newFile(), NO, 0, 1024)).toBe(1);
      expect(table.newFD(newFile(), NO, 10, 1024)).toBe(10);
      expect(table.newFD(newFile(), NO, 0, 1024)).toBe(3);
      expect([...table.entries()].map((e) => e.fd)).toEqual([0, 1, 2, 3, 10]);
      expect(table.size).toBe(5);
    });
  });

  test("EMFILE when no number is free below the limit", () => {
    withTable((table, newFile, ctx) => {
      expect(table.newFD(newFile(), NO, 0, 2)).toBe(0);
      expect(table.newFD(newFile(), NO, 0, 2)).toBe(1);
      const file = newFile();
      expectErrno(() => table.newFD(file, NO, 0, 2), "EMFILE");
      expectErrno(() => table.reserve(5, 5), "EMFILE");
      file.decRef(ctx);
    });
  });

  test("reserved numbers are invisible until installed, and can be given back", () => {
    withTable((table, newFile) => {
      const fd = table.reserve(0, 10);
      expect(fd).toBe(0);
      expect(table.get(0)).toBeUndefined();
      expectErrno(() => table.getFlags(0), "EBADF");
      // dup2 onto a number being opened is EBUSY, as in Linux.
      const file = newFile();
      expectErrno(() => table.replace(0, file, NO, 10), "EBUSY");
      expect(table.reserve(0, 10)).toBe(1);
      table.unreserve(0);
      table.unreserve(1);
      expect(table.size).toBe(0);
      table.install(table.reserve(0, 10), file, YES);
      expect(table.getFlags(0)).toEqual(YES);
    });
  });

  test("replace puts a description at an exact number and returns the old one", () => {
    withTable((table, newFile, ctx) => {
      const a = newFile();
      const b = newFile();
      expect(table.replace(7, a, YES, 100)).toBeUndefined();
      expect(table.get(7)).toBe(a);
      expect(table.getFlags(7)).toEqual(YES);
      const old = table.replace(7, b, NO, 100);
      expect(old).toBe(a);
      a.decRef(ctx);
      expect(table.getFlags(7)).toEqual(NO);
      const c = newFile();
      expectErrno(() => table.replace(100, c, NO, 100), "EBADF");
      expectErrno(() => table.replace(-1, c, NO, 100), "EBADF");
      c.decRef(ctx);
    });
  });

  test("close-on-exec is per number; removeCloseOnExec takes exactly those", () => {
    withTable((table, newFile, ctx) => {
      const file = newFile();
      file.incRef();
      table.newFD(file, YES, 0, 10);
      table.newFD(file, NO, 0, 10);
      expect(table.getFlags(0)).toEqual(YES);
      expect(table.getFlags(1)).toEqual(NO);
      const removed = table.removeCloseOnExec();
      expect(removed).toEqual([file]);
      removed[0]?.decRef(ctx);
      expect([...table.entries()].map((e) => e.fd)).toEqual([1]);
    });
  });

  test("fork shares descriptions with new references", () => {
    withTable((table, newFile, ctx) => {
      const file = newFile();
      table.newFD(file, YES, 3, 10);
      const before = file.refCount;
      const copy = table.fork();
      expect(file.refCount).toBe(before + 1);
      expect(copy.get(3)).toBe(file);
      expect(copy.getFlags(3)).toEqual(YES);
      copy.decRef(ctx);
      expect(file.refCount).toBe(before);
    });
  });

  test("allocation stays fast with 100,000 descriptors (and finds holes)", () => {
    withTable((table, newFile, ctx) => {
      const file = newFile();
      const n = 100_000;
      for (let i = 0; i < n; i++) {
        file.incRef();
        expect(table.newFD(file, NO, 0, 1 << 20)).toBe(i);
      }
      // Holes deep inside are found first.
      table.remove(77_777)?.decRef(ctx);
      table.remove(12)?.decRef(ctx);
      file.incRef();
      expect(table.newFD(file, NO, 0, 1 << 20)).toBe(12);
      file.incRef();
      expect(table.newFD(file, NO, 0, 1 << 20)).toBe(77_777);
      file.incRef();
      expect(table.newFD(file, NO, 0, 1 << 20)).toBe(n);
      // A minimum above everything skips the full words quickly.
      file.incRef();
      expect(table.newFD(file, NO, 50_000, 1 << 20)).toBe(n + 1);
      file.decRef(ctx);
    });
  });

  test("matches a simple model under random operations", () => {
    withTable((table, newFile, ctx) => {
      const file = newFile();
      type Op = { kind: "new"; min: number } | { kind: "remove"; fd: number } | { kind: "replace"; fd: number };
      const op = fc.oneof(
        fc.record({ kind: fc.constant("new" as const), min: fc.nat(200) }),
        fc.record({ kind: fc.constant("remove" as const), fd: fc.nat(220) }),
        fc.record({ kind: fc.constant("replace" as const), fd: fc.nat(220) }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 300 }), (ops: Op[]) => {
          const model = new Set<number>();
          const limit = 200;
          for (const o of ops) {
            if (o.kind === "new") {
              let expected = o.min;
              while (model.has(expected)) expected++;
              file.incRef();
              try {
                const fd = table.newFD(file, NO, o.min, limit);
                expect(fd).toBe(expected);
                model.add(fd);
              } catch (error) {
                file.decRef(ctx);
                expect(isSysError(error, "EMFILE")).toBe(true);
                expect(expected >= limit).toBe(true);
              }
            } else if (o.kind === "remove") {
              const removed = table.remove(o.fd);
              expect(removed !== undefined).toBe(model.has(o.fd));
              removed?.decRef(ctx);
              model.delete(o.fd);
            } else {
              file.incRef();
              try {
                table.replace(o.fd, file, NO, limit)?.decRef(ctx);
                model.add(o.fd);
              } catch (error) {
                file.decRef(ctx);
                expect(isSysError(error, "EBADF")).toBe(true);
              }
            }
            expect(table.size).toBe(model.size);
          }
          expect([...table.entries()].map((e) => e.fd)).toEqual([...model].sort((a, b) => a - b));
          for (const fd of model) table.remove(fd)?.decRef(ctx);
        }),
        { numRuns: 60 },
      );
      file.decRef(ctx);
    });
  });
});

