// The dentry tree's reference counts and LRU cache: eviction order, cascading release of
// parents, the cache limit under many lookups, keep(), invalidate(), deferred decRefs.
import { O_RDONLY, S_IFREG, STATX_TYPE } from "@vfskit/abi";
import { InternalError, type Context, type FileDescription, type OpenOptions, type ResolvingPath } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import type { Filesystem } from "./filesystem.js";
import { InodeAttrs } from "./inode-attrs.js";
import { InodeDirectory, InodeNotDirectory } from "./inode-impl-util.js";
import type { Inode } from "./inode.js";
import { Dentry as DentryClass, type Dentry } from "./kernfs.js";
import { OrderedChildren } from "./ordered-children.js";
import { createTestSystem, newTestFile, TestDirectory, type TestSystem } from "./testing/index.js";

/** A file that cannot be opened; records the dentries made for it. */
class Leaf extends InodeNotDirectory {
  readonly dentries: Dentry[] = [];
  constructor(ctx: Context, fs: Filesystem) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: S_IFREG | 0o444 }));
  }
  open(): FileDescription {
    throw new InternalError("not opened in these tests");
  }
  override registerDentry(d: Dentry): void {
    this.dentries.push(d);
  }
}

/** A directory that answers every numeric name, like /proc's pid directories. */
class NumbersDir extends InodeDirectory {
  lookups = 0;
  constructor(
    ctx: Context,
    readonly fs: Filesystem,
    readonly keepEntries = false,
  ) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: 0o040555 }), { children: new OrderedChildren() });
  }
  override lookup(ctx: Context, name: string): Inode | undefined {
    if (!/^\d+$/.test(name)) return undefined;
    this.lookups++;
    const leaf = new Leaf(ctx, this.fs);
    if (this.keepEntries) leaf.keep = () => true;
    return leaf;
  }
}

function statExists(sys: TestSystem, path: string): boolean {
  return sys.vfs.tryStatAt(sys.ctx, sys.pathOp(path), { mask: STATX_TYPE, sync: 0 }) !== undefined;
}

function dentryOf(sys: TestSystem, path: string): Dentry {
  const vd = sys.getDentry(path);
  const d = vd.dentry.impl as Dentry;
  vd.decRef(sys.ctx);
  return d;
}

describe("reference counts", () => {
  test("with the default limit 0 an unreferenced dentry is destroyed at once, and its parents cascade", () => {
    const sys = createTestSystem((ctx, fs) =>
      new TestDirectory(ctx, fs, 0o755, { children: [["a", new TestDirectory(ctx, fs, 0o755, { children: [["b", newTestFile(ctx, fs, "x")]] })]] }),
    );
    const vd = sys.getDentry("/a/b");
    const b = vd.dentry.impl as Dentry;
    const a = b.parent() as Dentry;
    expect(b.refCount).toBe(1);
    expect(a.refCount).toBe(1); // held by its child
    vd.decRef(sys.ctx);
    expect(b.refCount).toBe(-1);
    expect(a.refCount).toBe(-1);
    expect(sys.fs.cachedDentryCount()).toBe(0);
    sys.release();
  });

  test("tryIncRef fails at zero; incRef revives a cached dentry and takes it out of the cache", () => {
    const sys = createTestSystem((ctx, fs) => new TestDirectory(ctx, fs, 0o755, { children: [["f", newTestFile(ctx, fs, "x")]] }), {
      maxCachedDentries: 10,
    });
    const f = dentryOf(sys, "/f");
    expect(f.refCount).toBe(0);
    expect(sys.fs.cachedDentryCount()).toBe(1);
    expect(f.tryIncRef()).toBe(false);
    f.incRef();
    expect(sys.fs.cachedDentryCount()).toBe(0);
    f.decRef(sys.ctx);
    expect(sys.fs.cachedDentryCount()).toBe(1);
    expect(() => f.decRef(sys.ctx)).toThrow(InternalError);
    sys.release();
    expect(f.refCount).toBe(-1);
  });
});

