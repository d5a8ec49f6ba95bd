// Property tests: random sequences of tree operations, with random cache sizes and open
// files held across them, keep the dentry tree consistent with the inodes (what a listing
// shows is exactly what a walk finds), never break an internal contract, respect the
// cache limit, and leak nothing.
import { O_RDONLY, RENAME_NOREPLACE, S_IFDIR, S_IFMT, STATX_TYPE, isSysError } from "@vfskit/abi";
import type { FileDescription } from "@vfskit/vfs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Dentry } from "./kernfs.js";
import { makeTree, type Tree } from "./testing-fixtures/tree.js";

const names = ["a", "b", "c"] as const;
const pathArb = fc
  .array(fc.constantFrom(...names), { minLength: 1, maxLength: 3 })
  .map((parts) => `/dir/${parts.join("/")}`);

type Op =
  | { kind: "mkdir" | "create" | "unlink" | "rmdir" | "stat" | "hold"; path: string }
  | { kind: "rename"; from: string; to: string; noReplace: boolean }
  | { kind: "close" }
  | { kind: "invalidate"; path: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom("mkdir", "create", "unlink", "rmdir", "stat", "hold") as fc.Arbitrary<"mkdir">, path: pathArb }),
  fc.record({ kind: fc.constant("rename" as const), from: pathArb, to: pathArb, noReplace: fc.boolean() }),
  fc.record({ kind: fc.constant("close" as const) }),
  fc.record({ kind: fc.constant("invalidate" as const), path: pathArb }),
);

/** Every path below `dir` according to directory listings (the inodes' view). */
function listTree(t: Tree, dir: string, out: Map<string, boolean>): void {
  for (const d of t.listDirents(dir)) {
    if (d.name === "." || d.name === "..") continue;
    const path = `${dir}/${d.name}`;
    const isDir = d.type === 4;
    out.set(path, isDir);
    if (isDir) listTree(t, path, out);
  }
}

function apply(t: Tree, op: Op, held: FileDescription[]): void {
  const nf = t.nofollow.bind(t);
  switch (op.kind) {
    case "mkdir":
      return t.vfs.mkdirAt(t.ctx, nf(op.path), { mode: 0o755 });
    case "create":
      return t.create(op.path);
    case "unlink":
      return t.vfs.unlinkAt(t.ctx, nf(op.path));
    case "rmdir":
      return t.vfs.rmdirAt(t.ctx, nf(op.path));
    case "stat":
      t.vfs.statAt(t.ctx, t.pathOp(op.path), { mask: STATX_TYPE, sync: 0 });
      return;
    case "hold":
      held.push(t.open(op.path, O_RDONLY));
      return;
    case "rename":
      return t.vfs.renameAt(t.ctx, nf(op.from), nf(op.to), { flags: op.noReplace ? RENAME_NOREPLACE : 0 });
    case "close":
      held.shift()?.decRef(t.ctx);
      return;
    case "invalidate": {
      // What procfs does when a task exits: the inode stays, its dentries go.
      const vd = t.vfs.tryGetDentryAt(t.ctx, t.pathOp(op.path));
      if (vd === undefined) return;
      (vd.dentry.impl as Dentry).invalidate(t.ctx);
      vd.decRef(t.ctx);
      return;
    }
  }
}

describe("random operation sequences", () => {
  test("the dentry tree agrees with the inodes, the cache stays bounded, nothing leaks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 }), fc.array(opArb, { maxLength: 40 }), (maxCachedDentries, ops) => {
        const t = makeTree({ maxCachedDentries });
        const held: FileDescription[] = [];
        try {
          for (const op of ops) {
            try {
              apply(t, op, held);
            } catch (error) {
              // Failures must be errno answers, never broken contracts.
              if (!isSysError(error)) throw error;
            }
            expect(t.fs.cachedDentryCount()).toBeLessThanOrEqual(maxCachedDentries);
            for (const fd of held) expect(fd.dentry().impl).toHaveProperty("refCount");
          }
          const listed = new Map<string, boolean>();
          listTree(t, "/dir", listed);
          for (const [path, isDir] of listed) {
            const st = t.vfs.statAt(t.ctx, t.pathOp(path, { follow: false }), { mask: STATX_TYPE, sync: 0 });
            expect((st.mode & S_IFMT) === S_IFDIR).toBe(isDir);
          }
          for (const a of names) {
            for (const path of [`/dir/${a}`, ...names.map((b) => `/dir/${a}/${b}`)]) {
              let found: boolean;
              try {
                found = t.vfs.tryStatAt(t.ctx, t.pathOp(path, { follow: false }), { mask: STATX_TYPE, sync: 0 }) !== undefined;
              } catch (error) {
                if (!isSysError(error, "ENOTDIR")) throw error; // a file in the middle
                found = false;
              }
              expect(found).toBe(listed.has(path));
            }
          }
        } finally {
          for (const fd of held) fd.decRef(t.ctx);
          t.release();
        }
      }),
      { numRuns: 300 },
    );
  });
});
