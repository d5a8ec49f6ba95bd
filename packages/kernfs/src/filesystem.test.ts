// The walk (step, revalidation, symlinks, magic links) and kernfs's read-only and metadata
// operations: access, getDentryAt, stat, statfs, setStat, readlink, xattrs, pathnames.
import {
  O_RDONLY,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  STATX_ATIME,
  STATX_INO,
  STATX_MODE,
  STATX_MTIME,
  STATX_TYPE,
  SysError,
  UTIME_OMIT,
  XATTR_CREATE,
} from "@vfskit/abi";
import {
  MAY_EXEC,
  MAY_READ,
  MAY_WRITE,
  type Context,
  type GetXattrOptions,
  type Mount,
  type SetXattrOptions,
  type VirtualDentry,
} from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import type { Filesystem } from "./filesystem.js";
import { InodeAttrs } from "./inode-attrs.js";
import { InodeDirectory, InodeSymlink, StaticDirectory } from "./inode-impl-util.js";
import type { Inode, InodeWithXattrs, LinkTarget } from "./inode.js";
import type { Dentry } from "./kernfs.js";
import { OrderedChildren } from "./ordered-children.js";
import { createTestSystem, newTestFile, TestDirectory, TestFile } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";
import { makeTree, type Tree } from "./testing-fixtures/tree.js";

function withTree(fn: (t: Tree) => void): void {
  const t = makeTree();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

const stat = (t: Tree, path: string, follow = true, ctx: Context = t.ctx): { mode: number; ino: number } =>
  t.vfs.statAt(ctx, t.pathOp(path, { follow }), { mask: STATX_TYPE | STATX_INO, sync: 0 });

describe("the walk", () => {
  test("ENOENT, ENOTDIR, ENAMETOOLONG; `..` at the root stays at the root", () =>
    withTree((t) => {
      expectErrno(() => stat(t, "/missing"), "ENOENT");
      expectErrno(() => stat(t, "/missing/../dir"), "ENOENT");
      expectErrno(() => stat(t, "/dir/file/x"), "ENOTDIR");
      expectErrno(() => stat(t, "/dir/file/"), "ENOTDIR");
      expectErrno(() => stat(t, `/${"n".repeat(256)}`), "ENAMETOOLONG");
      expect(stat(t, "/../../dir/./file").ino).toBe(stat(t, "/dir/file").ino);
    }));
  test("EACCES: a directory without search permission", () =>
    withTree((t) => {
      t.mkdir("/dir/p", 0o600);
      t.create("/dir/p/f");
      expectErrno(() => stat(t, "/dir/p/f", true, t.userCtx), "EACCES");
      stat(t, "/dir/p", true, t.userCtx);
    }));
  test("tryStatAt and tryGetDentryAt answer undefined for a missing file", () =>
    withTree((t) => {
      expect(t.vfs.tryStatAt(t.ctx, t.pathOp("/dir/none"), { mask: STATX_TYPE, sync: 0 })).toBeUndefined();
      expect(t.vfs.tryGetDentryAt(t.ctx, t.pathOp("/dir/none"))).toBeUndefined();
      expectErrno(() => t.vfs.tryStatAt(t.ctx, t.pathOp("/dir/file/x"), { mask: STATX_TYPE, sync: 0 }), "ENOTDIR");
    }));
  test("relative and absolute symlinks are followed mid-path and at the end unless nofollow", () =>
    withTree((t) => {
      t.symlink("dir", "/rel");
      t.symlink("/dir/file", "/dir/abs");
      t.symlink("../dir/./file", "/dir/up");
      const file = stat(t, "/dir/file").ino;
      expect(stat(t, "/rel/file").ino).toBe(file);
      expect(stat(t, "/rel/abs").ino).toBe(file);
      expect(stat(t, "/dir/up").ino).toBe(file);
      expect(stat(t, "/dir/abs", false).mode & S_IFMT).toBe(S_IFLNK);
      // A trailing slash follows a final link.
      expect(stat(t, "/rel/", false).mode & S_IFMT).toBe(0o040000);
    }));
  test("ELOOP: 40 links are followed, the 41st is not; ENOENT: an empty target", () =>
    withTree((t) => {
      t.create("/dir/l0");
      for (let i = 1; i <= 41; i++) t.symlink(`l${i - 1}`, `/dir/l${i}`);
      stat(t, "/dir/l40");
      expectErrno(() => stat(t, "/dir/l41"), "ELOOP");
    }));
  test("getDentryAt with checkSearchable: ENOTDIR, EACCES", () =>
    withTree((t) => {
      expectErrno(() => t.vfs.getDentryAt(t.ctx, t.pathOp("/dir/file"), { checkSearchable: true }), "ENOTDIR");
      t.mkdir("/dir/p", 0o600);
      expectErrno(() => t.vfs.getDentryAt(t.userCtx, t.pathOp("/dir/p"), { checkSearchable: true }), "EACCES");
      t.vfs.getDentryAt(t.ctx, t.pathOp("/dir"), { checkSearchable: true }).decRef(t.ctx);
    }));
  test("getParentDentryAt: ENOTDIR when the parent is a file", () =>
    withTree((t) => {
      expectErrno(() => t.vfs.getParentDentryAt(t.ctx, t.pathOp("/dir/file/x")), "ENOTDIR");
      const { parent, name } = t.vfs.getParentDentryAt(t.ctx, t.pathOp("/dir/file"));
      expect(name).toBe("file");
      parent.decRef(t.ctx);
    }));
});

/** A symlink that jumps to a fixed position, like /proc/[pid]/cwd. */
class MagicLink extends InodeSymlink {
  constructor(
    ctx: Context,
    fs: Filesystem,
    readonly target: () => VirtualDentry,
  ) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: S_IFLNK | 0o777 }));
  }
  readlink(): string {
    return "magic:[0]";
  }
  getlink(_ctx: Context, _mnt: Mount): LinkTarget {
    const vd = this.target();
    vd.incRef();
    return vd;
  }
}