describe("the LRU cache", () => {
  test("evicts the least recently used dentry first; a reuse moves a dentry to the front", () => {
    const sys = createTestSystem((ctx, fs) => new NumbersDir(ctx, fs), { maxCachedDentries: 2 });
    const d1 = dentryOf(sys, "/1");
    const d2 = dentryOf(sys, "/2");
    expect([d1.refCount, d2.refCount]).toEqual([0, 0]);
    const d3 = dentryOf(sys, "/3"); // over the limit: 1 goes
    expect([d1.refCount, d2.refCount, d3.refCount]).toEqual([-1, 0, 0]);
    expect(dentryOf(sys, "/2")).toBe(d2); // 2 is now the most recent
    dentryOf(sys, "/4"); // so 3 goes
    expect([d2.refCount, d3.refCount]).toEqual([0, -1]);
    expect(sys.fs.cachedDentryCount()).toBe(2);
    sys.release();
    expect(d2.refCount).toBe(-1);
  });

  test("evicting a child releases its parent, which is cached in turn and may be evicted", () => {
    const sys = createTestSystem(
      (ctx, fs) =>
        new TestDirectory(ctx, fs, 0o755, {
          children: [
            ["a", new TestDirectory(ctx, fs, 0o755, { children: [["b", new TestDirectory(ctx, fs, 0o755, { children: [["c", newTestFile(ctx, fs, "")]] })]] })],
            ["x", newTestFile(ctx, fs, "")],
          ],
        }),
      { maxCachedDentries: 1 },
    );
    const c = dentryOf(sys, "/a/b/c");
    const b = c.parent() as Dentry;
    const a = b.parent() as Dentry;
    expect([c.refCount, b.refCount, a.refCount]).toEqual([0, 1, 1]);
    const x = dentryOf(sys, "/x"); // evicts c; b drops to 0 and is cached; x is then the LRU
    expect([c.refCount, b.refCount, a.refCount, x.refCount]).toEqual([-1, 0, 1, -1]);
    expect(sys.fs.cachedDentryCount()).toBe(1);
    sys.release();
    expect([b.refCount, a.refCount]).toEqual([-1, -1]);
  });

  test("100k lookups in a dynamic directory never cache more than maxCachedDentries", () => {
    let dir: NumbersDir | undefined;
    const sys = createTestSystem((ctx, fs) => (dir = new NumbersDir(ctx, fs)), { maxCachedDentries: 1000 });
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      if (!statExists(sys, `/${i}`)) throw new Error(`missing /${i}`);
      max = Math.max(max, sys.fs.cachedDentryCount());
    }
    expect(max).toBe(1000);
    expect(sys.fs.cachedDentryCount()).toBe(1000);
    // The most recent 1000 are answered from the cache, the others by a new lookup.
    const before = (dir as NumbersDir).lookups;
    statExists(sys, "/99999");
    expect((dir as NumbersDir).lookups).toBe(before);
    statExists(sys, "/0");
    expect((dir as NumbersDir).lookups).toBe(before + 1);
    sys.release(); // the leak checker then finds every dentry destroyed
    expect(sys.fs.cachedDentryCount()).toBe(0);
  });

  test("negative lookups create nothing", () => {
    const sys = createTestSystem((ctx, fs) => new NumbersDir(ctx, fs), { maxCachedDentries: 10 });
    expect(statExists(sys, "/nope")).toBe(false);
    expect(sys.fs.cachedDentryCount()).toBe(0);
    sys.release();
  });
});

