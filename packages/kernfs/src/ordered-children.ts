// OrderedChildren: the entries of a kernfs directory inode, in insertion order. Twin of
// OrderedChildren in gVisor's pkg/sentry/fsimpl/kernfs/inode_impl_util.go.
import { S_IFDIR, S_IFMT, SysError } from "@vfskit/abi";
import { InternalError, type Context } from "@vfskit/vfs";
import type { Inode } from "./inode.js";

/**
 * Options of {@link OrderedChildren}.
 * @public
 */
export interface OrderedChildrenOptions {
  /**
   * Whether unlink, rmdir and rename may change the entries. If not, they fail with EPERM
   * (a read-only /proc or /sys directory). A writable directory must also honour the
   * sticky bit (kernfs checks it).
   */
  readonly writable?: boolean;
}

interface Slot {
  inode: Inode;
  /** Inserted by `populate`: cannot be removed or renamed. */
  readonly isStatic: boolean;
}

/**
 * The entries of a directory inode, in insertion order (gVisor's `OrderedChildren`): a
 * stateful helper that {@link InodeDirectory} composes (DESIGN.md D8) and
 * {@link GenericDirectoryFD} lists.
 *
 * @remarks
 * Entries are *static* (from {@link OrderedChildren.populate}: part of the directory's
 * fixed shape, never removed) or *dynamic* ({@link OrderedChildren.insert}: files created
 * at run time). The directory owns one reference on every child inode — static or
 * dynamic — dropped when the entry is removed or when {@link OrderedChildren.destroy}
 * runs. (gVisor owns references on static children only, which leaks dynamic ones whose
 * dentries were evicted.) Names are `Map` keys (DESIGN.md D9).
 * @public
 */
export class OrderedChildren {
  readonly #writable: boolean;
  readonly #set = new Map<string, Slot>();

  /**
   * @param opts - Whether the entries may be removed and renamed.
   */
  constructor(opts: OrderedChildrenOptions = {}) {
    this.#writable = opts.writable ?? false;
  }

  /** Reports whether unlink, rmdir and rename may change the entries. */
  get writable(): boolean {
    return this.#writable;
  }

  /** The number of entries. */
  get size(): number {
    return this.#set.size;
  }

