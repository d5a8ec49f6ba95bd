// Builds the app for the end-to-end tests: one ES module bundled from the TypeScript
// sources (the workspace packages through their `@vfskit/source` condition), so the tests
// need neither `pnpm build` nor the packages' dist folders. Uses the Vite that vitest
// brings (resolved through vitest, since the app does not depend on Vite directly).
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface ViteBuild {
  build(config: Record<string, unknown>): Promise<unknown>;
}

const appRoot = fileURLToPath(new URL("..", import.meta.url));

/** Bundles src/main.ts into a temporary directory; returns the bundle's path. */
export async function bundleApp(): Promise<string> {
  const requireFromApp = createRequire(join(appRoot, "package.json"));
  const requireFromVitest = createRequire(requireFromApp.resolve("vitest/package.json"));
  const vite = (await import(pathToFileURL(requireFromVitest.resolve("vite")).href)) as ViteBuild;
  const outDir = mkdtempSync(join(tmpdir(), "vfskit-demo-"));
  const conditions = ["@vfskit/source", "module", "node", "development|production"];
  await vite.build({
    configFile: false,
    logLevel: "warn",
    root: appRoot,
    resolve: { conditions },
    ssr: { noExternal: true, target: "node", resolve: { conditions, externalConditions: ["@vfskit/source"] } },
    build: {
      ssr: join(appRoot, "src/main.ts"),
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      rollupOptions: { output: { entryFileNames: "main.mjs" } },
    },
  });
  return join(outDir, "main.mjs");
}
