// @ts-check
// memfs, @zenfs/core and node:fs share Node's fs API, so the tmpfs cases write each peer's
// timed operation once, over this minimal shape, with a path prefix (empty for the
// in-memory peers, a fresh directory under /dev/shm for node).
import * as nodeFs from "node:fs";
import { join } from "node:path";
import { nodeTmpfsDirectory } from "./node-tmpfs.js";
import { freshMemfs, freshZenfs } from "./peers.js";

/**
 * The part of Node's synchronous fs API the tmpfs cases call.
 *
 * @typedef {object} NodeLikeFs
 * @property {(path: string) => { size: number }} statSync - stat(2).
 * @property {(path: string) => { size: number }} lstatSync - lstat(2).
 * @property {(path: string) => boolean} existsSync - access(F_OK) without throwing.
 * @property {(path: string, flags: string, mode?: number) => number} openSync - open(2).
 * @property {(fd: number) => void} closeSync - close(2).
 * @property {(fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => number} writeSync - write(2) / pwrite(2).
 * @property {(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number} readSync - read(2) / pread(2).
 * @property {(path: string) => void} unlinkSync - unlink(2).
 * @property {(from: string, to: string) => void} renameSync - rename(2).
 * @property {(path: string) => unknown[]} readdirSync - The names in a directory.
 * @property {(path: string, options?: { recursive?: boolean, mode?: number }) => unknown} mkdirSync - mkdir(2).
 * @property {(path: string, data: Uint8Array) => void} writeFileSync - Creates or truncates, then writes.
 * @property {(target: string, path: string) => void} symlinkSync - symlink(2).
 */

/**
 * A peer ready for a case: its fs, the prefix to put before every absolute path, and the
 * cleanup that frees what the case created.
 *
 * @typedef {object} PeerEnv
 * @property {NodeLikeFs} fs - The peer's fs API.
 * @property {string} prefix - "" in memory; the scratch directory for node.
 * @property {() => void} release - Frees the peer's files (node: removes the directory).
 */

/** @typedef {"memfs" | "zenfs" | "node"} PeerName */

/**
 * @param {unknown} fs - A peer's fs object.
 * @returns {NodeLikeFs} The same object, typed by the part the cases use.
 */
function asNodeLike(fs) {
  return /** @type {NodeLikeFs} */ (fs);
}

/**
 * A fresh, empty peer: a new memfs volume, ZenFS with a new InMemory root (replacing its
 * global root mount), or a new directory on the host's tmpfs.
 *
 * @param {PeerName} peer - Which peer.
 * @param {string} label - Names node's scratch directory.
 * @returns {Promise<PeerEnv>} The peer.
 */
export async function freshPeer(peer, label) {
  if (peer === "memfs") return { fs: asNodeLike(await freshMemfs()), prefix: "", release: () => {} };
  if (peer === "zenfs") return { fs: asNodeLike(await freshZenfs()), prefix: "", release: () => {} };
  const prefix = nodeFs.mkdtempSync(join(nodeTmpfsDirectory(), `${label}-`));
  return {
    fs: asNodeLike(nodeFs),
    prefix,
    release: () => nodeFs.rmSync(prefix, { recursive: true, force: true }),
  };
}

/**
 * Fixture calls (see targets/vfskit.js) over a peer.
 *
 * @param {PeerEnv} env - The peer.
 * @returns {import("./vfskit.js").FixtureFs} mkdirp, writeFile, symlink under its prefix.
 */
export function peerFixture(env) {
  const { fs, prefix } = env;
  return {
    mkdirp: (path) => void fs.mkdirSync(prefix + path, { recursive: true }),
    writeFile: (path, data) => fs.writeFileSync(prefix + path, data),
    symlink: (target, path) => fs.symlinkSync(target, prefix + path),
  };
}
