// A task's filesystem context: root directory, working directory and umask. Twin of
// gVisor's pkg/sentry/kernel/fs_context.go (Linux's struct fs_struct).
import { RefCounted, type Context, type VirtualDentry } from "@vfskit/vfs";

/**
 * Where a task's paths start: its root directory (chroot), its working directory and its
 * file-creation mask (gVisor's `FSContext`, Linux's `fs_struct`).
 *
 * @remarks
 * Holds one reference on each of the two positions (a reference on a
 * {@link @vfskit/vfs#VirtualDentry} is one on its mount and one on its dentry); the last
 * {@link FSContext.decRef} drops them. Reference-counted so that tasks could share one
 * (CLONE_FS); a fork makes a copy.
 * @public
 */
export class FSContext extends RefCounted {
  #root: VirtualDentry;
  #cwd: VirtualDentry;
  #umask: number;

  /**
   * @param root - The root directory; the context takes over one reference from the caller.
   * @param cwd - The working directory; the context takes over one reference from the caller.
   * @param umask - The file-creation mask (only 0777 bits are kept).
   */
  constructor(root: VirtualDentry, cwd: VirtualDentry, umask: number) {
    super("kernel.FSContext");
    this.#root = root;
    this.#cwd = cwd;
    this.#umask = umask & 0o777;
  }

  /** The root directory, borrowed (the context holds the reference). */
  root(): VirtualDentry {
    return this.#root;
  }

  /** The working directory, borrowed (the context holds the reference). */
  cwd(): VirtualDentry {
    return this.#cwd;
  }

  /** The file-creation mask. */
  umask(): number {
    return this.#umask;
  }

  /**
   * Replaces the root directory (chroot).
   * @param ctx - The caller's context.
   * @param vd - The new root; the context takes its own reference.
   */
  setRoot(ctx: Context, vd: VirtualDentry): void {
    vd.incRef();
    const old = this.#root;
    this.#root = vd;
    old.decRef(ctx);
  }

  /**
   * Replaces the working directory (chdir, fchdir).
   * @param ctx - The caller's context.
   * @param vd - The new working directory; the context takes its own reference.
   */
  setCwd(ctx: Context, vd: VirtualDentry): void {
    vd.incRef();
    const old = this.#cwd;
    this.#cwd = vd;
    old.decRef(ctx);
  }

  /**
   * Sets the file-creation mask and returns the old one (umask(2)).
   * @param mask - The new mask; only 0777 bits are kept.
   * @returns The previous mask.
   */
  swapUmask(mask: number): number {
    const old = this.#umask;
    this.#umask = mask & 0o777;
    return old;
  }

  /**
   * A copy for a forked task: the same root, working directory and umask, with references
   * of its own.
   * @returns The copy, one reference for the caller.
   */
  fork(): FSContext {
    this.#root.incRef();
    this.#cwd.incRef();
    return new FSContext(this.#root, this.#cwd, this.#umask);
  }

  /**
   * Drops a reference; the last one drops the working directory, then the root.
   * @param ctx - The caller's context.
   */
  decRef(ctx: Context): void {
    if (!this.dropRef()) return;
    this.#cwd.decRef(ctx);
    this.#root.decRef(ctx);
  }
}
