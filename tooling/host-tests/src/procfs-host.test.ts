// procfs's formats against the host's own /proc: the same parser reads the host's
// /proc/self/status, /proc/self/stat, /proc/meminfo, /proc/self/mountinfo and /proc/stat
// and vfskit's, and the keys, their order and the field counts must agree. Keys that
// depend on the host kernel's version, architecture or configuration may be missing on
// either side; each such key is listed with its reason.
import { readFileSync } from "node:fs";
import { O_RDONLY } from "@vfskit/abi";
import { Kernel, type Task } from "@vfskit/kernel";
import { fakeHostInfo, registerProcfs } from "@vfskit/procfs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

/** `Key:\tvalue` / `Key:   value` lines → keys in order, and the value's word count. */
function parseKeyed(text: string): { keys: string[]; fields: Map<string, number> } {
  const keys: string[] = [];
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    expect(colon).toBeGreaterThan(0);
    const key = line.slice(0, colon);
    keys.push(key);
    fields.set(key, line.slice(colon + 1).trim().split(/\s+/).filter((w) => w !== "").length);
  }
  return { keys, fields };
}

/** Drops `optional` keys from both lists, then they must be equal. */
function sameKeys(ours: string[], host: string[], optional: ReadonlySet<string>): void {
  const strip = (keys: string[]): string[] => keys.filter((k) => !optional.has(k));
  expect(strip(ours)).toEqual(strip(host));
}

// status keys that depend on the host: NUMA (Ngid stays), shadow stacks, older kernels.
const STATUS_OPTIONAL = new Set([
  "x86_Thread_features", // CONFIG_X86_USER_SHADOW_STACK
  "x86_Thread_features_locked",
  "untag_mask", // x86 LAM, Linux ≥ 6.4
  "Kthread", // Linux ≥ 6.6
  "THP_enabled", // CONFIG_TRANSPARENT_HUGEPAGE
  "Seccomp_filters", // Linux ≥ 5.9
  "SpeculationIndirectBranch", // Linux ≥ 5.3
  "Mems_allowed", // CONFIG_CPUSETS
  "Mems_allowed_list",
]);

// meminfo keys that depend on configuration: virtio balloon, zswap, huge pages, DMA.
const MEMINFO_OPTIONAL = new Set([
  "Balloon", // virtio_balloon
  "Zswap", // CONFIG_ZSWAP
  "Zswapped",
  "SecPageTables", // Linux ≥ 6.0
  "FileHugePages", // CONFIG_TRANSPARENT_HUGEPAGE
  "FilePmdMapped",
  "ShmemHugePages",
  "ShmemPmdMapped",
  "AnonHugePages",
  "HugePages_Total", // CONFIG_HUGETLB_PAGE
  "HugePages_Free",
  "HugePages_Rsvd",
  "HugePages_Surp",
  "Hugepagesize",
  "Hugetlb",
  "DirectMap4k", // x86
  "DirectMap2M",
  "DirectMap1G",
  "CmaTotal", // CONFIG_CMA
  "CmaFree",
  "Unaccepted", // CONFIG_UNACCEPTED_MEMORY
  "HighTotal", // 32-bit
  "HighFree",
  "LowTotal",
  "LowFree",
  "MmapCopy", // no-MMU
  "Quicklists",
  "HardwareCorrupted", // CONFIG_MEMORY_FAILURE
  "Percpu",
  "KReclaimable",
]);

let kernel: Kernel;
let init: Task;

