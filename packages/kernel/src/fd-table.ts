// A task's file descriptor table: numbers → open file descriptions, with a close-on-exec
// flag per number. Twin of gVisor's pkg/sentry/kernel/fd_table.go (Linux's struct
// files_struct and fs/file.c: alloc_fd, fd_install, do_dup2, close_fd).
import { SysError } from "@vfskit/abi";
import { InternalError, RefCounted, type Context, type FileDescription } from "@vfskit/vfs";

/**
 * The flags of one file descriptor (not of the description it refers to).
 * @public
 */
export interface FDFlags {
  /** FD_CLOEXEC: the descriptor is closed by execve. */
  readonly closeOnExec: boolean;
}

/**
 * One open file descriptor, as {@link FDTable.entries} lists it.
 * @public
 */
export interface FDEntry {
  /** The descriptor number. */
  readonly fd: number;
  /** The description it refers to (borrowed: the table holds the reference). */
  readonly file: FileDescription;
  /** Its flags. */
  readonly flags: FDFlags;
}

const CLOEXEC_BIT = 1;
const INITIAL_CAPACITY = 64; // two bitmap words

/** The index (0–31) of the lowest set bit of a non-zero 32-bit value. */
function lowestSetBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

/**
 * A file descriptor table (gVisor's `FDTable`, Linux's `files_struct`).
 *
 * @remarks
 * Numbers are allocated as Linux allocates them: the lowest free number at or above a
 * minimum, below the caller's RLIMIT_NOFILE. A bitmap of used numbers, a second bitmap of
 * full bitmap words and a "next free" hint (Linux's `next_fd`) make allocation O(1)
 * amortised for the usual patterns and O(n / 1024) at worst, so tables with hundreds of
 * thousands of descriptors stay fast.
 *
 * Reference model: the table holds one reference on every description it contains. A
 * description enters the table by {@link FDTable.install} or {@link FDTable.newFD},
 * which take over one reference from the caller, and leaves it by
 * {@link FDTable.remove} (the reference goes back to the caller, who closes it) or when
 * the table itself is released. The table is reference-counted so that tasks could share
 * one (CLONE_FILES); its last {@link FDTable.decRef} closes every descriptor.
 *
 * A number can be reserved before its description exists (Linux's `get_unused_fd_flags`
 * then `fd_install`): open(2) reserves first, so a full table fails with EMFILE before
 * the path is looked up, as in Linux.
 * @public
 */
export class FDTable extends RefCounted {
  #files: (FileDescription | undefined)[] = [];
  #flags = new Uint8Array(INITIAL_CAPACITY);
  #used = new Uint32Array(INITIAL_CAPACITY / 32);
  #full = new Uint32Array(1);
  /** The lowest number that may be free (Linux's next_fd). */
  #next = 0;
  /** Numbers in use, reserved ones included. */
  #count = 0;

  /** Creates an empty table holding one reference for the caller. */
  constructor() {
    super("kernel.FDTable");
  }

  /** The number of open descriptors (reserved numbers included). */
  get size(): number {
    return this.#count;
  }

