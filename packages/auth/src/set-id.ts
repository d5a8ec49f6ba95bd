// The rules of the set*id(2), setgroups(2) and capset(2) syscalls (Linux kernel/sys.c,
// kernel/groups.c, security/commoncap.c). Each function takes the caller's credentials and
// returns the fields that change, or `undefined` when nothing does; Credentials turns that
// into a new Credentials object. Every rule here was checked against Linux 6.18.
import { Capability, NGROUPS_MAX, SysError } from "@vfskit/abi";
import { CAP_FS_SET, CapabilitySet } from "./capability-set.js";
import type { CredentialsFields } from "./credentials-fields.js";
import type { Credentials } from "./credentials.js";
import { NO_ID, uid as toUID, type GID, type KGID, type KUID, type UID } from "./id.js";

type Changes = Partial<CredentialsFields>;

// "Not given" for the optional IDs of setresuid and friends.
const NO_KUID = NO_ID as KUID;
const NO_KGID = NO_ID as KGID;

function unchanged(id: number): boolean {
  return id === -1 || id === NO_ID;
}

// make_kuid() + the uid_valid() check every set*uid call starts with.
function toKUID(creds: Credentials, id: UID, syscall: string, what: string): KUID {
  const k = creds.userNamespace.mapToKUID(id);
  if (k === NO_ID) {
    throw new SysError("EINVAL", {
      syscall,
      detail: `${what} ${String(id)} has no mapping in the caller's user namespace`,
    });
  }
  return k;
}

function toKGID(creds: Credentials, id: GID, syscall: string, what: string): KGID {
  const k = creds.userNamespace.mapToKGID(id);
  if (k === NO_ID) {
    throw new SysError("EINVAL", {
      syscall,
      detail: `${what} ${String(id)} has no mapping in the caller's user namespace`,
    });
  }
  return k;
}

function eperm(syscall: string, detail: string): SysError {
  return new SysError("EPERM", { syscall, detail });
}

function rootKUID(creds: Credentials): KUID {
  return creds.userNamespace.mapToKUID(toUID(0));
}

// Linux cap_emulate_setxuid(): capabilities follow transitions to and from uid 0 of the
// caller's user namespace (not kernel uid 0), unless SECURE_NO_SETUID_FIXUP is set, which
// vfskit does not model.
function emulateSetxuid(old: Credentials, r: KUID, e: KUID, s: KUID, fs: KUID): Changes {
  const root = rootKUID(old);
  let permitted = old.permittedCaps;
  let effective = old.effectiveCaps;
  let ambient = old.ambientCaps;
  const wasRoot = old.realKUID === root || old.effectiveKUID === root || old.savedKUID === root;
  if (wasRoot && r !== root && e !== root && s !== root) {
    if (!old.keepCaps) {
      permitted = CapabilitySet.EMPTY;
      effective = CapabilitySet.EMPTY;
    }
    ambient = CapabilitySet.EMPTY;
  }
  if (old.effectiveKUID === root && e !== root) effective = CapabilitySet.EMPTY;
  if (old.effectiveKUID !== root && e === root) effective = permitted;
  return {
    realKUID: r,
    effectiveKUID: e,
    savedKUID: s,
    fsKUID: fs,
    permittedCaps: permitted,
    effectiveCaps: effective,
    ambientCaps: ambient,
  };
}

export function setresuid(c: Credentials, ruid: UID | -1, euid: UID | -1, suid: UID | -1): Changes | undefined {
  const sc = "setresuid";
  const kr = unchanged(ruid) ? NO_KUID : toKUID(c, ruid as UID, sc, "ruid");
  const ke = unchanged(euid) ? NO_KUID : toKUID(c, euid as UID, sc, "euid");
  const ks = unchanged(suid) ? NO_KUID : toKUID(c, suid as UID, sc, "suid");
  if (
    (kr === NO_ID || kr === c.realKUID) &&
    (ke === NO_ID || (ke === c.effectiveKUID && ke === c.fsKUID)) &&
    (ks === NO_ID || ks === c.savedKUID)
  ) {
    return undefined;
  }
  const isNew = (k: KUID): boolean =>
    k !== NO_ID && k !== c.realKUID && k !== c.effectiveKUID && k !== c.savedKUID;
  if ((isNew(kr) || isNew(ke) || isNew(ks)) && !c.hasCapability(Capability.CAP_SETUID)) {
    throw eperm(sc, "without CAP_SETUID each new uid must be the current real, effective or saved uid");
  }
  const r = kr === NO_ID ? c.realKUID : kr;
  const e = ke === NO_ID ? c.effectiveKUID : ke;
  const s = ks === NO_ID ? c.savedKUID : ks;
  return emulateSetxuid(c, r, e, s, e);
}

