/**
 * Tests of the harness itself: the comparison sees differences, the allow-list excuses only
 * what it names, scripts print readably, and the host side really runs with the run's
 * credentials.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compareOutcomes, formatReport, loadAllowList } from "./compare.js";
import { HostExecutor, skipHostTests, type SequenceOutcome } from "./host-executor.js";
import { formatScript, type Op } from "./model.js";
import { ROOT_USER, UNPRIVILEGED_USER } from "./tree.js";
import { VfskitExecutor } from "./vfskit-executor.js";

const ops: Op[] = [
  { op: "open", path: "/home/n", flags: 0o102, mode: 0o644 },
  { op: "write", fd: 0, data: "hi" },
  { op: "stat", path: "/secret/s" },
  { op: "access", path: "/secret", mode: 1 },
];

describe.skipIf(skipHostTests())("the harness", () => {
  let host: HostExecutor;
  beforeAll(() => {
    host = HostExecutor.start(UNPRIVILEGED_USER);
  });
  afterAll(async () => {
    await host.close();
  });

  test("the host runs unprivileged: /secret is closed to it, as to vfskit's task", async () => {
    const h = await host.run(ops);
    expect(h.results).toEqual([{ ok: "fd" }, { ok: 2 }, { err: 13 }, { err: 13 }]);
    expect(h.tree["/home/n"]).toMatchObject({ type: "reg", mode: 0o644, uid: 1000, gid: 1000, data: "hi" });
    const v = new VfskitExecutor(UNPRIVILEGED_USER).run(ops);
    expect(compareOutcomes(ops, h, v)).toEqual([]);
    const root = new VfskitExecutor(ROOT_USER).run(ops);
    expect(root.results[2]).toMatchObject({ ok: { type: "reg" } });
  });

  test("step and tree differences are found; the allow-list excuses only what it names", async () => {
    const h = await host.run(ops);
    const changed: SequenceOutcome = {
      results: [...h.results.slice(0, 3), { ok: null }],
      tree: { ...h.tree, "/home/n": { ...h.tree["/home/n"]!, mode: 0o600 } },
    };
    const diffs = compareOutcomes(ops, h, changed);
    expect(diffs.map((d) => d.what)).toEqual(['access("/secret", 1)', 'tree "/home/n"']);
    expect(diffs[0]).toMatchObject({ host: "EACCES", vfskit: "= 0" });
    const allow = [{ op: "access", host: "EACCES", vfskit: "= 0", reason: "test" }];
    expect(compareOutcomes(ops, h, changed, allow).map((d) => d.what)).toEqual(['tree "/home/n"']);
    const report = formatReport("title", ops, h, changed, diffs);
    expect(report).toContain('!!   3: access("/secret", 1)  ->  EACCES | = 0');
  });

  test("scripts print one call a line, naming descriptor slots", () => {
    expect(formatScript(ops)).toBe(
      [
        '  0: open("/home/n", O_RDWR|O_CREAT, 0644)   // -> #0',
        '  1: write(#0, "hi")',
        '  2: stat("/secret/s")',
        '  3: access("/secret", 1)',
      ].join("\n"),
    );
  });

  test("every allow-list entry has a reason", () => {
    for (const entry of loadAllowList()) expect(entry.reason.length).toBeGreaterThan(10);
  });
});
