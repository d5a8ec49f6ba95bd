/**
 * The tree every sequence starts from, the users that run sequences, and the shape of a
 * final tree as both executors report it.
 */
import type { StatResult } from "./model.js";

/** Who runs a sequence. */
export interface RunUser {
  /** A short label (`root`, `user`). */
  name: string;
  uid: number;
  gid: number;
  /** Supplementary groups. */
  groups: readonly number[];
}

/** The unprivileged user's IDs: uid 1000, gid 1000, supplementary groups 1001 and 1002. */
export const U = 1000;
/** The unprivileged user's primary group. */
export const G = 1000;
/** Supplementary groups of the unprivileged user. */
export const G1 = 1001;
/** Second supplementary group. */
export const G2 = 1002;
/** Another user (owns files the unprivileged user does not). */
export const O = 2000;

/** root: every capability. */
export const ROOT_USER: RunUser = { name: "root", uid: 0, gid: 0, groups: [] };
/** The unprivileged user, with two supplementary groups. */
export const UNPRIVILEGED_USER: RunUser = { name: "user", uid: U, gid: G, groups: [G1, G2] };

/**
 * Where every sequence starts (its working directory): the unprivileged user's home, so
 * that relative new names can be created by both users.
 */
export const INITIAL_CWD = "/home";

/** One node of the initial tree (created by root, in this order). */
export type TreeNode =
  | { kind: "dir"; path: string; mode: number; uid: number; gid: number }
  | { kind: "file"; path: string; mode: number; uid: number; gid: number; data: string }
  | { kind: "symlink"; path: string; target: string; uid: number; gid: number }
  | { kind: "hardlink"; path: string; target: string };

/**
 * The initial tree: mixed owners and modes, a sticky world-writable directory, a setgid
 * directory group-writable by a supplementary group, a read-only directory, a private one,
 * set-user-ID and set-group-ID files, and relative, absolute, dangling and looping links.
 * Paths are absolute inside the sandbox (the host runs chrooted to it). The root itself is
 * "/" (mode 0755, root).
 */
export const INITIAL_TREE: readonly TreeNode[] = [
  { kind: "dir", path: "/", mode: 0o755, uid: 0, gid: 0 },
  { kind: "dir", path: "/home", mode: 0o755, uid: U, gid: G },
  { kind: "file", path: "/home/f", mode: 0o644, uid: U, gid: G, data: "hello" },
  { kind: "dir", path: "/home/d", mode: 0o755, uid: U, gid: G },
  { kind: "file", path: "/home/d/g", mode: 0o600, uid: U, gid: G, data: "data" },
  { kind: "symlink", path: "/home/ld", target: "d", uid: U, gid: G },
  { kind: "symlink", path: "/home/la", target: "/pub", uid: U, gid: G },
  { kind: "dir", path: "/pub", mode: 0o1777, uid: 0, gid: 0 },
  { kind: "file", path: "/pub/mine", mode: 0o644, uid: U, gid: G, data: "mine" },
  { kind: "file", path: "/pub/theirs", mode: 0o666, uid: O, gid: O, data: "theirs" },
  { kind: "dir", path: "/pub/sub", mode: 0o777, uid: O, gid: O },
  { kind: "dir", path: "/pub/sgo", mode: 0o2777, uid: O, gid: O },
  { kind: "dir", path: "/grp", mode: 0o2775, uid: 0, gid: G1 },
  { kind: "file", path: "/grp/x", mode: 0o664, uid: 0, gid: G1, data: "x" },
  { kind: "file", path: "/grp/sgid", mode: 0o2755, uid: U, gid: G2, data: "" },
  { kind: "dir", path: "/ro", mode: 0o555, uid: U, gid: G },
  { kind: "file", path: "/ro/f", mode: 0o444, uid: U, gid: G, data: "ro" },
  { kind: "dir", path: "/secret", mode: 0o700, uid: 0, gid: 0 },
  { kind: "file", path: "/secret/s", mode: 0o600, uid: 0, gid: 0, data: "s" },
  { kind: "dir", path: "/other", mode: 0o755, uid: O, gid: O },
  { kind: "file", path: "/other/f", mode: 0o644, uid: O, gid: O, data: "other" },
  { kind: "file", path: "/other/suid", mode: 0o4755, uid: O, gid: O, data: "" },
  { kind: "dir", path: "/other/w", mode: 0o777, uid: O, gid: G1 },
  { kind: "dir", path: "/other/xonly", mode: 0o711, uid: O, gid: O },
  { kind: "file", path: "/other/xonly/f", mode: 0o646, uid: O, gid: G1, data: "xonly" },
  { kind: "dir", path: "/home/wx", mode: 0o300, uid: U, gid: G },
  { kind: "file", path: "/home/wx/f", mode: 0o640, uid: 0, gid: G, data: "wx" },
  { kind: "hardlink", path: "/home/hl", target: "/home/f" },
  { kind: "symlink", path: "/loop", target: "loop", uid: 0, gid: 0 },
  { kind: "symlink", path: "/dang", target: "nowhere", uid: 0, gid: 0 },
  { kind: "symlink", path: "/up", target: "..", uid: 0, gid: 0 },
];

/** One entry of a final tree: attributes plus contents (files) or target (links). */
export interface TreeEntry extends StatResult {
  data?: string;
  target?: string;
}

/** A final tree: sandbox-absolute path → entry (walked by root, so nothing is hidden). */
export type Tree = Record<string, TreeEntry>;

/** Latin-1 text of bytes (one char per byte), so file contents compare exactly. */
export function bytesToText(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** The type name of a mode. */
export function typeName(mode: number): string {
  switch (mode & 0o170000) {
    case 0o040000:
      return "dir";
    case 0o100000:
      return "reg";
    case 0o120000:
      return "lnk";
    case 0o010000:
      return "fifo";
    case 0o020000:
      return "chr";
    case 0o060000:
      return "blk";
    case 0o140000:
      return "sock";
    default:
      return `?${(mode & 0o170000).toString(8)}`;
  }
}
