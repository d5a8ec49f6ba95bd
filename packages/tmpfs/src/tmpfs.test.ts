// The tmpfs type: mount options, statfs, the nr_inodes limit, and release of big trees.
import { O_CREAT, O_RDWR, S_IFDIR, TMPFS_MAGIC } from "@vfskit/abi";
import { Credentials, UserNamespace } from "@vfskit/auth";
import { createContext, VirtualFilesystem } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { createTmpfs, errnoOf, expectErrno, type TmpfsTest } from "./testing-fixtures/harness.js";
import { TmpfsFilesystemType } from "./tmpfs.js";

function withTmpfs(fn: (t: TmpfsTest) => void, data?: string): void {
  const t = createTmpfs(data === undefined ? {} : { data });
  try {
    fn(t);
  } finally {
    t.release();
  }
}

/** Creates a tmpfs from `data` on its own VFS and drops it again; returns the errno or "OK". */
function tryOptions(data: string, internalData?: unknown): string {
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true });
  const ctx = createContext(Credentials.root());
  try {
    return errnoOf(() => {
      const { fs, root } = vfs.newFilesystem(ctx, "none", "tmpfs", { data, internalData });
      root.decRef(ctx);
      fs.decRef(ctx);
    });
  } finally {
    vfs.release(ctx);
  }
}

describe("mount options", () => {
  test("accepted forms and their /proc/mounts text", () =>
    withTmpfs((t) => {
      t.mkdir("/m");
      const m = t.mountTmpfs("/m", "size=1m,nr_inodes=1k,mode=0755,uid=1000,gid=0x3e8,noswap,huge=never");
      expect(m.fs.impl.mountOptions()).toBe("mode=755,uid=1000,gid=1000,size=1024k,nr_inodes=1024");
      expect(t.vfs.generateProcMounts(t.ctx, t.root)).toContain("none /m tmpfs rw,relatime,mode=755,uid=1000,gid=1000,size=1024k,nr_inodes=1024 0 0");
      const root = t.stat("/m");
      expect(root).toMatchObject({ mode: S_IFDIR | 0o755, uid: 1000, gid: 1000 });
      const statfs = t.vfs.statFSAt(t.ctx, t.pop("/m"));
      expect(statfs).toMatchObject({ type: TMPFS_MAGIC, bsize: 4096, frsize: 4096, namelen: 255, blocks: 256, bfree: 256, files: 1024, ffree: 1023 });
      t.vfs.umountAt(t.ctx, t.pop("/m"), { flags: 0 });
      // The default: no limits (statfs reports zeros, as Linux does for size=0), root 1777.
      expect(t.stat("/").mode).toBe(S_IFDIR | 0o1777);
      expect(t.vfs.statFSAt(t.ctx, t.pop("/"))).toMatchObject({ blocks: 0, bfree: 0, files: 0, ffree: 0 });
      expect(t.root.mount.fs.impl.mountOptions()).toBe("");
    }));

  test("sizes follow memparse: suffixes, hex, octal; a percentage needs the total memory", () => {
    expect(tryOptions("size=4096")).toBe("OK");
    expect(tryOptions("size=1g,nr_blocks=16")).toBe("OK");
    expect(tryOptions("size=0x1000,nr_inodes=010")).toBe("OK");
    expect(tryOptions("size=0")).toBe("OK");
    expect(tryOptions("size=50%")).toBe("EINVAL");
    expect(tryOptions("size=50%", { totalMemoryBytes: 1 << 30 })).toBe("OK");
  });

  test("bad options are EINVAL", () => {
    for (const data of ["size=", "size=12q", "size=-1", "nr_inodes=1%", "nr_inodes=x", "mode=999", "mode=", "uid=abc", "gid=-1", "bogus", "nr_blocks=1k5"]) {
      expect([data, tryOptions(data)]).toEqual([data, "EINVAL"]);
    }
  });

  test("uid= and gid= are IDs of the caller's user namespace and must be mapped", () => {
    const vfs = new VirtualFilesystem();
    vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true });
    const rootNS = UserNamespace.root();
    const parent = Credentials.root(rootNS);
    const child = rootNS.newChild(parent, {});
    child.setUIDMap(parent, [{ firstID: 0, firstParentID: 100_000, length: 1000 }]);
    child.setGIDMap(parent, [{ firstID: 0, firstParentID: 100_000, length: 1000 }]);
    const ctx = createContext(Credentials.root(child));
    const { fs, root } = vfs.newFilesystem(ctx, "none", "tmpfs", { data: "uid=5,gid=6" });
    expect(fs.impl.mountOptions()).toBe("uid=100005,gid=100006");
    root.decRef(ctx);
    fs.decRef(ctx);
    expectErrno(() => vfs.newFilesystem(ctx, "none", "tmpfs", { data: "uid=5000" }), "EINVAL");
    vfs.release(ctx);
  });
});

describe("nr_inodes", () => {
  test("files, directories, symlinks, nodes and hard links each take a slot (ENOSPC when none is left)", () =>
    withTmpfs((t) => {
      // The root takes one of 5.
      t.writeFile("/a", "");
      t.vfs.linkAt(t.ctx, t.pop("/a", { follow: false }), t.pop("/b", { follow: false }));
      t.vfs.symlinkAt(t.ctx, t.pop("/c", { follow: false }), "x");
      t.mkdir("/d");
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(0);
      expectErrno(() => t.writeFile("/e", ""), "ENOSPC");
      expectErrno(() => t.mkdir("/e"), "ENOSPC");
      expectErrno(() => t.vfs.symlinkAt(t.ctx, t.pop("/e", { follow: false }), "x"), "ENOSPC");
      expectErrno(() => t.vfs.mknodAt(t.ctx, t.pop("/e", { follow: false }), { mode: 0o10644, devMajor: 0, devMinor: 0 }), "ENOSPC");
      expectErrno(() => t.vfs.linkAt(t.ctx, t.pop("/a", { follow: false }), t.pop("/e", { follow: false })), "ENOSPC");
      // Removing a second link gives its slot back.
      t.vfs.unlinkAt(t.ctx, t.pop("/b", { follow: false }));
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(1);
      t.open("/e", O_RDWR | O_CREAT).decRef(t.ctx);
      // An unlinked but open file keeps its slot until closed.
      const fd = t.open("/e", O_RDWR);
      t.vfs.unlinkAt(t.ctx, t.pop("/e", { follow: false }));
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(0);
      fd.decRef(t.ctx);
      expect(t.vfs.statFSAt(t.ctx, t.pop("/")).ffree).toBe(1);
    }, "nr_inodes=5"));
});

describe("release", () => {
  test("a deep tree with open-then-closed files and hard links across directories is freed", () =>
    withTmpfs((t) => {
      let path = "";
      for (let i = 0; i < 1500; i++) {
        path += "/d";
        t.mkdir(path);
        if (i % 100 === 0) t.writeFile(`${path}/f`, "x");
      }
      t.writeFile(`${path}/leaf`, "x");
      t.vfs.linkAt(t.ctx, t.pop(`${path}/leaf`, { follow: false }), t.pop("/top-link", { follow: false }));
      expect(t.readText("/top-link")).toBe("x");
      // The leak checker (after each test) verifies every inode was released.
    }));
});
