import { EPOLLIN, O_PATH, O_RDONLY, O_RDWR, O_WRONLY, type Statx } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import type { Context } from "./context.js";
import { FileDescription } from "./file-description.js";
import { FileDescriptionDefaultImpl } from "./file-description-impl-util.js";
import {
  FileLocks,
  LOCK_EOF,
  computeLockRange,
  decodeFlockOperation,
  lockBSD,
  lockPOSIX,
  testPOSIX,
  unlockBSD,
  unlockPOSIX,
  type LockType,
} from "./lock.js";
import { testContext } from "./testing-fixtures/credentials.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { fakeLocation, makeStatx } from "./testing-fixtures/fake-location.js";
import type { Waiter } from "./waiter.js";

const ctx = testContext();
const A = { name: "owner A" };
const B = { name: "owner B" };
const C = { name: "owner C" };
const range = (start: number, end: number): { start: number; end: number } => ({ start, end });

function posix(locks: FileLocks, owner: object, type: LockType, start: number, end: number, pid = 1): void {
  locks.lockPOSIX({ owner, pid, type, range: range(start, end) });
}

describe("FileLocks: flock", () => {
  test("shared locks coexist; an exclusive lock conflicts with any other (EWOULDBLOCK)", () => {
    const locks = new FileLocks();
    locks.lockBSD(A, 1, "read");
    locks.lockBSD(B, 2, "read");
    expectErrno(() => locks.lockBSD(C, 3, "write"), "EWOULDBLOCK");
    locks.unlockBSD(A);
    locks.unlockBSD(B);
    locks.lockBSD(C, 3, "write");
    expectErrno(() => locks.lockBSD(A, 1, "read"), "EAGAIN");
    expect(locks.bsdLockOf(C)).toBe("write");
  });

  test("taking the type already held does nothing; converting alone succeeds", () => {
    const locks = new FileLocks();
    locks.lockBSD(A, 1, "read");
    locks.lockBSD(A, 1, "read");
    locks.lockBSD(A, 1, "write");
    expect(locks.bsdLockOf(A)).toBe("write");
    locks.lockBSD(A, 1, "read");
    expect(locks.bsdLockOf(A)).toBe("read");
  });

  // Linux (checked on the host): a failed LOCK_EX|LOCK_NB conversion loses the shared lock.
  test("host: a conversion that conflicts drops the old lock", () => {
    const locks = new FileLocks();
    locks.lockBSD(A, 1, "read");
    locks.lockBSD(B, 2, "read");
    expectErrno(() => locks.lockBSD(A, 1, "write"), "EAGAIN");
    expect(locks.bsdLockOf(A)).toBeUndefined();
    locks.unlockBSD(B);
    locks.lockBSD(C, 3, "write"); // nothing left to conflict with
  });

  test("unlocking without a lock is fine; flock and POSIX locks never interact", () => {
    const locks = new FileLocks();
    locks.unlockBSD(A);
    locks.lockBSD(A, 1, "write");
    posix(locks, B, "write", 0, LOCK_EOF);
    expect(locks.isEmpty()).toBe(false);
    locks.unlockBSD(A);
    locks.unlockPOSIX(B);
    expect(locks.isEmpty()).toBe(true);
  });

  test("waiters hear about unlocks and conversions", () => {
    const locks = new FileLocks();
    const events: number[] = [];
    const waiter: Waiter = { notify: (e) => events.push(e) };
    locks.eventRegister(waiter);
    locks.lockBSD(A, 1, "read");
    expect(events).toEqual([]);
    locks.lockBSD(A, 1, "write");
    locks.unlockBSD(A);
    expect(events).toEqual([EPOLLIN, EPOLLIN]);
    locks.eventUnregister(waiter);
    locks.lockBSD(A, 1, "read");
    locks.unlockBSD(A);
    expect(events).toHaveLength(2);
  });
});

