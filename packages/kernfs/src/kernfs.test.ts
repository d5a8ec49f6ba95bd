// The behaviours gVisor's kernfs_test.go asserts (inventory §4.7), on the shared harness.
import { DT_DIR, DT_REG, O_CREAT, O_EXCL, O_RDONLY, isSysError } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { Dentry } from "./kernfs.js";
import { createTestSystem, newReadonlyDir, newTestFile, TestDirectory } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { InotifyMask, type WatchEvent } from "./watches.js";

const staticFileContent = "This is sample content for a static test file.";
const defaultMode = 0o1777;

describe("kernfs_test.go", () => {
  test("1. a static file in a read-only directory resolves with getDentryAt", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o755, [["file1", newTestFile(ctx, fs, staticFileContent)]]));
    const vd = sys.getDentry("file1");
    expect(vd.dentry.impl).toBeInstanceOf(Dentry);
    vd.decRef(sys.ctx);
    sys.release();
  });

  test("2. mkdirAt in a writable sub-directory succeeds and the directory resolves", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o755, [["dir1", new TestDirectory(ctx, fs, 0o755)]]));
    const pop = sys.pathOp("dir1/a new directory", { follow: false });
    sys.vfs.mkdirAt(sys.ctx, pop, { mode: 0o755 });
    sys.getDentry("dir1/a new directory").decRef(sys.ctx);
    sys.release();
  });

  test("3. reading a static file returns its exact content", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o755, [["file1", newTestFile(ctx, fs, staticFileContent)]]));
    expect(sys.readFile("file1")).toBe(staticFileContent);
    sys.release();
  });

  test("4. O_CREAT|O_EXCL in a writable directory creates a file that persists after close", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o755, [["dir1", new TestDirectory(ctx, fs, 0o755)]]));
    const fd = sys.open("dir1/newfile", O_CREAT | O_EXCL, defaultMode);
    expect(fd.wasCreated()).toBe(true);
    fd.decRef(sys.ctx);
    const again = sys.open("dir1/newfile", O_RDONLY);
    expect(again.wasCreated()).toBe(false);
    again.decRef(sys.ctx);
    sys.release();
  });

  test("5. a directory opened read-only: read → EISDIR, write → EBADF", () => {
    const sys = createTestSystem((ctx, fs) => newReadonlyDir(ctx, fs, 0o755));
    const fd = sys.open("/");
    expectErrno(() => fd.read(sys.ctx, new Uint8Array(0)), "EISDIR");
    expectErrno(() => fd.write(sys.ctx, new Uint8Array(0)), "EBADF");
    fd.decRef(sys.ctx);
    sys.release();
  });

  test("6. the root listing has the right dirent types", () => {
    const sys = createTestSystem((ctx, fs) =>
      newReadonlyDir(ctx, fs, 0o755, [
        ["dir1", newReadonlyDir(ctx, fs, 0o755)],
        ["dir2", new TestDirectory(ctx, fs, 0o755, { children: [["dir3", new TestDirectory(ctx, fs, 0o755)]] })],
        ["file1", newTestFile(ctx, fs, staticFileContent)],
      ]),
    );
    const types = new Map(sys.listDirents("/").map((d) => [d.name, d.type]));
    expect(types).toEqual(
      new Map([
        [".", DT_DIR],
        ["..", DT_DIR],
        ["dir1", DT_DIR],
        ["dir2", DT_DIR],
        ["file1", DT_REG],
      ]),
    );
    sys.release();
  });

  test("7. walkDentryTree", () => {
    const sys = createTestSystem((ctx, fs) =>
      new TestDirectory(ctx, fs, 0o755, {
        children: [
          ["dir1", new TestDirectory(ctx, fs, 0o755)],
          [
            "dir2",
            new TestDirectory(ctx, fs, 0o755, {
              children: [
                ["file1", newTestFile(ctx, fs, staticFileContent)],
                ["dir3", new TestDirectory(ctx, fs, 0o755)],
              ],
            }),
          ],
        ],
      }),
    );
    const ctx = sys.ctx;
    const testWalk = (from: Dentry, getDentryPath: string, walkPath: string, expected: "ENOENT" | undefined): void => {
      const vd = getDentryPath === "" ? undefined : sys.getDentry(getDentryPath);
      try {
        let match: Dentry | undefined;
        try {
          match = from.walkDentryTree(ctx, walkPath);
        } catch (error) {
          if (expected === undefined || !isSysError(error, expected)) throw error;
          return;
        }
        try {
          expect(expected).toBeUndefined();
          expect(match).toBe(vd?.dentry.impl);
        } finally {
          match.decRef(ctx);
        }
      } finally {
        vd?.decRef(ctx);
      }
    };

    const rootD = sys.root.dentry.impl as Dentry;
    testWalk(rootD, "dir1", "/dir1", undefined);
    testWalk(rootD, "", "/dir-non-existent", "ENOENT");
    testWalk(rootD, "", "/dir1/child-non-existent", "ENOENT");
    testWalk(rootD, "", "/dir2/inner-non-existent/dir3", "ENOENT");

    testWalk(rootD, "dir2/dir3", "/dir2/../dir2/dir3", undefined);
    testWalk(rootD, "dir2/dir3", "/dir2/././dir3", undefined);
    testWalk(rootD, "dir2/dir3", "/dir2/././dir3/.././dir3", undefined);

    const dir2VD = sys.getDentry("dir2");
    const dir2D = dir2VD.dentry.impl as Dentry;
    testWalk(dir2D, "dir2/dir3", "/dir3", undefined);
    testWalk(dir2D, "dir2/dir3", "/../../../dir3", undefined);
    testWalk(dir2D, "dir2/file1", "/file1", undefined);
    testWalk(dir2D, "dir2/file1", "file1", undefined);
    expect(dir2D.fsLocalPath()).toBe("/dir2");
    dir2VD.decRef(ctx);
    sys.release();
  });

  // 8 and 9: @vfskit/vfs has no inotify yet; kernfs delivers the events to its Watches hook
  // in the order an inotify instance would queue them.
  function keptTree(): ReturnType<typeof createTestSystem> {
    return createTestSystem((ctx, fs) =>
      new TestDirectory(ctx, fs, 0o755, {
        keep: true,
        dynamicChildren: [
          ["parent", new TestDirectory(ctx, fs, 0o755, { keep: true, dynamicChildren: [["child", new TestDirectory(ctx, fs, 0o755, { keep: true })]] })],
        ],
      }),
    );
  }

  function watch(sys: ReturnType<typeof createTestSystem>, path: string, tag: string, log: string[]): void {
    const vd = sys.getDentry(path);
    (vd.dentry.impl as Dentry).watches().add((_ctx, ev: WatchEvent) => log.push(`${tag} ${maskName(ev.mask)}${ev.name === "" ? "" : ` ${ev.name}`}`));
    vd.decRef(sys.ctx);
  }

  test("8. rmdir of a watched, unreferenced child: child DELETE_SELF, IGNORED, then parent DELETE|ISDIR", () => {
    const sys = keptTree();
    const log: string[] = [];
    watch(sys, "parent", "parent", log);
    watch(sys, "parent/child", "child", log);
    sys.vfs.rmdirAt(sys.ctx, sys.pathOp("parent/child", { follow: false }));
    expect(log).toEqual(["child IN_DELETE_SELF", "child IN_IGNORED", "parent IN_DELETE|IN_ISDIR child"]);
    sys.release();
  });

  test("9. rmdir with an open file on the child: parent event now, DELETE_SELF and IGNORED at close", () => {
    const sys = keptTree();
    const log: string[] = [];
    watch(sys, "parent", "parent", log);
    watch(sys, "parent/child", "child", log);
    const fd = sys.open("parent/child");
    sys.vfs.rmdirAt(sys.ctx, sys.pathOp("parent/child", { follow: false }));
    expect(log).toEqual(["parent IN_DELETE|IN_ISDIR child"]);
    fd.decRef(sys.ctx);
    expect(log).toEqual(["parent IN_DELETE|IN_ISDIR child", "child IN_DELETE_SELF", "child IN_IGNORED"]);
    sys.release();
  });
});

function maskName(mask: number): string {
  const names: string[] = [];
  for (const [name, bit] of Object.entries(InotifyMask)) if ((mask & bit) !== 0) names.push(name);
  return names.join("|");
}
