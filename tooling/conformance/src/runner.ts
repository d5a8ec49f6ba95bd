/**
 * Running sequences on both executors: random runs (seeded fast-check, every sequence run,
 * each differing one counted, the first few shrunk and reported) and named corpus cases.
 */
import * as fc from "fast-check";
import { compareOutcomes, formatReport, loadAllowList, type AllowEntry, type Difference } from "./compare.js";
import { sequenceArb } from "./gen.js";
import { HostExecutor } from "./host-executor.js";
import type { Op } from "./model.js";
import type { RunUser } from "./tree.js";
import { VfskitExecutor } from "./vfskit-executor.js";

/** Totals of a run. */
export interface RunStats {
  user: string;
  sequences: number;
  steps: number;
  /** Steps that succeeded on the host (the rest failed with an errno). */
  okSteps: number;
  /** Sequences with at least one difference outside the allow-list. */
  differences: number;
  /** Readable reports of the first differing sequence of each kind of difference (shrunk). */
  reports: string[];
  /** How many sequences showed each kind of difference (`op: host | vfskit`). */
  kinds: Map<string, number>;
}

/** Options of {@link runRandom}. */
export interface RandomRunOptions {
  seed: number;
  numRuns: number;
  /** How many differing sequences to shrink and report (default 3). */
  maxReports?: number;
  /** Replay one run of the seed (fast-check's `path`, printed in every report). */
  path?: string;
}

/** Both executors for one user. */
export class Differ {
  readonly user: RunUser;
  readonly #host: HostExecutor;
  readonly #vfskit: VfskitExecutor;
  readonly #allow: AllowEntry[];

  private constructor(user: RunUser) {
    this.user = user;
    this.#host = HostExecutor.start(user);
    this.#vfskit = new VfskitExecutor(user);
    this.#allow = loadAllowList();
  }

  static start(user: RunUser): Differ {
    return new Differ(user);
  }

  /** Runs `ops` on both sides; returns the differences and a report (empty when equal). */
  async diff(ops: readonly Op[], title: string): Promise<{ diffs: Difference[]; report: string; okSteps: number }> {
    const host = await this.#host.run(ops);
    const vfskit = this.#vfskit.run(ops);
    const diffs = compareOutcomes(ops, host, vfskit, this.#allow);
    const okSteps = host.results.filter((r) => "ok" in r).length;
    return { diffs, okSteps, report: diffs.length === 0 ? "" : formatReport(title, ops, host, vfskit, diffs) };
  }

  async close(): Promise<void> {
    await this.#host.close();
  }
}

/** Runs `numRuns` random sequences from `seed`; never stops early. */
export async function runRandom(differ: Differ, opts: RandomRunOptions): Promise<RunStats> {
  const stats: RunStats = { user: differ.user.name, sequences: 0, steps: 0, okSteps: 0, differences: 0, reports: [], kinds: new Map() };
  const failing: { index: number; kinds: Set<string> }[] = [];
  let index = 0;
  // Phase 1: every sequence, counting; a differing one is remembered by its run index.
  await fc.assert(
    fc.asyncProperty(sequenceArb, async (ops) => {
      const i = index++;
      stats.sequences++;
      stats.steps += ops.length;
      const { diffs, okSteps } = await differ.diff(ops, "");
      stats.okSteps += okSteps;
      if (diffs.length > 0) {
        stats.differences++;
        const kinds = new Set(diffs.map((d) => differenceKind(ops, d)));
        for (const k of kinds) stats.kinds.set(k, (stats.kinds.get(k) ?? 0) + 1);
        failing.push({ index: i, kinds });
      }
    }),
    { seed: opts.seed, numRuns: opts.numRuns, ...(opts.path === undefined ? {} : { path: opts.path }) },
  );
  // Phase 2: shrink the first sequence of each new kind of difference and report it.
  const covered = new Set<string>();
  for (const { index: i, kinds } of failing) {
    if (stats.reports.length >= (opts.maxReports ?? 5)) break;
    if ([...kinds].every((k) => covered.has(k))) continue;
    for (const k of kinds) covered.add(k);
    const path = opts.path ?? String(i);
    let shrunk: Op[] | undefined;
    const details = await fc.check(
      fc.asyncProperty(sequenceArb, async (ops) => (await differ.diff(ops, "")).diffs.length === 0),
      { seed: opts.seed, path, numRuns: 1 },
    );
    if (details.failed && details.counterexample !== null) [shrunk] = details.counterexample;
    const ops = shrunk ?? [];
    const title =
      `${differ.user.name}: difference in sequence ${i} of seed ${opts.seed} ` +
      `(replay: CONFORMANCE_USER=${differ.user.name} CONFORMANCE_SEED=${opts.seed} CONFORMANCE_PATH=${path}); shrunk to ${ops.length} steps`;
    const { report } = await differ.diff(ops, title);
    stats.reports.push(report === "" ? `${title}\n(the shrunk sequence no longer differs: flaky?)` : report);
  }
  return stats;
}

/** A short name for a kind of difference: `open: EISDIR | ENOENT`, or `tree`. */
function differenceKind(ops: readonly Op[], d: Difference): string {
  const op = ops[d.step];
  return op === undefined ? "tree" : `${op.op}: ${d.host} | ${d.vfskit}`;
}

/** `N sequences, M steps, K differences`, then each kind of difference with its count. */
export function formatStats(s: RunStats): string {
  const okShare = s.steps === 0 ? 0 : Math.round((100 * s.okSteps) / s.steps);
  const head = `${s.user}: ${s.sequences} sequences, ${s.steps} steps, ${s.differences} differences (${okShare}% of steps succeeded on the host)`;
  const kinds = [...s.kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n} × ${k}`);
  return [head, ...kinds].join("\n");
}