describe("FileLocks: POSIX byte ranges", () => {
  test("read locks of different owners overlap; a write lock conflicts with them", () => {
    const locks = new FileLocks();
    posix(locks, A, "read", 0, 10);
    posix(locks, B, "read", 5, 15);
    expectErrno(() => posix(locks, C, "write", 9, 10), "EAGAIN");
    posix(locks, C, "write", 15, 20);
    expectErrno(() => posix(locks, A, "read", 19, 30), "EAGAIN");
  });

  test("an owner's own locks never conflict: upgrade, downgrade and replace", () => {
    const locks = new FileLocks();
    posix(locks, A, "read", 0, 100);
    posix(locks, A, "write", 10, 20);
    expect(locks.posixLocksOf(A)).toEqual([
      { type: "read", start: 0, end: 10 },
      { type: "write", start: 10, end: 20 },
      { type: "read", start: 20, end: 100 },
    ]);
    posix(locks, A, "read", 0, 100);
    expect(locks.posixLocksOf(A)).toEqual([{ type: "read", start: 0, end: 100 }]);
  });

  test("an upgrade fails while another owner shares the range", () => {
    const locks = new FileLocks();
    posix(locks, A, "read", 0, 10);
    posix(locks, B, "read", 0, 10);
    expectErrno(() => posix(locks, A, "write", 0, 10), "EAGAIN");
    expect(locks.posixLocksOf(A)).toEqual([{ type: "read", start: 0, end: 10 }]);
  });

  test("host: touching locks of the same type merge; different types do not", () => {
    const locks = new FileLocks();
    posix(locks, A, "read", 10, 20);
    posix(locks, A, "read", 0, 10);
    posix(locks, A, "read", 20, 30);
    expect(locks.posixLocksOf(A)).toEqual([{ type: "read", start: 0, end: 30 }]);
    posix(locks, A, "write", 30, 40);
    expect(locks.posixLocksOf(A)).toHaveLength(2);
    posix(locks, A, "read", 50, 60);
    posix(locks, A, "read", 35, 50);
    expect(locks.posixLocksOf(A)).toEqual([
      { type: "read", start: 0, end: 30 },
      { type: "write", start: 30, end: 35 },
      { type: "read", start: 35, end: 60 },
    ]);
  });

  test("partial unlocks split a lock; unlocking what is not held is fine", () => {
    const locks = new FileLocks();
    posix(locks, A, "write", 0, 100);
    locks.unlockPOSIX(A, range(40, 60));
    expect(locks.posixLocksOf(A)).toEqual([
      { type: "write", start: 0, end: 40 },
      { type: "write", start: 60, end: 100 },
    ]);
    posix(locks, B, "write", 40, 60);
    locks.unlockPOSIX(A, range(0, 10));
    locks.unlockPOSIX(A, range(90, 200));
    locks.unlockPOSIX(C, range(0, 10));
    expect(locks.posixLocksOf(A)).toEqual([
      { type: "write", start: 10, end: 40 },
      { type: "write", start: 60, end: 90 },
    ]);
    locks.unlockPOSIX(A);
    locks.unlockPOSIX(B);
    expect(locks.isEmpty()).toBe(true);
  });

  test("a zero-length range is a successful no-op", () => {
    const locks = new FileLocks();
    posix(locks, A, "write", 0, LOCK_EOF);
    posix(locks, B, "write", 5, 5);
    locks.unlockPOSIX(A, range(7, 7));
    expect(locks.posixLocksOf(B)).toEqual([]);
    expect(locks.posixLocksOf(A)).toEqual([{ type: "write", start: 0, end: LOCK_EOF }]);
  });

  test("host: F_GETLK reports the whole conflicting lock, its type and pid; OFD locks report pid -1", () => {
    const locks = new FileLocks();
    expect(locks.testPOSIX(A, "write", range(0, LOCK_EOF))).toEqual({ type: "unlocked" });
    locks.lockPOSIX({ owner: B, pid: 42, type: "write", range: range(100, LOCK_EOF) });
    expect(locks.testPOSIX(A, "read", range(0, LOCK_EOF))).toEqual({ type: "write", pid: 42, start: 100, length: 0 });
    locks.lockPOSIX({ owner: C, pid: 7, type: "read", range: range(0, 10), ofd: true });
    locks.lockPOSIX({ owner: C, pid: 7, type: "read", range: range(10, 20), ofd: true });
    expect(locks.testPOSIX(A, "write", range(5, 6))).toEqual({ type: "read", pid: -1, start: 0, length: 20 });
    expect(locks.testPOSIX(A, "read", range(5, 6))).toEqual({ type: "unlocked" });
    // One's own locks never conflict.
    expect(locks.testPOSIX(B, "write", range(100, 200))).toEqual({ type: "unlocked" });
  });

  test("F_GETLK reports owners in the order they first locked", () => {
    const locks = new FileLocks();
    posix(locks, B, "read", 50, 60, 2);
    posix(locks, A, "read", 0, 10, 1);
    expect(locks.testPOSIX(C, "write", range(0, 100))).toMatchObject({ pid: 2, start: 50 });
  });
});

