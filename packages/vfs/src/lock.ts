// Advisory file locks: BSD flock(2) whole-file locks and POSIX fcntl(2) byte-range locks
// (gVisor's vfs/lock.go and fsimpl/lock/lock.go, written from Linux's fs/locks.c). Where
// gVisor differs from Linux, Linux wins (DESIGN.md D1); each difference is marked.
import { EPOLLIN, O_PATH, SysError } from "@vfskit/abi";
import type { Context } from "./context.js";
import type { FileDescription } from "./file-description.js";
import { WaiterQueue, type Waiter } from "./waiter.js";

/**
 * The kind of lock: shared (`"read"`, F_RDLCK / LOCK_SH) or exclusive (`"write"`,
 * F_WRLCK / LOCK_EX).
 * @public
 */
export type LockType = "read" | "write";

/**
 * The largest lock offset vfskit represents: a lock "to end of file" ends here.
 *
 * @remarks
 * Linux's OFFSET_MAX is 2^63 - 1; JavaScript numbers are exact up to 2^53 - 1, which is
 * where lock ranges stop here (file sizes are numbers everywhere in vfskit).
 * @public
 */
export const LOCK_EOF = Number.MAX_SAFE_INTEGER;

/**
 * A byte range `[start, end)` of a file; `end` is {@link LOCK_EOF} for "to end of file".
 * @public
 */
export interface LockRange {
  /** First byte. */
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
}

/**
 * A POSIX lock request.
 * @public
 */
export interface PosixLockRequest {
  /**
   * Who holds the lock: the process (its FD table) for classic fcntl locks, the
   * `FileDescription` for open-file-description (OFD) locks. Compared by identity.
   */
  readonly owner: object;
  /** The owner's process ID, reported by F_GETLK (OFD locks report -1). */
  readonly pid: number;
  /** Shared or exclusive. */
  readonly type: LockType;
  /** The bytes to lock. */
  readonly range: LockRange;
  /** An OFD lock (F_OFD_SETLK): released when its description is, reported with pid -1. */
  readonly ofd?: boolean;
}

/**
 * What F_GETLK reports: no conflict, or the first lock that conflicts.
 * @public
 */
export type PosixLockTest =
  | { readonly type: "unlocked" }
  | {
      readonly type: LockType;
      /** The holder's process ID; -1 for an OFD lock. */
      readonly pid: number;
      /** The conflicting lock's first byte. */
      readonly start: number;
      /** Its length; 0 means "to end of file" (F_GETLK's l_len). */
      readonly length: number;
    };

/** One held lock. Each owner's locks never overlap; same-type neighbours are merged. */
interface HeldLock {
  readonly owner: object;
  readonly pid: number;
  readonly ofd: boolean;
  readonly type: LockType;
  start: number;
  end: number;
}

const WHOLE_FILE: LockRange = { start: 0, end: LOCK_EOF };

function conflicts(a: LockType, b: LockType): boolean {
  return a === "write" || b === "write";
}

/**
 * The lock state of one file: a BSD (flock) set and a POSIX (fcntl) set, which never
 * interact, as in Linux (gVisor's `FileLocks`).
 *
 * @remarks
 * Filesystems keep one per inode and hand it out through `FileDescriptionImpl.fileLocks`;
 * `FileDescription` does the access-mode checks and releases a description's flock and
 * OFD locks when its last reference goes.
 *
 * Locking never blocks (DESIGN.md D2): a conflicting request fails with EAGAIN
 * (EWOULDBLOCK). Waiters registered with {@link FileLocks.eventRegister} are notified
 * (EPOLLIN) whenever a lock is released or converted, so an async caller can retry; no
 * deadlock detection (EDEADLK) is done, as in gVisor.
 *
 * A zero-length POSIX range locks nothing and succeeds. Unlocking never fails.
 * @public
 */
export class FileLocks {
  readonly #bsd: HeldLock[] = [];
  readonly #posix: HeldLock[] = [];
  readonly #queue = new WaiterQueue();

