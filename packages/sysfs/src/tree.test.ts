import { DT_DIR, DT_REG, PAGE_SIZE, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, SEEK_END, SEEK_SET } from "@vfskit/abi";
import { afterEach, describe, expect, it } from "vitest";
import { fixedSysfsHost } from "./host.js";
import { createSysHarness, type SysHarness } from "./testing-fixtures/harness.js";

let h: SysHarness | undefined;
afterEach(() => {
  h?.release();
  h = undefined;
});

const ROOT = ["block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power"];
const TOPOLOGY = [
  "core_cpus",
  "core_cpus_list",
  "core_id",
  "core_siblings",
  "core_siblings_list",
  "package_cpus",
  "package_cpus_list",
  "physical_package_id",
  "thread_siblings",
  "thread_siblings_list",
];

function expectDir(s: SysHarness, path: string, perm: number): void {
  const st = s.stat(path);
  expect(st.mode & S_IFMT, path).toBe(S_IFDIR);
  expect(st.mode & 0o7777, path).toBe(perm);
  expect(st.size, path).toBe(0);
}

function expectFile(s: SysHarness, path: string, contents: string): void {
  const st = s.stat(path);
  expect(st.mode & S_IFMT, path).toBe(S_IFREG);
  expect(st.mode & 0o7777, path).toBe(0o444);
  expect(st.size, path).toBe(PAGE_SIZE); // Linux: every sysfs attribute is one page
  expect(st.blocks, path).toBe(0);
  expect(s.read(path), path).toBe(contents);
}

