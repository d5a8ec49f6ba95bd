/**
 * The large run (`pnpm conformance`): CONFORMANCE_SEQUENCES (default 10,000) random
 * sequences for one user, from CONFORMANCE_SEED (default: random, printed), then the
 * named corpus; prints `N sequences, M steps, K differences`.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { CORPUS } from "./corpus.js";
import { hostUnavailable } from "./host-executor.js";
import { Differ, formatStats, runRandom } from "./runner.js";
import type { RunUser } from "./tree.js";

/** Registers the large run for `user` in the calling test file. */
export function largeRun(user: RunUser): void {
  const numRuns = Number(process.env["CONFORMANCE_SEQUENCES"] ?? 10_000);
  const seed = Number(process.env["CONFORMANCE_SEED"] ?? Math.floor(Math.random() * 2 ** 31));
  const path = process.env["CONFORMANCE_PATH"];
  let differ: Differ;
  // The large run is asked for explicitly: it fails rather than skips.
  const reason = hostUnavailable();
  if (reason !== undefined) throw new Error(`@vfskit/conformance: ${reason}`);
  beforeAll(() => {
    differ = Differ.start(user);
  });
  afterAll(async () => {
    await differ.close();
  });

  test(`${numRuns} random sequences and the corpus as ${user.name} (seed ${seed})`, async () => {
    const started = Date.now();
    const stats = await runRandom(differ, { seed, numRuns, maxReports: 10, ...(path === undefined ? {} : { path }) });
    for (const c of CORPUS) {
      const { diffs, report, okSteps } = await differ.diff(c.ops, `${user.name}: corpus case "${c.name}"`);
      stats.sequences++;
      stats.steps += c.ops.length;
      stats.okSteps += okSteps;
      if (diffs.length > 0) {
        stats.differences++;
        stats.reports.push(report);
      }
    }
    for (const r of stats.reports) console.log(`${r}\n`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${formatStats(stats)}\n(${user.name}, seed ${seed}, ${seconds} s)`);
    expect(stats.differences).toBe(0);
  });
}
