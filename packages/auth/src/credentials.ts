// Credentials (Linux struct cred; gVisor pkg/sentry/kernel/auth/credentials.go).
// Immutable: every change yields a new object, as Linux's prepare_creds()/commit_creds()
// and gVisor's tasks do, so whoever kept the old object (a FileDescription keeps the
// credentials it was opened with) keeps seeing the old values.
import { Capability, SysError } from "@vfskit/abi";
import { CapabilitySet } from "./capability-set.js";
import type { CredentialsFields, UserCredentialsOptions } from "./credentials-fields.js";
import { NO_ID, NOBODY_KGID, NOBODY_KUID, type GID, type KGID, type KUID, type UID } from "./id.js";
import * as rules from "./set-id.js";
import type { CapsetSets } from "./set-id.js";
import { UserNamespace, rootOf } from "./user-namespace.js";

function sortedGroups(groups: readonly KGID[]): readonly KGID[] {
  return Object.freeze([...groups].sort((a, b) => a - b));
}

/**
 * The identity of a task: user and group IDs, supplementary groups, capability sets and
 * user namespace (Linux `struct cred`).
 *
 * @remarks
 * Immutable. Every change (set*id, setgroups, capset, entering a namespace) returns a
 * new object and leaves the old one as it was; the kernel replaces a task's credentials
 * with the result. Objects that captured credentials (an open file, a mount) keep the
 * old ones. A call that changes nothing may return the same object.
 *
 * IDs are kernel IDs ({@link KUID}, {@link KGID}); methods that take IDs from a task take
 * namespace IDs ({@link UID}, {@link GID}) and translate them through
 * {@link Credentials.userNamespace}. Capability numbers are Linux's (CAP_CHOWN = 0 …
 * CAP_CHECKPOINT_RESTORE = 40).
 * @public
 */
export class Credentials implements CredentialsFields {
  /** {@inheritDoc CredentialsFields.realKUID} */
  readonly realKUID: KUID;
  /** {@inheritDoc CredentialsFields.effectiveKUID} */
  readonly effectiveKUID: KUID;
  /** {@inheritDoc CredentialsFields.savedKUID} */
  readonly savedKUID: KUID;
  /** {@inheritDoc CredentialsFields.fsKUID} */
  readonly fsKUID: KUID;
  /** {@inheritDoc CredentialsFields.realKGID} */
  readonly realKGID: KGID;
  /** {@inheritDoc CredentialsFields.effectiveKGID} */
  readonly effectiveKGID: KGID;
  /** {@inheritDoc CredentialsFields.savedKGID} */
  readonly savedKGID: KGID;
  /** {@inheritDoc CredentialsFields.fsKGID} */
  readonly fsKGID: KGID;
  /** {@inheritDoc CredentialsFields.extraKGIDs} */
  readonly extraKGIDs: readonly KGID[];
  /** {@inheritDoc CredentialsFields.permittedCaps} */
  readonly permittedCaps: CapabilitySet;
  /** {@inheritDoc CredentialsFields.inheritableCaps} */
  readonly inheritableCaps: CapabilitySet;
  /** {@inheritDoc CredentialsFields.effectiveCaps} */
  readonly effectiveCaps: CapabilitySet;
  /** {@inheritDoc CredentialsFields.boundingCaps} */
  readonly boundingCaps: CapabilitySet;
  /** {@inheritDoc CredentialsFields.ambientCaps} */
  readonly ambientCaps: CapabilitySet;
  /** {@inheritDoc CredentialsFields.keepCaps} */
  readonly keepCaps: boolean;
  /** {@inheritDoc CredentialsFields.userNamespace} */
  readonly userNamespace: UserNamespace;

