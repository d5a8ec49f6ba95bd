// User namespaces (Linux kernel/user_namespace.c; gVisor pkg/sentry/kernel/auth/
// user_namespace.go and id_map.go). Where gVisor and Linux differ, this file does what
// Linux does; each such place says so.
import { Capability, SysError } from "@vfskit/abi";
import type { Credentials } from "./credentials.js";
import { NO_ID, type GID, type KGID, type KUID, type UID } from "./id.js";
import { ID_MAP_MAX_ENTRIES, IDMap, type Extent, type IDMapEntry } from "./id-map.js";

/**
 * The deepest level a user namespace can have; the root namespace has level 0.
 *
 * @remarks
 * Linux's create_user_ns() refuses when the parent's level is above 32, so levels 1..33
 * can be created (checked on Linux 6.18: 33 nested unshare(CLONE_NEWUSER) calls succeed,
 * the 34th fails with ENOSPC). gVisor stops one level earlier and reports EUSERS, which
 * Linux only did before 4.9.
 * @public
 */
export const MAX_USER_NAMESPACE_LEVEL = 33;

// Namespace inode numbers, for /proc/[pid]/ns/user. Linux allocates them from
// PROC_DYNAMIC_FIRST (0xF0000000) upward; the init namespace has the fixed number
// PROC_USER_INIT_INO (0xEFFFFFFD).
let nextInode = 0xf0000000;

/**
 * Options for creating a {@link UserNamespace}.
 * @public
 */
export interface UserNamespaceOptions {
  /**
   * The namespace's nsfs inode number (shown as `user:[inode]`). Default: the next number
   * of a process-wide counter starting at 0xF0000000, as Linux numbers new namespaces.
   */
  readonly inode?: number;
}

type MapKind = "uid" | "gid";

/**
 * A user namespace: a numbering of user and group IDs, mapped onto its parent's by up to
 * {@link ID_MAP_MAX_ENTRIES} ranges, plus the scope in which credentials hold
 * capabilities.
 *
 * @remarks
 * A root namespace ({@link UserNamespace.root}) maps every ID to itself. A child
 * ({@link UserNamespace.newChild}) starts with no mappings: until its uid_map and gid_map
 * are written ({@link UserNamespace.setUIDMap}, {@link UserNamespace.setGIDMap}, each
 * once), every ID in it is unmapped. Translations are pure and fast: each map extent
 * records its kernel-ID range, so no translation walks the tree.
 *
 * Namespaces are compared by identity. They hold no resources and need no reference
 * counting; the nsfs inode that Linux reference-counts is the kernel's business.
 * @public
 */
export class UserNamespace {
  /** The parent namespace; `undefined` for a root namespace. */
  readonly parent: UserNamespace | undefined;
  /** Depth in the tree: 0 for a root namespace, parent's level + 1 otherwise. */
  readonly level: number;
  /** Effective kernel user ID of the creator (root namespace: 0). */
  readonly owner: KUID;
  /** Effective kernel group ID of the creator (root namespace: 0). */
  readonly group: KGID;
  /** The nsfs inode number, shown in `/proc/[pid]/ns/user` as `user:[inode]`. */
  readonly inode: number;

  #uidMap: IDMap;
  #gidMap: IDMap;
  #setgroupsAllowed: boolean;
  // Linux user_namespace.parent_could_setfcap: the creator had CAP_SETFCAP in its
  // effective set, so a process inside may map parent uid 0.
  readonly #parentCouldSetfcap: boolean;

  private constructor(
    parent: UserNamespace | undefined,
    owner: KUID,
    group: KGID,
    parentCouldSetfcap: boolean,
    setgroupsAllowed: boolean,
    options: UserNamespaceOptions,
  ) {
    this.parent = parent;
    this.level = parent === undefined ? 0 : parent.level + 1;
    this.owner = owner;
    this.group = group;
    this.inode = options.inode ?? nextInode++;
    this.#parentCouldSetfcap = parentCouldSetfcap;
    this.#setgroupsAllowed = setgroupsAllowed;
    this.#uidMap = parent === undefined ? IDMap.IDENTITY : IDMap.EMPTY;
    this.#gidMap = this.#uidMap;
  }