describe("magic links", () => {
  test("getlink returning a position jumps there; readlink shows the text", () => {
    const here: { vd?: VirtualDentry } = {};
    const sys = createTestSystem((ctx, fs) =>
      new StaticDirectory(ctx, {
        ino: fs.nextIno(),
        perm: 0o555,
        children: [
          ["sub", new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children: [["f", newTestFile(ctx, fs, "deep")]] })],
          ["jump", new MagicLink(ctx, fs, () => here.vd as VirtualDentry)],
        ],
      }),
    );
    here.vd = sys.getDentry("/sub");
    expect(sys.readFile("/jump/f")).toBe("deep");
    expect(sys.vfs.readlinkAt(sys.ctx, sys.pathOp("/jump", { follow: false }))).toBe("magic:[0]");
    here.vd.decRef(sys.ctx);
    sys.release();
  });
});

/** A directory whose entries are produced on lookup, revalidated by a generation number. */
class GenerationDir extends InodeDirectory {
  generation = 0;
  constructor(
    ctx: Context,
    readonly fs: Filesystem,
  ) {
    super(new InodeAttrs(ctx, { ino: fs.nextIno(), mode: 0o040555 }), { children: new OrderedChildren() });
  }
  override lookup(ctx: Context, name: string): Inode | undefined {
    if (name !== "entry") return undefined;
    return new GenFile(ctx, this.fs, this, this.generation);
  }
}

class GenFile extends TestFile {
  constructor(
    ctx: Context,
    fs: Filesystem,
    readonly dir: GenerationDir,
    readonly generation: number,
  ) {
    super(ctx, fs, `gen ${generation}`, 0o444);
  }
  override valid(): boolean {
    return this.generation === this.dir.generation;
  }
  override keep(): boolean {
    return true;
  }
}

describe("revalidation", () => {
  test("a dentry whose inode is no longer valid is invalidated and looked up again", () => {
    let dir: GenerationDir | undefined;
    const sys = createTestSystem((ctx, fs) => (dir = new GenerationDir(ctx, fs)));
    const first = sys.getDentry("/entry");
    expect(sys.readFile("/entry")).toBe("gen 0");
    (dir as GenerationDir).generation = 1;
    expect(sys.readFile("/entry")).toBe("gen 1");
    expect(first.dentry.isDead()).toBe(true);
    const second = sys.getDentry("/entry");
    expect(second.dentry).not.toBe(first.dentry);
    first.decRef(sys.ctx);
    second.decRef(sys.ctx);
    sys.release();
  });
});