export function setresgid(c: Credentials, rgid: GID | -1, egid: GID | -1, sgid: GID | -1): Changes | undefined {
  const sc = "setresgid";
  const kr = unchanged(rgid) ? NO_KGID : toKGID(c, rgid as GID, sc, "rgid");
  const ke = unchanged(egid) ? NO_KGID : toKGID(c, egid as GID, sc, "egid");
  const ks = unchanged(sgid) ? NO_KGID : toKGID(c, sgid as GID, sc, "sgid");
  if (
    (kr === NO_ID || kr === c.realKGID) &&
    (ke === NO_ID || (ke === c.effectiveKGID && ke === c.fsKGID)) &&
    (ks === NO_ID || ks === c.savedKGID)
  ) {
    return undefined;
  }
  const isNew = (k: KGID): boolean =>
    k !== NO_ID && k !== c.realKGID && k !== c.effectiveKGID && k !== c.savedKGID;
  if ((isNew(kr) || isNew(ke) || isNew(ks)) && !c.hasCapability(Capability.CAP_SETGID)) {
    throw eperm(sc, "without CAP_SETGID each new gid must be the current real, effective or saved gid");
  }
  const e = ke === NO_ID ? c.effectiveKGID : ke;
  return {
    realKGID: kr === NO_ID ? c.realKGID : kr,
    effectiveKGID: e,
    savedKGID: ks === NO_ID ? c.savedKGID : ks,
    fsKGID: e,
  };
}

export function setuid(c: Credentials, id: UID): Changes {
  const sc = "setuid";
  const k = toKUID(c, id, sc, "uid");
  let r = c.realKUID;
  let s = c.savedKUID;
  if (c.hasCapability(Capability.CAP_SETUID)) {
    r = k;
    s = k;
  } else if (k !== c.realKUID && k !== c.savedKUID) {
    // The effective uid is not enough (checked on Linux 6.18).
    throw eperm(sc, "without CAP_SETUID the uid must be the current real or saved uid");
  }
  return emulateSetxuid(c, r, k, s, k);
}

export function setgid(c: Credentials, id: GID): Changes {
  const sc = "setgid";
  const k = toKGID(c, id, sc, "gid");
  if (c.hasCapability(Capability.CAP_SETGID)) {
    return { realKGID: k, effectiveKGID: k, savedKGID: k, fsKGID: k };
  }
  if (k === c.realKGID || k === c.savedKGID) return { effectiveKGID: k, fsKGID: k };
  throw eperm(sc, "without CAP_SETGID the gid must be the current real or saved gid");
}

export function setreuid(c: Credentials, ruid: UID | -1, euid: UID | -1): Changes {
  const sc = "setreuid";
  const kr = unchanged(ruid) ? NO_KUID : toKUID(c, ruid as UID, sc, "ruid");
  const ke = unchanged(euid) ? NO_KUID : toKUID(c, euid as UID, sc, "euid");
  let r = c.realKUID;
  let e = c.effectiveKUID;
  if (kr !== NO_ID) {
    r = kr;
    if (kr !== c.realKUID && kr !== c.effectiveKUID && !c.hasCapability(Capability.CAP_SETUID)) {
      throw eperm(sc, "without CAP_SETUID the real uid may only become the current real or effective uid");
    }
  }
  if (ke !== NO_ID) {
    e = ke;
    if (
      ke !== c.realKUID &&
      ke !== c.effectiveKUID &&
      ke !== c.savedKUID &&
      !c.hasCapability(Capability.CAP_SETUID)
    ) {
      throw eperm(sc, "without CAP_SETUID the effective uid must be the current real, effective or saved uid");
    }
  }
  // The saved uid follows the new effective uid when the real uid is set, or when the
  // effective uid is set to something other than the old real uid.
  const s = kr !== NO_ID || (ke !== NO_ID && ke !== c.realKUID) ? e : c.savedKUID;
  return emulateSetxuid(c, r, e, s, e);
}