  /**
   * The description `fd` refers to, borrowed (no reference is taken), or `undefined` if
   * `fd` is not open (or only reserved).
   * @param fd - A descriptor number (any number; negative ones are never open).
   */
  get(fd: number): FileDescription | undefined {
    if (fd < 0 || fd >= this.#files.length) return undefined;
    return this.#files[fd];
  }

  /**
   * The description `fd` refers to, with a new reference for the caller (Linux's
   * `fget`).
   * @param fd - A descriptor number.
   * @throws EBADF - `fd` is not open.
   */
  getRef(fd: number): FileDescription {
    const file = this.get(fd);
    if (file === undefined) throw new SysError("EBADF");
    file.incRef();
    return file;
  }

  /**
   * The flags of `fd`.
   * @param fd - A descriptor number.
   * @throws EBADF - `fd` is not open.
   */
  getFlags(fd: number): FDFlags {
    if (this.get(fd) === undefined) throw new SysError("EBADF");
    return { closeOnExec: ((this.#flags[fd] ?? 0) & CLOEXEC_BIT) !== 0 };
  }

  /**
   * Sets the flags of `fd` (F_SETFD).
   * @param fd - A descriptor number.
   * @param flags - The new flags.
   * @throws EBADF - `fd` is not open.
   */
  setFlags(fd: number, flags: FDFlags): void {
    if (this.get(fd) === undefined) throw new SysError("EBADF");
    this.#flags[fd] = flags.closeOnExec ? CLOEXEC_BIT : 0;
  }

  /**
   * Reserves the lowest free number at or above `minFd` (Linux's `alloc_fd`); fill it
   * with {@link FDTable.install} or give it back with {@link FDTable.unreserve}.
   *
   * @param minFd - The lowest acceptable number (0 for open(2), the argument of F_DUPFD).
   * @param limit - The caller's RLIMIT_NOFILE: every number must be below it.
   * @returns The reserved number.
   * @throws EMFILE - No free number in `[minFd, limit)`.
   */
  reserve(minFd: number, limit: number): number {
    const start = minFd > this.#next ? minFd : this.#next;
    const fd = this.#findFree(start);
    if (fd >= limit) throw new SysError("EMFILE");
    if (minFd <= this.#next) this.#next = fd + 1;
    this.#ensureCapacity(fd);
    this.#setUsed(fd);
    this.#files[fd] = undefined;
    this.#flags[fd] = 0;
    this.#count++;
    return fd;
  }

  /**
   * Gives back a number reserved by {@link FDTable.reserve} and never installed.
   * @param fd - The reserved number.
   * @throws InternalError - `fd` is not a reserved, empty number.
   */
  unreserve(fd: number): void {
    if (!this.#isUsed(fd) || this.#files[fd] !== undefined) throw new InternalError(`unreserve of fd ${fd}, which is not reserved`);
    this.#clear(fd);
  }

  /**
   * Puts `file` at the reserved number `fd` (Linux's `fd_install`), taking over one
   * reference from the caller.
   * @param fd - A number returned by {@link FDTable.reserve}.
   * @param file - The description.
   * @param flags - The descriptor's flags.
   * @throws InternalError - `fd` is not a reserved, empty number.
   */
  install(fd: number, file: FileDescription, flags: FDFlags): void {
    if (!this.#isUsed(fd) || this.#files[fd] !== undefined) throw new InternalError(`install at fd ${fd}, which is not reserved`);
    this.#files[fd] = file;
    this.#flags[fd] = flags.closeOnExec ? CLOEXEC_BIT : 0;
  }

  /**
   * Installs `file` at the lowest free number at or above `minFd`, taking over one
   * reference from the caller (gVisor's `NewFD`).
   *
   * @param file - The description; on failure the caller keeps its reference.
   * @param flags - The descriptor's flags.
   * @param minFd - The lowest acceptable number.
   * @param limit - The caller's RLIMIT_NOFILE.
   * @returns The new descriptor number.
   * @throws EMFILE - No free number in `[minFd, limit)`.
   */
  newFD(file: FileDescription, flags: FDFlags, minFd: number, limit: number): number {
    const fd = this.reserve(minFd, limit);
    this.install(fd, file, flags);
    return fd;
  }

  /**
   * Puts `file` at exactly `fd`, as dup2 and dup3 do (Linux's `do_dup2`), taking over one
   * reference from the caller. A description already at `fd` is removed and returned:
   * the caller closes it, after the new one is in place, as Linux does.
   *
   * @param fd - The target number.
   * @param file - The description.
   * @param flags - The descriptor's flags.
   * @param limit - The caller's RLIMIT_NOFILE.
   * @returns The description that was at `fd` (its reference goes to the caller), or
   * `undefined`.
   * @throws EBADF - `fd` is negative or not below `limit`.
   * @throws EBUSY - `fd` is reserved by an open in progress.
   */
  replace(fd: number, file: FileDescription, flags: FDFlags, limit: number): FileDescription | undefined {
    if (fd < 0 || fd >= limit || !Number.isInteger(fd)) throw new SysError("EBADF");
    let old: FileDescription | undefined;
    if (this.#isUsed(fd)) {
      old = this.#files[fd];
      if (old === undefined) throw new SysError("EBUSY", { detail: "descriptor is being opened" });
    } else {
      this.#ensureCapacity(fd);
      this.#setUsed(fd);
      this.#count++;
    }
    this.#files[fd] = file;
    this.#flags[fd] = flags.closeOnExec ? CLOEXEC_BIT : 0;
    return old;
  }

  /**
   * Removes `fd` from the table and returns its description with the table's reference,
   * which the caller now owns (close(2) calls `onClose` and drops it).
   * @param fd - A descriptor number.
   * @returns The description, or `undefined` if `fd` was not open.
   */
  remove(fd: number): FileDescription | undefined {
    const file = this.get(fd);
    if (file === undefined) return undefined;
    this.#clear(fd);
    return file;
  }

  /**
   * Removes every descriptor whose close-on-exec flag is set (execve), in fd order, and
   * returns their descriptions with the table's references.
   */
  removeCloseOnExec(): FileDescription[] {
    const out: FileDescription[] = [];
    for (const { fd, file, flags } of this.entries()) {
      if (!flags.closeOnExec) continue;
      this.#clear(fd);
      out.push(file);
    }
    return out;
  }

  /**
   * Every open descriptor in increasing fd order (for /proc/[pid]/fd). Reserved numbers
   * are skipped. The snapshot is taken word by word, so descriptors may be closed while
   * iterating.
   */
  *entries(): Generator<FDEntry, void, undefined> {
    const used = this.#used;
    for (let w = 0; w < used.length; w++) {
      let bits = used[w] ?? 0;
      while (bits !== 0) {
        const bit = lowestSetBit(bits);
        bits &= bits - 1;
        const fd = (w << 5) + bit;
        const file = this.#files[fd];
        if (file === undefined) continue;
        yield { fd, file, flags: { closeOnExec: ((this.#flags[fd] ?? 0) & CLOEXEC_BIT) !== 0 } };
      }
    }
  }

  /**
   * A copy of this table for a forked task: the same numbers and flags referring to the
   * same descriptions (each gains a reference). Reserved numbers are not copied.
   * @returns The new table, one reference for the caller.
   */
  fork(): FDTable {
    const copy = new FDTable();
    for (const { fd, file, flags } of this.entries()) {
      file.incRef();
      copy.replace(fd, file, flags, Number.MAX_SAFE_INTEGER);
    }
    return copy;
  }

  /**
   * Drops a reference; the last one closes every descriptor (as a process exit does):
   * `onClose` then `decRef` on each description, in fd order. Errors from `onClose` are
   * ignored, as close-on-exit ignores them.
   * @param ctx - The context of the closing task.
   */
  decRef(ctx: Context): void {
    if (!this.dropRef()) return;
    for (const { fd, file } of this.entries()) {
      this.#clear(fd);
      closeDescription(ctx, file);
    }
  }

  /** What the leak checker prints: the number of descriptors in use. */
  protected override describeForLeakCheck(): string {
    return `FDTable(${this.#count} open)`;
  }

  // --- The bitmaps. ---

  #isUsed(fd: number): boolean {
    if (fd < 0 || !Number.isInteger(fd)) return false;
    const word = this.#used[fd >>> 5];
    return word !== undefined && (word & (1 << (fd & 31))) !== 0;
  }

  #setUsed(fd: number): void {
    const w = fd >>> 5;
    const word = ((this.#used[w] ?? 0) | (1 << (fd & 31))) >>> 0;
    this.#used[w] = word;
    if (word === 0xffffffff) this.#full[w >>> 5] = ((this.#full[w >>> 5] ?? 0) | (1 << (w & 31))) >>> 0;
  }

  #clear(fd: number): void {
    const w = fd >>> 5;
    this.#used[w] = (this.#used[w] ?? 0) & ~(1 << (fd & 31));
    this.#full[w >>> 5] = (this.#full[w >>> 5] ?? 0) & ~(1 << (w & 31));
    this.#files[fd] = undefined;
    this.#flags[fd] = 0;
    this.#count--;
    if (fd < this.#next) this.#next = fd;
  }

  /** The lowest free number at or above `start` (possibly beyond the capacity). */
  #findFree(start: number): number {
    const used = this.#used;
    const words = used.length;
    let w = start >>> 5;
    if (w >= words) return start;
    // The word holding `start`, ignoring the bits below it.
    const first = ~(used[w] ?? 0) & (0xffffffff << (start & 31));
    if (first !== 0) return (w << 5) + lowestSetBit(first);
    w++;
    const full = this.#full;
    while (w < words) {
      const fw = w >>> 5;
      const notFull = ~(full[fw] ?? 0) & (0xffffffff << (w & 31));
      if (notFull === 0) {
        w = (fw + 1) << 5;
        continue;
      }
      w = (fw << 5) + lowestSetBit(notFull);
      if (w >= words) break;
      return (w << 5) + lowestSetBit(~(used[w] ?? 0));
    }
    return words << 5;
  }

  #ensureCapacity(fd: number): void {
    const capacity = this.#used.length << 5;
    if (fd < capacity) return;
    let next = capacity;
    while (next <= fd) next *= 2;
    const used = new Uint32Array(next / 32);
    used.set(this.#used);
    this.#used = used;
    const flags = new Uint8Array(next);
    flags.set(this.#flags);
    this.#flags = flags;
    const full = new Uint32Array(Math.ceil(used.length / 32));
    full.set(this.#full);
    this.#full = full;
  }
}

/**
 * Closes one reference on a description the way close(2) does: `onClose` (whose errors
 * are swallowed here), then `decRef`.
 * @internal
 */
export function closeDescription(ctx: Context, file: FileDescription): void {
  try {
    file.onClose(ctx);
  } catch {
    // close-on-exit and close-on-exec ignore flush errors, as Linux's filp_close callers do.
  } finally {
    file.decRef(ctx);
  }
}
