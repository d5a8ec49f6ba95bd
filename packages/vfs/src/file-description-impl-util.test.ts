import {
  EPOLLERR,
  EPOLLHUP,
  EPOLLIN,
  EPOLLOUT,
  EPOLLPRI,
  EPOLLRDNORM,
  EPOLLWRNORM,
  O_RDONLY,
  O_RDWR,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  SysError,
  type Statx,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { InternalError } from "./assert.js";
import { ByteSink } from "./byte-sink.js";
import type { Context } from "./context.js";
import { FileDescription } from "./file-description.js";
import {
  DYNAMIC_BYTES_POLL_EVENTS,
  DentryMetadataFileDescriptionImpl,
  DirectoryFileDescriptionDefaultImpl,
  DynamicBytesFileDescriptionImpl,
  DynamicBytesPoller,
  FileDescriptionDefaultImpl,
  StaticData,
  isWritableDynamicBytesSource,
  type DynamicBytesSource,
  type WritableDynamicBytesSource,
} from "./file-description-impl-util.js";
import { FileSizeLimitKey } from "./permissions.js";
import { withValue } from "./context.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { fakeLocation, makeStatx } from "./testing-fixtures/fake-location.js";
import { testContext } from "./testing-fixtures/credentials.js";
import type { Waiter } from "./waiter.js";

const ctx = testContext();
const noRead = { flags: 0 };
const noWrite = { flags: 0 };

class PlainFD extends FileDescriptionDefaultImpl {
  release(_ctx: Context): void {}
  stat(_ctx: Context): Statx {
    return makeStatx();
  }
  setStat(): void {}
}

class DirFD extends DirectoryFileDescriptionDefaultImpl {
  release(_ctx: Context): void {}
  stat(_ctx: Context): Statx {
    return makeStatx({ mode: 0o40755 });
  }
  setStat(): void {}
}

class MetadataFD extends DentryMetadataFileDescriptionImpl {
  release(_ctx: Context): void {}
}

class DynamicFD extends DynamicBytesFileDescriptionImpl {
  release(_ctx: Context): void {}
  stat(_ctx: Context): Statx {
    return makeStatx();
  }
  setStat(): void {}
}

/** A source that prints how many times it was asked: 1, 2, 3… (gVisor's test source). */
class CounterSource implements DynamicBytesSource {
  count = 0;
  generate(_ctx: Context, buf: ByteSink): void {
    this.count++;
    buf.write(String(this.count));
  }
}

/** A writable source that stores what is written and prints it back. */
class StoreSource implements WritableDynamicBytesSource {
  data = "initial";
  writes: { fd: FileDescription; bytes: number[]; offset: number }[] = [];
  generate(_ctx: Context, buf: ByteSink): void {
    buf.write(this.data);
  }
  write(_ctx: Context, fd: FileDescription, src: Uint8Array, offset: number): number {
    this.writes.push({ fd, bytes: [...src], offset });
    this.data = new ByteSink().writeBytes(src).toString();
    return src.length;
  }
}

/** Opens a FileDescription over `impl` on a fake location; returns it with a cleanup. */
function open(impl: FileDescriptionDefaultImpl, flags = O_RDONLY): { fd: FileDescription; close: () => void } {
  const loc = fakeLocation();
  const fd = new FileDescription();
  fd.init(ctx, impl, flags, loc.vd);
  loc.release(ctx); // the description holds its own references now
  return { fd, close: () => fd.decRef(ctx) };
}

function readString(fd: FileDescription, size = 64): string {
  const buf = new Uint8Array(size);
  const n = fd.read(ctx, buf);
  return new ByteSink().writeBytes(buf.subarray(0, n)).toString();
}

function preadString(fd: FileDescription, offset: number, size = 64): string {
  const buf = new Uint8Array(size);
  const n = fd.pread(ctx, buf, offset);
  return new ByteSink().writeBytes(buf.subarray(0, n)).toString();
}

describe("FileDescriptionDefaultImpl", () => {
  const impl = new PlainFD();

  test.each([
    ["read", () => impl.read(ctx, new Uint8Array(1), noRead), "EINVAL"],
    ["pread", () => impl.pread(ctx, new Uint8Array(1), 0, noRead), "EINVAL"],
    ["write", () => impl.write(ctx, new Uint8Array(1), noWrite), "EINVAL"],
    ["pwrite", () => impl.pwrite(ctx, new Uint8Array(1), 0, noWrite), "EINVAL"],
    ["iterDirents", () => impl.iterDirents(ctx, () => true), "ENOTDIR"],
    ["seek", () => impl.seek(ctx, 0, SEEK_SET), "ESPIPE"],
    ["sync", () => impl.sync(ctx), "EINVAL"],
    ["statFS", () => impl.statFS(ctx), "ENOSYS"],
    ["allocate", () => impl.allocate(ctx, 0, 0, 1), "ENODEV"],
    ["ioctl (unknown request)", () => impl.ioctl(ctx, 0x5401, 0), "ENOTTY"],
    ["ioctl FICLONE", () => impl.ioctl(ctx, 0x40049409, 0), "EOPNOTSUPP"],
    ["ioctl FICLONERANGE", () => impl.ioctl(ctx, 0x4020940d, 0), "EOPNOTSUPP"],
    ["ioctl FIDEDUPERANGE", () => impl.ioctl(ctx, 0xc0189436, 0), "EOPNOTSUPP"],
    ["ioctl FIDEDUPERANGE as a signed int", () => impl.ioctl(ctx, 0xc0189436 | 0, 0), "EOPNOTSUPP"],
    ["listXattr", () => impl.listXattr(ctx, 0), "ENOTSUP"],
    ["getXattr", () => impl.getXattr(ctx, { name: "user.a", size: 0 }), "ENOTSUP"],
    ["setXattr", () => impl.setXattr(ctx, { name: "user.a", value: new Uint8Array(), flags: 0 }), "ENOTSUP"],
    ["removeXattr", () => impl.removeXattr(ctx, "user.a"), "ENOTSUP"],
  ] as const)("%s fails with %s", (_name, call, code) => {
    expectErrno(call, code);
  });

  test("onClose, eventRegister and eventUnregister do nothing; not epollable", () => {
    const waiter: Waiter = { notify: () => undefined };
    expect(() => {
      impl.onClose(ctx);
      impl.eventRegister(waiter, EPOLLIN);
      impl.eventUnregister(waiter);
    }).not.toThrow();
    expect(impl.epollable()).toBe(false);
  });

  test("readiness is Linux's DEFAULT_POLLMASK, masked by the request", () => {
    const all = EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM | EPOLLPRI | EPOLLERR | EPOLLHUP;
    expect(impl.readiness(all)).toBe(EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM);
    expect(impl.readiness(EPOLLIN)).toBe(EPOLLIN);
    expect(impl.readiness(EPOLLPRI)).toBe(0);
  });

  test("vfsfd before FileDescription.init is a broken contract", () => {
    expect(() => new PlainFD().vfsfd).toThrow(InternalError);
  });

  test("FileDescription.init sets vfsfd", () => {
    const impl = new PlainFD();
    const { fd, close } = open(impl);
    expect(impl.vfsfd).toBe(fd);
    close();
  });
});

describe("DirectoryFileDescriptionDefaultImpl", () => {
  const impl = new DirFD();

  test.each([
    ["read", () => impl.read(ctx, new Uint8Array(1), noRead)],
    ["pread", () => impl.pread(ctx, new Uint8Array(1), 0, noRead)],
    ["write", () => impl.write(ctx, new Uint8Array(1), noWrite)],
    ["pwrite", () => impl.pwrite(ctx, new Uint8Array(1), 0, noWrite)],
    ["allocate", () => impl.allocate(ctx, 0, 0, 1)],
  ] as const)("%s fails with EISDIR", (_name, call) => {
    expectErrno(call, "EISDIR");
  });

  test("other operations keep the defaults", () => {
    expectErrno(() => impl.seek(ctx, 0, SEEK_SET), "ESPIPE");
    expectErrno(() => impl.sync(ctx), "EINVAL");
  });
});

describe("DentryMetadataFileDescriptionImpl", () => {
  test("stat and setStat must never be reached", () => {
    const impl = new MetadataFD();
    expect(() => impl.stat(ctx, { mask: 0, sync: 0 })).toThrow(InternalError);
    expect(() => impl.setStat(ctx, { stat: { mask: 0 } })).toThrow(InternalError);
  });
});

describe("DynamicBytesFileDescriptionImpl", () => {
  // gVisor's TestGenCountFD, in spirit.
  test("regenerates only when asked to: 1, EOF, 2 after seek(0), 3 after pread(0)", () => {
    const source = new CounterSource();
    const { fd, close } = open(new DynamicFD(source));
    expect(readString(fd)).toBe("1");
    // Reading on from where the last read ended serves the same snapshot: end of file.
    expect(readString(fd)).toBe("");
    expect(source.count).toBe(1);
    expect(fd.seek(ctx, 0, SEEK_SET)).toBe(0);
    expect(readString(fd)).toBe("2");
    expect(preadString(fd, 0)).toBe("3");
    // pread does not move the file offset, and the snapshot now ends where pread stopped.
    expect(readString(fd)).toBe("");
    close();
  });

  test("a file read in small pieces is one consistent snapshot", () => {
    let generation = 0;
    const source: DynamicBytesSource = {
      generate(_ctx, buf) {
        generation++;
        buf.write(`generation ${generation}\n`);
      },
    };
    const { fd, close } = open(new DynamicFD(source));
    let text = "";
    for (let piece = readString(fd, 3); piece !== ""; piece = readString(fd, 3)) text += piece;
    expect(text).toBe("generation 1\n");
    close();
  });

  test("a read at an offset other than where the last one ended regenerates", () => {
    const source = new CounterSource();
    const long: DynamicBytesSource = {
      generate(c, buf) {
        source.generate(c, buf);
        buf.write("-abcdef");
      },
    };
    const { fd, close } = open(new DynamicFD(long));
    expect(preadString(fd, 0, 2)).toBe("1-");
    expect(preadString(fd, 2, 2)).toBe("ab"); // continues: same snapshot
    expect(preadString(fd, 5, 2)).toBe("de"); // jumped: regenerated (same length)
    expect(source.count).toBe(2);
    close();
  });

  test("reading past the end returns 0", () => {
    const { fd, close } = open(new DynamicFD(new StaticData("abc")));
    expect(preadString(fd, 3)).toBe("");
    expect(preadString(fd, 100)).toBe("");
    close();
  });

  test("seek: SEEK_CUR is relative to the offset; SEEK_END and others are EINVAL", () => {
    const { fd, close } = open(new DynamicFD(new StaticData("0123456789")));
    expect(fd.seek(ctx, 4, SEEK_SET)).toBe(4);
    expect(fd.seek(ctx, 2, SEEK_CUR)).toBe(6);
    expect(readString(fd)).toBe("6789");
    expectErrno(() => fd.seek(ctx, 0, SEEK_END), "EINVAL");
    expectErrno(() => fd.seek(ctx, 0, 3 /* SEEK_DATA */), "EINVAL");
    close();
  });

  test("seek to a negative offset is EINVAL and leaves the offset alone", () => {
    const { fd, close } = open(new DynamicFD(new StaticData("0123456789")));
    fd.seek(ctx, 5, SEEK_SET);
    expectErrno(() => fd.seek(ctx, -1, SEEK_SET), "EINVAL");
    expectErrno(() => fd.seek(ctx, -6, SEEK_CUR), "EINVAL");
    expect(readString(fd)).toBe("56789");
    close();
  });

  test("pread at a negative offset is EINVAL", () => {
    const { fd, close } = open(new DynamicFD(new StaticData("x")));
    expectErrno(() => fd.pread(ctx, new Uint8Array(1), -1), "EINVAL");
    close();
  });

  test("a generate error fails the read, drops the buffer, and the next read starts over", () => {
    let fail = false;
    const counter = new CounterSource();
    const source: DynamicBytesSource = {
      generate(c, buf) {
        buf.write("partial");
        if (fail) throw new SysError("EIO");
        counter.generate(c, buf);
      },
    };
    const { fd, close } = open(new DynamicFD(source));
    fail = true;
    expectErrno(() => readString(fd), "EIO");
    fail = false;
    expect(readString(fd)).toBe("partial1");
    close();
  });

  test("a generate error during seek resets the offset to 0", () => {
    let fail = false;
    const source: DynamicBytesSource = {
      generate(_c, buf) {
        if (fail) throw new SysError("ENOMEM");
        buf.write("0123456789");
      },
    };
    const { fd, close } = open(new DynamicFD(source));
    expect(readString(fd, 4)).toBe("0123");
    fail = true;
    expectErrno(() => fd.seek(ctx, 8, SEEK_SET), "ENOMEM");
    fail = false;
    expect(readString(fd)).toBe("0123456789");
    close();
  });

  test("write and pwrite on a source that is not writable fail with EIO", () => {
    const { fd, close } = open(new DynamicFD(new CounterSource()), O_RDWR);
    expectErrno(() => fd.write(ctx, new Uint8Array([0x31])), "EIO");
    expectErrno(() => fd.pwrite(ctx, new Uint8Array([0x31]), 0), "EIO");
    close();
  });

  test("a writable source receives writes with their offsets, and regeneration shows the new data", () => {
    const source = new StoreSource();
    const { fd, close } = open(new DynamicFD(source), O_RDWR);
    expect(readString(fd)).toBe("initial");
    expect(fd.pwrite(ctx, new ByteSink().write("hello").bytes(), 0)).toBe(5);
    expect(source.writes[0]).toEqual({ fd, bytes: [...new ByteSink().write("hello").bytes()], offset: 0 });
    expect(preadString(fd, 0)).toBe("hello");
    // write goes at the file offset (7, after the first read) and advances it.
    expect(fd.write(ctx, new ByteSink().write("bye").bytes())).toBe(3);
    expect(source.writes[1]?.offset).toBe(7);
    expect((fd.impl as DynamicFD).offset()).toBe(10);
    expect(preadString(fd, 0)).toBe("bye");
    close();
  });

  test("writes with RWF flags other than HIPRI/DSYNC/SYNC are EOPNOTSUPP", () => {
    const source = new StoreSource();
    const { fd, close } = open(new DynamicFD(source), O_RDWR);
    expect(fd.pwrite(ctx, new Uint8Array([0x41]), 0, { flags: 0x1 | 0x2 | 0x4 })).toBe(1);
    expectErrno(() => fd.pwrite(ctx, new Uint8Array([0x41]), 0, { flags: 0x8 /* RWF_NOWAIT */ }), "EOPNOTSUPP");
    close();
  });

  test("writes obey the file-size limit: EFBIG at or past it, shortened before it", () => {
    const source = new StoreSource();
    const { fd, close } = open(new DynamicFD(source), O_RDWR);
    const limited = withValue(ctx, FileSizeLimitKey, 4);
    expectErrno(() => fd.pwrite(limited, new Uint8Array(2), 4), "EFBIG");
    expect(fd.pwrite(limited, new Uint8Array(10), 1)).toBe(3);
    expect(source.writes[0]?.bytes.length).toBe(3);
    close();
  });

  test("source is the generator it was built with", () => {
    const data = new StaticData("x");
    expect(new DynamicFD(data).source).toBe(data);
  });
});

describe("StaticData and isWritableDynamicBytesSource", () => {
  test("StaticData prints its string", () => {
    const sink = new ByteSink();
    new StaticData("MemTotal: 1 kB\n").generate(ctx, sink);
    expect(sink.toString()).toBe("MemTotal: 1 kB\n");
  });

  test("only sources with a write method are writable", () => {
    expect(isWritableDynamicBytesSource(new StaticData(""))).toBe(false);
    expect(isWritableDynamicBytesSource(new StoreSource())).toBe(true);
  });
});

describe("DynamicBytesPoller", () => {
  test("notify bumps the sequence and wakes waiters with readable | EPOLLPRI | EPOLLERR", () => {
    const poller = new DynamicBytesPoller();
    const seen: number[] = [];
    const waiter: Waiter = { notify: (events) => seen.push(events) };
    expect(poller.seq()).toBe(0);
    poller.eventRegister(waiter, EPOLLPRI | EPOLLERR | EPOLLIN | EPOLLOUT);
    poller.notify();
    expect(poller.seq()).toBe(1);
    expect(seen).toEqual([EPOLLIN | DYNAMIC_BYTES_POLL_EVENTS]);
    poller.eventUnregister(waiter);
    poller.notify();
    expect(poller.seq()).toBe(2);
    expect(seen).toHaveLength(1);
  });
});