describe("computeLockRange", () => {
  test.each([
    ["whole file from SEEK_SET", 0, 0, 0, { start: 0, end: LOCK_EOF }],
    ["positive length", 10, 5, 0, { start: 10, end: 15 }],
    ["negative length covers the bytes before", 10, -5, 0, { start: 5, end: 10 }],
    ["relative to the offset (SEEK_CUR)", -5, 0, 10, { start: 5, end: LOCK_EOF }],
    ["relative to the size (SEEK_END), negative length", 0, -4, 4, { start: 0, end: 4 }],
  ])("%s", (_name, start, length, base, expected) => {
    expect(computeLockRange(start, length, base)).toEqual(expected);
  });

  test.each([
    ["a start before byte 0", -1, 0, 0, "EINVAL"],
    ["a negative length reaching before byte 0", 5, -10, 0, "EINVAL"],
    ["an end past the largest offset", LOCK_EOF, 1, 0, "EOVERFLOW"],
    ["a start past the largest offset", 1, 0, LOCK_EOF, "EOVERFLOW"],
  ] as const)("%s is %s", (_name, start, length, base, code) => {
    expectErrno(() => computeLockRange(start, length, base), code);
  });
});

describe("decodeFlockOperation", () => {
  test.each([
    ["LOCK_SH", 1, { action: "read", nonBlocking: false }],
    ["LOCK_EX|LOCK_NB", 2 | 4, { action: "write", nonBlocking: true }],
    ["LOCK_UN", 8, { action: "unlock", nonBlocking: false }],
    ["host: LOCK_UN|LOCK_NB", 8 | 4, { action: "unlock", nonBlocking: true }],
    ["host: LOCK_MAND is ignored", 32, { action: "ignore", nonBlocking: true }],
  ])("%s", (_name, op, expected) => {
    expect(decodeFlockOperation(op)).toEqual(expected);
  });

  test.each([
    ["LOCK_SH|LOCK_EX", 3],
    ["LOCK_NB alone", 4],
    ["LOCK_SH|LOCK_UN", 9],
    ["LOCK_EX|LOCK_UN", 10],
    ["0", 0],
    ["an unknown bit", 1 | 64],
  ])("host: %s is EINVAL", (_name, op) => {
    expectErrno(() => decodeFlockOperation(op), "EINVAL");
  });
});

class LockableFD extends FileDescriptionDefaultImpl {
  constructor(readonly locks: FileLocks | undefined) {
    super();
  }
  release(_ctx: Context): void {}
  stat(): Statx {
    return makeStatx();
  }
  setStat(): void {}
  override fileLocks(): FileLocks | undefined {
    return this.locks;
  }
}

function openWithLocks(locks: FileLocks | undefined, flags: number): { fd: FileDescription; close: () => void } {
  const loc = fakeLocation();
  const fd = new FileDescription();
  fd.init(ctx, new LockableFD(locks), flags, loc.vd);
  loc.release(ctx);
  return { fd, close: () => fd.decRef(ctx) };
}

