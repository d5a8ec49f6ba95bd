// /proc/sys (inventory §5.4; §5.8 behaviours 19 and 21).
import { O_RDONLY, EPOLLPRI } from "@vfskit/abi";
import { expect, test } from "vitest";
import { expectErrno, userCreds, withProc } from "./testing-fixtures/proc-kernel.js";

test("kernel/: ostype, osrelease, version, pid_max, cap_last_cap, overflow IDs, boot_id fixed, uuid fresh", () => {
  withProc(({ read }) => {
    expect(read("/proc/sys/kernel/ostype")).toBe("Linux\n");
    expect(read("/proc/sys/kernel/osrelease")).toBe("6.1.0-vfskit\n");
    expect(read("/proc/sys/kernel/version")).toBe("#1 SMP vfskit\n");
    expect(read("/proc/sys/kernel/pid_max")).toBe("65536\n");
    expect(read("/proc/sys/kernel/cap_last_cap")).toBe("40\n");
    expect(read("/proc/sys/kernel/overflowuid")).toBe("65534\n");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/;
    expect(read("/proc/sys/kernel/random/boot_id")).toMatch(uuid);
    expect(read("/proc/sys/kernel/random/boot_id")).toBe(read("/proc/sys/kernel/random/boot_id"));
    expect(read("/proc/sys/kernel/random/uuid")).not.toBe(read("/proc/sys/kernel/random/uuid"));
    expect(read("/proc/sys/fs/pipe-max-size")).toBe("1048576\n");
    expect(read("/proc/sys/vm/max_map_count")).toBe("65530\n");
    expect(read("/proc/sys/vm/overcommit_memory")).toBe("0\n");
  });
});

test("behaviour 21: hostname and domainname match uname, are writable, and wake pollers", () => {
  withProc(({ init, read, write }) => {
    expect(read("/proc/sys/kernel/hostname")).toBe(`${init.uname().nodename}\n`);
    expect(read("/proc/sys/kernel/domainname")).toBe("(none)\n");
    const fd = init.open("/proc/sys/kernel/hostname", O_RDONLY);
    const file = init.fdTable.get(fd);
    let woken = 0;
    const waiter = { notify: () => void woken++ };
    file?.eventRegister(waiter, EPOLLPRI);
    expect((file?.readiness(EPOLLPRI) ?? -1) & EPOLLPRI).toBe(0);
    write("/proc/sys/kernel/hostname", "sandbox\nignored");
    expect(init.uname().nodename).toBe("sandbox");
    expect(woken).toBe(1);
    expect((file?.readiness(EPOLLPRI) ?? 0) & EPOLLPRI).toBe(EPOLLPRI);
    file?.eventUnregister(waiter);
    init.close(fd);
    init.sethostname("other");
    expect(read("/proc/sys/kernel/hostname")).toBe("other\n");
    const user = init.fork();
    user.setCredentials(userCreds(init, 1000));
    expectErrno(() => write("/proc/sys/kernel/hostname", "x", user), "EACCES");
    user.exit(0);
    init.wait4(user.pid);
  });
});

test("behaviour 19: keys/maxkeys defaults to 200, -1 is EINVAL, 100 reads back; ptrace_scope and nr_open ranges", () => {
  withProc(({ read, write }) => {
    expect(read("/proc/sys/kernel/keys/maxkeys")).toBe("200\n");
    expectErrno(() => write("/proc/sys/kernel/keys/maxkeys", "-1"), "EINVAL");
    write("/proc/sys/kernel/keys/maxkeys", "100");
    expect(read("/proc/sys/kernel/keys/maxkeys")).toBe("100\n");
    expect(read("/proc/sys/kernel/yama/ptrace_scope")).toBe("1\n");
    expectErrno(() => write("/proc/sys/kernel/yama/ptrace_scope", "4"), "EINVAL");
    write("/proc/sys/kernel/yama/ptrace_scope", "3");
    expectErrno(() => write("/proc/sys/kernel/yama/ptrace_scope", "0"), "EINVAL");
    expect(read("/proc/sys/fs/nr_open")).toBe("1048576\n");
    expectErrno(() => write("/proc/sys/fs/nr_open", "8"), "EINVAL");
    // Static 0644 files without a writer: EIO.
    expectErrno(() => write("/proc/sys/kernel/pid_max", "100"), "EIO");
  });
});
