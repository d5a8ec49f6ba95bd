// @ts-check
// `pnpm bench [filter ...]`: runs every case whose "group name" contains one of the filters
// (all cases without a filter) against vfskit and its peers in this one process, and prints
// time per operation with each peer's ratio to vfskit. See README.md.
import console from "node:console";
import { cpus } from "node:os";
import process from "node:process";
import { allCases } from "./cases/index.js";
import { formatBytes, formatDuration, formatRatio, formatRow, formatThroughput } from "./format.js";
import { measureMemory, measureTime } from "./measure.js";
import { targetOrder } from "./registry.js";
import { describeNodeTmpfs } from "./targets/node-tmpfs.js";
import { peerVersions } from "./targets/peers.js";

/**
 * @typedef {import("./registry.js").Case} Case
 * @typedef {import("./registry.js").TimeCase} TimeCase
 * @typedef {import("./registry.js").MemoryCase} MemoryCase
 */

const usage = `usage: pnpm bench [--list] [filter ...]
  filter   run only cases whose "group name" contains it (case-insensitive)
  --list   print the matching cases without running them`;

const timeColumns = ["case", "target", "avg/op", "p50", "p99", "throughput", "vs vfskit"];
const timeWidths = [38, 13, 10, 10, 10, 13, 14];
const memoryColumns = ["case", "target", "retained", "per item", "", "", "vs vfskit"];

/**
 * @param {string} message - Why the target failed.
 * @returns {string} A short cell.
 */
function errorCell(message) {
  return `error: ${message.split("\n")[0] ?? ""}`;
}

/**
 * @param {TimeCase} testCase - The case to run.
 */
async function runTimeCase(testCase) {
  /** @type {number | undefined} */
  let vfskitAvg;
  let label = testCase.name;
  for (const target of targetOrder(testCase.targets)) {
    const setup = testCase.targets[target];
    /** @type {string[]} */
    let cells;
    if (setup === undefined) {
      cells = [label, target, "—", "", "", "", ""];
    } else {
      try {
        const result = await measureTime(setup, {
          expected: testCase.expected,
          hasExpected: "expected" in testCase,
          minSamples: testCase.minSamples,
        });
        if (target === "vfskit") vfskitAvg = result.avg;
        cells = [
          label,
          target,
          formatDuration(result.avg),
          formatDuration(result.p50),
          formatDuration(result.p99),
          testCase.bytesPerOp === undefined ? "" : formatThroughput(testCase.bytesPerOp, result.avg),
          target === "vfskit" || vfskitAvg === undefined ? "" : formatRatio(result.avg, vfskitAvg, "time"),
        ];
      } catch (error) {
        process.exitCode = 1;
        cells = [label, target, errorCell(error instanceof Error ? error.message : String(error))];
      }
    }
    console.log(formatRow(cells, timeWidths));
    label = "";
  }
}

/**
 * @param {MemoryCase} testCase - The case to run.
 */
async function runMemoryCase(testCase) {
  /** @type {number | undefined} */
  let vfskitBytes;
  let label = `${testCase.name} (memory)`;
  for (const target of targetOrder(testCase.targets)) {
    const build = testCase.targets[target];
    /** @type {string[]} */
    let cells;
    if (build === undefined) {
      cells = [label, target, "—"];
    } else {
      try {
        const { bytes } = await measureMemory(build);
        if (target === "vfskit") vfskitBytes = bytes;
        cells = [
          label,
          target,
          formatBytes(bytes),
          `${formatBytes(bytes / testCase.items)}`,
          "",
          "",
          target === "vfskit" || vfskitBytes === undefined ? "" : formatRatio(bytes, vfskitBytes, "memory"),
        ];
      } catch (error) {
        process.exitCode = 1;
        cells = [label, target, errorCell(error instanceof Error ? error.message : String(error))];
      }
    }
    console.log(formatRow(cells, timeWidths));
    label = "";
  }
}

/**
 * @param {readonly Case[]} cases - All cases.
 * @param {readonly string[]} filters - Substrings; empty keeps every case.
 * @returns {Case[]} The cases to run.
 */
function selectCases(cases, filters) {
  const lowered = filters.map((filter) => filter.toLowerCase());
  return cases.filter((testCase) => {
    const title = `${testCase.group} ${testCase.name}`.toLowerCase();
    return lowered.length === 0 || lowered.some((filter) => title.includes(filter));
  });
}

function printHeader() {
  const cpu = cpus();
  const pinned = peerVersions();
  const versions = ["memfs", "@zenfs/core", "mitata"].map((name) => `${name} ${pinned[name] ?? "?"}`).join(", ");
  console.log(`vfskit bench, ${new Date().toISOString()}`);
  console.log(`node ${process.version} on ${process.platform}/${process.arch}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`);
  console.log(`peers and harness: ${versions}`);
  console.log("Times are per operation; ratios compare each peer with vfskit in this run.");
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    return;
  }
  const unknown = args.filter((arg) => arg.startsWith("-") && arg !== "--list");
  if (unknown.length > 0) {
    console.error(`unknown option ${unknown.join(", ")}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const selected = selectCases(allCases, args.filter((arg) => !arg.startsWith("-")));
  if (args.includes("--list")) {
    for (const testCase of selected) console.log(`${testCase.group}: ${testCase.name}`);
    return;
  }
  if (selected.length === 0) {
    console.error("no case matches");
    process.exitCode = 2;
    return;
  }
  printHeader();
  let group = "";
  let kind = "";
  for (const testCase of selected) {
    if (testCase.group !== group) {
      group = testCase.group;
      kind = "";
      console.log(`\n== ${group}`);
    }
    if ((testCase.kind ?? "time") !== kind) {
      kind = testCase.kind ?? "time";
      console.log(formatRow(kind === "memory" ? memoryColumns : timeColumns, timeWidths));
    }
    if (testCase.kind === "memory") await runMemoryCase(testCase);
    else await runTimeCase(testCase);
    if (testCase.note !== undefined) console.log(`  note: ${testCase.note}`);
  }
  console.log(`\nnode target directory: ${describeNodeTmpfs()}`);
}

await main();
