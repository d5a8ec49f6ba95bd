// Type tests: the four ID kinds cannot be mixed, and numbers need a constructor.
// Checked by `pnpm typecheck`; every @ts-expect-error line must stay an error.
import { Credentials, UserNamespace, gid, kgid, kuid, orOverflow, uid, type GID, type KGID, type KUID, type UID } from "./index.js";

const k: KUID = kuid(1);
const kg: KGID = kgid(1);
const u: UID = uid(1);
const g: GID = gid(1);

// @ts-expect-error a KGID is not a KUID
export const a1: KUID = kg;
// @ts-expect-error a UID is not a KUID
export const a2: KUID = u;
// @ts-expect-error a GID is not a KUID
export const a3: KUID = g;
// @ts-expect-error a KUID is not a KGID
export const a4: KGID = k;
// @ts-expect-error a UID is not a KGID
export const a5: KGID = u;
// @ts-expect-error a KUID is not a UID
export const a6: UID = k;
// @ts-expect-error a GID is not a UID
export const a7: UID = g;
// @ts-expect-error a KGID is not a GID
export const a8: GID = kg;
// @ts-expect-error a UID is not a GID
export const a9: GID = u;

// @ts-expect-error a plain number is not a KUID
export const n1: KUID = 1;
// @ts-expect-error a plain number is not a UID
export const n2: UID = 1000;
// @ts-expect-error a plain number is not a GID
export const n3: GID = 1000;
// @ts-expect-error a plain number is not a KGID
export const n4: KGID = 0;

// IDs are still numbers where a number is wanted.
export const asNumber: number = k + u;

const ns = UserNamespace.root();
// @ts-expect-error mapToKUID takes a namespace UID, not a kernel ID
ns.mapToKUID(k);
// @ts-expect-error mapToKUID takes a UID, not a GID
ns.mapToKUID(g);
// @ts-expect-error mapFromKUID takes a KUID
ns.mapFromKUID(u);
// @ts-expect-error mapToKGID takes a GID
ns.mapToKGID(u);
export const mapped: KUID = ns.mapToKUID(u);
// @ts-expect-error mapToKUID returns a KUID, not a UID
export const wrong: UID = ns.mapToKUID(u);

const creds = Credentials.root(ns);
// @ts-expect-error setresuid takes namespace UIDs
creds.setresuid(k, -1, -1);
// @ts-expect-error setresuid takes UIDs, not GIDs
creds.setresuid(g, -1, -1);
// @ts-expect-error -1 is the only plain number accepted for "unchanged"
creds.setresuid(5, -1, -1);
// @ts-expect-error setgroups takes GIDs
creds.setgroups([kg]);
// @ts-expect-error inGroup takes a kernel GID
creds.inGroup(g);
// @ts-expect-error hasCapabilityOnFile takes KUID then KGID
creds.hasCapabilityOnFile(0, kg, k);
// @ts-expect-error credentials are immutable
creds.effectiveKUID = k;

export const ov: UID = orOverflow(u);
export const ovg: GID = orOverflow(g);
// @ts-expect-error orOverflow keeps the kind: a UID stays a UID
export const ov2: GID = orOverflow(u);
// @ts-expect-error orOverflow is for namespace IDs
orOverflow(k);

// @ts-expect-error comparing a KUID with a UID is a mistake the compiler catches
export const cmp = k === u;
