import { expect, test } from "vitest";
import { createTestVfs, type TestVfs } from "./testing/index.js";

// Regression (found by the tmpfs memory measurement): a finished walk went back to the
// VFS's pool still holding its mount, start dentry and path, so an unmounted filesystem
// stayed reachable from a live VFS until the pooled walk object was reused.
// vitest.config.ts runs this package's tests with --expose-gc.
const gc = (globalThis as { gc?: () => void }).gc;

/** Mounts testfs on /mnt, walks into it, unmounts it; returns a weak ref to its filesystem. */
function walkIntoAndUnmount(t: TestVfs): WeakRef<object> {
  t.mkdirp("/mnt");
  const mount = t.mountTestfs("/mnt");
  const fs = new WeakRef<object>(mount.fs);
  t.writeFile("/mnt/file", "x");
  t.vfs.statAt(t.ctx, t.pop("/mnt/file"), { mask: 0x7ff, sync: 0 });
  t.vfs.umountAt(t.ctx, t.pop("/mnt"), { flags: 0 });
  return fs;
}

test("a finished walk keeps nothing of an unmounted filesystem reachable", async () => {
  if (gc === undefined) throw new Error("run with --expose-gc");
  const t = createTestVfs();
  try {
    const fs = walkIntoAndUnmount(t);
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(fs.deref()).toBeUndefined();
  } finally {
    t.release();
  }
});