describe("accessAt, readlinkAt, statFSAt, setStatAt", () => {
  test("access: EACCES; EROFS for write access, except for special files", () =>
    withTree((t) => {
      t.vfs.mknodAt(t.ctx, t.nofollow("/dir/fifo"), { mode: S_IFIFO | 0o666, devMajor: 0, devMinor: 0 });
      expectErrno(() => t.vfs.accessAt(t.userCtx, t.pathOp("/ro/f"), MAY_WRITE), "EACCES");
      t.vfs.accessAt(t.userCtx, t.pathOp("/ro/f"), MAY_READ);
      t.vfs.setMountReadOnly(t.root.mount, true);
      expectErrno(() => t.vfs.accessAt(t.ctx, t.pathOp("/dir/file"), MAY_WRITE), "EROFS");
      t.vfs.accessAt(t.ctx, t.pathOp("/dir/fifo"), MAY_WRITE);
      t.vfs.accessAt(t.ctx, t.pathOp("/dir"), MAY_EXEC | MAY_READ);
      t.vfs.setMountReadOnly(t.root.mount, false);
    }));
  test("readlink: EINVAL for a non-symlink", () =>
    withTree((t) => {
      expectErrno(() => t.vfs.readlinkAt(t.ctx, t.nofollow("/dir/file")), "EINVAL");
      expectErrno(() => t.vfs.readlinkAt(t.ctx, t.nofollow("/dir")), "EINVAL");
    }));
  test("statfs: ENOSYS by default", () =>
    withTree((t) => {
      expectErrno(() => t.vfs.statFSAt(t.ctx, t.pathOp("/dir")), "ENOSYS");
    }));
  test("setStat: empty mask is a no-op even on a read-only mount; EROFS; EPERM on static inodes", () =>
    withTree((t) => {
      t.vfs.setMountReadOnly(t.root.mount, true);
      t.vfs.setStatAt(t.ctx, t.pathOp("/dir/file"), { stat: { mask: 0 } });
      expectErrno(() => t.chmod("/dir/file", 0o600), "EROFS");
      t.vfs.setMountReadOnly(t.root.mount, false);
      expectErrno(() => t.chmod("/ro", 0o700), "EPERM");
      t.chmod("/dir/file", 0o4600);
      expect(t.vfs.statAt(t.ctx, t.pathOp("/dir/file"), { mask: STATX_MODE, sync: 0 }).mode).toBe(0o104600);
      expectErrno(() => t.vfs.setStatAt(t.userCtx, t.pathOp("/dir/file"), { stat: { mask: STATX_MODE, mode: 0o777 } }), "EPERM");
    }));
  test("setStat sends IN_ATTRIB to the file and its parent", () =>
    withTree((t) => {
      const events: string[] = [];
      const dir = t.getDentry("/dir");
      const file = t.getDentry("/dir/file");
      (dir.dentry.impl as Dentry).watches().add((_c, e) => events.push(`dir ${e.mask.toString(16)} ${e.name}`));
      (file.dentry.impl as Dentry).watches().add((_c, e) => events.push(`file ${e.mask.toString(16)}`));
      t.vfs.setStatAt(t.ctx, t.pathOp("/dir/file"), {
        stat: { mask: STATX_ATIME | STATX_MTIME, atime: { sec: 1, nsec: 0 }, mtime: { sec: 2, nsec: UTIME_OMIT } },
      });
      expect(events).toEqual(["dir 4 file", "file 4"]);
      dir.decRef(t.ctx);
      file.decRef(t.ctx);
    }));
});

/** A file with in-memory extended attributes. */
class XattrFile extends TestFile implements InodeWithXattrs {
  readonly xattrs = new Map<string, Uint8Array>();
  getXattr(_ctx: Context, opts: GetXattrOptions): Uint8Array {
    const value = this.xattrs.get(opts.name);
    if (value === undefined) throw new SysError("ENODATA");
    return value;
  }
  setXattr(_ctx: Context, opts: SetXattrOptions): void {
    if ((opts.flags & XATTR_CREATE) !== 0 && this.xattrs.has(opts.name)) throw new SysError("EEXIST");
    this.xattrs.set(opts.name, opts.value);
  }
  listXattr(): string[] {
    return [...this.xattrs.keys()];
  }
  removeXattr(_ctx: Context, name: string): void {
    if (!this.xattrs.delete(name)) throw new SysError("ENODATA");
  }
}

