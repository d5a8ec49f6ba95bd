// Capability numbers (include/uapi/linux/capability.h).

/**
 * Linux capability numbers by name, CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40).
 *
 * @remarks An `as const` table. Capability sets in `@vfskit/auth` are bitmasks over these numbers.
 * @public
 */
export const Capability = {
  CAP_CHOWN: 0,
  CAP_DAC_OVERRIDE: 1,
  CAP_DAC_READ_SEARCH: 2,
  CAP_FOWNER: 3,
  CAP_FSETID: 4,
  CAP_KILL: 5,
  CAP_SETGID: 6,
  CAP_SETUID: 7,
  CAP_SETPCAP: 8,
  CAP_LINUX_IMMUTABLE: 9,
  CAP_NET_BIND_SERVICE: 10,
  CAP_NET_BROADCAST: 11,
  CAP_NET_ADMIN: 12,
  CAP_NET_RAW: 13,
  CAP_IPC_LOCK: 14,
  CAP_IPC_OWNER: 15,
  CAP_SYS_MODULE: 16,
  CAP_SYS_RAWIO: 17,
  CAP_SYS_CHROOT: 18,
  CAP_SYS_PTRACE: 19,
  CAP_SYS_PACCT: 20,
  CAP_SYS_ADMIN: 21,
  CAP_SYS_BOOT: 22,
  CAP_SYS_NICE: 23,
  CAP_SYS_RESOURCE: 24,
  CAP_SYS_TIME: 25,
  CAP_SYS_TTY_CONFIG: 26,
  CAP_MKNOD: 27,
  CAP_LEASE: 28,
  CAP_AUDIT_WRITE: 29,
  CAP_AUDIT_CONTROL: 30,
  CAP_SETFCAP: 31,
  CAP_MAC_OVERRIDE: 32,
  CAP_MAC_ADMIN: 33,
  CAP_SYSLOG: 34,
  CAP_WAKE_ALARM: 35,
  CAP_BLOCK_SUSPEND: 36,
  CAP_AUDIT_READ: 37,
  CAP_PERFMON: 38,
  CAP_BPF: 39,
  CAP_CHECKPOINT_RESTORE: 40,
} as const;

/** A capability name such as `"CAP_SYS_ADMIN"`. @public */
export type CapabilityName = keyof typeof Capability;

/** The highest capability number Linux defines (CAP_CHECKPOINT_RESTORE). @public */
export const CAP_LAST_CAP = 40;

/**
 * The name of a capability number, e.g. `21` → `"CAP_SYS_ADMIN"`.
 * @returns The name, or `undefined` above {@link CAP_LAST_CAP}.
 * @public
 */
export function capabilityName(cap: number): CapabilityName | undefined {
  return capabilityNames[cap];
}

const capabilityNames: readonly (CapabilityName | undefined)[] = Object.entries(Capability)
  .sort((a, b) => a[1] - b[1])
  .map(([name]) => name as CapabilityName);
