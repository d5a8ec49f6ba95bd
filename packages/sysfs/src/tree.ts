// The shape of /sys, planned as data first (so that every configuration error is found
// before an inode exists) and then built into inodes at mount time. Twin of GetFilesystem,
// cpuDir and kernelDir in gVisor's pkg/sentry/fsimpl/sys/sys.go.
import type { Inode } from "@vfskit/kernfs";
import { InternalError, exceedsNameMax, type Context } from "@vfskit/vfs";
import { formatCPUList, formatCPUMask } from "./cpumask.js";
import type { SysfsAttribute, SysfsDevice } from "./devices.js";
import type { SysFilesystem } from "./filesystem.js";
import { checkCPUCount, checkTopology, type CPUTopology, type SysfsHost } from "./host.js";
import {
  DIR_MODE,
  FILE_MODE,
  READONLY_DIR_MODE,
  SysAttributeFile,
  SysDirectory,
  SysEmptyDirectory,
  SysSymlink,
  type AttributeOps,
} from "./inodes.js";

type Leaf = (ctx: Context, fs: SysFilesystem, ino: number) => Inode;

/** A directory to be built: its mode and its entries in listing order. @internal */
export class DirPlan {
  readonly entries = new Map<string, DirPlan | Leaf>();
  constructor(readonly perm: number = DIR_MODE) {}

  /** The subdirectory `name`, created if missing. */
  dir(name: string, where: string): DirPlan {
    checkName(name, where);
    const existing = this.entries.get(name);
    if (existing instanceof DirPlan) return existing;
    if (existing !== undefined) throw conflict(`${where}/${name}`);
    const sub = new DirPlan();
    this.entries.set(name, sub);
    return sub;
  }

  /** Adds the non-directory (or special directory) `name`. */
  leaf(name: string, where: string, make: Leaf): void {
    checkName(name, where);
    if (this.entries.has(name)) throw conflict(`${where}/${name}`);
    this.entries.set(name, make);
  }
}

function conflict(path: string): InternalError {
  return new InternalError(`sysfs: /sys/${path.replace(/^\/+/, "")} is defined twice`);
}

function checkName(name: string, where: string): void {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0") || exceedsNameMax(name)) {
    throw new InternalError(`sysfs: bad name ${JSON.stringify(name)} in /sys/${where}`);
  }
}

const staticFile =
  (text: string): Leaf =>
  (ctx, fs, ino) =>
    new SysAttributeFile(ctx, fs, ino, FILE_MODE, { show: () => text });

const symlink =
  (target: string): Leaf =>
  (ctx, fs, ino) =>
    new SysSymlink(ctx, fs, ino, target);

/**
 * /sys/devices/system/cpu. gVisor's cpuDir has online, possible, present and per CPU
 * topology/{core_cpus,core_siblings,package_cpus,thread_siblings}; this adds what Linux
 * (drivers/base/topology.c, drivers/base/cpu.c) also shows on every architecture: the
 * `_list` twins, core_id, physical_package_id and `offline`. As gVisor (and /proc/cpuinfo)
 * by default, every CPU is its own core in package 0; a host may say otherwise.
 */
function cpuPlan(host: SysfsHost): DirPlan {
  const n = host.cpuCount();
  checkCPUCount(n);
  const topology: CPUTopology[] = [];
  const threads = new Map<string, number[]>(); // "package:core" → CPUs (SMT siblings)
  const packages = new Map<number, number[]>(); // package → CPUs
  for (let cpu = 0; cpu < n; cpu++) {
    const t = host.cpuTopology?.(cpu) ?? { packageId: 0, coreId: cpu };
    checkTopology(cpu, t);
    topology.push(t);
    const key = `${t.packageId}:${t.coreId}`;
    (threads.get(key) ?? threads.set(key, []).get(key))?.push(cpu);
    (packages.get(t.packageId) ?? packages.set(t.packageId, []).get(t.packageId))?.push(cpu);
  }
  const masks = new Map<readonly number[], { mask: string; list: string }>();
  const describe = (cpus: readonly number[]): { mask: string; list: string } => {
    let d = masks.get(cpus);
    if (d === undefined) {
      d = { mask: `${formatCPUMask(cpus, n)}\n`, list: `${formatCPUList(cpus)}\n` };
      masks.set(cpus, d);
    }
    return d;
  };

  const cpuDir = new DirPlan();
  for (let cpu = 0; cpu < n; cpu++) {
    const t = topology[cpu] as CPUTopology;
    const siblings = describe(threads.get(`${t.packageId}:${t.coreId}`) as number[]);
    const pkg = describe(packages.get(t.packageId) as number[]);
    const where = `devices/system/cpu/cpu${cpu}/topology`;
    const topo = cpuDir.dir(`cpu${cpu}`, "devices/system/cpu").dir("topology", `devices/system/cpu/cpu${cpu}`);
    topo.leaf("core_cpus", where, staticFile(siblings.mask));
    topo.leaf("core_cpus_list", where, staticFile(siblings.list));
    topo.leaf("core_id", where, staticFile(`${t.coreId}\n`));
    topo.leaf("core_siblings", where, staticFile(pkg.mask));
    topo.leaf("core_siblings_list", where, staticFile(pkg.list));
    topo.leaf("package_cpus", where, staticFile(pkg.mask));
    topo.leaf("package_cpus_list", where, staticFile(pkg.list));
    topo.leaf("physical_package_id", where, staticFile(`${t.packageId}\n`));
    topo.leaf("thread_siblings", where, staticFile(siblings.mask));
    topo.leaf("thread_siblings_list", where, staticFile(siblings.list));
  }
  // Linux prints ranges ("0" for one CPU); gVisor prints "0-%d", "0-0" for one CPU.
  const all = `${formatCPUList(Array.from({ length: n }, (_, i) => i))}\n`;
  cpuDir.leaf("offline", "devices/system/cpu", staticFile("\n"));
  cpuDir.leaf("online", "devices/system/cpu", staticFile(all));
  cpuDir.leaf("possible", "devices/system/cpu", staticFile(all));
  cpuDir.leaf("present", "devices/system/cpu", staticFile(all));
  return cpuDir;
}

