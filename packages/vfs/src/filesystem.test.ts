import { SysError } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { InternalError } from "./assert.js";
import { RESTART } from "./resolving-path.js";
import { createTestVfs, type TestVfs } from "./testing/index.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

function withVfs(fn: (t: TestVfs) => void): void {
  const t = createTestVfs();
  try {
    fn(t);
  } finally {
    t.release();
  }
}

describe("Filesystem", () => {
  test("a filesystem is listed while referenced and released once with its last reference", () => {
    withVfs((t) => {
      const { fs, root } = t.vfs.newFilesystem(t.ctx, "none", "testfs");
      let released = 0;
      const impl = fs.impl;
      const release = impl.release.bind(impl);
      impl.release = (ctx) => {
        released++;
        release(ctx);
      };
      const listed = t.vfs.getFilesystems();
      expect(listed).toContain(fs);
      for (const each of listed) each.decRef(t.ctx);
      t.mkdirp("/mnt");
      const mount = t.vfs.newDisconnectedMount(fs, root);
      t.vfs.connectMountAt(t.ctx, mount, t.pop("/mnt"));
      mount.decRef(t.ctx);
      root.decRef(t.ctx);
      fs.decRef(t.ctx);
      expect(released).toBe(0); // the mount still holds it
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
      expect(released).toBe(1);
      const after = t.vfs.getFilesystems();
      expect(after).not.toContain(fs);
      for (const each of after) each.decRef(t.ctx);
    });
  });

  test("mounting a filesystem on the root of a mount of itself → EBUSY", () => {
    withVfs((t) => {
      const fs = t.root.mount.fs;
      const mount = t.vfs.newDisconnectedMount(fs, t.root.dentry);
      try {
        expectErrno(() => t.vfs.connectMountAt(t.ctx, mount, t.pop("/")), "EBUSY");
      } finally {
        mount.decRef(t.ctx);
      }
    });
  });

  test("syncAllFilesystems syncs every filesystem and throws the first error afterwards", () => {
    withVfs((t) => {
      t.mkdirp("/mnt");
      const second = t.mountTestfs("/mnt");
      const calls: string[] = [];
      const first = t.root.mount.fs.impl;
      first.sync = () => {
        calls.push("root");
        throw new SysError("EIO");
      };
      second.fs.impl.sync = () => {
        calls.push("mnt");
        throw new SysError("ENOSPC");
      };
      expectErrno(() => t.vfs.syncAllFilesystems(t.ctx), "EIO");
      expect(calls.sort()).toEqual(["mnt", "root"]);
      t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
    });
  });

  test("returning RESTART without asking ResolvingPath for one is an InternalError", () => {
    withVfs((t) => {
      const impl = t.root.mount.fs.impl;
      const original = impl.readlinkAt.bind(impl);
      impl.readlinkAt = () => RESTART;
      try {
        expect(() => t.vfs.readlinkAt(t.ctx, t.pop("/x"))).toThrow(InternalError);
      } finally {
        impl.readlinkAt = original;
      }
    });
  });
});