  private constructor(f: CredentialsFields) {
    if (
      f.realKUID === NO_ID ||
      f.effectiveKUID === NO_ID ||
      f.savedKUID === NO_ID ||
      f.fsKUID === NO_ID ||
      f.realKGID === NO_ID ||
      f.effectiveKGID === NO_ID ||
      f.savedKGID === NO_ID ||
      f.fsKGID === NO_ID
    ) {
      throw new Error("Credentials: an ID is NO_ID");
    }
    this.realKUID = f.realKUID;
    this.effectiveKUID = f.effectiveKUID;
    this.savedKUID = f.savedKUID;
    this.fsKUID = f.fsKUID;
    this.realKGID = f.realKGID;
    this.effectiveKGID = f.effectiveKGID;
    this.savedKGID = f.savedKGID;
    this.fsKGID = f.fsKGID;
    this.extraKGIDs = f.extraKGIDs;
    this.permittedCaps = f.permittedCaps;
    this.inheritableCaps = f.inheritableCaps;
    this.effectiveCaps = f.effectiveCaps;
    this.boundingCaps = f.boundingCaps;
    this.ambientCaps = f.ambientCaps;
    this.keepCaps = f.keepCaps;
    this.userNamespace = f.userNamespace;
    Object.freeze(this);
  }

  /**
   * Credentials of the root user of `ns`: uid and gid 0 (of `ns`), every capability
   * permitted, effective and in the bounding set.
   *
   * @remarks
   * The inheritable and ambient sets start empty, as Linux's init task has them.
   * In a root namespace this is global root (KUID 0), gVisor's `NewRootCredentials`.
   * @param ns - The user namespace. Default: a new root namespace.
   * @returns The credentials.
   * @throws EINVAL if uid 0 or gid 0 has no mapping in `ns`.
   */
  static root(ns: UserNamespace = UserNamespace.root()): Credentials {
    return Credentials.user({ uid: 0 as UID, gid: 0 as GID, ns });
  }

  /**
   * Credentials of an ordinary user: all four uids are `uid`, all four gids `gid`.
   *
   * @remarks
   * As if root had called setgroups, setresgid and setresuid: no capabilities unless
   * `uid` is 0 (in `ns`), in which case every capability is permitted and effective; the
   * bounding set is full either way (gVisor's `NewUserCredentials`).
   * @param options - The IDs and namespace.
   * @returns The credentials.
   * @throws EINVAL if `uid`, `gid` or a group has no mapping in the namespace.
   */
  static user(options: UserCredentialsOptions): Credentials {
    const ns = options.ns ?? UserNamespace.root();
    const k = ns.mapToKUID(options.uid);
    if (k === NO_ID) {
      throw new SysError("EINVAL", { detail: `uid ${options.uid} has no mapping in the user namespace` });
    }
    const toKGID = (id: GID): KGID => {
      const kg = ns.mapToKGID(id);
      if (kg === NO_ID) throw new SysError("EINVAL", { detail: `gid ${id} has no mapping in the user namespace` });
      return kg;
    };
    const g = toKGID(options.gid);
    const groups = (options.groups ?? []).map(toKGID);
    const caps = options.uid === 0 ? CapabilitySet.ALL : CapabilitySet.EMPTY;
    return new Credentials({
      realKUID: k,
      effectiveKUID: k,
      savedKUID: k,
      fsKUID: k,
      realKGID: g,
      effectiveKGID: g,
      savedKGID: g,
      fsKGID: g,
      extraKGIDs: sortedGroups(groups),
      permittedCaps: caps,
      inheritableCaps: CapabilitySet.EMPTY,
      effectiveCaps: caps,
      boundingCaps: CapabilitySet.ALL,
      ambientCaps: CapabilitySet.EMPTY,
      keepCaps: false,
      userNamespace: ns,
    });
  }

  /**
   * Credentials of nobody (65534 for every ID) in a new root namespace of their own,
   * with every capability set empty: they hold no capability anywhere (gVisor's
   * `NewAnonymousCredentials`).
   *
   * @returns The credentials.
   */
  static anonymous(): Credentials {
    return new Credentials({
      realKUID: NOBODY_KUID,
      effectiveKUID: NOBODY_KUID,
      savedKUID: NOBODY_KUID,
      fsKUID: NOBODY_KUID,
      realKGID: NOBODY_KGID,
      effectiveKGID: NOBODY_KGID,
      savedKGID: NOBODY_KGID,
      fsKGID: NOBODY_KGID,
      extraKGIDs: Object.freeze([]),
      permittedCaps: CapabilitySet.EMPTY,
      inheritableCaps: CapabilitySet.EMPTY,
      effectiveCaps: CapabilitySet.EMPTY,
      boundingCaps: CapabilitySet.EMPTY,
      ambientCaps: CapabilitySet.EMPTY,
      keepCaps: false,
      userNamespace: UserNamespace.root(),
    });
  }