function attributeOps(attr: SysfsAttribute, where: string): { perm: number; ops: AttributeOps } {
  if (typeof attr === "string") return { perm: FILE_MODE, ops: { show: () => attr } };
  const { show, store } = attr;
  const perm = attr.mode ?? (show !== undefined ? (store !== undefined ? 0o644 : FILE_MODE) : store !== undefined ? 0o200 : FILE_MODE);
  if (!Number.isInteger(perm) || (perm & ~0o777) !== 0) throw new InternalError(`sysfs: bad mode for /sys/${where}`);
  return { perm, ops: { show, store } };
}

function addDevice(root: DirPlan, device: SysfsDevice, paths: Set<string>, devNumbers: Set<string>): void {
  const segments = device.path.split("/");
  if (segments[0] === "system" && segments[1] === "cpu") throw new InternalError(`sysfs: device path ${device.path} is inside devices/system/cpu`);
  if (paths.has(device.path)) throw new InternalError(`sysfs: device ${device.path} is defined twice`);
  paths.add(device.path);
  let dir = root.dir("devices", "");
  let where = "devices";
  for (const segment of segments) {
    dir = dir.dir(segment, where);
    where = `${where}/${segment}`;
  }
  const name = segments[segments.length - 1] as string;
  const up = "../".repeat(segments.length + 1); // from the device directory to /sys

  for (const [attrName, attr] of device.attributes ?? []) {
    const { perm, ops } = attributeOps(attr, `${where}/${attrName}`);
    dir.leaf(attrName, where, (ctx, fs, ino) => new SysAttributeFile(ctx, fs, ino, perm, ops));
  }
  if (device.dev !== undefined) {
    const { type, major, minor } = device.dev;
    if (type !== "char" && type !== "block") throw new InternalError(`sysfs: bad device type for ${device.path}`);
    if (!Number.isInteger(major) || major < 0 || major > 0xfff || !Number.isInteger(minor) || minor < 0 || minor > 0xfffff) {
      throw new InternalError(`sysfs: bad device number for ${device.path}`);
    }
    const number = `${major}:${minor}`;
    if (devNumbers.has(`${type} ${number}`)) throw new InternalError(`sysfs: ${type} device ${number} is defined twice`);
    devNumbers.add(`${type} ${number}`);
    dir.leaf("dev", where, staticFile(`${number}\n`));
    root.dir("dev", "").dir(type, "dev").leaf(number, `dev/${type}`, symlink(`../../devices/${device.path}`));
  }
  if (device.bus !== undefined) {
    const bus = root.dir("bus", "").dir(device.bus, "bus");
    bus.dir("devices", `bus/${device.bus}`).leaf(name, `bus/${device.bus}/devices`, symlink(`../../../devices/${device.path}`));
    bus.dir("drivers", `bus/${device.bus}`);
  }
  if (device.class !== undefined) {
    root.dir("class", "").dir(device.class, "class").leaf(name, `class/${device.class}`, symlink(`../../devices/${device.path}`));
  }
  // Linux links a device to its subsystem: the bus if it has one, else the class.
  const subsystem = device.bus !== undefined ? `bus/${device.bus}` : device.class !== undefined ? `class/${device.class}` : undefined;
  if (subsystem !== undefined) dir.leaf("subsystem", where, symlink(`${up}${subsystem}`));
}

/**
 * Plans the whole tree of a mount (gVisor's GetFilesystem): the root 0555 (Linux; gVisor
 * 0755), every other directory 0755, attribute files 0444.
 * @throws InternalError for bad host facts or devices.
 * @internal
 */
export function planSysfs(host: SysfsHost, devices: readonly SysfsDevice[]): DirPlan {
  const root = new DirPlan(READONLY_DIR_MODE);
  for (const name of ["block", "bus", "class", "dev", "devices", "firmware", "fs", "kernel", "module", "power"]) root.dir(name, "");
  root.dir("class", "").dir("power_supply", "class");
  root.dir("dev", "").dir("block", "dev");
  root.dir("dev", "").dir("char", "dev");
  root.dir("devices", "").dir("system", "devices").entries.set("cpu", cpuPlan(host));
  // The mount point of cgroupfs, as Linux's cgroup_init makes it (gVisor: only when the
  // kernel has cgroups).
  root.dir("fs", "").leaf("cgroup", "fs", (ctx, fs, ino) => new SysEmptyDirectory(ctx, fs, ino));
  const paths = new Set<string>();
  const devNumbers = new Set<string>();
  for (const device of devices) addDevice(root, device, paths, devNumbers);
  return root;
}

/**
 * Builds the inodes of `plan`. Inode numbers go parent first, so the root is inode 1 as
 * in Linux (gVisor numbers children first).
 * @internal
 */
export function buildSysfs(ctx: Context, fs: SysFilesystem, plan: DirPlan): Inode {
  const ino = fs.nextIno();
  const children: [string, Inode][] = [];
  for (const [name, entry] of plan.entries) {
    children.push([name, entry instanceof DirPlan ? buildSysfs(ctx, fs, entry) : entry(ctx, fs, fs.nextIno())]);
  }
  return new SysDirectory(ctx, fs, ino, plan.perm, children);
}
