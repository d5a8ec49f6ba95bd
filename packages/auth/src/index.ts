/**
 * Linux credentials for vfskit: kernel and namespace IDs, user namespaces with ID maps,
 * capability sets, and the rules of the set*id, setgroups and capset syscalls.
 *
 * @remarks
 * The twin of gVisor's `pkg/sentry/kernel/auth`, with Linux as the spec where the two
 * differ.
 *
 * Two kinds of ID. Kernel IDs ({@link KUID}, {@link KGID}) are the numbering of the root
 * user namespace; filesystems, credentials and locks store and compare only these.
 * Namespace IDs ({@link UID}, {@link GID}) are what a task sees through its
 * {@link UserNamespace}; convert at the syscall boundary with `mapToKUID` /
 * `mapFromKUID` (unmapped → `NO_ID`, shown to tasks as 65534 via {@link orOverflow}).
 * The four types are branded, so the compiler refuses to mix them; numbers become IDs
 * only through {@link kuid}, {@link kgid}, {@link uid} and {@link gid}.
 *
 * Who owns what. {@link Credentials} objects are immutable values: every change returns
 * a new object and the kernel replaces a task's credentials with it, so anything that
 * captured credentials (an open file) keeps the ones it captured. A
 * {@link UserNamespace} is shared by every credentials object in it and by its child
 * namespaces; its ID maps are written once and never change after, and its setgroups
 * state only ever goes from "allow" to "deny". Nothing here is reference-counted and
 * nothing calls back into user code, so there are no reentrancy rules.
 *
 * Capability numbers are Linux's, as `Capability` in `@vfskit/abi` names them
 * (`Capability.CAP_CHOWN` = 0 … `Capability.CAP_CHECKPOINT_RESTORE` = 40).
 *
 * @packageDocumentation
 */
export { CapabilitySet } from "./capability-set.js";
export { Credentials } from "./credentials.js";
export { type CredentialsFields, type UserCredentialsOptions } from "./credentials-fields.js";
export {
  NO_ID,
  OVERFLOW_UID,
  OVERFLOW_GID,
  ROOT_KUID,
  ROOT_KGID,
  NOBODY_KUID,
  NOBODY_KGID,
  kuid,
  kgid,
  uid,
  gid,
  isValidID,
  orOverflow,
  type KUID,
  type KGID,
  type UID,
  type GID,
} from "./id.js";
export { ID_MAP_MAX_ENTRIES, type IDMapEntry } from "./id-map.js";
export { type CapsetSets } from "./set-id.js";
export {
  UserNamespace,
  MAX_USER_NAMESPACE_LEVEL,
  formatIDMap,
  type UserNamespaceOptions,
} from "./user-namespace.js";