  /**
   * A new root user namespace: no parent, identity ID maps over [0, 2^32−1), setgroups
   * allowed.
   *
   * @remarks
   * Each call makes a distinct tree; a kernel creates one and shares it. Credentials in
   * different trees never hold capabilities over each other.
   * @param options - The inode number (default: next counter value).
   * @returns The namespace.
   */
  static root(options: UserNamespaceOptions = {}): UserNamespace {
    return new UserNamespace(undefined, 0 as KUID, 0 as KGID, true, true, options);
  }

  /**
   * Creates a child namespace of this one for `creds`, as unshare(CLONE_NEWUSER) and
   * clone(CLONE_NEWUSER) do (Linux `create_user_ns()`).
   *
   * @remarks
   * The child's owner and group are the creator's effective IDs; it inherits the
   * setgroups state and starts with empty ID maps. The creator's own credentials do not
   * change here: give the task {@link Credentials.forkIntoUserNamespace} of the result.
   * Errors carry no `syscall`, so the caller can name it with `SysError.withContext`.
   * @param creds - The creator's credentials.
   * @param options - The inode number (default: next counter value).
   * @returns The new namespace.
   * @precondition `creds.userNamespace === this`.
   * @throws ENOSPC if this namespace is at {@link MAX_USER_NAMESPACE_LEVEL} (Linux ≥ 4.9;
   * gVisor reports EUSERS).
   * @throws EPERM if the creator's effective user ID has no mapping in this namespace.
   * @throws EPERM if the creator's effective group ID has no mapping in this namespace.
   */
  newChild(creds: Credentials, options: UserNamespaceOptions = {}): UserNamespace {
    if (creds.userNamespace !== this) {
      throw new Error("UserNamespace.newChild: creds must belong to this namespace");
    }
    if (this.level >= MAX_USER_NAMESPACE_LEVEL) {
      throw new SysError("ENOSPC", {
        detail: `user namespaces nest at most ${MAX_USER_NAMESPACE_LEVEL} levels deep`,
      });
    }
    if (this.#uidMap.fromKernel(creds.effectiveKUID) === NO_ID) {
      throw new SysError("EPERM", {
        detail: `the creator's effective uid (kuid ${creds.effectiveKUID}) has no mapping in its user namespace`,
      });
    }
    if (this.#gidMap.fromKernel(creds.effectiveKGID) === NO_ID) {
      throw new SysError("EPERM", {
        detail: `the creator's effective gid (kgid ${creds.effectiveKGID}) has no mapping in its user namespace`,
      });
    }
    return new UserNamespace(
      this,
      creds.effectiveKUID,
      creds.effectiveKGID,
      creds.effectiveCaps.has(Capability.CAP_SETFCAP),
      this.#setgroupsAllowed,
      options,
    );
  }

  /**
   * Translates a user ID of this namespace to a kernel user ID.
   *
   * @param id - A UID in this namespace.
   * @returns The KUID, or `NO_ID` if `id` is unmapped (or is `NO_ID`).
   */
  mapToKUID(id: UID): KUID {
    return this.#uidMap.toKernel(id) as KUID;
  }

  /**
   * Translates a kernel user ID to a user ID of this namespace.
   *
   * @param id - A KUID.
   * @returns The UID, or `NO_ID` if `id` has no mapping here (render it with `orOverflow`).
   */
  mapFromKUID(id: KUID): UID {
    return this.#uidMap.fromKernel(id) as UID;
  }

  /**
   * Translates a group ID of this namespace to a kernel group ID.
   *
   * @param id - A GID in this namespace.
   * @returns The KGID, or `NO_ID` if `id` is unmapped.
   */
  mapToKGID(id: GID): KGID {
    return this.#gidMap.toKernel(id) as KGID;
  }

  /**
   * Translates a kernel group ID to a group ID of this namespace.
   *
   * @param id - A KGID.
   * @returns The GID, or `NO_ID` if `id` has no mapping here.
   */
  mapFromKGID(id: KGID): GID {
    return this.#gidMap.fromKernel(id) as GID;
  }

  /**
   * The uid map as `/proc/[pid]/uid_map` shows it to a reader in namespace `viewer`.
   *
   * @remarks
   * Linux prints the parent-side column relative to the reader: in the reader's own
   * namespace, or in this namespace's parent when the reader is inside this namespace
   * (`uid_m_show()`). IDs the viewer cannot see print as 4294967295. A root namespace
   * shows `0 0 4294967295`; a child whose map is unset shows nothing.
   * @param viewer - The reader's namespace (default: this namespace's parent).
   * @returns The entries, in the order Linux prints them.
   */
  uidMap(viewer?: UserNamespace): IDMapEntry[] {
    return this.#entries("uid", viewer);
  }