describe("locking through a FileDescription", () => {
  test("a flock lock is shared by references to the description and released with the last one", () => {
    const locks = new FileLocks();
    const a = openWithLocks(locks, O_RDONLY);
    const b = openWithLocks(locks, O_RDONLY);
    lockBSD(ctx, a.fd, 1, "write");
    a.fd.incRef(); // dup(2)
    expectErrno(() => lockBSD(ctx, b.fd, 2, "read"), "EWOULDBLOCK");
    a.close(); // one duplicate closed: still locked
    expectErrno(() => lockBSD(ctx, b.fd, 2, "read"), "EWOULDBLOCK");
    a.close();
    lockBSD(ctx, b.fd, 2, "read");
    unlockBSD(ctx, b.fd);
    expect(locks.isEmpty()).toBe(true);
    b.close();
  });

  test("OFD locks go with the description; classic locks stay for the kernel to drop", () => {
    const locks = new FileLocks();
    const process = { pid: 9 };
    const { fd, close } = openWithLocks(locks, O_RDWR);
    lockPOSIX(ctx, fd, { owner: fd, pid: 9, type: "write", range: range(0, 10) });
    lockPOSIX(ctx, fd, { owner: process, pid: 9, type: "read", range: range(20, 30) });
    expect(testPOSIX(ctx, fd, A, "write", range(0, 5))).toEqual({ type: "write", pid: -1, start: 0, length: 10 });
    close();
    expect(locks.posixLocksOf(fd)).toEqual([]);
    expect(locks.posixLocksOf(process)).toEqual([{ type: "read", start: 20, end: 30 }]);
    locks.unlockPOSIX(process);
  });

  test("fcntl lock types need the matching access mode (EBADF)", () => {
    const locks = new FileLocks();
    const reader = openWithLocks(locks, O_RDONLY);
    const writer = openWithLocks(locks, O_WRONLY);
    expectErrno(() => lockPOSIX(ctx, reader.fd, { owner: A, pid: 1, type: "write", range: range(0, 1) }), "EBADF");
    expectErrno(() => lockPOSIX(ctx, writer.fd, { owner: A, pid: 1, type: "read", range: range(0, 1) }), "EBADF");
    lockPOSIX(ctx, reader.fd, { owner: A, pid: 1, type: "read", range: range(0, 1) });
    unlockPOSIX(ctx, writer.fd, A, range(0, 1));
    expect(locks.isEmpty()).toBe(true);
    reader.close();
    writer.close();
  });

  test("host: flock needs a description open for reading or writing", () => {
    const { fd, close } = openWithLocks(new FileLocks(), 3);
    expectErrno(() => lockBSD(ctx, fd, 1, "read"), "EBADF");
    unlockBSD(ctx, fd);
    close();
  });

  test("host: O_PATH descriptions cannot lock (EBADF)", () => {
    const { fd, close } = openWithLocks(new FileLocks(), O_PATH);
    expectErrno(() => lockBSD(ctx, fd, 1, "read"), "EBADF");
    expectErrno(() => unlockBSD(ctx, fd), "EBADF");
    expectErrno(() => lockPOSIX(ctx, fd, { owner: fd, pid: 1, type: "read", range: range(0, 1) }), "EBADF");
    expectErrno(() => unlockPOSIX(ctx, fd, fd, range(0, 1)), "EBADF");
    expectErrno(() => testPOSIX(ctx, fd, fd, "read", range(0, 1)), "EBADF");
    close();
  });

  test("a file without lock support answers ENOLCK", () => {
    const { fd, close } = openWithLocks(undefined, O_RDWR);
    expectErrno(() => lockBSD(ctx, fd, 1, "read"), "ENOLCK");
    expectErrno(() => lockPOSIX(ctx, fd, { owner: fd, pid: 1, type: "read", range: range(0, 1) }), "ENOLCK");
    expectErrno(() => testPOSIX(ctx, fd, fd, "read", range(0, 1)), "ENOLCK");
    close();
  });
});
