// The README's example, run as a test (relative imports instead of "@vfskit/kernfs").
import { STATX_TYPE } from "@vfskit/abi";
import { Credentials } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import {
  StaticData,
  VirtualFilesystem,
  createContext,
  type ByteSink,
  type Context,
  type FilesystemType,
  type NewFilesystem,
} from "@vfskit/vfs";
import { expect, test } from "vitest";
import { DynamicBytesFile, Filesystem, StaticDirectory } from "./index.js";

// --- README example starts ---
// A tiny procfs: /version (static), /uptime (generated at each read), /sys/kernel/hostname.
class TinyProc implements FilesystemType {
  constructor(private readonly bootTime: number) {}

  name(): string {
    return "tinyproc";
  }

  getFilesystem(ctx: Context, vfs: VirtualFilesystem): NewFilesystem {
    const fs = new Filesystem(vfs, this, { maxCachedDentries: 1000 });
    const file = (perm: number, generate: (buf: ByteSink) => void): DynamicBytesFile =>
      new DynamicBytesFile(ctx, { ino: fs.nextIno(), perm, data: { generate: (_ctx, buf) => generate(buf) } });
    const root = new StaticDirectory(ctx, {
      ino: fs.nextIno(),
      perm: 0o555,
      children: [
        ["version", new DynamicBytesFile(ctx, { ino: fs.nextIno(), perm: 0o444, data: new StaticData("Linux version 6.0 (tinyproc)\n") })],
        ["uptime", file(0o444, (buf) => buf.write(`${((Date.now() - this.bootTime) / 1000).toFixed(2)}\n`))],
        [
          "sys",
          new StaticDirectory(ctx, {
            ino: fs.nextIno(),
            perm: 0o555,
            children: [["kernel", new StaticDirectory(ctx, { ino: fs.nextIno(), perm: 0o555, children: [["hostname", file(0o444, (buf) => buf.write("sandbox\n"))]] })]],
          }),
        ],
      ],
    });
    const rootDentry = fs.initRoot(root);
    return { fs: fs.vfsfs, root: rootDentry.vfsd };
  }

  release(): void {}
}

function example(): { version: string; hostname: string; entries: string[]; isDir: boolean } {
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("tinyproc", new TinyProc(Date.now()));
  const ctx = createContext(Credentials.root());
  const mntns = vfs.newMountNamespace(ctx, "none", "tinyproc");
  const root = mntns.root(ctx);
  const at = (path: string) => ({ root, start: root, path: parse(path), followFinalSymlink: true });

  const read = (path: string): string => {
    const fd = vfs.openAt(ctx, at(path), { flags: 0, mode: 0 });
    const buf = new Uint8Array(256);
    const n = fd.read(ctx, buf);
    fd.decRef(ctx);
    return new TextDecoder().decode(buf.subarray(0, n));
  };
  const version = read("/version");
  const hostname = read("/sys/kernel/hostname");

  const dir = vfs.openAt(ctx, at("/"), { flags: 0, mode: 0 });
  const entries: string[] = [];
  dir.iterDirents(ctx, (dirent) => (entries.push(dirent.name), true));
  dir.decRef(ctx);
  const isDir = (vfs.statAt(ctx, at("/sys"), { mask: STATX_TYPE, sync: 0 }).mode & 0o170000) === 0o040000;

  root.decRef(ctx);
  mntns.decRef(ctx); // unmounts and releases the filesystem
  vfs.release(ctx);
  return { version, hostname, entries, isDir };
}
// --- README example ends ---

test("the README example runs", () => {
  expect(example()).toEqual({
    version: "Linux version 6.0 (tinyproc)\n",
    hostname: "sandbox\n",
    entries: [".", "..", "version", "uptime", "sys"],
    isDir: true,
  });
});