  /**
   * Drops the references on every child; call when the directory inode is released.
   * @param ctx - The context of the last `decRef`.
   */
  destroy(ctx: Context): void {
    const slots = [...this.#set.values()];
    this.#set.clear();
    for (const slot of slots) slot.inode.decRef(ctx);
  }

  /**
   * Inserts static children (gVisor's `Populate`).
   * @param children - Names and inodes, in the order to list them; the caller's reference
   * on each inode passes to this directory.
   * @returns The number of directories inserted (for the parent's link count).
   * @throws InternalError if a name is already present.
   */
  populate(children: Iterable<readonly [string, Inode]>): number {
    let dirs = 0;
    for (const [name, child] of children) {
      if (this.#set.has(name)) throw new InternalError(`kernfs.OrderedChildren.populate: duplicate name ${JSON.stringify(name)}`);
      this.#set.set(name, { inode: child, isStatic: true });
      if ((child.mode() & S_IFMT) === S_IFDIR) dirs++;
    }
    return dirs;
  }

  /**
   * The child `name` with a new reference (for its dentry), or `undefined`.
   * @param _ctx - The caller's context.
   * @param name - The entry's name.
   */
  lookup(_ctx: Context, name: string): Inode | undefined {
    const slot = this.#set.get(name);
    if (slot === undefined) return undefined;
    slot.inode.incRef();
    return slot.inode;
  }

  /** The inode of entry `name` (no reference taken), or `undefined`. */
  get(name: string): Inode | undefined {
    return this.#set.get(name)?.inode;
  }

  /** Calls `fn` with every entry, in order. */
  forEachChild(fn: (name: string, inode: Inode) => void): void {
    for (const [name, slot] of this.#set) fn(name, slot.inode);
  }

  /**
   * The entries from index `start` on, in order, for {@link GenericDirectoryFD}.
   * @param start - How many entries to skip.
   */
  *entriesFrom(start: number): IterableIterator<[string, Inode]> {
    let i = 0;
    for (const [name, slot] of this.#set) {
      if (i++ >= start) yield [name, slot.inode];
    }
  }

  /** Reports whether there is any entry. */
  hasChildren(): boolean {
    return this.#set.size > 0;
  }

  /**
   * Inserts a dynamic child, whatever `writable` says (a lower-level operation than the
   * filesystem calls).
   * @param name - The new entry's name.
   * @param child - The inode; the caller's reference passes to this directory.
   * @throws EEXIST - the name is taken.
   */
  insert(name: string, child: Inode): void {
    if (this.#set.has(name)) throw new SysError("EEXIST");
    this.#set.set(name, { inode: child, isStatic: false });
  }

  /**
   * Like {@link OrderedChildren.insert}, but makes the child only once the name is known
   * to be free (gVisor's `Inserter`).
   * @param makeChild - Creates the child (with one reference, which passes to this directory).
   * @returns The child (no extra reference).
   * @throws EEXIST - the name is taken.
   */
  inserter(name: string, makeChild: () => Inode): Inode {
    if (this.#set.has(name)) throw new SysError("EEXIST");
    const child = makeChild();
    this.#set.set(name, { inode: child, isStatic: false });
    return child;
  }

  /**
   * Removes entry `name`, which must be `child` (unlink).
   * @throws EPERM - not writable, or a static entry.
   * @throws ENOENT - no such entry.
   */
  unlink(ctx: Context, name: string, child: Inode): void {
    if (!this.#writable) throw new SysError("EPERM");
    const slot = this.#existing(name, child);
    if (slot.isStatic) throw new SysError("EPERM");
    this.#set.delete(name);
    slot.inode.decRef(ctx);
  }

  /**
   * Removes directory entry `name` (rmdir); the same as unlink here.
   * @throws EPERM - not writable, or a static entry.
   * @throws ENOENT - no such entry.
   */
  rmDir(ctx: Context, name: string, child: Inode): void {
    this.unlink(ctx, name, child);
  }

  /**
   * Moves entry `oldName` (which is `child`) to `newName` in `dst`, replacing a dynamic
   * entry there.
   * @param dst - The destination directory's entries, or `undefined` if it has none.
   * @returns The replaced inode (whose reference this directory dropped), or `undefined`.
   * @throws EPERM - this or `dst` is not writable, or a static entry would be moved or replaced.
   * @throws EXDEV - `dst` is `undefined` (the destination does not use OrderedChildren).
   * @throws ENOENT - no entry `oldName`.
   */
  rename(ctx: Context, oldName: string, newName: string, child: Inode, dst: OrderedChildren | undefined): Inode | undefined {
    if (!this.#writable) throw new SysError("EPERM");
    if (dst === undefined) throw new SysError("EXDEV");
    if (!dst.#writable) throw new SysError("EPERM");
    const slot = this.#existing(oldName, child);
    if (slot.isStatic) throw new SysError("EPERM");
    const replaced = dst.#set.get(newName);
    if (replaced?.isStatic === true) throw new SysError("EPERM");
    this.#set.delete(oldName);
    dst.#set.delete(newName); // the moved entry goes last, as in gVisor
    dst.#set.set(newName, slot);
    if (replaced === undefined || replaced === slot) return undefined;
    replaced.inode.decRef(ctx);
    return replaced.inode;
  }

  #existing(name: string, child: Inode): Slot {
    const slot = this.#set.get(name);
    if (slot === undefined) throw new SysError("ENOENT");
    if (slot.inode !== child) throw new InternalError(`kernfs.OrderedChildren: entry ${JSON.stringify(name)} is not the inode kernfs has`);
    return slot;
  }
}
