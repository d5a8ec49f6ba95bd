// Host and domain names. Twin of gVisor's pkg/sentry/kernel/uts_namespace.go (Linux's
// struct uts_namespace, kernel/sys.c sethostname/setdomainname, kernel/utsname_sysctl.c).
import { Capability, EPOLLERR, EPOLLPRI, READABLE_EVENTS, SysError } from "@vfskit/abi";
import type { Credentials, UserNamespace } from "@vfskit/auth";
import { utf8ByteLength, WaiterQueue } from "@vfskit/vfs";

/** The most bytes a host or domain name may have (Linux's __NEW_UTS_LEN). @public */
export const UTS_NAME_MAX = 64;

/**
 * Tells pollers that a value changed: a sequence number plus a waiter queue, notified
 * with readable | EPOLLPRI | EPOLLERR as Linux notifies pollers of
 * /proc/sys/kernel/hostname (`proc_sys_poll_notify`).
 * @public
 */
export class ChangePoller {
  #sequence = 0;
  /** Waiters for changes. */
  readonly queue = new WaiterQueue();

  /** Bumped by every change; compare with an earlier value to detect one. */
  get sequence(): number {
    return this.#sequence;
  }

  /** Records a change and wakes the waiters. */
  notify(): void {
    this.#sequence++;
    this.queue.notify(READABLE_EVENTS | EPOLLPRI | EPOLLERR);
  }
}

/**
 * What uname(2) reports.
 * @public
 */
export interface Utsname {
  /** `Linux`. */
  readonly sysname: string;
  /** The host name. */
  readonly nodename: string;
  /** The kernel release. */
  readonly release: string;
  /** The kernel version string. */
  readonly version: string;
  /** The machine (`x86_64`). */
  readonly machine: string;
  /** The NIS domain name. */
  readonly domainname: string;
}

/**
 * A UTS namespace: the host name and NIS domain name tasks see (gVisor's
 * `UTSNamespace`).
 *
 * @remarks
 * Changing either name notifies {@link UTSNamespace.hostnamePoller} or
 * {@link UTSNamespace.domainnamePoller}, which procfs uses to make
 * /proc/sys/kernel/hostname and domainname pollable. Nothing here is reference-counted.
 * @public
 */
export class UTSNamespace {
  /** The user namespace owning this one: CAP_SYS_ADMIN in it allows renaming. */
  readonly owner: UserNamespace;
  /** Notified when the host name changes. */
  readonly hostnamePoller = new ChangePoller();
  /** Notified when the domain name changes. */
  readonly domainnamePoller = new ChangePoller();
  #hostname: string;
  #domainname: string;

  /**
   * @param owner - The owning user namespace.
   * @param hostname - The initial host name.
   * @param domainname - The initial domain name (Linux's default is `(none)`).
   */
  constructor(owner: UserNamespace, hostname: string, domainname: string) {
    this.owner = owner;
    this.#hostname = hostname;
    this.#domainname = domainname;
  }

  /** The host name. */
  hostname(): string {
    return this.#hostname;
  }

  /** The NIS domain name. */
  domainname(): string {
    return this.#domainname;
  }

  /**
   * sethostname(2).
   * @param creds - The caller's credentials.
   * @param name - The new name.
   * @throws EPERM - No CAP_SYS_ADMIN in the owning user namespace.
   * @throws EINVAL - `name` is longer than {@link UTS_NAME_MAX} bytes.
   * @throws EINVAL - `name` contains a NUL character (Linux would keep the bytes but every
   * reader stops at the NUL; vfskit refuses it, as it refuses NUL in paths).
   */
  setHostname(creds: Credentials, name: string): void {
    this.#check(creds, name, "sethostname");
    this.#hostname = name;
    this.hostnamePoller.notify();
  }

  /**
   * setdomainname(2).
   * @param creds - The caller's credentials.
   * @param name - The new name.
   * @throws EPERM - No CAP_SYS_ADMIN in the owning user namespace.
   * @throws EINVAL - `name` is longer than {@link UTS_NAME_MAX} bytes.
   * @throws EINVAL - `name` contains a NUL character (Linux would keep the bytes but every
   * reader stops at the NUL; vfskit refuses it, as it refuses NUL in paths).
   */
  setDomainname(creds: Credentials, name: string): void {
    this.#check(creds, name, "setdomainname");
    this.#domainname = name;
    this.domainnamePoller.notify();
  }

  // Linux checks the capability first, then the length.
  #check(creds: Credentials, name: string, syscall: string): void {
    if (!creds.hasCapabilityIn(Capability.CAP_SYS_ADMIN, this.owner)) {
      throw new SysError("EPERM", { syscall, detail: "CAP_SYS_ADMIN required" });
    }
    if (utf8ByteLength(name) > UTS_NAME_MAX) throw new SysError("EINVAL", { syscall, detail: `longer than ${UTS_NAME_MAX} bytes` });
    if (name.includes("\0")) throw new SysError("EINVAL", { syscall, detail: "NUL in name" });
  }
}