describe("extended attributes", () => {
  const value = new Uint8Array([1, 2, 3]);
  test("ENOTSUP (EOPNOTSUPP) unless the inode supports them; listxattr is then empty", () =>
    withTree((t) => {
      const pop = t.pathOp("/dir/file");
      expectErrno(() => t.vfs.getXattrAt(t.ctx, pop, { name: "user.a", size: 0 }), "ENOTSUP");
      expectErrno(() => t.vfs.setXattrAt(t.ctx, pop, { name: "user.a", value, flags: 0 }), "ENOTSUP");
      expectErrno(() => t.vfs.removeXattrAt(t.ctx, pop, "user.a"), "ENOTSUP");
      expect(t.vfs.listXattrAt(t.ctx, pop, 0)).toEqual([]);
    }));
  test("an InodeWithXattrs: Linux's namespace and permission rules", () => {
    const sys = createTestSystem((ctx, fs) => {
      const dir = new TestDirectory(ctx, fs, 0o777);
      return new TestDirectory(ctx, fs, 0o755, { children: [["x", new XattrFile(ctx, fs, "", 0o644)], ["d", dir]] });
    });
    const user = sys.as(sys.user(1000, 1000));
    const pop = sys.pathOp("/x");
    sys.vfs.setXattrAt(sys.ctx, pop, { name: "user.a", value, flags: 0 });
    sys.vfs.setXattrAt(sys.ctx, pop, { name: "trusted.t", value, flags: 0 });
    expect(sys.vfs.getXattrAt(user, pop, { name: "user.a", size: 0 })).toEqual(value);
    expectErrno(() => sys.vfs.setXattrAt(sys.ctx, pop, { name: "user.a", value, flags: XATTR_CREATE }), "EEXIST");
    expectErrno(() => sys.vfs.setXattrAt(user, pop, { name: "user.a", value, flags: 0 }), "EACCES");
    expectErrno(() => sys.vfs.getXattrAt(user, pop, { name: "trusted.t", size: 0 }), "ENODATA");
    expectErrno(() => sys.vfs.setXattrAt(user, pop, { name: "trusted.t", value, flags: 0 }), "EPERM");
    expect(sys.vfs.listXattrAt(user, pop, 0)).toEqual(["user.a"]);
    expect(sys.vfs.listXattrAt(sys.ctx, pop, 0)).toEqual(["user.a", "trusted.t"]);
    sys.vfs.removeXattrAt(sys.ctx, pop, "user.a");
    expectErrno(() => sys.vfs.removeXattrAt(sys.ctx, pop, "user.a"), "ENODATA");
    sys.release();
  });
});

describe("pathnames", () => {
  test("prependPath through the VFS pathname functions; isDescendant", () =>
    withTree((t) => {
      t.mkdir("/dir/a");
      const vd = t.getDentry("/dir/a");
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/dir/a");
      expect(t.vfs.pathnameInFilesystem(t.ctx, vd)).toBe("/dir/a");
      const dir = t.getDentry("/dir");
      expect(t.fs.isDescendant(dir, vd)).toBe(true);
      expect(t.fs.isDescendant(vd, dir)).toBe(false);
      expect(t.vfs.pathnameReachable(t.ctx, dir, vd)).toBe("/a");
      t.vfs.rmdirAt(t.ctx, t.nofollow("/dir/a"));
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, vd)).toBe("/dir/a (deleted)");
      dir.decRef(t.ctx);
      vd.decRef(t.ctx);
      expect((t.root.dentry.impl as Dentry).fsLocalPath()).toBe("/");
    }));
  test("open files report their path", () =>
    withTree((t) => {
      const fd = t.open("/dir/file", O_RDONLY);
      expect(t.vfs.pathnameWithDeleted(t.ctx, t.root, fd.vd)).toBe("/dir/file");
      fd.decRef(t.ctx);
    }));
});
