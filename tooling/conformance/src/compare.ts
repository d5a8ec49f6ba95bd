/**
 * Comparing two outcomes, the allow-list, and the readable failure report.
 */
import * as fs from "node:fs";
import { fileURLToPath } from "node:url";
import type { SequenceOutcome } from "./host-executor.js";
import { formatOp, formatResult, formatScript, type Op, type StepResult } from "./model.js";
import type { Tree, TreeEntry } from "./tree.js";

/** One difference between the host and vfskit. */
export interface Difference {
  /** The step index, or -1 for the final tree. */
  step: number;
  /** What differs: the step's text, or the tree path. */
  what: string;
  host: string;
  vfskit: string;
}

/**
 * An allow-list entry: a deliberate difference. `op` names the step kind (or "tree"),
 * `host` and `vfskit` are the two results as {@link formatResult} prints them (or
 * substrings of the tree lines); `reason` says why it is deliberate.
 */
export interface AllowEntry {
  op: string;
  host: string;
  vfskit: string;
  reason: string;
}

const allowListPath = fileURLToPath(new URL("../allow-list.json", import.meta.url));

/** The allow-list file (tooling/conformance/allow-list.json). */
export function loadAllowList(): AllowEntry[] {
  return JSON.parse(fs.readFileSync(allowListPath, "utf8")) as AllowEntry[];
}

function sameResult(a: StepResult | undefined, b: StepResult | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function formatEntry(e: TreeEntry | undefined): string {
  if (e === undefined) return "(absent)";
  const base = formatResult({ ok: { type: e.type, mode: e.mode, nlink: e.nlink, size: e.size, uid: e.uid, gid: e.gid } });
  const extra = e.data !== undefined ? ` data=${JSON.stringify(e.data)}` : e.target !== undefined ? ` -> ${JSON.stringify(e.target)}` : "";
  return base.slice(2) + extra;
}

function compareTrees(host: Tree, vfskit: Tree): Difference[] {
  const out: Difference[] = [];
  const paths = [...new Set([...Object.keys(host), ...Object.keys(vfskit)])].sort();
  for (const p of paths) {
    const a = formatEntry(host[p]);
    const b = formatEntry(vfskit[p]);
    if (a !== b) out.push({ step: -1, what: `tree ${JSON.stringify(p)}`, host: a, vfskit: b });
  }
  return out;
}

function allowed(d: Difference, op: string, allow: readonly AllowEntry[]): boolean {
  return allow.some((e) => e.op === op && d.host.includes(e.host) && d.vfskit.includes(e.vfskit));
}

/**
 * Every difference between the two outcomes that the allow-list does not excuse. A step
 * difference hides the tree differences it explains only if the trees differ too — both
 * are reported, so nothing is lost.
 */
export function compareOutcomes(
  ops: readonly Op[],
  host: SequenceOutcome,
  vfskit: SequenceOutcome,
  allow: readonly AllowEntry[] = [],
): Difference[] {
  const out: Difference[] = [];
  ops.forEach((op, i) => {
    const a = host.results[i];
    const b = vfskit.results[i];
    if (sameResult(a, b)) return;
    const d: Difference = { step: i, what: formatOp(op), host: formatResult(a), vfskit: formatResult(b) };
    if (!allowed(d, op.op, allow)) out.push(d);
  });
  for (const d of compareTrees(host.tree, vfskit.tree)) if (!allowed(d, "tree", allow)) out.push(d);
  return out;
}

/** The report of a failing sequence: the script, every step's results side by side, the differences. */
export function formatReport(
  title: string,
  ops: readonly Op[],
  host: SequenceOutcome,
  vfskit: SequenceOutcome,
  diffs: readonly Difference[],
): string {
  const lines = [title, "", "script:", formatScript(ops), "", "step results (host | vfskit):"];
  ops.forEach((op, i) => {
    const a = formatResult(host.results[i]);
    const b = formatResult(vfskit.results[i]);
    const mark = a === b ? "  " : "!!";
    lines.push(`${mark} ${String(i).padStart(3)}: ${formatOp(op)}  ->  ${a} | ${b}`);
  });
  lines.push("", "differences:");
  for (const d of diffs) lines.push(`  ${d.step >= 0 ? `step ${d.step}: ` : ""}${d.what}\n      host:   ${d.host}\n      vfskit: ${d.vfskit}`);
  return lines.join("\n");
}
