/**
 * The fast slice of random sequences (CI): a few hundred per user, a fixed seed unless
 * CONFORMANCE_SEED is set. `CONFORMANCE_PATH` replays one run (from a report).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { skipHostTests } from "./host-executor.js";
import { Differ, formatStats, runRandom } from "./runner.js";
import { ROOT_USER, UNPRIVILEGED_USER } from "./tree.js";

const seed = Number(process.env["CONFORMANCE_SEED"] ?? 20261121);
const numRuns = Number(process.env["CONFORMANCE_FAST_SEQUENCES"] ?? 400);
const path = process.env["CONFORMANCE_PATH"];
const only = process.env["CONFORMANCE_USER"];
const skip = skipHostTests();

for (const user of [ROOT_USER, UNPRIVILEGED_USER]) {
  describe.skipIf(skip || (only !== undefined && only !== user.name))(`random sequences as ${user.name}`, () => {
    let differ: Differ;
    beforeAll(() => {
      differ = Differ.start(user);
    });
    afterAll(async () => {
      await differ.close();
    });

    test(`${numRuns} sequences from seed ${seed} match the host`, async () => {
      const stats = await runRandom(differ, { seed, numRuns, maxReports: Number(process.env["CONFORMANCE_REPORTS"] ?? 5), ...(path === undefined ? {} : { path }) });
      console.log(formatStats(stats));
      for (const r of stats.reports) console.log(r);
      expect(stats.reports.join("\n\n")).toBe("");
      expect(stats.differences).toBe(0);
    }, 600_000);
  });
}