describe("keep() and invalidate()", () => {
  test("a looked-up dentry whose inode keeps it stays referenced by the tree until release", () => {
    const sys = createTestSystem((ctx, fs) => new NumbersDir(ctx, fs, true));
    const d = dentryOf(sys, "/7");
    expect(d.refCount).toBe(1);
    sys.release();
    expect(d.refCount).toBe(-1);
  });

  test("a looked-up dentry whose inode does not keep it is gone at the end of the operation", () => {
    const sys = createTestSystem((ctx, fs) => new NumbersDir(ctx, fs));
    let leaf: Leaf | undefined;
    const dir = dentryOf(sys, "/");
    const inode = dir.inode() as NumbersDir;
    const originalLookup = inode.lookup.bind(inode);
    inode.lookup = (ctx, name) => (leaf = originalLookup(ctx, name) as Leaf);
    expect(statExists(sys, "/5")).toBe(true);
    expect(leaf?.dentries[0]?.refCount).toBe(-1);
    sys.release();
  });

  test("invalidate() removes a subtree: held dentries die, new lookups build new ones", () => {
    const sys = createTestSystem(
      (ctx, fs) =>
        new TestDirectory(ctx, fs, 0o755, {
          keep: true,
          children: [["task", new TestDirectory(ctx, fs, 0o555, { keep: true, children: [["status", newTestFile(ctx, fs, "running")]] })]],
        }),
      { maxCachedDentries: 100 },
    );
    const fd = sys.open("/task/status", O_RDONLY);
    const task = dentryOf(sys, "/task");
    const status = fd.dentry().impl as Dentry;
    task.invalidate(sys.ctx);
    expect(task.vfsd.isDead()).toBe(true);
    expect(status.vfsd.isDead()).toBe(true);
    expect(sys.readToEnd(fd)).toBe("running"); // the open file still works
    const again = dentryOf(sys, "/task/status");
    expect(again).not.toBe(status);
    fd.decRef(sys.ctx);
    expect(status.refCount).toBe(-1);
    expect(task.refCount).toBe(-1);
    sys.release();
  });
});

/** A file whose open() re-enters the VFS, as procfs files may. */
class ReentrantFile extends InodeNotDirectory {
  observed: number[] = [];
  constructor(
    ctx: Context,
    fs: Filesystem,
    readonly probe: (ctx: Context) => number,
  ) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: S_IFREG | 0o444 }));
  }
  open(ctx: Context, _rp: ResolvingPath, d: Dentry, _opts: OpenOptions): FileDescription {
    this.observed.push(this.probe(ctx));
    this.observed.push(d.refCount);
    throw new InternalError("stop");
  }
}

describe("deferred decRefs", () => {
  test("a nested operation does not release what the outer walk still uses", () => {
    const holder: { sys?: TestSystem } = {};
    let file: ReentrantFile | undefined;
    const sys = createTestSystem((ctx, fs) => {
      file = new ReentrantFile(ctx, fs, (c) => {
        // A nested walk that looks up (and drops) another entry.
        const s = holder.sys as TestSystem;
        s.vfs.statAt(c, s.pathOp("/sub/other"), { mask: STATX_TYPE, sync: 0 });
        return 0;
      });
      return new TestDirectory(ctx, fs, 0o755, {
        children: [["sub", new TestDirectory(ctx, fs, 0o755, { children: [["f", file], ["other", newTestFile(ctx, fs, "")]] })]],
      });
    });
    holder.sys = sys;
    expect(() => sys.open("/sub/f")).toThrow(InternalError);
    // Inside open(), after the nested statAt, the outer lookup's reference was still there.
    expect(file?.observed).toEqual([0, 1]);
    sys.release();
  });
});

/** An inode that never has a name or parent, like a pipe's. */
class Anonymous extends Leaf {
  override anonymous(): boolean {
    return true;
  }
}

describe("anonymous and parentless dentries", () => {
  test("an anonymous dentry is destroyed as soon as its count reaches zero, even with a cache", () => {
    const sys = createTestSystem((ctx, fs) => new TestDirectory(ctx, fs, 0o755), { maxCachedDentries: 10 });
    const d = new DentryClass(sys.fs, new Anonymous(sys.ctx, sys.fs));
    expect(d.parent()).toBeUndefined();
    d.decRef(sys.ctx);
    expect(d.refCount).toBe(-1);
    const orphan = new DentryClass(sys.fs, new Leaf(sys.ctx, sys.fs));
    orphan.decRef(sys.ctx); // parentless: never cached
    expect(orphan.refCount).toBe(-1);
    expect(orphan.vfsd.isDead()).toBe(true);
    expect(sys.fs.cachedDentryCount()).toBe(0);
    sys.release();
  });
});
