// @ts-check
// Building a tree of empty files on @vfskit/tmpfs and its peers: the time per file
// (100 dirs × 1000 files, a fresh filesystem for every build) and the heap bytes each
// file keeps alive. Every target creates files the same way: open(O_CREAT|O_EXCL) + close.
import { O_CREAT, O_EXCL, O_WRONLY } from "@vfskit/abi";
import { freshPeer } from "../targets/node-like.js";
import { freshVfskitKernel, freshVfskitTmpfs } from "../targets/vfskit.js";

/**
 * @typedef {import("../targets/vfskit.js").VfskitTmpfs} VfskitTmpfs
 * @typedef {import("../targets/vfskit.js").VfskitKernel} VfskitKernel
 * @typedef {import("../targets/node-like.js").PeerEnv} PeerEnv
 * @typedef {import("../targets/node-like.js").PeerName} PeerName
 */

const FILES_PER_DIR = 1000;
/** 100 dirs × 1000 files = 100k files. */
const DIRS = 100;
/** ZenFS builds 10 dirs × 1000 (10k files): its 100k tree would take over a minute per build. */
const ZENFS_DIRS = 10;
const CREATE = { flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644 };
const MKDIR = { mode: 0o755 };

/**
 * Builds /d0…/d{dirs-1}, each with f0…f999, through the vfs API.
 *
 * @param {VfskitTmpfs} t - An empty vfskit tmpfs.
 * @param {number} dirs - How many directories.
 * @returns {number} How many files were created.
 */
function buildVfskitTree(t, dirs) {
  const { vfs, ctx, at } = t;
  let files = 0;
  for (let d = 0; d < dirs; d++) {
    vfs.mkdirAt(ctx, at(`/d${d}`, false), MKDIR);
    for (let f = 0; f < FILES_PER_DIR; f++, files++) vfs.openAt(ctx, at(`/d${d}/f${f}`), CREATE).decRef(ctx);
  }
  return files;
}

/**
 * The same tree through init's system calls.
 *
 * @param {VfskitKernel} k - A freshly booted kernel.
 * @param {number} dirs - How many directories.
 * @returns {number} How many files were created.
 */
function buildKernelTree(k, dirs) {
  const { task } = k;
  let files = 0;
  for (let d = 0; d < dirs; d++) {
    task.mkdir(`/d${d}`, MKDIR.mode);
    for (let f = 0; f < FILES_PER_DIR; f++, files++) task.close(task.open(`/d${d}/f${f}`, CREATE.flags, CREATE.mode));
  }
  return files;
}

/**
 * The same tree through a peer's fs API.
 *
 * @param {PeerEnv} env - An empty peer.
 * @param {number} dirs - How many directories.
 * @returns {number} How many files were created.
 */
function buildPeerTree(env, dirs) {
  const { fs, prefix } = env;
  let files = 0;
  for (let d = 0; d < dirs; d++) {
    fs.mkdirSync(`${prefix}/d${d}`, MKDIR);
    for (let f = 0; f < FILES_PER_DIR; f++, files++) fs.closeSync(fs.openSync(`${prefix}/d${d}/f${f}`, "wx", CREATE.mode));
  }
  return files;
}

/**
 * @template T
 * @param {T | undefined} value - State set by beforeEach.
 * @returns {T} The value.
 */
function ready(value) {
  if (value === undefined) throw new Error("beforeEach did not run");
  return value;
}

/**
 * A peer's tree-building target: a fresh peer before each build (the previous tree is
 * freed outside timing).
 *
 * @param {PeerName} peer - Which peer.
 * @param {number} dirs - How many directories it builds.
 * @returns {import("../registry.js").TimeSetup} The target.
 */
function peerTreeTarget(peer, dirs) {
  return () => {
    /** @type {PeerEnv | undefined} */
    let env;
    return {
      beforeEach: async () => {
        env?.release();
        env = await freshPeer(peer, "tree");
      },
      run: () => buildPeerTree(ready(env), dirs),
      teardown: () => env?.release(),
      opsPerCall: dirs * FILES_PER_DIR,
    };
  };
}

/**
 * The vfskit heap target: builds the tree on a fresh tmpfs; reset releases the previous
 * build (its mount and pooled path walks), so it cannot stay pinned into the next reading.
 *
 * @param {number} dirs - How many directories.
 * @returns {import("../registry.js").ResettableMemoryBuild} The target.
 */
function vfskitHeapTarget(dirs) {
  /** @type {VfskitTmpfs | undefined} */
  let last;
  return {
    build: () => {
      last = freshVfskitTmpfs();
      buildVfskitTree(last, dirs);
      return last;
    },
    reset: () => {
      last?.release();
      last = undefined;
    },
  };
}

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "tmpfs",
    name: "create 100k files (100×1000), per file",
    minSamples: 3,
    note:
      "one op builds the whole tree in a fresh filesystem (set up, and the previous tree freed, outside timing); " +
      "times are per file; zenfs builds 10 dirs × 1000 (10k files) because its 100k tree takes minutes",
    targets: {
      vfskit: () => {
        /** @type {VfskitTmpfs | undefined} */
        let t;
        return {
          beforeEach: () => {
            t?.release();
            t = freshVfskitTmpfs();
          },
          run: () => buildVfskitTree(ready(t), DIRS),
          teardown: () => t?.release(),
          opsPerCall: DIRS * FILES_PER_DIR,
        };
      },
      "vfskit-kernel": () => {
        /** @type {VfskitKernel | undefined} */
        let k;
        return {
          beforeEach: () => {
            k?.release();
            k = freshVfskitKernel();
          },
          run: () => buildKernelTree(ready(k), DIRS),
          teardown: () => k?.release(),
          opsPerCall: DIRS * FILES_PER_DIR,
        };
      },
      memfs: peerTreeTarget("memfs", DIRS),
      zenfs: peerTreeTarget("zenfs", ZENFS_DIRS),
      node: peerTreeTarget("node", DIRS),
    },
  },
  {
    kind: "memory",
    group: "tmpfs",
    name: "heap per empty file, 100k tree",
    items: DIRS * FILES_PER_DIR,
    note:
      "100 dirs × 1000 empty files; JS heap + ArrayBuffers kept alive by a whole filesystem holding the tree; node is " +
      "left out (its files live in kernel memory, not comparable: ~1 KiB each per performance.md); zenfs is in the 10k " +
      "case below; vfskit-kernel is not measured (the same tmpfs objects; the kernel adds nothing per file)",
    targets: {
      vfskit: vfskitHeapTarget(DIRS),
      memfs: async () => {
        const env = await freshPeer("memfs", "heap");
        buildPeerTree(env, DIRS);
        return env;
      },
    },
  },
  {
    kind: "memory",
    group: "tmpfs",
    name: "heap per empty file, 10k tree",
    items: ZENFS_DIRS * FILES_PER_DIR,
    note: "10 dirs × 1000 empty files: the same at 10k, so that zenfs can be measured (its 100k tree takes minutes to build)",
    targets: {
      vfskit: vfskitHeapTarget(ZENFS_DIRS),
      memfs: async () => {
        const env = await freshPeer("memfs", "heap");
        buildPeerTree(env, ZENFS_DIRS);
        return env;
      },
      // ZenFS's global root mount holds the tree: reset mounts an empty one, which also
      // frees what earlier cases left in ZenFS before the first reading.
      zenfs: {
        build: async () => {
          const env = await freshPeer("zenfs", "heap");
          buildPeerTree(env, ZENFS_DIRS);
          return env;
        },
        reset: async () => void (await freshPeer("zenfs", "heap")),
      },
    },
  },
];