  /**
   * Takes a flock(2) lock for `owner` (a `FileDescription`) on the whole file.
   *
   * @remarks
   * Taking the type already held does nothing. Converting (shared to exclusive or back)
   * first drops the old lock, as Linux does ("not guaranteed to be atomic", flock(2)):
   * if the new lock then conflicts, the caller is left with no lock at all. (gVisor
   * keeps the old lock in that case.)
   *
   * @param owner - The open file description taking the lock.
   * @param pid - The caller's process ID.
   * @param type - Shared or exclusive.
   * @throws EAGAIN - Another description holds a conflicting lock (EWOULDBLOCK).
   */
  lockBSD(owner: object, pid: number, type: LockType): void {
    const held = this.#bsd.findIndex((lock) => lock.owner === owner);
    if (held !== -1) {
      if (this.#bsd[held]?.type === type) return;
      this.#bsd.splice(held, 1);
      this.#queue.notify(EPOLLIN);
    }
    if (this.#bsd.some((lock) => conflicts(lock.type, type))) {
      throw new SysError("EAGAIN", { syscall: "flock" });
    }
    this.#bsd.push({ owner, pid, ofd: true, type, start: 0, end: LOCK_EOF });
  }

  /** Drops `owner`'s flock lock, if any. */
  unlockBSD(owner: object): void {
    const held = this.#bsd.findIndex((lock) => lock.owner === owner);
    if (held === -1) return;
    this.#bsd.splice(held, 1);
    this.#queue.notify(EPOLLIN);
  }

  /** The type of flock lock `owner` holds, if any. */
  bsdLockOf(owner: object): LockType | undefined {
    return this.#bsd.find((lock) => lock.owner === owner)?.type;
  }

  /**
   * Takes a POSIX (fcntl F_SETLK / F_OFD_SETLK) lock over `request.range`.
   *
   * @remarks
   * Only other owners' locks conflict: shared with exclusive, or exclusive with
   * anything. The owner's own locks in the range are replaced by the new one (so a
   * lock can be upgraded, downgraded or split), and touching locks of the same type are
   * merged, as in Linux.
   *
   * @throws EAGAIN - Another owner holds a conflicting lock over part of the range.
   */
  lockPOSIX(request: PosixLockRequest): void {
    const { owner, type } = request;
    const { start, end } = request.range;
    if (start >= end) return;
    for (const lock of this.#posix) {
      if (lock.owner !== owner && lock.start < end && start < lock.end && conflicts(lock.type, type)) {
        throw new SysError("EAGAIN", { syscall: "fcntl" });
      }
    }
    this.#remove(owner, start, end);
    this.#insert({ owner, pid: request.pid, ofd: request.ofd === true, type, start, end });
    this.#queue.notify(EPOLLIN);
  }

  /**
   * Releases `owner`'s POSIX locks over `range` (F_UNLCK), splitting locks that extend
   * past it. Never fails.
   */
  unlockPOSIX(owner: object, range: LockRange = WHOLE_FILE): void {
    if (range.start >= range.end) return;
    if (this.#remove(owner, range.start, range.end)) this.#queue.notify(EPOLLIN);
  }

  /**
   * Reports whether `owner` could take a `type` lock over `range` (F_GETLK): if not, the
   * first conflicting lock (in Linux's list order: owners in the order they first
   * locked, each owner's locks by offset).
   *
   * @remarks
   * Linux reports the conflicting lock's own range; gVisor reports a fragment of its
   * internal interval map, and ignores readers of the other kind (OFD vs classic) when
   * testing for a write lock. Linux wins on both.
   */
  testPOSIX(owner: object, type: LockType, range: LockRange): PosixLockTest {
    for (const lock of this.#posix) {
      if (lock.owner !== owner && lock.start < range.end && range.start < lock.end && conflicts(lock.type, type)) {
        return {
          type: lock.type,
          pid: lock.ofd ? -1 : lock.pid,
          start: lock.start,
          length: lock.end === LOCK_EOF ? 0 : lock.end - lock.start,
        };
      }
    }
    return { type: "unlocked" };
  }

  /** `owner`'s POSIX locks, sorted by offset (for /proc/locks and tests). */
  posixLocksOf(owner: object): { type: LockType; start: number; end: number }[] {
    return this.#posix.filter((lock) => lock.owner === owner).map(({ type, start, end }) => ({ type, start, end }));
  }

  /** True if no lock of either kind is held. */
  isEmpty(): boolean {
    return this.#bsd.length === 0 && this.#posix.length === 0;
  }

  /** Registers `waiter` to be told (EPOLLIN) when locks are released or converted. */
  eventRegister(waiter: Waiter, mask: number = EPOLLIN): void {
    this.#queue.register(waiter, mask);
  }

  /** Unregisters `waiter`. */
  eventUnregister(waiter: Waiter): void {
    this.#queue.unregister(waiter);
  }

  /** Removes `owner`'s coverage of [start, end); says whether anything changed. */
  #remove(owner: object, start: number, end: number): boolean {
    let changed = false;
    const locks = this.#posix;
    for (let i = 0; i < locks.length; i++) {
      const lock = locks[i];
      if (lock === undefined || lock.owner !== owner || lock.end <= start || end <= lock.start) continue;
      changed = true;
      if (lock.start < start && end < lock.end) {
        // The range is strictly inside: split in two.
        locks.splice(i + 1, 0, { ...lock, start: end });
        lock.end = start;
        return true;
      }
      if (lock.start < start) {
        lock.end = start;
      } else if (end < lock.end) {
        lock.start = end;
      } else {
        locks.splice(i, 1);
        i--;
      }
    }
    return changed;
  }

  /** Inserts a lock that overlaps none of its owner's, merging same-type neighbours. */
  #insert(lock: HeldLock): void {
    const locks = this.#posix;
    let first = -1;
    let at = -1;
    for (let i = 0; i < locks.length; i++) {
      const other = locks[i];
      if (other === undefined || other.owner !== lock.owner) {
        if (first !== -1) break; // past the owner's block
        continue;
      }
      if (first === -1) first = i;
      at = i + 1;
      if (other.start > lock.start) {
        at = i;
        break;
      }
    }
    if (first === -1) at = locks.length;
    locks.splice(at, 0, lock);
    // Merge with the owner's neighbours of the same type that touch it.
    const next = locks[at + 1];
    if (next !== undefined && next.owner === lock.owner && next.type === lock.type && next.start === lock.end) {
      lock.end = next.end;
      locks.splice(at + 1, 1);
    }
    const previous = locks[at - 1];
    if (previous !== undefined && previous.owner === lock.owner && previous.type === lock.type && previous.end === lock.start) {
      previous.end = lock.end;
      locks.splice(at, 1);
    }
  }
}

