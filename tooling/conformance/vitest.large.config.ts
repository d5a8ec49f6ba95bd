import { vfskitVitestConfig } from "../../tooling/config/vitest.shared.js";

// The large run (`pnpm conformance`): one file, no timeout, results to their own JSON file
// so a large run never overwrites the fast slice's CI results.
export default vfskitVitestConfig({
  include: ["src/**/*.large.ts"],
  testTimeout: 3_600_000,
  outputFile: { json: "test-results/conformance-large.json" },
});
