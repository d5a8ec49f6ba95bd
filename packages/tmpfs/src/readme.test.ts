// Runs the README's example, so it stays true.
import { O_CREAT, O_RDONLY, O_RDWR } from "@vfskit/abi";
import { Credentials } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import { MountNamespaceKey, RootKey, VirtualFilesystem, createContext } from "@vfskit/vfs";
import { expect, test } from "vitest";
import { TmpfsFilesystemType } from "./index.js";

test("the README example", () => {
  const log: unknown[][] = [];
  const console = { log: (...args: unknown[]) => log.push(args) };

  // --- begin README example (without the imports) ---
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
  const creds = Credentials.root();
  const boot = createContext(creds);
  const mntns = vfs.newMountNamespace(boot, "none", "tmpfs", { getFilesystemOptions: { data: "size=64m" } });
  const root = mntns.root(boot);
  const ctx = createContext(creds, [[MountNamespaceKey, mntns], [RootKey, root]]);
  const at = (path: string, follow = true) => ({ root, start: root, path: parse(path), followFinalSymlink: follow });

  vfs.mkdirAt(ctx, at("/tmp", false), { mode: 0o1777 });
  vfs.mountAt(ctx, "none", at("/tmp"), "tmpfs", { getFilesystemOptions: { data: "nr_inodes=1000" } });

  const fd = vfs.openAt(ctx, at("/tmp/hello.txt"), { flags: O_RDWR | O_CREAT, mode: 0o644 });
  fd.write(ctx, new TextEncoder().encode("hello, tmpfs\n"));
  fd.decRef(ctx);

  const rd = vfs.openAt(ctx, at("/tmp/hello.txt"), { flags: O_RDONLY, mode: 0 });
  const buf = new Uint8Array(64);
  const n = rd.read(ctx, buf);
  rd.decRef(ctx);
  console.log(new TextDecoder().decode(buf.subarray(0, n)));

  const st = vfs.statAt(ctx, at("/tmp/hello.txt"), { mask: 0x7ff, sync: 0 });
  console.log(st.size, st.nlink, st.mode.toString(8));
  console.log(vfs.statFSAt(ctx, at("/tmp")).files);

  vfs.umountAt(ctx, at("/tmp"), { flags: 0 });
  root.decRef(ctx);
  mntns.decRef(ctx);
  vfs.release(ctx);
  // --- end README example ---

  expect(log).toEqual([["hello, tmpfs\n"], [13, 1, "100644"], [1000]]);
});
