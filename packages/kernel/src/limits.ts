// Resource limits (getrlimit/setrlimit/prlimit). Twin of gVisor's pkg/sentry/limits
// (Linux's include/uapi/asm-generic/resource.h and kernel/sys.c do_prlimit).
import { Capability, SysError } from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";

/** CPU time in seconds. @public */
export const RLIMIT_CPU = 0;
/** Largest file a task may create or extend, in bytes (EFBIG and SIGXFSZ beyond it). @public */
export const RLIMIT_FSIZE = 1;
/** Data segment size. @public */
export const RLIMIT_DATA = 2;
/** Stack size. @public */
export const RLIMIT_STACK = 3;
/** Core file size. @public */
export const RLIMIT_CORE = 4;
/** Resident set size. @public */
export const RLIMIT_RSS = 5;
/** Number of processes of the real user. @public */
export const RLIMIT_NPROC = 6;
/** One more than the highest file descriptor number a task may open (EMFILE beyond it). @public */
export const RLIMIT_NOFILE = 7;
/** Locked memory. @public */
export const RLIMIT_MEMLOCK = 8;
/** Address space. @public */
export const RLIMIT_AS = 9;
/** File locks. @public */
export const RLIMIT_LOCKS = 10;
/** Pending signals. @public */
export const RLIMIT_SIGPENDING = 11;
/** POSIX message queue bytes. @public */
export const RLIMIT_MSGQUEUE = 12;
/** Nice ceiling. @public */
export const RLIMIT_NICE = 13;
/** Real-time priority ceiling. @public */
export const RLIMIT_RTPRIO = 14;
/** Real-time CPU time in microseconds. @public */
export const RLIMIT_RTTIME = 15;
/** The number of resources (RLIM_NLIMITS). @public */
export const RLIM_NLIMITS = 16;

/**
 * "No limit". Linux's RLIM_INFINITY is the largest unsigned 64-bit value; here it is
 * `Infinity`, so comparisons need no special case.
 * @public
 */
export const RLIM_INFINITY = Infinity;

/**
 * The default ceiling of RLIMIT_NOFILE's hard limit (Linux's `fs.nr_open`, 1048576).
 * @public
 */
export const NR_OPEN = 1_048_576;

/**
 * One resource limit: the soft limit that applies and the hard ceiling for it.
 * @public
 */
export interface Rlimit {
  /** The soft limit (`rlim_cur`). */
  readonly cur: number;
  /** The hard limit (`rlim_max`). */
  readonly max: number;
}

const MIB = 1024 * 1024;

/** Linux's INIT_RLIMITS (include/asm-generic/resource.h), for the resources modelled. */
const DEFAULTS: readonly Rlimit[] = [
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // CPU
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // FSIZE
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // DATA
  { cur: 8 * MIB, max: RLIM_INFINITY }, // STACK (_STK_LIM)
  { cur: 0, max: RLIM_INFINITY }, // CORE
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // RSS
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // NPROC (Linux derives it from memory)
  { cur: 1024, max: 4096 }, // NOFILE (INR_OPEN_CUR, INR_OPEN_MAX)
  { cur: 8 * MIB, max: 8 * MIB }, // MEMLOCK
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // AS
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // LOCKS
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // SIGPENDING (Linux derives it from memory)
  { cur: 819_200, max: 819_200 }, // MSGQUEUE
  { cur: 0, max: 0 }, // NICE
  { cur: 0, max: 0 }, // RTPRIO
  { cur: RLIM_INFINITY, max: RLIM_INFINITY }, // RTTIME
];

/**
 * A set of resource limits (gVisor's `limits.LimitSet`): an immutable value, replaced
 * as a whole by {@link LimitSet.set}, so a forked task can share its parent's set.
 * @public
 */
export class LimitSet {
  readonly #limits: readonly Rlimit[];

  private constructor(limits: readonly Rlimit[]) {
    this.#limits = limits;
  }

  /** Linux's defaults for a first process (RLIMIT_NOFILE 1024 / 4096, the rest as INIT_RLIMITS). */
  static defaults(): LimitSet {
    return new LimitSet(DEFAULTS);
  }

  /**
   * The limit of `resource`.
   * @param resource - An RLIMIT_* number.
   * @throws EINVAL - `resource` is not below {@link RLIM_NLIMITS}.
   */
  get(resource: number): Rlimit {
    const limit = this.#limits[resource];
    if (limit === undefined || !Number.isInteger(resource)) throw new SysError("EINVAL", { syscall: "getrlimit" });
    return limit;
  }

  /**
   * The set with `resource` changed to `limit`, as setrlimit(2) checks it (Linux's
   * `do_prlimit`).
   *
   * @param creds - The caller's credentials (CAP_SYS_RESOURCE allows raising a hard limit).
   * @param resource - An RLIMIT_* number.
   * @param limit - The new soft and hard limits.
   * @returns The new set.
   * @throws EINVAL - `resource` is not below {@link RLIM_NLIMITS}.
   * @throws EINVAL - `limit.cur` is above `limit.max`, or either is negative.
   * @throws EPERM - RLIMIT_NOFILE above {@link NR_OPEN}.
   * @throws EPERM - Raising the hard limit without CAP_SYS_RESOURCE.
   */
  set(creds: Credentials, resource: number, limit: Rlimit): LimitSet {
    const old = this.get(resource);
    if (!(limit.cur <= limit.max) || limit.cur < 0 || limit.max < 0) {
      throw new SysError("EINVAL", { syscall: "setrlimit", detail: "soft limit above hard limit" });
    }
    if (resource === RLIMIT_NOFILE && limit.max > NR_OPEN) {
      throw new SysError("EPERM", { syscall: "setrlimit", detail: "RLIMIT_NOFILE above fs.nr_open" });
    }
    // capable(): CAP_SYS_RESOURCE in the initial user namespace.
    if (limit.max > old.max && !creds.hasRootCapability(Capability.CAP_SYS_RESOURCE)) {
      throw new SysError("EPERM", { syscall: "setrlimit", detail: "raising a hard limit needs CAP_SYS_RESOURCE" });
    }
    const limits = [...this.#limits];
    limits[resource] = { cur: limit.cur, max: limit.max };
    return new LimitSet(limits);
  }
}