  /**
   * A copy with some fields replaced, with no permission checks.
   *
   * @remarks
   * For kernel code that computes credentials itself (execve's capability rules,
   * clearing keepCaps on exec, PR_SET_KEEPCAPS). Syscall-shaped changes should use the
   * checked methods ({@link Credentials.setresuid}, {@link Credentials.capset}, …).
   * `extraKGIDs` is sorted on the way in.
   * @param changes - The fields to replace.
   * @returns The new credentials.
   */
  with(changes: Partial<CredentialsFields>): Credentials {
    const next: CredentialsFields = { ...this.#fields(), ...changes };
    if (changes.extraKGIDs !== undefined) {
      return new Credentials({ ...next, extraKGIDs: sortedGroups(changes.extraKGIDs) });
    }
    return new Credentials(next);
  }

  /**
   * An identical copy (gVisor's `Fork`).
   *
   * @remarks
   * Credentials are immutable, so sharing one object is just as safe; this exists for
   * code that wants a distinct identity.
   * @returns The copy.
   */
  fork(): Credentials {
    return new Credentials(this.#fields());
  }

  /**
   * The credentials a task has after creating and entering the child namespace `ns`
   * (Linux `set_cred_user_ns()`).
   *
   * @remarks
   * IDs are unchanged. Permitted, effective and bounding sets become full, the
   * inheritable and ambient sets empty, and keepCaps is cleared; the capabilities count
   * only inside `ns` and its descendants.
   * @param ns - The new namespace.
   * @returns The new credentials.
   * @precondition `ns` was just created by {@link UserNamespace.newChild} from these
   * credentials.
   */
  forkIntoUserNamespace(ns: UserNamespace): Credentials {
    return this.with({
      permittedCaps: CapabilitySet.ALL,
      effectiveCaps: CapabilitySet.ALL,
      boundingCaps: CapabilitySet.ALL,
      inheritableCaps: CapabilitySet.EMPTY,
      ambientCaps: CapabilitySet.EMPTY,
      keepCaps: false,
      userNamespace: ns,
    });
  }

  #fields(): CredentialsFields {
    return {
      realKUID: this.realKUID,
      effectiveKUID: this.effectiveKUID,
      savedKUID: this.savedKUID,
      fsKUID: this.fsKUID,
      realKGID: this.realKGID,
      effectiveKGID: this.effectiveKGID,
      savedKGID: this.savedKGID,
      fsKGID: this.fsKGID,
      extraKGIDs: this.extraKGIDs,
      permittedCaps: this.permittedCaps,
      inheritableCaps: this.inheritableCaps,
      effectiveCaps: this.effectiveCaps,
      boundingCaps: this.boundingCaps,
      ambientCaps: this.ambientCaps,
      keepCaps: this.keepCaps,
      userNamespace: this.userNamespace,
    };
  }

  #apply(changes: Partial<CredentialsFields> | undefined): Credentials {
    return changes === undefined ? this : new Credentials({ ...this.#fields(), ...changes });
  }

  /**
   * Whether the credentials are in group `kgid`: it is the filesystem gid or a
   * supplementary group (Linux `in_group_p()`).
   *
   * @remarks
   * Linux compares the filesystem gid; gVisor, which has none, the effective gid. They
   * differ only after setfsgid(2).
   * @param kgid - A kernel group ID.
   * @returns True if in the group.
   */
  inGroup(kgid: KGID): boolean {
    if (kgid === this.fsKGID) return true;
    const groups = this.extraKGIDs;
    let lo = 0;
    let hi = groups.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const g = groups[mid] as KGID;
      if (g === kgid) return true;
      if (g < kgid) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /**
   * Whether the credentials hold capability `cap` in namespace `ns` (Linux
   * `cap_capable()`, user_namespaces(7)).
   *
   * @remarks
   * Walking from `ns` towards the root: in their own namespace, the credentials hold
   * what their effective set holds; in a namespace whose parent is theirs and whose
   * owner is their effective uid, they hold every capability; a capability held in a
   * namespace is held in all its descendants. Namespaces of other trees, and ancestors of
   * their own, get false.
   * @param cap - A capability number.
   * @param ns - The target namespace.
   * @returns True if the capability is held.
   */
  hasCapabilityIn(cap: number, ns: UserNamespace): boolean {
    const own = this.userNamespace;
    let target = ns;
    for (;;) {
      if (target === own) return this.effectiveCaps.has(cap);
      if (target.level <= own.level) return false;
      const parent = target.parent as UserNamespace;
      if (parent === own && target.owner === this.effectiveKUID) return true;
      target = parent;
    }
  }

  /**
   * Whether the credentials hold capability `cap` in their own user namespace
   * (Linux `ns_capable(current_user_ns(), cap)`, gVisor's `HasSelfCapability`).
   *
   * @param cap - A capability number.
   * @returns True if `cap` is in the effective set.
   */
  hasCapability(cap: number): boolean {
    return this.effectiveCaps.has(cap);
  }

  /**
   * Whether the credentials hold capability `cap` in the root user namespace of their
   * tree (Linux `capable(cap)`).
   *
   * @param cap - A capability number.
   * @returns True if held.
   */
  hasRootCapability(cap: number): boolean {
    return this.hasCapabilityIn(cap, rootOf(this.userNamespace));
  }

  /**
   * Whether the credentials may use capability `cap` on a file owned by `kuid`/`kgid`
   * (Linux `capable_wrt_inode_uidgid()`).
   *
   * @remarks
   * True if the capability is held in their own namespace and both the file's owner and
   * group have a mapping there, so a namespace root cannot override permissions on
   * files of users outside its namespace.
   * @param cap - A capability number.
   * @param kuid - The file's owner.
   * @param kgid - The file's group.
   * @returns True if the capability applies to the file.
   */
  hasCapabilityOnFile(cap: number, kuid: KUID, kgid: KGID): boolean {
    const ns = this.userNamespace;
    return this.effectiveCaps.has(cap) && ns.mapFromKUID(kuid) !== NO_ID && ns.mapFromKGID(kgid) !== NO_ID;
  }

  /**
   * Checks that the credentials may take user ID `id` (of their namespace) and returns
   * it as a kernel ID (gVisor's `UseUID`).
   *
   * @param id - A uid in the credentials' namespace.
   * @returns The kernel uid.
   * @throws EINVAL if `id` has no mapping in the namespace.
   * @throws EPERM if the credentials lack CAP_SETUID and `id` is not their real,
   * effective or saved uid.
   */
  useUID(id: UID): KUID {
    const k = this.userNamespace.mapToKUID(id);
    if (k === NO_ID) {
      throw new SysError("EINVAL", { detail: `uid ${id} has no mapping in the caller's user namespace` });
    }
    if (this.hasCapability(Capability.CAP_SETUID)) return k;
    if (k === this.realKUID || k === this.effectiveKUID || k === this.savedKUID) return k;
    throw new SysError("EPERM", {
      detail: `without CAP_SETUID uid ${id} must be the caller's real, effective or saved uid`,
    });
  }

  /**
   * Checks that the credentials may take group ID `id` (of their namespace) and returns
   * it as a kernel ID (gVisor's `UseGID`).
   *
   * @param id - A gid in the credentials' namespace.
   * @returns The kernel gid.
   * @throws EINVAL if `id` has no mapping in the namespace.
   * @throws EPERM if the credentials lack CAP_SETGID and `id` is not their real,
   * effective or saved gid.
   */
  useGID(id: GID): KGID {
    const k = this.userNamespace.mapToKGID(id);
    if (k === NO_ID) {
      throw new SysError("EINVAL", { detail: `gid ${id} has no mapping in the caller's user namespace` });
    }
    if (this.hasCapability(Capability.CAP_SETGID)) return k;
    if (k === this.realKGID || k === this.effectiveKGID || k === this.savedKGID) return k;
    throw new SysError("EPERM", {
      detail: `without CAP_SETGID gid ${id} must be the caller's real, effective or saved gid`,
    });
  }

  /**
   * setresuid(2): sets the real, effective and saved uids; −1 (or `NO_ID`) leaves one
   * unchanged. The filesystem uid follows the effective uid.
   *
   * @remarks
   * Capabilities follow uid 0 of the credentials' namespace (Linux
   * `cap_emulate_setxuid()`): when none of the three uids is 0 any more, the permitted
   * and effective sets are cleared (unless keepCaps) and the ambient set is cleared;
   * when the effective uid leaves 0 the effective set is cleared; when it becomes 0 the
   * effective set is set to the permitted set.
   * @param ruid - New real uid, or −1.
   * @param euid - New effective uid, or −1.
   * @param suid - New saved uid, or −1.
   * @returns The new credentials (this object if nothing changes).
   * @throws EINVAL if a given uid has no mapping in the credentials' namespace.
   * @throws EPERM if the credentials lack CAP_SETUID and a given uid is not the
   * current real, effective or saved uid.
   */
  setresuid(ruid: UID | -1, euid: UID | -1, suid: UID | -1): Credentials {
    return this.#apply(rules.setresuid(this, ruid, euid, suid));
  }

  /**
   * setresgid(2): sets the real, effective and saved gids; −1 (or `NO_ID`) leaves one
   * unchanged. The filesystem gid follows the effective gid. Capabilities are untouched.
   *
   * @param rgid - New real gid, or −1.
   * @param egid - New effective gid, or −1.
   * @param sgid - New saved gid, or −1.
   * @returns The new credentials (this object if nothing changes).
   * @throws EINVAL if a given gid has no mapping in the credentials' namespace.
   * @throws EPERM if the credentials lack CAP_SETGID and a given gid is not the
   * current real, effective or saved gid.
   */
  setresgid(rgid: GID | -1, egid: GID | -1, sgid: GID | -1): Credentials {
    return this.#apply(rules.setresgid(this, rgid, egid, sgid));
  }

  /**
   * setuid(2): with CAP_SETUID sets the real, effective, saved and filesystem uids;
   * without it only the effective and filesystem uids, and only to the real or saved uid.
   *
   * @remarks
   * Capabilities follow as for {@link Credentials.setresuid}: root calling
   * `setuid(1000)` loses them all (unless keepCaps).
   * @param id - The new uid.
   * @returns The new credentials.
   * @throws EINVAL if `id` has no mapping in the credentials' namespace (−1 included).
   * @throws EPERM if the credentials lack CAP_SETUID and `id` is neither the real nor
   * the saved uid (the effective uid alone is not enough).
   */
  setuid(id: UID): Credentials {
    return this.#apply(rules.setuid(this, id));
  }

  /**
   * setgid(2): with CAP_SETGID sets the real, effective, saved and filesystem gids;
   * without it only the effective and filesystem gids, and only to the real or saved gid.
   *
   * @param id - The new gid.
   * @returns The new credentials.
   * @throws EINVAL if `id` has no mapping in the credentials' namespace (−1 included).
   * @throws EPERM if the credentials lack CAP_SETGID and `id` is neither the real nor
   * the saved gid.
   */
  setgid(id: GID): Credentials {
    return this.#apply(rules.setgid(this, id));
  }

  /**
   * setreuid(2): sets the real and/or effective uid (−1 leaves one unchanged).
   *
   * @remarks
   * The saved uid becomes the new effective uid if the real uid is set, or if the
   * effective uid is set to something other than the old real uid. The filesystem uid
   * follows the effective uid; capabilities follow as for {@link Credentials.setresuid}.
   * @param ruid - New real uid, or −1.
   * @param euid - New effective uid, or −1.
   * @returns The new credentials.
   * @throws EINVAL if a given uid has no mapping in the credentials' namespace.
   * @throws EPERM if the credentials lack CAP_SETUID and `ruid` is neither the current
   * real nor effective uid (the saved uid is not enough).
   * @throws EPERM if the credentials lack CAP_SETUID and `euid` is not the current real,
   * effective or saved uid.
   */
  setreuid(ruid: UID | -1, euid: UID | -1): Credentials {
    return this.#apply(rules.setreuid(this, ruid, euid));
  }

  /**
   * setregid(2): sets the real and/or effective gid (−1 leaves one unchanged), with the
   * saved-gid rule of {@link Credentials.setreuid}.
   *
   * @param rgid - New real gid, or −1.
   * @param egid - New effective gid, or −1.
   * @returns The new credentials.
   * @throws EINVAL if a given gid has no mapping in the credentials' namespace.
   * @throws EPERM if the credentials lack CAP_SETGID and `rgid` is neither the current
   * real nor effective gid.
   * @throws EPERM if the credentials lack CAP_SETGID and `egid` is not the current real,
   * effective or saved gid.
   */
  setregid(rgid: GID | -1, egid: GID | -1): Credentials {
    return this.#apply(rules.setregid(this, rgid, egid));
  }

  /**
   * setfsuid(2): sets the filesystem uid, if `id` is the real, effective, saved or
   * current filesystem uid, or the credentials hold CAP_SETUID.
   *
   * @remarks
   * Like Linux, never fails: an unmapped or disallowed `id` leaves the credentials
   * unchanged (setfsuid returns the old fsuid either way; read it from this object).
   * Leaving fsuid 0 drops the filesystem capabilities (CAP_CHOWN, CAP_DAC_OVERRIDE,
   * CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_LINUX_IMMUTABLE, CAP_MKNOD,
   * CAP_MAC_OVERRIDE) from the effective set; returning to 0 restores those that are
   * permitted.
   * @param id - The new filesystem uid.
   * @returns The new credentials, or this object if nothing changes.
   */
  setfsuid(id: UID): Credentials {
    return this.#apply(rules.setfsuid(this, id));
  }

  /**
   * setfsgid(2): sets the filesystem gid, if `id` is the real, effective, saved or
   * current filesystem gid, or the credentials hold CAP_SETGID. Never fails.
   *
   * @param id - The new filesystem gid.
   * @returns The new credentials, or this object if nothing changes.
   */
  setfsgid(id: GID): Credentials {
    return this.#apply(rules.setfsgid(this, id));
  }

  /**
   * setgroups(2): replaces the supplementary groups.
   *
   * @remarks
   * The list is stored sorted, as Linux stores it (getgroups returns it sorted).
   * @param groups - Group IDs of the credentials' namespace.
   * @returns The new credentials.
   * @throws EPERM if the credentials lack CAP_SETGID in their namespace.
   * @throws EPERM if the namespace's gid map is not written yet, or setgroups is
   * denied in it ({@link UserNamespace.maySetgroups}).
   * @throws EINVAL if there are more than `NGROUPS_MAX` (65536) groups.
   * @throws EINVAL if a group has no mapping in the credentials' namespace.
   */
  setgroups(groups: readonly GID[]): Credentials {
    return this.#apply(rules.setgroups(this, groups));
  }

  /**
   * capset(2) on the calling task: replaces the effective, permitted and inheritable
   * sets (Linux `cap_capset()`).
   *
   * @remarks
   * The ambient set loses any capability that is no longer both permitted and
   * inheritable.
   * @param sets - The three new sets.
   * @returns The new credentials.
   * @throws EPERM if the credentials lack CAP_SETPCAP and the new inheritable set holds a
   * capability that is in neither the current inheritable nor permitted set.
   * @throws EPERM if the new inheritable set holds a capability in neither the current
   * inheritable set nor the bounding set.
   * @throws EPERM if the new permitted set is not a subset of the current one.
   * @throws EPERM if the new effective set is not a subset of the new permitted set.
   */
  capset(sets: CapsetSets): Credentials {
    return this.#apply(rules.capset(this, sets));
  }
}
