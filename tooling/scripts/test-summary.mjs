// Adds up every workspace package's vitest JSON report and prints the one closing line
// CI reads: `N passed, N failed[, N skipped]`. Exits 1 when nothing passed or anything failed.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

for (const group of ["packages", "apps", "tooling"]) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir)) {
    const pkgJson = join(groupDir, name, "package.json");
    if (!existsSync(pkgJson)) continue;
    const pkg = JSON.parse(readFileSync(pkgJson, "utf8"));
    if (!pkg.scripts?.test) continue;
    const report = join(groupDir, name, "test-results", "vitest.json");
    if (!existsSync(report)) {
      missing.push(`${group}/${name}`);
      continue;
    }
    const r = JSON.parse(readFileSync(report, "utf8"));
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  }
}
if (missing.length > 0) {
  console.error(`no test report from: ${missing.join(", ")}`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(passed > 0 && failed === 0 ? 0 : 1);
