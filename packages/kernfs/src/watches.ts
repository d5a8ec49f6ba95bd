// The kernfs side of inotify: per-inode watch sets that kernfs notifies at the moments
// Linux's fsnotify hooks fire. @vfskit/vfs has no inotify yet, so `Watches` here is an
// observable stand-in for gVisor's vfs.Watches: listeners receive the events an inotify
// instance would queue, in Linux's order. When vfs gains inotify, this file becomes a thin
// adapter over it.
import type { Context } from "@vfskit/vfs";

/**
 * inotify event bits (include/uapi/linux/inotify.h), for {@link Watches} listeners.
 *
 * @remarks
 * Kept here until `@vfskit/abi` carries the inotify constants; the values are Linux's.
 * @public
 */
export const InotifyMask = {
  /** File was accessed. */
  IN_ACCESS: 0x1,
  /** File was modified. */
  IN_MODIFY: 0x2,
  /** Metadata changed (permissions, timestamps, link count, owner). */
  IN_ATTRIB: 0x4,
  /** A file opened for writing was closed. */
  IN_CLOSE_WRITE: 0x8,
  /** A file not opened for writing was closed. */
  IN_CLOSE_NOWRITE: 0x10,
  /** File was opened. */
  IN_OPEN: 0x20,
  /** A file was moved out of the watched directory. */
  IN_MOVED_FROM: 0x40,
  /** A file was moved into the watched directory. */
  IN_MOVED_TO: 0x80,
  /** A file was created in the watched directory. */
  IN_CREATE: 0x100,
  /** A file was deleted from the watched directory. */
  IN_DELETE: 0x200,
  /** The watched file itself was deleted. */
  IN_DELETE_SELF: 0x400,
  /** The watched file itself was moved. */
  IN_MOVE_SELF: 0x800,
  /** The watch was removed (explicitly, or because the file is gone). */
  IN_IGNORED: 0x8000,
  /** The subject of the event is a directory. */
  IN_ISDIR: 0x40000000,
} as const;

/**
 * One event delivered to a {@link WatchListener}.
 * @public
 */
export interface WatchEvent {
  /** The name of the child the event is about, or `""` for the watched file itself. */
  readonly name: string;
  /** The event bits ({@link InotifyMask}). */
  readonly mask: number;
  /** Links IN_MOVED_FROM with its IN_MOVED_TO; 0 otherwise. */
  readonly cookie: number;
  /** The event concerns a child that was already unlinked (for IN_EXCL_UNLINK). */
  readonly unlinked: boolean;
}

/**
 * Receives the events of a {@link Watches} set.
 * @public
 */
export type WatchListener = (ctx: Context, event: WatchEvent) => void;

/**
 * The watches on one inode (shared by all its hard links): gVisor's `vfs.Watches`, reduced
 * to an observable hook.
 *
 * @remarks
 * kernfs calls {@link Watches.notify} and {@link Watches.handleDeletion} where Linux's
 * fsnotify hooks fire; a listener added with {@link Watches.add} plays the part of one
 * inotify watch. Costs one branch per event when nobody listens.
 * @public
 */
export class Watches {
  #listeners: WatchListener[] | undefined = undefined;

