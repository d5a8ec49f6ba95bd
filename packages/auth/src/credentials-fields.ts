// The fields of Credentials and the options of its constructors, apart from the class so
// that credentials.ts stays about behaviour.
import type { CapabilitySet } from "./capability-set.js";
import type { GID, KGID, KUID, UID } from "./id.js";
import type { UserNamespace } from "./user-namespace.js";

/**
 * Every field of a {@link Credentials} object.
 *
 * @remarks
 * IDs are kernel IDs; none may be `NO_ID`. `extraKGIDs` is kept sorted.
 * @public
 */
export interface CredentialsFields {
  /** Real user ID. */
  readonly realKUID: KUID;
  /** Effective user ID: ownership of new objects, capability rules, signal checks. */
  readonly effectiveKUID: KUID;
  /** Saved set-user-ID. */
  readonly savedKUID: KUID;
  /**
   * Filesystem user ID: what file permission checks compare with a file's owner
   * (Linux `current_fsuid()`). Follows the effective uid unless setfsuid(2) changed it.
   * gVisor has no fs IDs and uses the effective uid.
   */
  readonly fsKUID: KUID;
  /** Real group ID. */
  readonly realKGID: KGID;
  /** Effective group ID. */
  readonly effectiveKGID: KGID;
  /** Saved set-group-ID. */
  readonly savedKGID: KGID;
  /** Filesystem group ID; follows the effective gid unless setfsgid(2) changed it. */
  readonly fsKGID: KGID;
  /** Supplementary groups, sorted ascending (duplicates kept, as Linux keeps them). */
  readonly extraKGIDs: readonly KGID[];
  /** Permitted capabilities: the most the effective set may hold. */
  readonly permittedCaps: CapabilitySet;
  /** Inheritable capabilities, preserved across execve. */
  readonly inheritableCaps: CapabilitySet;
  /** Effective capabilities: what capability checks test. */
  readonly effectiveCaps: CapabilitySet;
  /** Bounding set: limits the capabilities execve can grant. */
  readonly boundingCaps: CapabilitySet;
  /** Ambient capabilities, kept across execve of unprivileged programs. */
  readonly ambientCaps: CapabilitySet;
  /** PR_SET_KEEPCAPS: keep permitted capabilities when all uids leave 0. */
  readonly keepCaps: boolean;
  /** The user namespace the credentials belong to (and hold capabilities in). */
  readonly userNamespace: UserNamespace;
}

/**
 * Options for {@link Credentials.user}.
 * @public
 */
export interface UserCredentialsOptions {
  /** The user ID, as numbered in `ns`; becomes the real, effective, saved and fs uid. */
  readonly uid: UID;
  /** The group ID, as numbered in `ns`; becomes the real, effective, saved and fs gid. */
  readonly gid: GID;
  /** Supplementary groups, as numbered in `ns`. Default: none. */
  readonly groups?: readonly GID[];
  /** The user namespace. Default: a new root namespace. */
  readonly ns?: UserNamespace;
}
