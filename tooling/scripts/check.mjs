// The one command that checks everything (README: "run every test"; .ci/run calls it):
// build, typecheck, lint, API-report check and tests through turbo, then the packed-tarball
// check, then the summary line. Every stage runs even if an earlier one failed, so the
// summary always reflects the tests; the exit code is non-zero if any stage failed.
import { spawnSync } from "node:child_process";

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", env }).status ?? 1;

let failures = 0;
failures += run("pnpm", ["exec", "turbo", "run", "build", "typecheck", "lint", "test", "api", "--concurrency=2", "--continue"]) === 0 ? 0 : 1;
failures += run("node", ["tooling/scripts/release-check.mjs"]) === 0 ? 0 : 1;
failures += run("node", ["tooling/scripts/test-summary.mjs"]) === 0 ? 0 : 1;
process.exit(failures === 0 ? 0 : 1);
