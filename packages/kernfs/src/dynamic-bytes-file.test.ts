// DynamicBytesFile and its descriptions: regeneration, writes, polling, immutability.
import { EPOLLERR, EPOLLIN, EPOLLPRI, O_RDONLY, O_RDWR, O_WRONLY, S_IFMT, S_IFREG, SEEK_END, SEEK_SET, STATX_ALL } from "@vfskit/abi";
import {
  DynamicBytesPoller,
  type ByteSink,
  type Context,
  type FileDescription,
  type PollableDynamicBytesSource,
  type WritableDynamicBytesSource,
} from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { DynamicBytesFile, PollableDynamicBytesFD } from "./dynamic-bytes-file.js";
import { StaticDirectory } from "./inode-impl-util.js";
import { createTestSystem, type TestSystem } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

class Counter implements WritableDynamicBytesSource {
  count = 0;
  written: string[] = [];
  generate(_ctx: Context, buf: ByteSink): void {
    buf.write(`${++this.count}`);
  }
  write(_ctx: Context, _fd: FileDescription, src: Uint8Array, _offset: number): number {
    this.written.push(decoder.decode(src));
    this.count = Number(decoder.decode(src)) - 1;
    return src.length;
  }
}

class ReadOnlyCounter {
  count = 0;
  generate(_ctx: Context, buf: ByteSink): void {
    buf.write(`${++this.count}`);
  }
}

class Mounts implements PollableDynamicBytesSource {
  readonly poller = new DynamicBytesPoller();
  generate(_ctx: Context, buf: ByteSink): void {
    buf.write("none / kernfs rw 0 0\n");
  }
  getDynamicBytesPoller(): DynamicBytesPoller {
    return this.poller;
  }
}

function system(files: Record<string, { data: ReadOnlyCounter | Counter | Mounts; perm: number }>): TestSystem {
  return createTestSystem((ctx, fs) =>
    new StaticDirectory(ctx, {
      ino: fs.nextIno(),
      perm: 0o555,
      children: Object.entries(files).map(([name, f]) => [name, new DynamicBytesFile(ctx, { ino: fs.nextIno(), perm: f.perm, data: f.data })] as const),
    }),
  );
}

function read(sys: TestSystem, fd: FileDescription): string {
  const buf = new Uint8Array(64);
  const n = fd.read(sys.ctx, buf);
  return decoder.decode(buf.subarray(0, n));
}

describe("DynamicBytesFile", () => {
  test("content is generated on first read, EOF after, regenerated on seek to 0 and on pread(0)", () => {
    const counter = new ReadOnlyCounter();
    const sys = system({ counter: { data: counter, perm: 0o444 } });
    const fd = sys.open("/counter");
    expect(read(sys, fd)).toBe("1");
    expect(read(sys, fd)).toBe("");
    fd.seek(sys.ctx, 0, SEEK_SET);
    expect(read(sys, fd)).toBe("2");
    const buf = new Uint8Array(8);
    expect(decoder.decode(buf.subarray(0, fd.pread(sys.ctx, buf, 0)))).toBe("3");
    expectErrno(() => fd.seek(sys.ctx, 0, SEEK_END), "EINVAL");
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("a write to a non-writable source is EIO; a writable source receives it", () => {
    const ro = new ReadOnlyCounter();
    const rw = new Counter();
    const sys = system({ ro: { data: ro, perm: 0o644 }, rw: { data: rw, perm: 0o644 } });
    const fd = sys.open("/ro", O_WRONLY);
    expectErrno(() => fd.write(sys.ctx, encoder.encode("9")), "EIO");
    fd.decRef(sys.ctx);
    const wfd = sys.open("/rw", O_RDWR);
    wfd.write(sys.ctx, encoder.encode("42"));
    expect(rw.written).toEqual(["42"]);
    wfd.seek(sys.ctx, 0, SEEK_SET);
    expect(read(sys, wfd)).toBe("42");
    wfd.decRef(sys.ctx);
    sys.release();
  });

  test("EACCES for a user opening a 0444 file for writing", () => {
    const sys = system({ ro: { data: new ReadOnlyCounter(), perm: 0o444 } });
    const user = sys.as(sys.user(1000, 1000));
    expectErrno(() => sys.vfs.openAt(user, sys.pathOp("/ro"), { flags: O_WRONLY, mode: 0 }), "EACCES");
    sys.release();
  });

  test("stat: a regular file of size 0; setStat is EPERM by path and by description", () => {
    const sys = system({ f: { data: new ReadOnlyCounter(), perm: 0o444 } });
    const st = sys.vfs.statAt(sys.ctx, sys.pathOp("/f"), { mask: STATX_ALL, sync: 0 });
    expect(st.mode).toBe(S_IFREG | 0o444);
    expect(st.size).toBe(0);
    expect(st.nlink).toBe(1);
    expectErrno(() => sys.vfs.setStatAt(sys.ctx, sys.pathOp("/f"), { stat: { mask: 0x2, mode: 0o600 } }), "EPERM");
    const fd = sys.open("/f", O_RDONLY);
    expect(fd.stat(sys.ctx, { mask: STATX_ALL, sync: 0 }).mode & S_IFMT).toBe(S_IFREG);
    expectErrno(() => fd.setStat(sys.ctx, { stat: { mask: 0x2, mode: 0o600 } }), "EPERM");
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("a pollable source gives a PollableDynamicBytesFD: PRI|ERR once after each change", () => {
    const mounts = new Mounts();
    const sys = system({ mounts: { data: mounts, perm: 0o444 } });
    const fd = sys.open("/mounts");
    expect(fd.impl).toBeInstanceOf(PollableDynamicBytesFD);
    expect(fd.epollable()).toBe(true);
    const all = EPOLLIN | EPOLLPRI | EPOLLERR;
    expect(fd.readiness(all)).toBe(EPOLLIN);
    mounts.poller.notify();
    expect(fd.readiness(all) & all).toBe(all);
    expect(fd.readiness(all)).toBe(EPOLLIN);
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("a data-source provider chooses the source at each open", () => {
    const sys = createTestSystem((ctx, fs) => {
      const file = new DynamicBytesFile(ctx, { ino: fs.nextIno(), perm: 0o444, data: new ReadOnlyCounter() });
      let n = 100;
      file.setDataSourceProvider({ dataSource: () => ({ generate: (_c, buf) => void buf.write(`open ${++n}`) }) });
      return new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children: [["f", file]] });
    });
    expect(sys.readFile("/f")).toBe("open 101");
    expect(sys.readFile("/f")).toBe("open 102");
    sys.release();
  });
});
