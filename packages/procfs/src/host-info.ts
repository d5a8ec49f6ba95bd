// Facts about the host that a kernel model cannot know by itself: the CPUs, the memory
// size, a source of randomness. Injected (DESIGN.md D6) so that procfs runs anywhere and
// tests are deterministic.

/**
 * One CPU as /proc/cpuinfo describes it (the x86 fields Linux's `show_cpuinfo` prints).
 * @public
 */
export interface ProcCPUDescription {
  /** `vendor_id` (`GenuineIntel`, `AuthenticAMD`). */
  readonly vendorId: string;
  /** `cpu family`. */
  readonly family: number;
  /** `model`. */
  readonly model: number;
  /** `model name`. */
  readonly modelName: string;
  /** `stepping`. */
  readonly stepping: number;
  /** `microcode`, printed in hex. */
  readonly microcode: number;
  /** `cpu MHz`. */
  readonly mhz: number;
  /** `cache size` in KB. */
  readonly cacheSizeKB: number;
  /** `cpuid level`. */
  readonly cpuidLevel: number;
  /** `flags`, space-separated. */
  readonly flags: readonly string[];
  /** `bugs`, space-separated. */
  readonly bugs: readonly string[];
  /** `address sizes`: physical and virtual bits. */
  readonly addressBits: readonly [physical: number, virtual: number];
}

/**
 * What procfs needs to know about the machine it pretends to run on: CPUs for
 * /proc/cpuinfo, /proc/stat and `Cpus_allowed`, total memory for /proc/meminfo, and
 * random bytes for `random/boot_id` and `random/uuid`.
 *
 * @remarks
 * Every value is read when a file is generated, so an implementation may track a real
 * host. {@link fakeHostInfo} gives a deterministic one for tests; {@link defaultHostInfo}
 * a plain two-CPU, 1 GiB machine whose randomness comes from `crypto.getRandomValues`
 * where the platform has it.
 * @public
 */
export interface ProcHostInfo {
  /** The number of online CPUs (at least 1). */
  cpuCount(): number;
  /** The description of CPU `index` (0 ≤ index \< cpuCount). */
  cpu(index: number): ProcCPUDescription;
  /** Total memory, in bytes (MemTotal). */
  memTotalBytes(): number;
  /**
   * Memory the host itself uses outside the kernel model (kernel code, slab…), in bytes;
   * subtracted from MemFree. 0 is fine.
   */
  memReservedBytes(): number;
  /** Fills `bytes` with random values. */
  randomBytes(bytes: Uint8Array): void;
}

/**
 * Options of {@link fakeHostInfo} and {@link defaultHostInfo}.
 * @public
 */
export interface HostInfoOptions {
  /** CPUs (default 2). */
  readonly cpus?: number;
  /** Total memory in bytes (default 1 GiB). */
  readonly memTotalBytes?: number;
  /** Reserved memory in bytes (default 0). */
  readonly memReservedBytes?: number;
  /** The CPU model (default: a generic x86-64 CPU). */
  readonly cpu?: Partial<ProcCPUDescription>;
  /** Seed of the deterministic random bytes (fake only; default 1). */
  readonly seed?: number;
}

const GENERIC_CPU: ProcCPUDescription = {
  vendorId: "GenuineIntel",
  family: 6,
  model: 85,
  modelName: "vfskit virtual CPU",
  stepping: 7,
  microcode: 1,
  mhz: 2000,
  cacheSizeKB: 16384,
  cpuidLevel: 13,
  flags: ["fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "sep", "mtrr", "pge", "mca", "cmov", "pat", "clflush", "mmx", "fxsr", "sse", "sse2", "syscall", "nx", "lm", "pni", "ssse3", "cx16", "sse4_1", "sse4_2", "popcnt", "hypervisor"],
  bugs: [],
  addressBits: [46, 48],
};

class StaticHostInfo implements ProcHostInfo {
  readonly #cpus: number;
  readonly #mem: number;
  readonly #reserved: number;
  readonly #cpu: ProcCPUDescription;
  readonly #random: (bytes: Uint8Array) => void;

  constructor(opts: HostInfoOptions, random: (bytes: Uint8Array) => void) {
    this.#cpus = Math.max(1, Math.floor(opts.cpus ?? 2));
    this.#mem = opts.memTotalBytes ?? 1024 * 1024 * 1024;
    this.#reserved = opts.memReservedBytes ?? 0;
    this.#cpu = { ...GENERIC_CPU, ...opts.cpu };
    this.#random = random;
  }

  cpuCount(): number {
    return this.#cpus;
  }

  cpu(_index: number): ProcCPUDescription {
    return this.#cpu;
  }

  memTotalBytes(): number {
    return this.#mem;
  }

  memReservedBytes(): number {
    return this.#reserved;
  }

  randomBytes(bytes: Uint8Array): void {
    this.#random(bytes);
  }
}

/** A small deterministic generator (xorshift32), for tests. */
function seededRandom(seed: number): (bytes: Uint8Array) => void {
  let state = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bytes[i] = state & 0xff;
    }
  };
}

/**
 * A deterministic host for tests: fixed CPUs and memory, random bytes from a seeded
 * generator.
 * @param opts - CPUs, memory, CPU model, seed.
 * @returns The host description.
 * @public
 */
export function fakeHostInfo(opts: HostInfoOptions = {}): ProcHostInfo {
  return new StaticHostInfo(opts, seededRandom(opts.seed ?? 1));
}

/**
 * The host procfs uses when none is given: two CPUs and 1 GiB unless `opts` says
 * otherwise, and `crypto.getRandomValues` for randomness (a seeded generator where the
 * platform has no Web Crypto).
 * @param opts - CPUs, memory, CPU model.
 * @returns The host description.
 * @public
 */
export function defaultHostInfo(opts: HostInfoOptions = {}): ProcHostInfo {
  const crypto = (globalThis as { crypto?: { getRandomValues?(bytes: Uint8Array): Uint8Array } }).crypto;
  const random =
    crypto !== undefined && typeof crypto.getRandomValues === "function"
      ? (bytes: Uint8Array): void => void crypto.getRandomValues?.(bytes)
      : seededRandom(Date.now());
  return new StaticHostInfo(opts, random);
}

/**
 * A random UUID (version 4) in Linux's `%pUb` text form, as /proc/sys/kernel/random/uuid
 * prints it.
 * @param host - The source of random bytes.
 * @returns `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
 * @public
 */
export function randomUUID(host: ProcHostInfo): string {
  const b = new Uint8Array(16);
  host.randomBytes(b);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
