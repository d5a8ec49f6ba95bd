// The exact text of status, stat, statm, meminfo, mounts, mountinfo, loadavg, uptime,
// fdinfo, limits, io, version and stat (inventory §5.5), for a known kernel state.
import { O_CLOEXEC, O_CREAT, O_RDWR } from "@vfskit/abi";
import { expect, test } from "vitest";
import { withProc } from "./testing-fixtures/proc-kernel.js";

const STATUS_TAIL =
  "Kthread:\t0\n" +
  ["VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap", "HugetlbPages"]
    .map((k) => `${k}:\t       0 kB\n`)
    .join("") +
  "CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n" +
  "Threads:\t1\nSigQ:\t0/18446744073709551615\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n" +
  "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n" +
  "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n" +
  "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tunsupported\n" +
  "Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t00000001\nMems_allowed_list:\t0\n" +
  "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n";

test("status: Linux's keys and order, the trailing space after Groups, the caller Running and others Sleeping", () => {
  withProc(({ init, read }) => {
    const child = init.fork({ comm: "kid" });
    const head = (name: string, state: string, pid: number, ppid: number): string =>
      `Name:\t${name}\nUmask:\t0022\nState:\t${state}\nTgid:\t${pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${ppid}\nTracerPid:\t0\n` +
      "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\nGroups:\t \n" +
      `NStgid:\t${pid}\nNSpid:\t${pid}\nNSpgid:\t1\nNSsid:\t1\n`;
    expect(read("/proc/self/status")).toBe(head("init", "R (running)", 1, 0) + STATUS_TAIL);
    expect(read(`/proc/${child.pid}/status`)).toBe(head("kid", "S (sleeping)", child.pid, 1) + STATUS_TAIL);
    child.setCredentials(child.credentials.setgroups([5 as never, 7 as never]));
    expect(read(`/proc/${child.pid}/status`)).toContain("\nGroups:\t5 7 \n");
    child.exit(3);
    // A zombie has no Umask and no memory block, and shows Z.
    const zombie = read(`/proc/${child.pid}/status`);
    expect(zombie).toContain("State:\tZ (zombie)\n");
    expect(zombie).not.toContain("Umask");
    expect(zombie).not.toContain("VmSize");
    expect(zombie).toContain("FDSize:\t0\n");
    init.wait4(child.pid);
  });
});

test("stat: the 52 fields of do_task_stat, start time in ticks, exit code of a zombie", () => {
  withProc(({ init, read, clock }) => {
    expect(read("/proc/self/stat")).toBe(
      "1 (init) R 0 1 1 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
    );
    clock.advance(2_500_000_000);
    const child = init.fork({ comm: "a b)" });
    const fields = read(`/proc/${child.pid}/stat`).trimEnd().split(" ");
    expect(fields).toHaveLength(53); // the comm "(a b))" holds a space: 52 fields, 53 words
    expect(fields.slice(0, 4)).toEqual([String(child.pid), "(a", "b))", "S"]);
    expect(fields[22]).toBe("250"); // starttime: 2.5 s after boot, in clock ticks
    child.exit(3);
    const zombie = read(`/proc/${child.pid}/stat`).trimEnd().split(" ");
    expect(zombie[3]).toBe("Z");
    expect(zombie[zombie.length - 1]).toBe(String(3 << 8));
    init.wait4(child.pid);
  });
});

test("statm, limits, io", () => {
  withProc(({ read }) => {
    expect(read("/proc/self/statm")).toBe("0 0 0 0 0 0 0\n");
    const limits = read("/proc/self/limits").split("\n");
    expect(limits[0]).toBe("Limit                     Soft Limit           Hard Limit           Units     ");
    expect(limits[8]).toBe("Max open files            1024                 4096                 files     ");
    expect(limits[14]).toBe("Max nice priority         0                    0                    ");
    expect(read("/proc/self/io")).toMatch(/^rchar: \d+\nwchar: \d+\nsyscr: \d+\nsyscw: \d+\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n$/);
  });
});