  /**
   * The gid map as `/proc/[pid]/gid_map` shows it to a reader in namespace `viewer`.
   *
   * @remarks
   * Same rules as {@link UserNamespace.uidMap}.
   * @param viewer - The reader's namespace (default: this namespace's parent).
   * @returns The entries, in the order Linux prints them.
   */
  gidMap(viewer?: UserNamespace): IDMapEntry[] {
    return this.#entries("gid", viewer);
  }

  #entries(kind: MapKind, viewer: UserNamespace | undefined): IDMapEntry[] {
    const map = kind === "uid" ? this.#uidMap : this.#gidMap;
    let lower = viewer ?? this.parent ?? this;
    if (lower === this && this.parent !== undefined) lower = this.parent;
    const lowerMap = kind === "uid" ? lower.#uidMap : lower.#gidMap;
    return map.extents.map((e) => ({
      firstID: e.first,
      firstParentID: lowerMap.fromKernel(e.kernelFirst),
      length: e.count,
    }));
  }

  /**
   * Sets this namespace's uid map, as a write to `/proc/[pid]/uid_map` does (Linux
   * `proc_uid_map_write()` + `map_write()`).
   *
   * @remarks
   * Each line maps `length` IDs from `firstID` in this namespace onto `firstParentID` in
   * the parent. The map can be written once; a failed write leaves it unset. Differences
   * from gVisor, which this follows Linux on: the target-namespace check wants
   * CAP_SYS_ADMIN (gVisor: CAP_SETUID); a parent range must lie inside one extent of the
   * parent's map (gVisor: anywhere mapped); up to 340 entries (gVisor's /proc: 5).
   * Errors carry no `syscall`, so procfs can add `write` and the path.
   * @param creds - The writer's credentials.
   * @param entries - The map lines.
   * @throws EPERM if this is a root namespace (its map is fixed).
   * @throws EPERM if the writer is neither in this namespace nor in its parent.
   * @throws EPERM if the map has already been written.
   * @throws EPERM if the writer lacks CAP_SYS_ADMIN in this namespace.
   * @throws EINVAL if an entry has a field that is not a 32-bit unsigned integer, an
   * ID of 4294967295, a zero length, a range that wraps past 2^32−1, or a range that
   * overlaps an earlier entry's (on either side); or if there are more than
   * {@link ID_MAP_MAX_ENTRIES} entries.
   * @throws EINVAL if `entries` is empty.
   * @throws EPERM if an entry maps parent uid 0 and the writer lacks CAP_SETFCAP in the
   * parent (writer outside), or the namespace's creator lacked it (writer inside).
   * @throws EPERM if the writer lacks CAP_SETUID in the parent namespace and the map is
   * not a single entry of length 1 mapping the writer's own effective uid, written by
   * the namespace's owner.
   * @throws EPERM if a parent range is not inside one extent of the parent's uid map.
   * @postcondition On success the map is set for good; on failure it is still unset.
   */
  setUIDMap(creds: Credentials, entries: readonly IDMapEntry[]): void {
    this.#uidMap = this.#newMap("uid", creds, entries);
  }

  /**
   * Sets this namespace's gid map, as a write to `/proc/[pid]/gid_map` does.
   *
   * @remarks
   * Same rules as {@link UserNamespace.setUIDMap} with CAP_SETGID for CAP_SETUID and the
   * effective gid for the effective uid, except: mapping parent gid 0 needs no
   * CAP_SETFCAP (Linux checks that for uid maps only), and the unprivileged single-entry
   * map is allowed only after setgroups has been denied
   * ({@link UserNamespace.setSetgroupsAllowed}).
   * @param creds - The writer's credentials.
   * @param entries - The map lines.
   * @throws EPERM if this is a root namespace (its map is fixed).
   * @throws EPERM if the writer is neither in this namespace nor in its parent.
   * @throws EPERM if the map has already been written.
   * @throws EPERM if the writer lacks CAP_SYS_ADMIN in this namespace.
   * @throws EINVAL if an entry is malformed or overlaps an earlier one, or there are more
   * than {@link ID_MAP_MAX_ENTRIES} entries (see {@link UserNamespace.setUIDMap}).
   * @throws EINVAL if `entries` is empty.
   * @throws EPERM if the writer lacks CAP_SETGID in the parent namespace and the map is
   * not a single entry of length 1 mapping the writer's own effective gid, written by
   * the namespace's owner after setgroups was denied.
   * @throws EPERM if a parent range is not inside one extent of the parent's gid map.
   * @postcondition On success the map is set for good; on failure it is still unset.
   */
  setGIDMap(creds: Credentials, entries: readonly IDMapEntry[]): void {
    this.#gidMap = this.#newMap("gid", creds, entries);
  }

  #newMap(kind: MapKind, creds: Credentials, entries: readonly IDMapEntry[]): IDMap {
    const file = `${kind}_map`;
    const eperm = (detail: string): SysError => new SysError("EPERM", { detail: `${file}: ${detail}` });
    const einval = (detail: string): SysError => new SysError("EINVAL", { detail: `${file}: ${detail}` });
    const parent = this.parent;
    // proc_uid_map_write()
    if (parent === undefined) throw eperm("the root user namespace's map cannot be changed");
    if (creds.userNamespace !== this && creds.userNamespace !== parent) {
      throw eperm("the writer must be in the user namespace or its parent");
    }
    // map_write()
    const current = kind === "uid" ? this.#uidMap : this.#gidMap;
    if (!current.isEmpty) throw eperm("the map has already been written");
    // Linux wants CAP_SYS_ADMIN over the target here; gVisor checks CAP_SETUID/CAP_SETGID.
    // Checked on Linux 6.18: a process that unshared and dropped CAP_SYS_ADMIN cannot
    // write its map, one that dropped CAP_SETUID can.
    if (!creds.hasCapabilityIn(Capability.CAP_SYS_ADMIN, this)) {
      throw eperm("the writer lacks CAP_SYS_ADMIN in the user namespace");
    }
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as IDMapEntry;
      const { firstID, firstParentID, length } = e;
      if (firstID >>> 0 !== firstID || firstParentID >>> 0 !== firstParentID || length >>> 0 !== length) {
        throw einval(`entry ${i} has a field that is not a 32-bit unsigned integer`);
      }
      if (firstID === NO_ID || firstParentID === NO_ID) throw einval(`entry ${i} uses ID 4294967295`);
      if (length === 0 || firstID + length > NO_ID || firstParentID + length > NO_ID) {
        throw einval(`entry ${i} is empty or runs past ID 4294967294`);
      }
      for (let j = 0; j < i; j++) {
        const p = entries[j] as IDMapEntry;
        if (
          (p.firstID < firstID + length && firstID < p.firstID + p.length) ||
          (p.firstParentID < firstParentID + length && firstParentID < p.firstParentID + p.length)
        ) {
          throw einval(`entry ${i} overlaps entry ${j}`);
        }
      }
      if (i + 1 === ID_MAP_MAX_ENTRIES && i + 1 < entries.length) {
        throw einval(`more than ${ID_MAP_MAX_ENTRIES} entries`);
      }
    }
    if (entries.length === 0) throw einval("at least one entry is required");
    this.#checkMapPermitted(kind, creds, entries, parent, eperm);
    const parentMap = kind === "uid" ? parent.#uidMap : parent.#gidMap;
    const extents: Extent[] = [];
    for (const e of entries) {
      const kernelFirst = parentMap.rangeToKernel(e.firstParentID, e.length);
      if (kernelFirst === NO_ID) {
        throw eperm(
          `parent IDs ${e.firstParentID}..${e.firstParentID + e.length - 1} are not inside one range of the parent's map`,
        );
      }
      extents.push({ first: e.firstID, lowerFirst: e.firstParentID, kernelFirst, count: e.length });
    }
    return new IDMap(extents);
  }

  // Linux new_idmap_permitted() and verify_root_map().
  #checkMapPermitted(
    kind: MapKind,
    creds: Credentials,
    entries: readonly IDMapEntry[],
    parent: UserNamespace,
    eperm: (detail: string) => SysError,
  ): void {
    if (kind === "uid" && entries.some((e) => e.firstParentID === 0)) {
      // Mapping parent uid 0 lets the namespace write file capabilities that the parent
      // would honour, so it needs CAP_SETFCAP. Linux checks this for uid maps only.
      if (creds.userNamespace === this) {
        if (!this.#parentCouldSetfcap) throw eperm("mapping parent uid 0 needs a creator that had CAP_SETFCAP");
      } else if (!creds.hasCapabilityIn(Capability.CAP_SETFCAP, parent)) {
        throw eperm("mapping parent uid 0 needs CAP_SETFCAP in the parent user namespace");
      }
    }
    const only = entries.length === 1 ? entries[0] : undefined;
    if (only !== undefined && only.length === 1 && creds.effectiveKUID === this.owner) {
      if (kind === "uid") {
        if (parent.#uidMap.toKernel(only.firstParentID) === creds.effectiveKUID) return;
      } else if (!this.#setgroupsAllowed && parent.#gidMap.toKernel(only.firstParentID) === creds.effectiveKGID) {
        return;
      }
    }
    const cap = kind === "uid" ? Capability.CAP_SETUID : Capability.CAP_SETGID;
    if (creds.hasCapabilityIn(cap, parent)) return;
    const id = kind === "uid" ? "uid" : "gid";
    const extra = kind === "gid" ? ", after setgroups is denied" : "";
    throw eperm(
      `without ${kind === "uid" ? "CAP_SETUID" : "CAP_SETGID"} in the parent user namespace, only the owner may map ` +
        `just its own effective ${id}, with a single entry of length 1${extra}`,
    );
  }

  /** Whether setgroups(2) may be allowed in this namespace (`/proc/[pid]/setgroups`). */
  get setgroupsAllowed(): boolean {
    return this.#setgroupsAllowed;
  }

  /**
   * Whether setgroups(2) can work in this namespace at all: the gid map is written and
   * setgroups is allowed (Linux `userns_may_setgroups()`).
   *
   * @returns True if a caller with CAP_SETGID here may call setgroups.
   */
  maySetgroups(): boolean {
    return !this.#gidMap.isEmpty && this.#setgroupsAllowed;
  }

  /**
   * Writes `"allow"` or `"deny"` to this namespace's `/proc/[pid]/setgroups` (Linux
   * `proc_setgroups_open()` + `proc_setgroups_write()`).
   *
   * @remarks
   * "deny" is permanent, and must come before the gid map is written. A child created
   * later inherits the state. Errors carry no `syscall`, so procfs can add it.
   * @param creds - The writer's credentials.
   * @param allow - True for "allow", false for "deny".
   * @throws EACCES if the writer lacks CAP_SYS_ADMIN in this namespace (Linux refuses the
   * open for writing with EACCES; gVisor returns EPERM).
   * @throws EPERM if `allow` is true after setgroups was denied.
   * @throws EPERM if `allow` is false after the gid map was written (always so for a root
   * namespace, whose map is fixed).
   */
  setSetgroupsAllowed(creds: Credentials, allow: boolean): void {
    if (!creds.hasCapabilityIn(Capability.CAP_SYS_ADMIN, this)) {
      throw new SysError("EACCES", { detail: "setgroups: the writer lacks CAP_SYS_ADMIN in the user namespace" });
    }
    if (allow) {
      if (!this.#setgroupsAllowed) {
        throw new SysError("EPERM", { detail: "setgroups: cannot allow again after deny" });
      }
      return;
    }
    if (!this.#gidMap.isEmpty) {
      throw new SysError("EPERM", { detail: "setgroups: cannot deny after the gid map was written" });
    }
    this.#setgroupsAllowed = false;
  }
}

/**
 * Formats ID-map entries as `/proc/[pid]/uid_map` and `gid_map` print them: three
 * right-aligned columns of width 10, one line per entry (`"%10u %10u %10u\n"`).
 *
 * @param entries - Entries from {@link UserNamespace.uidMap} or {@link UserNamespace.gidMap}.
 * @returns The file's text.
 * @public
 */
export function formatIDMap(entries: readonly IDMapEntry[]): string {
  let text = "";
  for (const e of entries) {
    text += `${String(e.firstID).padStart(10)} ${String(e.firstParentID).padStart(10)} ${String(e.length).padStart(10)}\n`;
  }
  return text;
}

/** The root of the namespace tree holding `ns`. Internal. */
export function rootOf(ns: UserNamespace): UserNamespace {
  let root = ns;
  while (root.parent !== undefined) root = root.parent;
  return root;
}
