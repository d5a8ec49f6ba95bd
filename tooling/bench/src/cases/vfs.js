// @ts-check
// @vfskit/vfs path walks on its in-memory test filesystem (testfs) against each peer's
// statSync: memfs and @zenfs/core in memory, node:fs on tmpfs. The vfskit target parses
// the path on every call, as a system call would, so every target starts from a string.
import { STATX_BASIC_STATS } from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import { createTestVfs } from "@vfskit/vfs/testing";
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeTmpfsDirectory } from "../targets/node-tmpfs.js";
import { freshMemfs, freshZenfs } from "../targets/peers.js";

const dirs = ["a", "b", "c", "d", "e", "f", "g", "h"];
/** The directory 8 levels deep, built at run time (see the fspath cases). */
const deepDir = ["", ...dirs].join("/");
const deepFile = `${deepDir}/file`;
const missingFile = `${deepDir}/missing`;
const STAT = { mask: STATX_BASIC_STATS, sync: 0 };

/**
 * A testfs VFS holding the 8-deep file, with a statAt-shaped operation on `path`.
 *
 * @param {(vfs: import("@vfskit/vfs").VirtualFilesystem, ctx: import("@vfskit/vfs").Context, pop: import("@vfskit/vfs").PathOperation) => unknown} op - What to time.
 * @param {string} path - The path given to every call.
 * @returns {{ run: () => unknown, teardown: () => void }} The timed operation and its cleanup.
 */
function vfskitTarget(op, path) {
  const t = createTestVfs();
  t.mkdirp(deepDir);
  t.writeFile(deepFile, "");
  const { vfs, ctx, root } = t;
  return {
    run: () => op(vfs, ctx, { root, start: root, path: parse(path), followFinalSymlink: true }),
    teardown: () => t.release(),
  };
}

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "vfs",
    name: "stat, file 8 dirs deep, warm",
    note: "vfskit: parse + statAt on testfs; memfs/zenfs: statSync in memory; node: statSync on tmpfs",
    targets: {
      vfskit: () => vfskitTarget((vfs, ctx, pop) => vfs.statAt(ctx, pop, STAT).size, deepFile),
      memfs: async () => {
        const fs = await freshMemfs();
        fs.mkdirSync(deepDir, { recursive: true });
        fs.writeFileSync(deepFile, "");
        return () => fs.statSync(deepFile).size;
      },
      zenfs: async () => {
        const fs = await freshZenfs();
        fs.mkdirSync(deepDir, { recursive: true });
        fs.writeFileSync(deepFile, "");
        return () => fs.statSync(deepFile).size;
      },
      node: () => {
        const root = mkdtempSync(join(nodeTmpfsDirectory(), "vfs-stat-"));
        mkdirSync(join(root, deepDir), { recursive: true });
        const file = join(root, deepFile);
        writeFileSync(file, "");
        return () => statSync(file).size;
      },
    },
    expected: 0,
  },
  {
    group: "vfs",
    name: "exists, missing file 8 dirs deep (negative lookup)",
    note: "vfskit: tryStatAt (no error object built); memfs/zenfs/node: existsSync",
    targets: {
      vfskit: () => vfskitTarget((vfs, ctx, pop) => vfs.tryStatAt(ctx, pop, STAT) !== undefined, missingFile),
      memfs: async () => {
        const fs = await freshMemfs();
        fs.mkdirSync(deepDir, { recursive: true });
        return () => fs.existsSync(missingFile);
      },
      zenfs: async () => {
        const fs = await freshZenfs();
        fs.mkdirSync(deepDir, { recursive: true });
        return () => fs.existsSync(missingFile);
      },
      node: () => {
        const root = mkdtempSync(join(nodeTmpfsDirectory(), "vfs-exists-"));
        mkdirSync(join(root, deepDir), { recursive: true });
        const file = join(root, missingFile);
        return () => existsSync(file);
      },
    },
    expected: false,
  },
];
