// A (mount, dentry) pair: a position in the tree of mounts. Twin of VirtualDentry in
// gVisor's pkg/sentry/vfs/vfs.go (Linux's struct path).
import type { Context } from "./context.js";
import type { Dentry } from "./dentry.js";
import type { Mount } from "./mount.js";

/**
 * A node in the tree of mounts: a {@link Dentry} seen through the {@link Mount} it was
 * reached by (Linux's `struct path`).
 *
 * @remarks
 * The same dentry can be visible at several places (bind mounts, several namespaces),
 * so a dentry alone does not say where a file is; the pair does.
 *
 * A `VirtualDentry` is an immutable value: the constructor takes no references. "A
 * reference on a VirtualDentry" means one reference on its mount and one on its dentry;
 * {@link VirtualDentry.incRef} and {@link VirtualDentry.decRef} take and drop both
 * (the dentry is dropped before the mount, because dentries do not hold their
 * filesystem — the mount does).
 * @public
 */
export class VirtualDentry {
  /** The mount through which the dentry is seen. */
  readonly mount: Mount;
  /** The dentry. */
  readonly dentry: Dentry;

  /**
   * Pairs a mount and one of its filesystem's dentries.
   *
   * @param mount - The mount.
   * @param dentry - A dentry of `mount.fs`.
   * @remarks Takes no references.
   */
  constructor(mount: Mount, dentry: Dentry) {
    this.mount = mount;
    this.dentry = dentry;
  }

  /** Takes a reference on the mount and on the dentry. */
  incRef(): void {
    this.mount.incRef();
    this.dentry.incRef();
  }

  /**
   * Drops a reference on the dentry, then on the mount.
   * @param ctx - The context of the operation dropping the reference.
   */
  decRef(ctx: Context): void {
    this.dentry.decRef(ctx);
    this.mount.decRef(ctx);
  }

  /**
   * Reports whether `other` names the same mount and dentry.
   * @param other - Another virtual dentry, or `undefined`.
   * @returns `true` if both the mount and the dentry are the same objects.
   */
  equals(other: VirtualDentry | undefined): boolean {
    return other !== undefined && other.mount === this.mount && other.dentry === this.dentry;
  }
}