describe("the /sys tree", () => {
  it("has Linux's top-level directories; the root is 0555, the rest 0755 (as on the host)", () => {
    const s = (h = createSysHarness());
    expect(s.names("/sys")).toEqual(ROOT);
    expectDir(s, "/sys", 0o555);
    for (const name of ROOT) expectDir(s, `/sys/${name}`, 0o755);
    // nlink: 2 + subdirectories, as Linux's kernfs (/sys has 12 on the host).
    expect(s.stat("/sys").nlink).toBe(12);
    expect(s.stat("/sys").ino).toBe(1);
  });

  it("has the empty directories and the second level", () => {
    const s = (h = createSysHarness());
    for (const empty of ["block", "bus", "firmware", "kernel", "module", "power", "class/power_supply", "dev/block", "dev/char"]) {
      expect(s.names(`/sys/${empty}`), empty).toEqual([]);
    }
    expect(s.names("/sys/class")).toEqual(["power_supply"]);
    expect(s.names("/sys/dev")).toEqual(["block", "char"]);
    expect(s.names("/sys/devices")).toEqual(["system"]);
    expect(s.names("/sys/devices/system")).toEqual(["cpu"]);
    expect(s.names("/sys/fs")).toEqual(["cgroup"]);
    for (const d of ["class/power_supply", "dev/block", "dev/char", "devices/system", "devices/system/cpu"]) expectDir(s, `/sys/${d}`, 0o755);
  });

  it("makes fs/cgroup an empty 0555 directory, as Linux's sysfs_create_mount_point", () => {
    const s = (h = createSysHarness());
    expectDir(s, "/sys/fs/cgroup", 0o555);
    expect(s.stat("/sys/fs/cgroup").nlink).toBe(2);
    expect(s.names("/sys/fs/cgroup")).toEqual([]);
  });

  it("one CPU: online is 0 (Linux; gVisor prints 0-0) and the masks are 1", () => {
    const s = (h = createSysHarness());
    expect(s.names("/sys/devices/system/cpu")).toEqual(["cpu0", "offline", "online", "possible", "present"]);
    for (const f of ["online", "possible", "present"]) expectFile(s, `/sys/devices/system/cpu/${f}`, "0\n");
    expectFile(s, "/sys/devices/system/cpu/offline", "\n");
    expect(s.names("/sys/devices/system/cpu/cpu0")).toEqual(["topology"]);
    expectDir(s, "/sys/devices/system/cpu/cpu0", 0o755);
    expectDir(s, "/sys/devices/system/cpu/cpu0/topology", 0o755);
    expect(s.names("/sys/devices/system/cpu/cpu0/topology")).toEqual(TOPOLOGY);
    const t = "/sys/devices/system/cpu/cpu0/topology";
    for (const f of ["core_cpus", "core_siblings", "package_cpus", "thread_siblings"]) expectFile(s, `${t}/${f}`, "1\n");
    for (const f of ["core_cpus_list", "core_siblings_list", "package_cpus_list", "thread_siblings_list"]) expectFile(s, `${t}/${f}`, "0\n");
    expectFile(s, `${t}/core_id`, "0\n");
    expectFile(s, `${t}/physical_package_id`, "0\n");
  });

  it("two CPUs print what the 2-CPU Linux host prints", () => {
    const s = (h = createSysHarness({ host: fixedSysfsHost(2) }));
    const t = "/sys/devices/system/cpu/cpu0/topology";
    // Captured on the host (Linux 6.18, 2 CPUs) from /sys/devices/system/cpu.
    const host: Record<string, string> = {
      core_cpus: "1",
      core_cpus_list: "0",
      core_id: "0",
      core_siblings: "3",
      core_siblings_list: "0-1",
      package_cpus: "3",
      package_cpus_list: "0-1",
      physical_package_id: "0",
      thread_siblings: "1",
      thread_siblings_list: "0",
    };
    for (const [f, v] of Object.entries(host)) expect(s.read(`${t}/${f}`), f).toBe(`${v}\n`);
    expect(s.read("/sys/devices/system/cpu/online")).toBe("0-1\n");
    expect(s.read("/sys/devices/system/cpu/cpu1/topology/core_cpus")).toBe("2\n");
  });

  it("four CPUs: 0-3, one CPU per core", () => {
    const s = (h = createSysHarness({ host: fixedSysfsHost(4) }));
    expect(s.names("/sys/devices/system/cpu")).toEqual(["cpu0", "cpu1", "cpu2", "cpu3", "offline", "online", "possible", "present"]);
    for (const f of ["online", "possible", "present"]) expect(s.read(`/sys/devices/system/cpu/${f}`)).toBe("0-3\n");
    for (let i = 0; i < 4; i++) {
      const t = `/sys/devices/system/cpu/cpu${i}/topology`;
      expect(s.read(`${t}/core_cpus`)).toBe(`${(1 << i).toString(16)}\n`);
      expect(s.read(`${t}/thread_siblings_list`)).toBe(`${i}\n`);
      expect(s.read(`${t}/package_cpus`)).toBe("f\n");
      expect(s.read(`${t}/core_siblings_list`)).toBe("0-3\n");
      expect(s.read(`${t}/core_id`)).toBe(`${i}\n`);
    }
  });

  it("33 and 37 CPUs: comma-separated 32-bit words", () => {
    let s = (h = createSysHarness({ host: fixedSysfsHost(33) }));
    expect(s.read("/sys/devices/system/cpu/online")).toBe("0-32\n");
    expect(s.read("/sys/devices/system/cpu/cpu0/topology/core_cpus")).toBe("0,00000001\n");
    expect(s.read("/sys/devices/system/cpu/cpu32/topology/thread_siblings")).toBe("1,00000000\n");
    expect(s.read("/sys/devices/system/cpu/cpu0/topology/package_cpus")).toBe("1,ffffffff\n");
    s.release();
    s = h = createSysHarness({ host: fixedSysfsHost(37) });
    expect(s.read("/sys/devices/system/cpu/present")).toBe("0-36\n");
    expect(s.read("/sys/devices/system/cpu/cpu36/topology/core_siblings")).toBe("1f,ffffffff\n");
    expect(s.read("/sys/devices/system/cpu/cpu0/topology/core_cpus")).toBe("00,00000001\n");
  });

  it("takes the topology from the host: 2 packages × 2 cores × 2 threads", () => {
    const s = (h = createSysHarness({
      host: { cpuCount: () => 8, cpuTopology: (cpu) => ({ packageId: cpu >> 2, coreId: (cpu >> 1) & 1 }) },
    }));
    const t = (cpu: number, f: string) => s.read(`/sys/devices/system/cpu/cpu${cpu}/topology/${f}`);
    expect(t(5, "thread_siblings")).toBe("30\n");
    expect(t(5, "thread_siblings_list")).toBe("4-5\n");
    expect(t(5, "core_cpus")).toBe("30\n");
    expect(t(5, "core_siblings")).toBe("f0\n");
    expect(t(5, "package_cpus_list")).toBe("4-7\n");
    expect(t(5, "core_id")).toBe("0\n");
    expect(t(5, "physical_package_id")).toBe("1\n");
    expect(t(2, "core_id")).toBe("1\n");
  });

  it("refuses bad host facts when the type is created", async () => {
    const { SysFilesystemType } = await import("./sysfs.js");
    expect(() => new SysFilesystemType({ host: { cpuCount: () => 0 } })).toThrow(/CPU count/);
    expect(() => new SysFilesystemType({ host: { cpuCount: () => 2.5 } })).toThrow(/CPU count/);
    expect(() => new SysFilesystemType({ host: { cpuCount: () => 2, cpuTopology: () => ({ packageId: -1, coreId: 0 }) } })).toThrow(/topology/);
    expect(() => fixedSysfsHost(8193)).toThrow(/CPU count/);
  });

  it("lists dirents with types and offsets: . .. then entries in order", () => {
    const s = (h = createSysHarness());
    const ds = s.dirents("/sys/devices/system/cpu/cpu0/topology");
    expect(ds.map((d) => d.name)).toEqual([".", "..", ...TOPOLOGY]);
    expect(ds.map((d) => d.nextOff)).toEqual(ds.map((_, i) => i + 1));
    expect(ds[0]?.type).toBe(DT_DIR);
    expect(ds[1]?.type).toBe(DT_DIR);
    expect(ds[0]?.ino).toBe(s.stat("/sys/devices/system/cpu/cpu0/topology").ino);
    expect(ds[1]?.ino).toBe(s.stat("/sys/devices/system/cpu/cpu0").ino);
    expect(ds.slice(2).every((d) => d.type === DT_REG)).toBe(true);
    expect(s.dirents("/sys").slice(2).every((d) => d.type === DT_DIR)).toBe(true);
    // `..` of the root of the mount is the root itself within this filesystem.
    const root = s.dirents("/sys");
    expect(root[1]?.ino).toBe(1);
  });

  it("seeks directories: SEEK_SET resumes, SEEK_END is 2 + the number of entries", () => {
    const s = (h = createSysHarness());
    const fd = s.open("/sys");
    try {
      expect(fd.seek(s.ctx, 0, SEEK_END)).toBe(12);
      expect(fd.seek(s.ctx, 7, SEEK_SET)).toBe(7);
      const names: string[] = [];
      fd.iterDirents(s.ctx, (d) => (names.push(d.name), true));
      expect(names).toEqual(ROOT.slice(5));
    } finally {
      fd.decRef(s.ctx);
    }
  });

  it("reads a file in pieces and again after seeking back", () => {
    const s = (h = createSysHarness({ host: fixedSysfsHost(37) }));
    const fd = s.open("/sys/devices/system/cpu/cpu0/topology/package_cpus");
    try {
      const buf = new Uint8Array(4);
      expect(fd.read(s.ctx, buf)).toBe(4);
      expect(new TextDecoder().decode(buf)).toBe("1f,f");
      expect(fd.seek(s.ctx, 0, SEEK_SET)).toBe(0);
      const all = new Uint8Array(64);
      expect(new TextDecoder().decode(all.subarray(0, fd.read(s.ctx, all)))).toBe("1f,ffffffff\n");
    } finally {
      fd.decRef(s.ctx);
    }
  });

  it("owns every file by the mounter, st_dev anonymous and shared by the mount", () => {
    const s = (h = createSysHarness());
    const a = s.stat("/sys");
    const b = s.stat("/sys/devices/system/cpu/online");
    expect(b.uid).toBe(0);
    expect(b.gid).toBe(0);
    expect(a.devMajor).toBe(0);
    expect(b.devMinor).toBe(a.devMinor);
    expect(a.devMinor).not.toBe(0);
    expect(s.stat("/sys/fs/cgroup").mode & S_IFMT).not.toBe(S_IFLNK);
  });
});
