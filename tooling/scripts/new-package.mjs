// Scaffolds a published @vfskit/* package with the repository's conventions:
//   node tooling/scripts/new-package.mjs <name> "<one-line description>" [dep ...]
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: new-package.mjs <name> "<description>" [dep ...]');
  process.exit(2);
}
const root = new URL("../..", import.meta.url).pathname;
const dir = join(root, "packages", name);
if (existsSync(dir)) {
  console.error(`packages/${name} exists`);
  process.exit(1);
}
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "etc"), { recursive: true });
const write = (file, text) => writeFileSync(join(dir, file), text);
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

write("package.json", json({
  name: `@vfskit/${name}`,
  version: "0.0.0",
  description,
  license: "Apache-2.0",
  type: "module",
  sideEffects: false,
  exports: {
    ".": { "@vfskit/source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
    "./package.json": "./package.json",
    "./internal/*": null,
  },
  files: ["dist", "src", "!src/**/*.test.ts", "!src/**/*.test-d.ts"],
  engines: { node: ">=20.19" },
  publishConfig: { access: "public" },
  repository: { type: "git", url: "git+https://github.com/vfskit/vfskit.git", directory: `packages/${name}` },
  scripts: {
    build: "tsc -p tsconfig.build.json",
    typecheck: "tsc -p tsconfig.json",
    lint: "eslint .",
    test: "vitest run",
    api: "api-extractor run",
    "api:update": "api-extractor run --local",
  },
  dependencies: Object.fromEntries(deps.map((d) => [`@vfskit/${d}`, "workspace:^"])),
}));
write("tsconfig.json", json({
  extends: "../../tsconfig.base.json",
  compilerOptions: { noEmit: true },
  include: ["src", "vitest.config.ts"],
}));
write("tsconfig.build.json", json({
  extends: "./tsconfig.json",
  compilerOptions: { rootDir: "src", outDir: "dist", noEmit: false, customConditions: [] },
  include: ["src"],
  exclude: ["src/**/*.test.ts", "src/**/*.test-d.ts", "src/**/testing-fixtures/**"],
}));
write("api-extractor.json", json({ extends: "../../tooling/config/api-extractor.base.json", projectFolder: "." }));
write("tsdoc.json", json({
  $schema: "https://developer.microsoft.com/json-schemas/tsdoc/v0/tsdoc.schema.json",
  extends: ["../../tooling/config/tsdoc.base.json"],
}));
write("vitest.config.ts", 'import { vfskitVitestConfig } from "../../tooling/config/vitest.shared.js";\n\nexport default vfskitVitestConfig();\n');
write("README.md", `# @vfskit/${name}\n\n${description}\n`);
console.log(`created packages/${name}`);
