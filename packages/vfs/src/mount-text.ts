// The text of /proc/[pid]/mounts and /proc/[pid]/mountinfo. Twin of GenerateProcMounts
// and GenerateProcMountInfo in gVisor's pkg/sentry/vfs/mount.go; the format follows
// Linux's fs/proc_namespace.c (show_vfsmnt, show_mountinfo) where gVisor differs.
import { AT_STATX_DONT_SYNC } from "@vfskit/abi";
import { parse } from "@vfskit/fspath";
import type { Context } from "./context.js";
import { type Mount, PropagationType, mountState } from "./mount.js";
import { isReadOnlySuperblock } from "./mount-ops.js";
import { submounts } from "./mount-tree.js";
import { pathnameInFilesystem, pathnameReachable } from "./pathname.js";
import { VirtualDentry } from "./virtual-dentry.js";
import type { VirtualFilesystem } from "./vfs.js";

const EMPTY_PATH = parse("");

/**
 * Escapes a path or source for the mounts files as Linux's mangle_path does: space,
 * tab, newline and backslash become `\040`, `\011`, `\012`, `\134`.
 * @public
 */
export function mangleMountPath(text: string): string {
  return text.replace(/[ \t\n\\]/g, (c) => {
    switch (c) {
      case " ":
        return "\\040";
      case "\t":
        return "\\011";
      case "\n":
        return "\\012";
      default:
        return "\\134";
    }
  });
}

// Linux's show_mnt_opts(), in its order. (gVisor omits nodev and, in /proc/mounts,
// replaces the whole string with ",noatime"; Linux appends.)
// /proc/mounts shows "ro" if the mount or the filesystem is read-only
// (__mnt_is_readonly); mountinfo's sixth field shows the mount's own flag.
function perMountOptions(mount: Mount, withSuperblock: boolean): string {
  const state = mountState(mount);
  let text = state.readOnly || (withSuperblock && isReadOnlySuperblock(mount.fs)) ? "ro" : "rw";
  if (state.flags.noSUID) text += ",nosuid";
  if (state.flags.noDev) text += ",nodev";
  if (state.flags.noExec) text += ",noexec";
  // Linux's default atime mode is relatime; only noatime is modelled besides. Internal
  // mounts (kern_mount) have neither.
  if (state.flags.noATime) text += ",noatime";
  else if (state.relATime) text += ",relatime";
  return text;
}

function withFilesystemOptions(text: string, mount: Mount): string {
  const fsOptions = mount.fs.impl.mountOptions();
  return fsOptions === "" ? text : `${text},${fsOptions}`;
}

/** The mounts below the task root's mount, by ID, each with a reference. */
function mountsFrom(taskRoot: VirtualDentry): Mount[] {
  const mounts = submounts(taskRoot.mount).sort((a, b) => a.id - b.id);
  for (const mount of mounts) mount.incRef();
  return mounts;
}

/** Implements VirtualFilesystem.generateProcMounts. */
export function generateProcMounts(vfs: VirtualFilesystem, ctx: Context, taskRoot: VirtualDentry): string {
  const mounts = mountsFrom(taskRoot);
  let text = "";
  try {
    for (const mount of mounts) {
      const path = pathnameReachable(vfs, ctx, taskRoot, new VirtualDentry(mount, mount.root()));
      if (path === "") continue; // not reachable from the task's root
      const options = withFilesystemOptions(perMountOptions(mount, true), mount);
      text += `${mangleMountPath(mount.source())} ${mangleMountPath(path)} ${mount.fs.fsType.name()} ${options} 0 0\n`;
    }
  } finally {
    for (const mount of mounts) mount.decRef(ctx);
  }
  return text;
}

/** Implements VirtualFilesystem.generateProcMountInfo. */
export function generateProcMountInfo(vfs: VirtualFilesystem, ctx: Context, taskRoot: VirtualDentry): string {
  const mounts = mountsFrom(taskRoot);
  let text = "";
  try {
    for (const mount of mounts) {
      const rootVD = new VirtualDentry(mount, mount.root());
      const mountPoint = pathnameReachable(vfs, ctx, taskRoot, rootVD);
      if (mountPoint === "") continue;
      const rootInFilesystem = pathnameInFilesystem(ctx, rootVD);
      const stat = vfs.statAt(
        ctx,
        { root: rootVD, start: rootVD, path: EMPTY_PATH, followFinalSymlink: false },
        { mask: 0, sync: AT_STATX_DONT_SYNC },
      );
      const parentID = mount.parent()?.id ?? mount.id;
      const superblock = withFilesystemOptions(isReadOnlySuperblock(mount.fs) ? "ro" : "rw", mount);
      // Optional fields go between the options and " - ": only "unbindable" for now
      // (shared:N and master:N need propagation, which is not implemented).
      const tags = mountState(mount).propagation === PropagationType.Unbindable ? " unbindable" : "";
      text +=
        `${mount.id} ${parentID} ${stat.devMajor}:${stat.devMinor} ` +
        `${mangleMountPath(rootInFilesystem)} ${mangleMountPath(mountPoint)} ${perMountOptions(mount, false)}${tags} - ` +
        `${mount.fs.fsType.name()} ${mangleMountPath(mount.source())} ${superblock}\n`;
    }
  } finally {
    for (const mount of mounts) mount.decRef(ctx);
  }
  return text;
}
