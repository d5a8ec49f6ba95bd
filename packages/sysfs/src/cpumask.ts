// The two ways Linux prints a set of CPUs in sysfs: as a list ("0-3,5") and as a hex mask
// ("1f,ffffffff"). Twin of fullCPUMask/oneCPUMask in gVisor's
// pkg/sentry/fsimpl/sys/sys.go, generalised to any set of CPUs as Linux's
// lib/vsprintf.c (bitmap_string, bitmap_list_string) prints them.
import { InternalError } from "@vfskit/vfs";

/** Bits per word of a printed CPU mask. */
const WORD_BITS = 32;

function checkCPUs(cpus: readonly number[], nrCPUs: number): void {
  if (!Number.isSafeInteger(nrCPUs) || nrCPUs < 1) throw new InternalError(`sysfs: bad CPU count ${nrCPUs}`);
  for (const cpu of cpus) {
    if (!Number.isSafeInteger(cpu) || cpu < 0 || cpu >= nrCPUs) throw new InternalError(`sysfs: CPU ${cpu} outside 0-${nrCPUs - 1}`);
  }
}

/**
 * Prints a set of CPUs as Linux's CPU lists (`online`, `possible`, `*_list`): ascending
 * ranges separated by commas, a range of one CPU as the bare number (`0`, `0-3`,
 * `0-2,5,7-8`), nothing for an empty set.
 *
 * @remarks
 * This is Linux's `%*pbl` format (lib/vsprintf.c `bitmap_list_string`). gVisor prints
 * `0-%d` for the CPU files, which is `0-0` for one CPU where Linux prints `0`. No newline
 * is added.
 *
 * @param cpus - CPU numbers, in any order; duplicates are ignored.
 * @returns The list.
 * @public
 */
export function formatCPUList(cpus: Iterable<number>): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    const first = sorted[i] as number;
    let last = first;
    i++;
    while (i < sorted.length && sorted[i] === last + 1) {
      last++;
      i++;
    }
    parts.push(first === last ? `${first}` : `${first}-${last}`);
  }
  return parts.join(",");
}

/**
 * Prints a set of CPUs as Linux's CPU masks (`topology/core_cpus`, `package_cpus`…):
 * 32-bit hexadecimal words separated by commas, most significant first.
 *
 * @remarks
 * Linux's `%*pb` format (lib/vsprintf.c `bitmap_string`, reached through
 * `cpumap_print_to_pagebuf`): the mask is `nrCPUs` bits wide (Linux's `nr_cpu_ids`);
 * every word but the first is printed as 8 digits, the first — which holds the
 * `nrCPUs % 32` top bits, or 32 — as many digits as those bits need, zero-padded. So
 * with 37 CPUs the full mask is `1f,ffffffff` and CPU 0 alone of 33 is `0,00000001`;
 * with 2 CPUs, CPU 0 is `1` and both are `3` (what a 2-CPU Linux host prints). No
 * newline is added.
 *
 * @param cpus - CPU numbers below `nrCPUs`, in any order.
 * @param nrCPUs - The width of the mask in CPUs (at least 1).
 * @returns The mask.
 * @throws InternalError if `nrCPUs` is not a positive integer or a CPU is out of range.
 * @public
 */
export function formatCPUMask(cpus: Iterable<number>, nrCPUs: number): string {
  const list = [...cpus];
  checkCPUs(list, nrCPUs);
  const nwords = Math.ceil(nrCPUs / WORD_BITS);
  const words = new Uint32Array(nwords);
  for (const cpu of list) {
    const w = Math.floor(cpu / WORD_BITS);
    words[w] = ((words[w] as number) | (1 << (cpu % WORD_BITS))) >>> 0;
  }
  const topBits = nrCPUs % WORD_BITS === 0 ? WORD_BITS : nrCPUs % WORD_BITS;
  let out = "";
  for (let w = nwords - 1; w >= 0; w--) {
    const width = w === nwords - 1 ? Math.ceil(topBits / 4) : 8;
    if (out.length !== 0) out += ",";
    out += (words[w] as number).toString(16).padStart(width, "0");
  }
  return out;
}

/**
 * The mask of all `nrCPUs` CPUs (gVisor's `fullCPUMask`): `formatCPUMask(0…nrCPUs-1)`.
 * @param nrCPUs - How many CPUs (at least 1).
 * @returns The mask, e.g. `1f,ffffffff` for 37.
 * @throws InternalError if `nrCPUs` is not a positive integer.
 * @public
 */
export function fullCPUMask(nrCPUs: number): string {
  checkCPUs([], nrCPUs);
  const all: number[] = [];
  for (let i = 0; i < nrCPUs; i++) all.push(i);
  return formatCPUMask(all, nrCPUs);
}

/**
 * The mask of CPU `cpu` alone among `nrCPUs` (gVisor's `oneCPUMask`).
 * @param cpu - The CPU, below `nrCPUs`.
 * @param nrCPUs - How many CPUs.
 * @returns The mask, e.g. `0,00000001` for CPU 0 of 33.
 * @throws InternalError if `cpu` is out of range.
 * @public
 */
export function oneCPUMask(cpu: number, nrCPUs: number): string {
  return formatCPUMask([cpu], nrCPUs);
}
