// @ts-check
// Runs one target of one case: mitata for time, a gc-bracketed heap delta for memory.
import process from "node:process";
import { do_not_optimize, measure } from "mitata";

/**
 * @typedef {import("./registry.js").TimeSetup} TimeSetup
 * @typedef {import("./registry.js").MemoryBuild} MemoryBuild
 * @typedef {import("./registry.js").ResettableMemoryBuild} ResettableMemoryBuild
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
 * @param {{ expected?: unknown, hasExpected: boolean, minSamples?: number | undefined }} check - The value
 *   it must return, and the fewest timed calls.
 * @returns {Promise<TimeResult>} The statistics, per unit operation (divided by the
 *   target's `opsPerCall`).
 */
export async function measureTime(setup, check) {
  const prepared = await setup();
  const run = typeof prepared === "function" ? prepared : prepared.run;
  const beforeEach = typeof prepared === "function" ? undefined : prepared.beforeEach;
  const opsPerCall = typeof prepared === "function" ? 1 : (prepared.opsPerCall ?? 1);
  try {
    await beforeEach?.();
    const first = run();
    if (check.hasExpected && !Object.is(first, check.expected)) {
      throw new Error(`returned ${String(first)}, expected ${String(check.expected)}`);
    }
    /** @type {Record<string, unknown>} */
    const options = {};
    if (check.minSamples !== undefined) options["min_samples"] = check.minSamples;
    /** @type {{ avg: number, p50: number, p99: number }} */
    let stats;
    if (beforeEach === undefined) {
      stats = await measure(() => do_not_optimize(run()), options);
    } else {
      // mitata computes a generator's parameters outside the timed region, right before
      // each call when batching is off (batch_threshold -1: never batch).
      options["batch_threshold"] = -1;
      stats = await measure(function* () {
        yield {
          0: beforeEach,
          /** @param {unknown} _prepared - beforeEach's (ignored) result. */
          bench: (_prepared) => do_not_optimize(run()),
        };
      }, options);
    }
    return { avg: stats.avg / opsPerCall, p50: stats.p50 / opsPerCall, p99: stats.p99 / opsPerCall };
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
 * @param {MemoryBuild | ResettableMemoryBuild} target - Builds the structure and returns it
 *   (with a reset when something global also holds it).
 * @param {number} [rounds] - How many builds; the median is reported.
 * @returns {Promise<MemoryResult>} The retained bytes.
 */
export async function measureMemory(target, rounds = 5) {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error("memory cases need `node --expose-gc` (use `pnpm bench`)");
  const build = typeof target === "function" ? target : target.build;
  const reset = typeof target === "function" ? undefined : target.reset;
  /** @type {number[]} */
  const samples = [];
  try {
    for (let round = 0; round < rounds; round++) {
      await reset?.();
      collect(gc);
      const before = bytesInUse();
      const retained = await build();
      collect(gc);
      samples.push(bytesInUse() - before);
      // Keeps the structure alive until after the second reading; it is garbage from the
      // next round on.
      do_not_optimize(retained);
    }
  } finally {
    await reset?.();
  }
  samples.sort((a, b) => a - b);
  return { bytes: samples[Math.floor(samples.length / 2)] ?? 0 };
}