test("meminfo: Linux's keys, numbers right-aligned in 8 columns, tmpfs pages and pipe buffers counted", () => {
  withProc(({ init, read }) => {
    init.mkdir("/tmp", 0o777);
    init.mount("tmpfs", "/tmp", "tmpfs", 0, "");
    const fd = init.open("/tmp/f", O_RDWR | O_CREAT, 0o644);
    init.write(fd, new Uint8Array(5000)); // 2 pages
    const [r, w] = init.pipe2();
    init.write(w, new Uint8Array(10)); // 1 page
    const text = read("/proc/meminfo");
    expect(text.startsWith("MemTotal:        1048576 kB\nMemFree:         1048548 kB\nMemAvailable:    1048548 kB\nBuffers:               0 kB\nCached:                8 kB\n")).toBe(true);
    expect(text).toContain("\nShmem:                 8 kB\n");
    expect(text).toContain("\nKernelStack:          16 kB\n");
    expect(text).toContain("\nCommitLimit:      524288 kB\n");
    expect(text).toContain("\nVmallocTotal:   34359738367 kB\n");
    expect(text).toContain("\nHugePages_Total:       0\n");
    expect(text.endsWith("DirectMap4k:           0 kB\nDirectMap2M:     1048576 kB\nDirectMap1G:           0 kB\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(54);
    for (const x of [fd, r, w]) init.close(x);
    expect(read("/proc/meminfo")).toContain("MemFree:         1048552 kB\n");
    init.umount("/tmp");
  });
});

test("mounts and mountinfo: vfs's generators, from the task's root", () => {
  withProc(({ init, read }) => {
    init.mkdir("/tmp", 0o777);
    init.mount("tmpfs", "/tmp", "tmpfs", 0, "");
    expect(read("/proc/self/mounts")).toBe("none / tmpfs rw,relatime 0 0\nproc /proc proc rw,relatime 0 0\ntmpfs /tmp tmpfs rw,relatime 0 0\n");
    expect(read("/proc/self/mountinfo")).toMatch(/^1 1 0:\d+ \/ \/ rw,relatime - tmpfs none rw\n\d+ 1 0:\d+ \/ \/proc rw,relatime - proc proc rw\n\d+ 1 0:\d+ \/ \/tmp rw,relatime - tmpfs tmpfs rw\n$/);
    // Behaviour 13: a root line and a /proc line of the right shape.
    expect(read("/proc/self/mountinfo")).toMatch(/^\d+ \d+ \d+:\d+ \/\S* \/ (rw|ro)\S* - \S+ \S+ (rw|ro)/);
    init.umount("/tmp");
  });
});

test("uptime and /proc/stat: real times from the kernel's clock, truncated to hundredths and ticks", () => {
  withProc(({ read, clock }) => {
    clock.advance(12_345_678_901);
    expect(read("/proc/uptime")).toBe("12.34 24.69\n");
    expect(read("/proc/stat")).toBe(
      "cpu  0 0 0 2468 0 0 0 0 0 0\ncpu0 0 0 0 1234 0 0 0 0 0 0\ncpu1 0 0 0 1234 0 0 0 0 0 0\n" +
        "intr 0\nctxt 0\nbtime 1700000000\nprocesses 1\nprocs_running 1\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
    );
    expect(read("/proc/version")).toBe("Linux version 6.1.0-vfskit (vfskit@vfskit) (vfskit TypeScript kernel model) #1 SMP vfskit\n");
    expect(read("/proc/filesystems")).toBe("nodev\ttmpfs\nnodev\tpipefs\nnodev\tproc\n");
  });
});

test("fdinfo: pos, flags in octal with O_LARGEFILE and O_CLOEXEC, mnt_id, ino (behaviour 14)", () => {
  withProc(({ init, read }) => {
    init.mkdir("/tmp", 0o777);
    const fd = init.open("/tmp/f", O_RDWR | O_CREAT | O_CLOEXEC, 0o644);
    init.write(fd, new Uint8Array(5000));
    const ino = init.fstat(fd).ino;
    expect(read(`/proc/self/fdinfo/${fd}`)).toBe(`pos:\t5000\nflags:\t02100002\nmnt_id:\t1\nino:\t${ino}\n`);
    const [r] = init.pipe2(O_CLOEXEC);
    expect(read(`/proc/self/fdinfo/${r}`)).toMatch(/^pos:\t0\nflags:\t02000000\nmnt_id:\t\d+\nino:\t\d+\n$/);
  });
});