export function setregid(c: Credentials, rgid: GID | -1, egid: GID | -1): Changes {
  const sc = "setregid";
  const kr = unchanged(rgid) ? NO_KGID : toKGID(c, rgid as GID, sc, "rgid");
  const ke = unchanged(egid) ? NO_KGID : toKGID(c, egid as GID, sc, "egid");
  let r = c.realKGID;
  let e = c.effectiveKGID;
  if (kr !== NO_ID) {
    if (kr !== c.realKGID && kr !== c.effectiveKGID && !c.hasCapability(Capability.CAP_SETGID)) {
      throw eperm(sc, "without CAP_SETGID the real gid may only become the current real or effective gid");
    }
    r = kr;
  }
  if (ke !== NO_ID) {
    if (
      ke !== c.realKGID &&
      ke !== c.effectiveKGID &&
      ke !== c.savedKGID &&
      !c.hasCapability(Capability.CAP_SETGID)
    ) {
      throw eperm(sc, "without CAP_SETGID the effective gid must be the current real, effective or saved gid");
    }
    e = ke;
  }
  const s = kr !== NO_ID || (ke !== NO_ID && ke !== c.realKGID) ? e : c.savedKGID;
  return { realKGID: r, effectiveKGID: e, savedKGID: s, fsKGID: e };
}

export function setfsuid(c: Credentials, id: UID): Changes | undefined {
  const k = c.userNamespace.mapToKUID(id);
  if (k === NO_ID || k === c.fsKUID) return undefined;
  if (
    k !== c.realKUID &&
    k !== c.effectiveKUID &&
    k !== c.savedKUID &&
    !c.hasCapability(Capability.CAP_SETUID)
  ) {
    return undefined;
  }
  // cap_task_fix_setuid(LSM_SETID_FS): filesystem capabilities follow the fsuid.
  const root = rootKUID(c);
  let effective = c.effectiveCaps;
  if (c.fsKUID === root && k !== root) effective = effective.difference(CAP_FS_SET);
  if (c.fsKUID !== root && k === root) effective = effective.union(c.permittedCaps.intersection(CAP_FS_SET));
  return { fsKUID: k, effectiveCaps: effective };
}

export function setfsgid(c: Credentials, id: GID): Changes | undefined {
  const k = c.userNamespace.mapToKGID(id);
  if (k === NO_ID || k === c.fsKGID) return undefined;
  if (
    k !== c.realKGID &&
    k !== c.effectiveKGID &&
    k !== c.savedKGID &&
    !c.hasCapability(Capability.CAP_SETGID)
  ) {
    return undefined;
  }
  return { fsKGID: k };
}

export function setgroups(c: Credentials, groups: readonly GID[]): Changes {
  const sc = "setgroups";
  // may_setgroups()
  if (!c.hasCapability(Capability.CAP_SETGID)) throw eperm(sc, "the caller lacks CAP_SETGID");
  if (!c.userNamespace.maySetgroups()) {
    throw eperm(sc, "setgroups is denied in the caller's user namespace, or its gid map is not written yet");
  }
  if (groups.length > NGROUPS_MAX) {
    throw new SysError("EINVAL", { syscall: sc, detail: `more than NGROUPS_MAX (${NGROUPS_MAX}) groups` });
  }
  const kgids = groups.map((g) => toKGID(c, g, sc, "gid"));
  // groups_sort(): the kernel keeps the list sorted (getgroups returns it so).
  kgids.sort((a, b) => a - b);
  return { extraKGIDs: kgids };
}

/**
 * The capability sets passed to {@link Credentials.capset}.
 * @public
 */
export interface CapsetSets {
  /** The new effective set. */
  readonly effective: CapabilitySet;
  /** The new permitted set. */
  readonly permitted: CapabilitySet;
  /** The new inheritable set. */
  readonly inheritable: CapabilitySet;
}

// Linux cap_capset().
export function capset(c: Credentials, sets: CapsetSets): Changes {
  const sc = "capset";
  const { effective, permitted, inheritable } = sets;
  if (
    !c.hasCapability(Capability.CAP_SETPCAP) &&
    !inheritable.isSubsetOf(c.inheritableCaps.union(c.permittedCaps))
  ) {
    throw eperm(sc, "without CAP_SETPCAP the inheritable set may only gain permitted capabilities");
  }
  if (!inheritable.isSubsetOf(c.inheritableCaps.union(c.boundingCaps))) {
    throw eperm(sc, "the inheritable set may not gain capabilities outside the bounding set");
  }
  if (!permitted.isSubsetOf(c.permittedCaps)) throw eperm(sc, "the permitted set may not grow");
  if (!effective.isSubsetOf(permitted)) throw eperm(sc, "the effective set must be a subset of the permitted set");
  return {
    effectiveCaps: effective,
    permittedCaps: permitted,
    inheritableCaps: inheritable,
    // Ambient capabilities must stay both permitted and inheritable.
    ambientCaps: c.ambientCaps.intersection(permitted.intersection(inheritable)),
  };
}