/**
 * Turns fcntl's `l_start` / `l_len`, relative to `base` (0 for SEEK_SET, the file offset
 * for SEEK_CUR, the size for SEEK_END), into a {@link LockRange} (Linux
 * `flock_to_posix_lock`).
 *
 * @remarks
 * `length` 0 means "to end of file"; a positive length covers `[start, start + length)`;
 * a negative one covers `[start + length, start)`.
 *
 * @throws EINVAL - The range would start before byte 0.
 * @throws EOVERFLOW - The range would end beyond {@link LOCK_EOF}.
 * @public
 */
export function computeLockRange(start: number, length: number, base: number): LockRange {
  if (start > LOCK_EOF - base) throw new SysError("EOVERFLOW", { syscall: "fcntl" });
  let first = base + start;
  if (first < 0) throw new SysError("EINVAL", { syscall: "fcntl" });
  if (length > 0) {
    if (length > LOCK_EOF - first) throw new SysError("EOVERFLOW", { syscall: "fcntl" });
    return { start: first, end: first + length };
  }
  if (length < 0) {
    const end = first;
    first += length;
    if (first < 0) throw new SysError("EINVAL", { syscall: "fcntl" });
    return { start: first, end };
  }
  return { start: first, end: LOCK_EOF };
}

/** flock(2) operation bits (include/uapi/asm-generic/fcntl.h). */
const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const LOCK_MAND = 32;

/**
 * A decoded flock(2) operation.
 * @public
 */
export interface FlockOperation {
  /** What to do; `"ignore"` for the obsolete LOCK_MAND, which Linux accepts and ignores. */
  readonly action: LockType | "unlock" | "ignore";
  /** LOCK_NB: fail with EWOULDBLOCK instead of waiting. */
  readonly nonBlocking: boolean;
}

/**
 * Decodes flock(2)'s `operation` argument as Linux does, before it even looks at the
 * file descriptor.
 *
 * @throws EINVAL - Not exactly one of LOCK_SH, LOCK_EX and LOCK_UN (optionally with
 * LOCK_NB): `LOCK_SH|LOCK_EX`, `LOCK_UN|LOCK_SH`, `LOCK_NB` alone, 0, unknown bits.
 * @public
 */
