/**
 * Shared vitest settings for every vfskit package.
 *
 * - Workspace packages resolve to their TypeScript sources through the `@vfskit/source`
 *   export condition, so tests never need a build first.
 * - Results are also written as JSON to `test-results/vitest.json`, which
 *   `tooling/scripts/test-summary.mjs` adds up into the one `N passed, N failed` line CI reads.
 */
import { defineConfig, type ViteUserConfig } from "vitest/config";

const conditions = ["@vfskit/source", "module", "node", "development|production"];

/** Options of {@link vfskitVitestConfig}. */
export interface VfskitVitestOptions {
  /** Run the reference leak checker around every test (packages built on @vfskit/vfs). */
  leakCheck?: boolean;
}

const leakCheckSetup = new URL("./leak-check.setup.ts", import.meta.url).pathname;

export function vfskitVitestConfig(
  overrides: NonNullable<ViteUserConfig["test"]> = {},
  options: VfskitVitestOptions = {},
): ViteUserConfig {
  const setupFiles = [
    ...(options.leakCheck ? [leakCheckSetup] : []),
    ...(Array.isArray(overrides.setupFiles) ? overrides.setupFiles : overrides.setupFiles ? [overrides.setupFiles] : []),
  ];
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@vfskit/source"] } },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      // Two packages run at once on a 2-core CI machine; large-data tests need headroom.
      testTimeout: 60_000,
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest.json" },
      ...overrides,
      setupFiles,
    },
  });
}
