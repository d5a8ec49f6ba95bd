// @ts-check
// Access to the peers' own code for cases that need more than their public fs API.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * memfs's own path splitting: `filenameToSteps` from @jsonjoy.com/fs-core, which memfs's
 * Volume calls on every path it walks (resolve against the cwd, then split on "/").
 * It is a dependency of memfs, not of the bench, so it is loaded from memfs's location.
 *
 * @returns {(filename: string, base?: string) => string[]} The function.
 */
export function memfsFilenameToSteps() {
  const requireFromMemfs = createRequire(require.resolve("memfs"));
  /** @type {{ filenameToSteps: (filename: string, base?: string) => string[] }} */
  const fsCore = requireFromMemfs("@jsonjoy.com/fs-core");
  return fsCore.filenameToSteps;
}

/**
 * The pinned versions of the peers, from this package's devDependencies.
 *
 * @returns {Record<string, string>} Package name to exact version.
 */
export function peerVersions() {
  /** @type {{ devDependencies: Record<string, string> }} */
  const manifest = require("../../package.json");
  return manifest.devDependencies;
}

/**
 * A new, empty memfs filesystem, for cases that time memfs's fs API.
 *
 * @returns {Promise<import("memfs").IFs>} Its Node-style `fs` object.
 */
export async function freshMemfs() {
  const { memfs } = await import("memfs");
  return memfs().fs;
}

/**
 * ZenFS's `fs` with an empty InMemory filesystem mounted at `/`, for cases that time
 * ZenFS's fs API. ZenFS keeps one global mount table, so this replaces the root mount:
 * the previous case's files are gone.
 *
 * @returns {Promise<typeof import("@zenfs/core").fs>} Its Node-style `fs` object.
 */
export async function freshZenfs() {
  const zenfs = await import("@zenfs/core");
  await zenfs.configureSingle({ backend: zenfs.InMemory });
  return zenfs.fs;
}