function ours(path: string, task: Task = init): string {
  const fd = task.open(path, O_RDONLY);
  const buf = new Uint8Array(1 << 16);
  let text = "";
  for (;;) {
    const n = task.read(fd, buf);
    if (n === 0) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  task.close(fd);
  return text;
}

function host(path: string): string {
  return readFileSync(path, "utf8");
}

beforeAll(() => {
  kernel = Kernel.create();
  registerProcfs(kernel, { hostInfo: fakeHostInfo({ cpus: 2 }) });
  init = kernel.init;
  init.mkdir("/proc", 0o555);
  init.mount("proc", "/proc", "proc", 0, "");
});

afterAll(() => {
  kernel.shutdown();
});

describe("procfs formats match the host's", () => {
  test("/proc/self/status: same keys, same order, same field counts", () => {
    const o = parseKeyed(ours("/proc/self/status"));
    const h = parseKeyed(host("/proc/self/status"));
    sameKeys(o.keys, h.keys, STATUS_OPTIONAL);
    for (const key of ["Uid", "Gid", "State", "FDSize", "VmSize", "VmRSS", "Threads", "SigQ", "CapEff", "Cpus_allowed_list"]) {
      expect([key, o.fields.get(key)]).toEqual([key, h.fields.get(key)]);
    }
    // The trailing space after Groups is on both sides.
    expect(/\nGroups:\t[^\n]* \n/.test(ours("/proc/self/status"))).toBe(true);
    expect(/\nGroups:\t[^\n]* \n/.test(host("/proc/self/status"))).toBe(true);
  });

  test("/proc/self/stat: 52 fields on both sides (comm without spaces)", () => {
    const count = (text: string): number => text.trimEnd().split(" ").length;
    expect(count(ours("/proc/self/stat"))).toBe(52);
    expect(count(host("/proc/self/stat"))).toBe(52);
    expect(ours("/proc/self/statm").trimEnd().split(" ")).toHaveLength(host("/proc/self/statm").trimEnd().split(" ").length);
  });

  test("/proc/meminfo: same keys in the same order, `N kB` values right-aligned alike", () => {
    const o = parseKeyed(ours("/proc/meminfo"));
    const h = parseKeyed(host("/proc/meminfo"));
    sameKeys(o.keys, h.keys, MEMINFO_OPTIONAL);
    const oLine = ours("/proc/meminfo").split("\n")[0] ?? "";
    const hLine = host("/proc/meminfo").split("\n")[0] ?? "";
    expect(oLine.indexOf(" kB")).toBe(hLine.indexOf(" kB")); // both MemTotal values fit 8 columns
  });

  test("/proc/self/mountinfo: each line has the same fields around ' - '", () => {
    const shape = (line: string): [number, number] => {
      const [before, after] = line.split(" - ");
      return [(before ?? "").split(" ").length, (after ?? "").split(" ").length];
    };
    const o = ours("/proc/self/mountinfo").trimEnd().split("\n").map(shape);
    const h = host("/proc/self/mountinfo").trimEnd().split("\n").map(shape);
    // Linux prints optional tags (shared:N…) before " - ": six fields plus tags, then three.
    for (const [before, after] of [...o, ...h]) {
      expect(before).toBeGreaterThanOrEqual(6);
      expect(after).toBe(3);
    }
    expect(o.every(([b]) => b === 6)).toBe(true);
  });

  test("/proc/stat: the same line keys in the same order; cpu lines of 10 numbers; softirq of 11", () => {
    const keys = (text: string): string[] => text.trimEnd().split("\n").map((l) => (l.split(" ")[0] ?? "").replace(/^cpu\d+$/, "cpuN"));
    const uniq = (k: string[]): string[] => k.filter((x, i) => x !== "cpuN" || k[i - 1] !== "cpuN");
    expect(uniq(keys(ours("/proc/stat")))).toEqual(uniq(keys(host("/proc/stat"))));
    for (const text of [ours("/proc/stat"), host("/proc/stat")]) {
      for (const line of text.trimEnd().split("\n")) {
        const words = line.split(/ +/);
        if (words[0]?.startsWith("cpu") === true) expect(words).toHaveLength(11);
        if (words[0] === "softirq") expect(words).toHaveLength(12);
      }
    }
  });

  test("loadavg, uptime, fdinfo and limits have the host's shapes", () => {
    const loadavg = /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/;
    expect(ours("/proc/loadavg")).toMatch(loadavg);
    expect(host("/proc/loadavg")).toMatch(loadavg);
    const uptime = /^\d+\.\d\d \d+\.\d\d\n$/;
    expect(ours("/proc/uptime")).toMatch(uptime);
    expect(host("/proc/uptime")).toMatch(uptime);
    const fdinfo = /^pos:\t\d+\nflags:\t0[0-7]+\nmnt_id:\t\d+\nino:\t\d+\n/;
    const fd = init.open("/", O_RDONLY);
    expect(ours(`/proc/self/fdinfo/${fd}`)).toMatch(fdinfo);
    init.close(fd);
    expect(host("/proc/self/fdinfo/0")).toMatch(fdinfo);
    const limitsHeader = (text: string): string => text.split("\n")[0] ?? "";
    expect(limitsHeader(ours("/proc/self/limits"))).toBe(limitsHeader(host("/proc/self/limits")));
  });
});