  /**
   * Adds a listener (one "watch").
   * @param listener - Called with every event on this inode, in order.
   * @returns A function that removes the listener.
   */
  add(listener: WatchListener): () => void {
    (this.#listeners ??= []).push(listener);
    return () => {
      const list = this.#listeners;
      if (list === undefined) return;
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  /** The number of listeners. */
  get size(): number {
    return this.#listeners?.length ?? 0;
  }

  /**
   * Delivers an event to every listener.
   * @param ctx - The context of the operation causing the event.
   * @param name - The child's name, or `""` when the event is about the watched file.
   * @param mask - The event bits.
   * @param cookie - The rename cookie, or 0.
   * @param unlinked - The child was already unlinked.
   */
  notify(ctx: Context, name: string, mask: number, cookie: number, unlinked: boolean): void {
    const list = this.#listeners;
    if (list === undefined || list.length === 0) return;
    const event: WatchEvent = { name, mask, cookie, unlinked };
    for (const listener of list.slice()) listener(ctx, event);
  }

  /**
   * The watched file is gone for good: every listener receives IN_DELETE_SELF then
   * IN_IGNORED, and the set is emptied (Linux's `fsnotify_inoderemove` followed by the
   * watch's removal). Idempotent.
   * @param ctx - The context of the operation that dropped the last reference.
   */
  handleDeletion(ctx: Context): void {
    const list = this.#listeners;
    if (list === undefined || list.length === 0) return;
    this.#listeners = undefined;
    for (const listener of list) {
      listener(ctx, { name: "", mask: InotifyMask.IN_DELETE_SELF, cookie: 0, unlinked: false });
      listener(ctx, { name: "", mask: InotifyMask.IN_IGNORED, cookie: 0, unlinked: false });
    }
  }
}

let lastCookie = 0;

/**
 * Sends the events of a rename: IN_MOVED_FROM on the old parent and IN_MOVED_TO on the new
 * one with a shared fresh cookie (plus IN_ISDIR for directories), then IN_MOVE_SELF on the
 * renamed file (gVisor's `vfs.InotifyRename`, Linux's `fsnotify_move`).
 * @internal
 */
export function inotifyRename(
  ctx: Context,
  renamed: Watches,
  oldParent: Watches,
  newParent: Watches,
  names: { readonly oldName: string; readonly newName: string },
  isDir: boolean,
): void {
  const dirBit = isDir ? InotifyMask.IN_ISDIR : 0;
  const cookie = ++lastCookie >>> 0;
  oldParent.notify(ctx, names.oldName, InotifyMask.IN_MOVED_FROM | dirBit, cookie, false);
  newParent.notify(ctx, names.newName, InotifyMask.IN_MOVED_TO | dirBit, cookie, false);
  renamed.notify(ctx, "", InotifyMask.IN_MOVE_SELF | dirBit, 0, false);
}

/**
 * Sends the events of an unlink: IN_ATTRIB on the file (its link count changed), then
 * IN_DELETE with its name on the parent (gVisor's `vfs.InotifyRemoveChild`).
 * @internal
 */
export function inotifyRemoveChild(ctx: Context, child: Watches, parent: Watches, name: string): void {
  child.notify(ctx, "", InotifyMask.IN_ATTRIB, 0, false);
  parent.notify(ctx, name, InotifyMask.IN_DELETE, 0, true);
}

/**
 * The inotify event a metadata change produces (gVisor's `vfs.InotifyEventFromStatMask`,
 * Linux's `fsnotify_change`): owner or mode → IN_ATTRIB; size → IN_MODIFY; both times →
 * IN_ATTRIB; only the access time → IN_ACCESS; only the modification time → IN_MODIFY.
 * @internal
 */
export function inotifyEventFromStatMask(mask: number): number {
  // STATX_MODE | STATX_UID | STATX_GID, STATX_SIZE, STATX_ATIME, STATX_MTIME.
  const MODE_UID_GID = 0x2 | 0x8 | 0x10;
  const SIZE = 0x200;
  const ATIME = 0x20;
  const MTIME = 0x40;
  let ev = 0;
  if ((mask & MODE_UID_GID) !== 0) ev |= InotifyMask.IN_ATTRIB;
  if ((mask & SIZE) !== 0) ev |= InotifyMask.IN_MODIFY;
  if ((mask & (ATIME | MTIME)) === (ATIME | MTIME)) ev |= InotifyMask.IN_ATTRIB;
  else if ((mask & ATIME) !== 0) ev |= InotifyMask.IN_ACCESS;
  else if ((mask & MTIME) !== 0) ev |= InotifyMask.IN_MODIFY;
  return ev;
}
