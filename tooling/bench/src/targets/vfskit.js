// @ts-check
// The two ways the tmpfs cases drive vfskit: a VirtualFilesystem whose root is a tmpfs,
// called through the vfs API directly (the fastest honest path: the caller parses the path
// and builds a PathOperation, as a system call would), and a booted @vfskit/kernel whose
// init task makes system calls (openat, fstatat… with fd tables and Linux's argument
// checks on top).
import { O_CREAT, O_TRUNC, O_WRONLY } from "@vfskit/abi";
import { Credentials } from "@vfskit/auth";
import { parse } from "@vfskit/fspath";
import { Kernel } from "@vfskit/kernel";
import { TmpfsFilesystemType } from "@vfskit/tmpfs";
import { MountNamespaceKey, RootKey, VirtualFilesystem, createContext } from "@vfskit/vfs";

/**
 * A VFS with a tmpfs root, as root (all capabilities) in the initial user namespace.
 *
 * @typedef {object} VfskitTmpfs
 * @property {VirtualFilesystem} vfs - The VFS.
 * @property {import("@vfskit/vfs").Context} ctx - Root's context, with the mount namespace and root.
 * @property {import("@vfskit/vfs").VirtualDentry} root - The namespace's root (borrowed by every path operation).
 * @property {(path: string, follow?: boolean) => import("@vfskit/vfs").PathOperation} at - Parses an
 *   absolute path into a PathOperation from the root (follows a final symlink unless `follow` is false).
 * @property {() => void} release - Drops every reference; the VFS is unusable afterwards.
 */

/**
 * Mounts a fresh, unlimited tmpfs as the root of a new VirtualFilesystem.
 *
 * @returns {VfskitTmpfs} The VFS and its helpers.
 */
export function freshVfskitTmpfs() {
  const vfs = new VirtualFilesystem();
  vfs.registerFilesystemType("tmpfs", new TmpfsFilesystemType(), { allowUserMount: true, allowUserList: true });
  const creds = Credentials.root();
  const boot = createContext(creds);
  const mntns = vfs.newMountNamespace(boot, "none", "tmpfs");
  const root = mntns.root(boot);
  const ctx = createContext(creds, [
    [MountNamespaceKey, mntns],
    [RootKey, root],
  ]);
  return {
    vfs,
    ctx,
    root,
    at: (path, follow = true) => ({ root, start: root, path: parse(path), followFinalSymlink: follow }),
    release: () => {
      root.decRef(ctx);
      mntns.decRef(ctx);
      vfs.release(ctx);
    },
  };
}

/**
 * A booted kernel (tmpfs root) and its init task, which makes the system calls.
 *
 * @typedef {object} VfskitKernel
 * @property {Kernel} kernel - The kernel.
 * @property {import("@vfskit/kernel").Task} task - init (PID 1, root).
 * @property {() => void} release - Shuts the kernel down.
 */

/**
 * Boots a kernel with its defaults (tmpfs root, system-call time accounting on, as shipped).
 *
 * @returns {VfskitKernel} The kernel and init.
 */
export function freshVfskitKernel() {
  const kernel = Kernel.create();
  return { kernel, task: kernel.init, release: () => kernel.shutdown() };
}

/**
 * The few calls the cases use to build their fixtures (outside timing), over any target.
 *
 * @typedef {object} FixtureFs
 * @property {(path: string) => void} mkdirp - mkdir -p, mode 0755.
 * @property {(path: string, data: Uint8Array) => void} writeFile - Creates or truncates, then writes.
 * @property {(target: string, path: string) => void} symlink - Creates a symbolic link.
 */

/**
 * @param {VfskitTmpfs} t - A vfskit VFS.
 * @returns {FixtureFs} Fixture calls through its vfs API.
 */
export function vfskitFixture(t) {
  const { vfs, ctx, root, at } = t;
  return {
    mkdirp: (path) => vfs.mkdirAllAt(ctx, root, path, { mode: 0o755 }),
    writeFile: (path, data) => {
      const fd = vfs.openAt(ctx, at(path), { flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644 });
      try {
        if (data.length > 0) fd.write(ctx, data);
      } finally {
        fd.decRef(ctx);
      }
    },
    symlink: (target, path) => vfs.symlinkAt(ctx, at(path, false), target),
  };
}

/**
 * @param {VfskitKernel} k - A booted kernel.
 * @returns {FixtureFs} Fixture calls through init's system calls.
 */
export function kernelFixture(k) {
  const { task } = k;
  return {
    mkdirp: (path) => {
      let prefix = "";
      for (const name of path.split("/")) {
        if (name === "") continue;
        prefix += `/${name}`;
        try {
          task.mkdir(prefix, 0o755);
        } catch (error) {
          if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
        }
      }
    },
    writeFile: (path, data) => {
      const fd = task.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644);
      try {
        if (data.length > 0) task.write(fd, data);
      } finally {
        task.close(fd);
      }
    },
    symlink: (target, path) => task.symlink(target, path),
  };
}
