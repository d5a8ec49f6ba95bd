import { MNT_DETACH, O_RDONLY, SYSFS_MAGIC, TMPFS_MAGIC } from "@vfskit/abi";
import { expectErrno } from "@vfskit/vfs/testing";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_CACHED_DENTRIES, SysFilesystem } from "./filesystem.js";
import { createSysHarness, type SysHarness } from "./testing-fixtures/harness.js";

let h: SysHarness | undefined;
afterEach(() => {
  h?.release();
  h = undefined;
});

const fsOf = (s: SysHarness) => s.sysMount.fs.impl as SysFilesystem;

describe("mount options", () => {
  it("dentry_cache_limit defaults to 1000 and is not shown (Linux shows no sysfs option)", () => {
    const s = (h = createSysHarness());
    expect(fsOf(s)).toBeInstanceOf(SysFilesystem);
    expect(fsOf(s).maxCachedDentries).toBe(DEFAULT_MAX_CACHED_DENTRIES);
    expect(fsOf(s).mountOptions()).toBe("");
  });

  it("dentry_cache_limit=N sets the cache and is shown", () => {
    const s = (h = createSysHarness({}, "dentry_cache_limit=5"));
    expect(fsOf(s).maxCachedDentries).toBe(5);
    expect(fsOf(s).mountOptions()).toBe("dentry_cache_limit=5");
    for (let i = 0; i < 3; i++) s.read("/sys/devices/system/cpu/online");
    expect(fsOf(s).cachedDentryCount()).toBeLessThanOrEqual(5);
  });

  it("dentry_cache_limit=0 caches nothing", () => {
    const s = (h = createSysHarness({}, "dentry_cache_limit=0"));
    s.read("/sys/devices/system/cpu/cpu0/topology/core_id");
    expect(fsOf(s).cachedDentryCount()).toBe(0);
  });

  it.each(["dentry_cache_limit=", "dentry_cache_limit", "dentry_cache_limit=-1", "dentry_cache_limit=0x10", "dentry_cache_limit=1k", "dentry_cache_limit=18446744073709551616", "foo=1", "mode=755"])(
    "%s is EINVAL",
    (data) => {
      expectErrno(() => createSysHarness({}, data), "EINVAL");
    },
  );

  it("accepts the generic superblock flags and the largest uint64", () => {
    const s = (h = createSysHarness({}, "rw,dentry_cache_limit=18446744073709551615"));
    expect(fsOf(s).maxCachedDentries).toBeGreaterThan(1e18);
  });

  it("appears in /proc/mounts as sysfs", () => {
    const s = (h = createSysHarness());
    const text = s.vfs.generateProcMounts(s.ctx, s.root);
    expect(text).toContain("sysfs /sys sysfs rw,relatime 0 0");
    s.mkdirp("/sys2");
    s.vfs.mountAt(s.ctx, "sysfs", s.pop("/sys2"), "sysfs", { getFilesystemOptions: { data: "dentry_cache_limit=7" } });
    expect(s.vfs.generateProcMounts(s.ctx, s.root)).toContain("sysfs /sys2 sysfs rw,relatime,dentry_cache_limit=7");
  });
});

describe("statfs", () => {
  it("is SYSFS_MAGIC for directories, files and links (gVisor: ENOSYS for static files)", () => {
    const s = (h = createSysHarness({ devices: [{ path: "virtual/misc/x", class: "misc" }] }));
    for (const p of ["/sys", "/sys/devices/system/cpu/online", "/sys/devices/system/cpu/cpu0/topology/core_id", "/sys/fs/cgroup", "/sys/class/misc/x"]) {
      const st = s.vfs.statFSAt(s.ctx, s.pop(p));
      expect(st.type, p).toBe(SYSFS_MAGIC);
      expect(st.bsize).toBe(4096);
      expect(st.namelen).toBe(255);
      expect(st.blocks).toBe(0);
    }
  });
});

describe("fs/cgroup as a mount point", () => {
  it("takes a mount, which then answers statfs (a testfs reports TMPFS_MAGIC, as cgroup v1's tmpfs)", () => {
    const s = (h = createSysHarness());
    s.mountTestfs("/sys/fs/cgroup");
    expect(s.vfs.statFSAt(s.ctx, s.pop("/sys/fs/cgroup")).type).toBe(TMPFS_MAGIC);
    s.mkdirp("/sys/fs/cgroup/unified");
    s.writeFile("/sys/fs/cgroup/unified/cgroup.procs", "1\n");
    expect(s.readText("/sys/fs/cgroup/unified/cgroup.procs")).toBe("1\n");
    expect(s.names("/sys/fs/cgroup")).toEqual(["unified"]);
    // `..` leaves the mount back into sysfs.
    expect(s.stat("/sys/fs/cgroup/..").ino).toBe(s.stat("/sys/fs").ino);
    expectErrno(() => s.vfs.rmdirAt(s.ctx, s.pop("/sys/fs/cgroup", { follow: false })), "EBUSY");
    s.vfs.umountAt(s.ctx, s.pop("/sys/fs/cgroup"), { flags: 0 });
    expect(s.vfs.statFSAt(s.ctx, s.pop("/sys/fs/cgroup")).type).toBe(SYSFS_MAGIC);
    expect(s.names("/sys/fs/cgroup")).toEqual([]);
  });

  it("sysfs itself unmounts; busy while a file is open, detachable", () => {
    const s = (h = createSysHarness());
    const fd = s.vfs.openAt(s.ctx, s.pop("/sys/devices/system/cpu/online"), { flags: O_RDONLY, mode: 0 });
    try {
      expectErrno(() => s.vfs.umountAt(s.ctx, s.pop("/sys"), { flags: 0 }), "EBUSY");
      s.vfs.umountAt(s.ctx, s.pop("/sys"), { flags: MNT_DETACH });
      const buf = new Uint8Array(16);
      expect(fd.read(s.ctx, buf)).toBe(2);
    } finally {
      fd.decRef(s.ctx);
    }
    expect(s.names("/sys")).toEqual([]);
  });

  it("each mount is a new tree", () => {
    const s = (h = createSysHarness());
    s.mkdirp("/sys2");
    s.vfs.mountAt(s.ctx, "sysfs", s.pop("/sys2"), "sysfs", {});
    expect(s.stat("/sys2").devMinor).not.toBe(s.stat("/sys").devMinor);
    expect(s.read("/sys2/devices/system/cpu/online")).toBe("0\n");
  });
});
