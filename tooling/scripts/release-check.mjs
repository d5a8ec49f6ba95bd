// Packs every public workspace package with pnpm (which rewrites `workspace:` ranges the
// way publishing does) and checks each tarball with publint and are-the-types-wrong
// (esm-only profile), so a broken `exports` map never ships. Expects `dist/` to be built.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const out = join(root, ".pack");
rmSync(out, { recursive: true, force: true });
mkdirSync(out);

const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, stdio: "inherit" }).status ?? 1;

let failures = 0;
let checked = 0;
for (const name of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", name);
  const pkgPath = join(dir, "package.json");
  if (!existsSync(pkgPath)) continue;
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
  if (pkg.private) continue;
  if (!existsSync(join(dir, "dist"))) {
    console.error(`release:check: ${pkg.name} has no dist/; build first`);
    failures++;
    continue;
  }
  const before = new Set(readdirSync(out));
  if (run("pnpm", ["pack", "--pack-destination", out], dir) !== 0) {
    failures++;
    continue;
  }
  const tarball = readdirSync(out).find((f) => !before.has(f));
  const file = join(out, tarball);
  console.log(`release:check: ${pkg.name} → ${tarball}`);
  if (run(bin("publint"), ["run", file, "--strict"], root) !== 0) failures++;
  if (run(bin("attw"), [file, "--profile", "esm-only", "--format", "table-flipped"], root) !== 0) failures++;
  checked++;
}
rmSync(out, { recursive: true, force: true });
console.log(`release:check: ${checked} package(s) checked, ${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
