// @ts-check
// Builds the five targets of a tmpfs case from one description: the same fixture is built
// on every target (outside timing), then each target's operation is prepared over it, and
// the target's state is released after timing.
import { freshVfskitKernel, freshVfskitTmpfs, kernelFixture, vfskitFixture } from "../targets/vfskit.js";
import { freshPeer, peerFixture } from "../targets/node-like.js";

/**
 * @typedef {import("../registry.js").Operation} Operation
 * @typedef {import("../registry.js").PreparedOperation} PreparedOperation
 * @typedef {import("../registry.js").TimeSetup} TimeSetup
 * @typedef {import("../registry.js").TargetName} TargetName
 * @typedef {import("../targets/vfskit.js").FixtureFs} FixtureFs
 * @typedef {import("../targets/vfskit.js").VfskitTmpfs} VfskitTmpfs
 * @typedef {import("../targets/vfskit.js").VfskitKernel} VfskitKernel
 * @typedef {import("../targets/node-like.js").PeerEnv} PeerEnv
 * @typedef {import("../targets/node-like.js").PeerName} PeerName
 */

/**
 * One case, described once for every target.
 *
 * @typedef {object} TmpfsCaseTargets
 * @property {string} label - Names node's scratch directory.
 * @property {(fx: FixtureFs) => void} [fixture] - Builds the files the operation needs.
 * @property {(t: VfskitTmpfs) => Operation | PreparedOperation} vfskit - The operation through the vfs API.
 * @property {(k: VfskitKernel) => Operation | PreparedOperation} [kernel] - The operation through
 *   the kernel's system calls (the `vfskit-kernel` row).
 * @property {(env: PeerEnv, peer: PeerName) => Operation | PreparedOperation} [peer] - The operation
 *   through memfs's, ZenFS's and node's fs API.
 * @property {readonly PeerName[]} [peers] - Which peers run it (default: all three).
 */

/**
 * Adds `release` after the operation's own teardown.
 *
 * @param {Operation | PreparedOperation} prepared - What the case's function returned.
 * @param {() => void} release - Frees the target.
 * @returns {PreparedOperation} The operation with both cleanups.
 */
function withRelease(prepared, release) {
  if (typeof prepared === "function") return { run: prepared, teardown: release };
  return {
    ...prepared,
    teardown: async () => {
      try {
        await prepared.teardown?.();
      } finally {
        release();
      }
    },
  };
}

/**
 * Builds a case's `targets` record.
 *
 * @param {TmpfsCaseTargets} spec - The case's description.
 * @returns {Partial<Record<TargetName, TimeSetup>>} vfskit, vfskit-kernel (if described) and the peers.
 */
export function tmpfsTargets(spec) {
  /** @type {Partial<Record<TargetName, TimeSetup>>} */
  const targets = {
    vfskit: () => {
      const t = freshVfskitTmpfs();
      try {
        spec.fixture?.(vfskitFixture(t));
        return withRelease(spec.vfskit(t), t.release);
      } catch (error) {
        t.release();
        throw error;
      }
    },
  };
  const kernel = spec.kernel;
  if (kernel !== undefined) {
    targets["vfskit-kernel"] = () => {
      const k = freshVfskitKernel();
      try {
        spec.fixture?.(kernelFixture(k));
        return withRelease(kernel(k), k.release);
      } catch (error) {
        k.release();
        throw error;
      }
    };
  }
  const peer = spec.peer;
  if (peer !== undefined) {
    for (const name of spec.peers ?? /** @type {const} */ (["memfs", "zenfs", "node"])) {
      targets[name] = async () => {
        const env = await freshPeer(name, spec.label);
        try {
          spec.fixture?.(peerFixture(env));
          return withRelease(peer(env, name), env.release);
        } catch (error) {
          env.release();
          throw error;
        }
      };
    }
  }
  return targets;
}
