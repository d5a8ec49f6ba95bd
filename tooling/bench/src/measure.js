// @ts-check
// Runs one target of one case: mitata for time, a gc-bracketed heap delta for memory.
import process from "node:process";
import { do_not_optimize, measure } from "mitata";

/**
 * @typedef {import("./registry.js").TimeSetup} TimeSetup
 * @typedef {import("./registry.js").MemoryBuild} MemoryBuild
 */

/**
 * Time statistics of one target, in nanoseconds per operation.
 *
 * @typedef {object} TimeResult
 * @property {number} avg - Mean; includes garbage collection, so ratios use it.
 * @property {number} p50 - Median.
 * @property {number} p99 - 99th percentile.
 */

/**
 * Sets a target up, checks it once, times it with mitata and tears it down.
 *
 * @param {TimeSetup} setup - The target's setup function.
 * @param {{ expected?: unknown, hasExpected: boolean }} check - The value it must return.
 * @returns {Promise<TimeResult>} The statistics.
 */
export async function measureTime(setup, check) {
  const prepared = await setup();
  const run = typeof prepared === "function" ? prepared : prepared.run;
  try {
    const first = run();
    if (check.hasExpected && !Object.is(first, check.expected)) {
      throw new Error(`returned ${String(first)}, expected ${String(check.expected)}`);
    }
    const stats = await measure(() => do_not_optimize(run()));
    return { avg: stats.avg, p50: stats.p50, p99: stats.p99 };
  } finally {
    if (typeof prepared !== "function") await prepared.teardown?.();
  }
}

/**
 * Memory result of one target.
 *
 * @typedef {object} MemoryResult
 * @property {number} bytes - Median over rounds of the growth of heap + ArrayBuffer bytes.
 */

/** @returns {number} Bytes in use now: the JS heap plus ArrayBuffer backing stores. */
function bytesInUse() {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Collects garbage until the heap stops shrinking (weak references and finalisers can
 * take more than one pass).
 *
 * @param {() => void} gc - The exposed collector.
 */
function collect(gc) {
  let previous = Infinity;
  for (let pass = 0; pass < 8; pass++) {
    gc();
    const now = bytesInUse();
    if (now >= previous) return;
    previous = now;
  }
}

/**
 * Builds the structure several times and measures how many bytes it keeps alive.
 *
 * @param {MemoryBuild} build - Builds the structure and returns it.
 * @param {number} [rounds] - How many builds; the median is reported.
 * @returns {Promise<MemoryResult>} The retained bytes.
 */
export async function measureMemory(build, rounds = 5) {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error("memory cases need `node --expose-gc` (use `pnpm bench`)");
  /** @type {number[]} */
  const samples = [];
  for (let round = 0; round < rounds; round++) {
    collect(gc);
    const before = bytesInUse();
    const retained = await build();
    collect(gc);
    samples.push(bytesInUse() - before);
    // Keeps the structure alive until after the second reading; it is garbage from the
    // next round on.
    do_not_optimize(retained);
  }
  samples.sort((a, b) => a - b);
  return { bytes: samples[Math.floor(samples.length / 2)] ?? 0 };
}
