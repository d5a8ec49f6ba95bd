// User and group IDs: kernel IDs (KUID/KGID, the root user namespace's numbering, what
// filesystems store) and namespace IDs (UID/GID, what a task sees through its user
// namespace). The four are branded so the type checker refuses to mix them.
import { SysError } from "@vfskit/abi";

declare const idKind: unique symbol;

/**
 * A user ID as the kernel stores it: the numbering of the root user namespace.
 *
 * @remarks
 * Inodes, credentials and locks hold KUIDs; convert to a {@link UID} with
 * {@link UserNamespace.mapFromKUID} only when showing an ID to a task. Make one with
 * {@link kuid}. `NO_ID` (0xFFFFFFFF) is the invalid KUID.
 * @public
 */
export type KUID = number & { readonly [idKind]: "KUID" };

/**
 * A group ID as the kernel stores it: the numbering of the root user namespace.
 *
 * @remarks
 * The group twin of {@link KUID}. Make one with {@link kgid}.
 * @public
 */
export type KGID = number & { readonly [idKind]: "KGID" };

/**
 * A user ID as some user namespace numbers it (what a task passes to and gets from
 * syscalls).
 *
 * @remarks
 * Meaningless without its namespace; convert with {@link UserNamespace.mapToKUID}.
 * Make one with {@link uid}.
 * @public
 */
export type UID = number & { readonly [idKind]: "UID" };

/**
 * A group ID as some user namespace numbers it.
 *
 * @remarks
 * The group twin of {@link UID}. Make one with {@link gid}.
 * @public
 */
export type GID = number & { readonly [idKind]: "GID" };

/**
 * The invalid ID, `(uid_t)-1` = 0xFFFFFFFF: what an unmapped ID translates to, and
 * "leave unchanged" in setresuid(2) and friends.
 * @public
 */
export const NO_ID = 0xffffffff;

/**
 * The overflow user ID (65534, `nobody`) shown for kernel IDs that have no mapping in the
 * viewer's namespace (Linux `overflowuid`).
 * @public
 */
export const OVERFLOW_UID = 65534 as UID;

/**
 * The overflow group ID (65534, `nogroup`), the group twin of {@link OVERFLOW_UID}.
 * @public
 */
export const OVERFLOW_GID = 65534 as GID;

/**
 * The kernel user ID of global root (0).
 * @public
 */
export const ROOT_KUID = 0 as KUID;

/**
 * The kernel group ID of global root (0).
 * @public
 */
export const ROOT_KGID = 0 as KGID;

/**
 * The kernel user ID of `nobody` (65534), used by {@link Credentials.anonymous}.
 * @public
 */
export const NOBODY_KUID = 65534 as KUID;

/**
 * The kernel group ID of `nogroup` (65534), used by {@link Credentials.anonymous}.
 * @public
 */
export const NOBODY_KGID = 65534 as KGID;

function checkID(n: number, what: string): number {
  if (n >>> 0 === n) return n;
  if (n === -1) return NO_ID;
  throw new SysError("EINVAL", { detail: `${what} ${String(n)} is not a 32-bit ID` });
}

/**
 * Makes a {@link KUID} from a number.
 *
 * @param n - An integer in [0, 2^32−1]; −1 is read as `(uid_t)-1`, i.e. {@link NO_ID}.
 * @returns `n` as a KUID.
 * @throws EINVAL if `n` is not an integer in [−1, 2^32−1].
 * @public
 */
export function kuid(n: number): KUID {
  return checkID(n, "kuid") as KUID;
}

/**
 * Makes a {@link KGID} from a number.
 *
 * @param n - An integer in [0, 2^32−1]; −1 is read as {@link NO_ID}.
 * @returns `n` as a KGID.
 * @throws EINVAL if `n` is not an integer in [−1, 2^32−1].
 * @public
 */
export function kgid(n: number): KGID {
  return checkID(n, "kgid") as KGID;
}

/**
 * Makes a namespace {@link UID} from a number.
 *
 * @param n - An integer in [0, 2^32−1]; −1 is read as {@link NO_ID}.
 * @returns `n` as a UID.
 * @throws EINVAL if `n` is not an integer in [−1, 2^32−1].
 * @public
 */
export function uid(n: number): UID {
  return checkID(n, "uid") as UID;
}

/**
 * Makes a namespace {@link GID} from a number.
 *
 * @param n - An integer in [0, 2^32−1]; −1 is read as {@link NO_ID}.
 * @returns `n` as a GID.
 * @throws EINVAL if `n` is not an integer in [−1, 2^32−1].
 * @public
 */
export function gid(n: number): GID {
  return checkID(n, "gid") as GID;
}

/**
 * True unless `id` is {@link NO_ID} (Linux `uid_valid()` / `gid_valid()`).
 *
 * @param id - Any kind of ID.
 * @returns Whether the ID is valid.
 * @public
 */
export function isValidID(id: KUID | KGID | UID | GID): boolean {
  return id !== NO_ID;
}

/**
 * Renders an unmapped namespace ID as the overflow ID 65534, as Linux does when it
 * reports IDs to a task (`from_kuid_munged()`).
 *
 * @param id - A UID or GID, possibly {@link NO_ID}.
 * @returns `id`, or 65534 ({@link OVERFLOW_UID} / {@link OVERFLOW_GID}) if it is `NO_ID`.
 * @public
 */
export function orOverflow<T extends UID | GID>(id: T): T {
  return (id === NO_ID ? 65534 : id) as T;
}