export function decodeFlockOperation(operation: number): FlockOperation {
  if ((operation & LOCK_MAND) !== 0) return { action: "ignore", nonBlocking: true };
  const nonBlocking = (operation & LOCK_NB) !== 0;
  switch (operation & ~LOCK_NB) {
    case LOCK_SH:
      return { action: "read", nonBlocking };
    case LOCK_EX:
      return { action: "write", nonBlocking };
    case LOCK_UN:
      return { action: "unlock", nonBlocking };
    default:
      throw new SysError("EINVAL", { syscall: "flock" });
  }
}

// --- Locking through a file description (gVisor's FileDescription.Lock*/Unlock*/Test*). ---

function locksOf(fd: FileDescription, syscall: string): FileLocks {
  // fdget() refuses O_PATH descriptions for flock and fcntl locking.
  if ((fd.statusFlags() & O_PATH) !== 0) throw new SysError("EBADF", { syscall, detail: "O_PATH descriptor" });
  const locks = fd.impl.fileLocks?.();
  if (locks === undefined) throw new SysError("ENOLCK", { syscall });
  return locks;
}

/**
 * flock(2) with LOCK_SH or LOCK_EX on `fd`.
 *
 * @remarks
 * The lock belongs to the description (shared by its duplicates) and is released with
 * its last reference. Decode the syscall's operation with {@link decodeFlockOperation}
 * first: EINVAL comes before EBADF in Linux.
 *
 * @param pid - The caller's process ID.
 * @param type - Shared (`"read"`) or exclusive (`"write"`).
 * @throws EBADF - `fd` is O_PATH, or open neither for reading nor for writing (access mode 3).
 * @throws ENOLCK - The file does not support locks.
 * @throws EAGAIN - Another description holds a conflicting lock (EWOULDBLOCK).
 * @public
 */
export function lockBSD(_ctx: Context, fd: FileDescription, pid: number, type: LockType): void {
  const locks = locksOf(fd, "flock");
  if (!fd.isReadable() && !fd.isWritable()) throw new SysError("EBADF", { syscall: "flock" });
  locks.lockBSD(fd, pid, type);
}

/**
 * flock(2) with LOCK_UN on `fd`.
 * @throws EBADF - `fd` is O_PATH.
 * @throws ENOLCK - The file does not support locks.
 * @public
 */
export function unlockBSD(_ctx: Context, fd: FileDescription): void {
  locksOf(fd, "flock").unlockBSD(fd);
}

/**
 * fcntl(2) F_SETLK / F_OFD_SETLK with F_RDLCK or F_WRLCK, through `fd`.
 *
 * @remarks
 * `request.owner` is `fd` itself for an OFD lock (released with the description's last
 * reference), or the process for a classic lock (which the kernel must release when the
 * process closes any descriptor of the file). Compute the range with
 * {@link computeLockRange}.
 *
 * @throws EBADF - `fd` is O_PATH.
 * @throws ENOLCK - The file does not support locks.
 * @throws EBADF - A read lock through a description not open for reading, or a write lock through one not open for writing.
 * @throws EAGAIN - Another owner holds a conflicting lock.
 * @public
 */
export function lockPOSIX(_ctx: Context, fd: FileDescription, request: Omit<PosixLockRequest, "ofd">): void {
  const locks = locksOf(fd, "fcntl");
  if (request.type === "read" ? !fd.isReadable() : !fd.isWritable()) throw new SysError("EBADF", { syscall: "fcntl" });
  locks.lockPOSIX({ ...request, ofd: request.owner === fd });
}

/**
 * fcntl(2) F_SETLK / F_OFD_SETLK with F_UNLCK over `range`, through `fd`.
 * @throws EBADF - `fd` is O_PATH.
 * @throws ENOLCK - The file does not support locks.
 * @public
 */
export function unlockPOSIX(_ctx: Context, fd: FileDescription, owner: object, range: LockRange): void {
  locksOf(fd, "fcntl").unlockPOSIX(owner, range);
}

/**
 * fcntl(2) F_GETLK / F_OFD_GETLK through `fd`: the first lock that would conflict with
 * `owner` taking a `type` lock over `range`.
 * @throws EBADF - `fd` is O_PATH.
 * @throws ENOLCK - The file does not support locks.
 * @public
 */
export function testPOSIX(_ctx: Context, fd: FileDescription, owner: object, type: LockType, range: LockRange): PosixLockTest {
  return locksOf(fd, "fcntl").testPOSIX(owner, type, range);
}
