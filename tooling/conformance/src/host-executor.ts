/**
 * The host executor: the real Linux kernel on a tmpfs directory.
 *
 * Node (running as root) prepares a fresh directory D under /dev/shm with node:fs, a
 * long-lived Python helper (src/host-helper.py) runs the steps in a forked child chrooted
 * to D — under `setpriv` with the run's uid, gid and supplementary groups for the
 * unprivileged run — and Node walks the final tree of D as root and removes it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Op, StepResult } from "./model.js";
import { INITIAL_CWD, INITIAL_TREE, bytesToText, typeName, type RunUser, type Tree, type TreeNode } from "./tree.js";

const helperPath = fileURLToPath(new URL("./host-helper.py", import.meta.url));

/** The Python used for the helper: the system one, reachable by every uid. */
const PYTHON = process.env["CONFORMANCE_PYTHON"] ?? "/usr/bin/python3";

/**
 * Why the host executor cannot run here (`undefined` if it can): it needs root, a tmpfs at
 * /dev/shm, `setpriv` and the system Python. Test files skip with this reason, unless
 * CONFORMANCE_REQUIRED=1 makes them fail instead.
 */
export function hostUnavailable(): string | undefined {
  if (process.platform !== "linux") return "the host executor needs Linux";
  if (process.getuid?.() !== 0) return "the host executor must run as root";
  for (const file of ["/dev/shm", PYTHON, "/usr/bin/setpriv"]) {
    if (!fs.existsSync(file)) return `${file} is missing`;
  }
  return undefined;
}

/** True when the conformance tests should skip (host unavailable and not required); warns once. */
export function skipHostTests(): boolean {
  const reason = hostUnavailable();
  if (reason === undefined || process.env["CONFORMANCE_REQUIRED"] === "1") return false;
  console.warn(`@vfskit/conformance: skipped, ${reason}`);
  return true;
}

/** Umask of every sequence on both sides. */
export const UMASK = 0o022;

/** Results of one sequence on one executor. */
export interface SequenceOutcome {
  results: StepResult[];
  tree: Tree;
}

/** Runs sequences on the host kernel as one user. */
export class HostExecutor {
  readonly #user: RunUser;
  readonly #base: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending: ((line: string) => void)[] = [];
  #stderr = "";
  #count = 0;

  private constructor(user: RunUser) {
    this.#user = user;
    this.#base = fs.mkdtempSync("/dev/shm/vfskit-conformance-");
    fs.chmodSync(this.#base, 0o755);
    const env = { ...process.env, PYTHONUTF8: "1", PYTHONDONTWRITEBYTECODE: "1" };
    if (user.uid === 0) {
      this.#child = spawn(PYTHON, ["-u", helperPath], { env, stdio: "pipe" });
    } else {
      // The helper keeps CAP_SYS_CHROOT (ambient) only to chroot each child into its
      // sandbox; the child drops it before the first step.
      this.#child = spawn(
        "setpriv",
        [
          `--reuid=${user.uid}`,
          `--regid=${user.gid}`,
          user.groups.length === 0 ? "--clear-groups" : `--groups=${user.groups.join(",")}`,
          "--inh-caps=+sys_chroot",
          "--ambient-caps=+sys_chroot",
          PYTHON,
          "-u",
          helperPath,
        ],
        { env, stdio: "pipe" },
      );
    }
    this.#child.stderr.setEncoding("utf8");
    this.#child.stderr.on("data", (s: string) => {
      this.#stderr += s;
    });
    const lines = createInterface({ input: this.#child.stdout });
    lines.on("line", (line) => this.#pending.shift()?.(line));
  }

  /** Starts a helper for `user` (the caller must be root: it prepares trees with mixed owners). */
  static start(user: RunUser): HostExecutor {
    if (process.getuid?.() !== 0) throw new Error("the host executor must run as root");
    return new HostExecutor(user);
  }

  /** Runs one sequence in a fresh copy of the initial tree. */
  async run(ops: readonly Op[], tree: readonly TreeNode[] = INITIAL_TREE): Promise<SequenceOutcome> {
    const dir = path.join(this.#base, `s${this.#count++}`);
    prepareHostTree(dir, tree);
    try {
      const answer = await this.#request({ dir, cwd: INITIAL_CWD, umask: UMASK, dropCaps: this.#user.uid !== 0, ops });
      const parsed = JSON.parse(answer) as { results?: StepResult[]; error?: string };
      if (parsed.results === undefined) throw new Error(`host helper: ${parsed.error ?? answer}`);
      return { results: parsed.results, tree: walkHostTree(dir) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  #request(request: object): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.#child.exitCode !== null) {
        reject(new Error(`host helper exited: ${this.#stderr}`));
        return;
      }
      this.#pending.push(resolve);
      this.#child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Stops the helper and removes the base directory. */
  async close(): Promise<void> {
    this.#child.stdin.end();
    if (this.#child.exitCode === null) await new Promise((resolve) => this.#child.once("exit", resolve));
    fs.rmSync(this.#base, { recursive: true, force: true });
  }
}

function hostPath(dir: string, p: string): string {
  return p === "/" ? dir : dir + p;
}

/** Creates `tree` under `dir` with node:fs (as root), owners and modes exact. */
export function prepareHostTree(dir: string, tree: readonly TreeNode[]): void {
  for (const node of tree) {
    const p = hostPath(dir, node.path);
    switch (node.kind) {
      case "dir":
        fs.mkdirSync(p);
        fs.chownSync(p, node.uid, node.gid);
        fs.chmodSync(p, node.mode);
        break;
      case "file":
        fs.writeFileSync(p, node.data, "latin1");
        fs.chownSync(p, node.uid, node.gid);
        fs.chmodSync(p, node.mode);
        break;
      case "symlink":
        fs.symlinkSync(node.target, p);
        fs.lchownSync(p, node.uid, node.gid);
        break;
      case "hardlink":
        fs.linkSync(hostPath(dir, node.target), p);
        break;
    }
  }
}

/** The tree under `dir`, walked as root, keyed by sandbox-absolute path. */
export function walkHostTree(dir: string): Tree {
  const tree: Tree = {};
  const visit = (rel: string): void => {
    const p = hostPath(dir, rel);
    const st = fs.lstatSync(p);
    const entry: Tree[string] = {
      type: typeName(st.mode),
      mode: st.mode & 0o7777,
      nlink: st.nlink,
      size: st.size,
      uid: st.uid,
      gid: st.gid,
    };
    tree[rel] = entry;
    if (st.isFile()) entry.data = bytesToText(fs.readFileSync(p));
    else if (st.isSymbolicLink()) entry.target = fs.readlinkSync(p, "utf8");
    else if (st.isDirectory()) {
      for (const name of fs.readdirSync(p, "utf8")) visit(rel === "/" ? `/${name}` : `${rel}/${name}`);
    }
  };
  visit("/");
  return tree;
}
