import { DT_DIR, DT_LNK, DT_REG, O_RDONLY, O_RDWR, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT, SysError } from "@vfskit/abi";
import { expectErrno } from "@vfskit/vfs/testing";
import { afterEach, describe, expect, it } from "vitest";
import type { SysfsDevice } from "./devices.js";
import { SysFilesystemType } from "./sysfs.js";
import { createSysHarness, type SysHarness } from "./testing-fixtures/harness.js";

let h: SysHarness | undefined;
afterEach(() => {
  h?.release();
  h = undefined;
});

function brightnessDevice(log: string[]): SysfsDevice {
  let brightness = 3;
  return {
    path: "platform/backlight0",
    class: "backlight",
    bus: "platform",
    attributes: [
      ["max_brightness", "10\n"],
      [
        "brightness",
        {
          show: () => `${brightness}\n`,
          store: (_ctx, data) => {
            const text = new TextDecoder().decode(data).trim();
            const value = Number(text);
            if (!/^[0-9]+$/.test(text) || value > 10) throw new SysError("EINVAL", { syscall: "write" });
            brightness = value;
            log.push(text);
          },
        },
      ],
      ["trigger", { store: (_ctx, data) => void log.push(`trigger ${data.length}`) }],
    ],
  };
}

describe("devices (the extension point)", () => {
  it("adds a class device like Linux's /dev/null: class link, dev link, dev and subsystem", () => {
    const s = (h = createSysHarness({ devices: [{ path: "virtual/mem/null", class: "mem", dev: { type: "char", major: 1, minor: 3 } }] }));
    // The host's links, byte for byte.
    expect(s.readlink("/sys/class/mem/null")).toBe("../../devices/virtual/mem/null");
    expect(s.readlink("/sys/dev/char/1:3")).toBe("../../devices/virtual/mem/null");
    expect(s.readlink("/sys/devices/virtual/mem/null/subsystem")).toBe("../../../../class/mem");
    expect(s.read("/sys/devices/virtual/mem/null/dev")).toBe("1:3\n");
    // Walk through the links.
    expect(s.read("/sys/class/mem/null/dev")).toBe("1:3\n");
    expect(s.read("/sys/dev/char/1:3/dev")).toBe("1:3\n");
    expect(s.stat("/sys/class/mem/null").ino).toBe(s.stat("/sys/devices/virtual/mem/null").ino);
    expect(s.stat("/sys/devices/virtual/mem/null/subsystem").ino).toBe(s.stat("/sys/class/mem").ino);
    expect(s.names("/sys/class/mem/null/subsystem")).toEqual(["null"]);
    const link = s.stat("/sys/class/mem/null", false);
    expect(link.mode & S_IFMT).toBe(S_IFLNK);
    expect(link.mode & 0o777).toBe(0o777);
    expect(s.stat("/sys/devices/virtual/mem/null").mode).toBe(S_IFDIR | 0o755);
    expect(s.names("/sys/class")).toEqual(["power_supply", "mem"]);
    expect(s.names("/sys/devices")).toEqual(["system", "virtual"]);
    expect(s.dirents("/sys/class/mem").slice(2).map((d) => d.type)).toEqual([DT_LNK]);
    expect(s.dirents("/sys/devices/virtual/mem/null").slice(2).map((d) => [d.name, d.type])).toEqual([
      ["dev", DT_REG],
      ["subsystem", DT_LNK],
    ]);
  });

  it("adds gVisor's DMI entry with the same links (class/dmi/id -> ../../devices/virtual/dmi/id)", () => {
    const s = (h = createSysHarness({ devices: [{ path: "virtual/dmi/id", class: "dmi", attributes: [["product_name", "vfskit\n"]] }] }));
    expect(s.readlink("/sys/class/dmi/id")).toBe("../../devices/virtual/dmi/id");
    expect(s.read("/sys/class/dmi/id/product_name")).toBe("vfskit\n");
    expect(s.stat("/sys/class/dmi/id/product_name").mode & 0o777).toBe(0o444);
  });

  it("shows and stores attributes; a store's SysError is write's", () => {
    const log: string[] = [];
    const s = (h = createSysHarness({ devices: [brightnessDevice(log)] }));
    const dir = "/sys/devices/platform/backlight0";
    expect(s.readlink("/sys/bus/platform/devices/backlight0")).toBe("../../../devices/platform/backlight0");
    expect(s.readlink(`${dir}/subsystem`)).toBe("../../../bus/platform"); // the bus wins over the class
    expect(s.names("/sys/bus/platform")).toEqual(["devices", "drivers"]);
    expect(s.readlink("/sys/class/backlight/backlight0")).toBe("../../devices/platform/backlight0");
    expect(s.stat(`${dir}/brightness`).mode & 0o777).toBe(0o644);
    expect(s.stat(`${dir}/trigger`).mode & 0o777).toBe(0o200);
    expect(s.read("/sys/class/backlight/backlight0/brightness")).toBe("3\n");

    const fd = s.open(`${dir}/brightness`, O_RDWR);
    try {
      expect(fd.write(s.ctx, new TextEncoder().encode("7\n"))).toBe(2);
      expectErrno(() => fd.write(s.ctx, new TextEncoder().encode("11")), "EINVAL");
      expect(fd.seek(s.ctx, 0, 0)).toBe(0);
      const buf = new Uint8Array(8);
      expect(new TextDecoder().decode(buf.subarray(0, fd.read(s.ctx, buf)))).toBe("7\n");
    } finally {
      fd.decRef(s.ctx);
    }
    expect(log).toEqual(["7"]);

    // Write-only: reading is EACCES even for root; at most one page per write.
    expectErrno(() => s.open(`${dir}/trigger`, O_RDONLY), "EACCES");
    const w = s.open(`${dir}/trigger`, O_WRONLY);
    try {
      expect(w.write(s.ctx, new Uint8Array(5000))).toBe(4096);
    } finally {
      w.decRef(s.ctx);
    }
    expect(log).toEqual(["7", "trigger 4096"]);
    // Read-only attribute: no store → EACCES.
    expectErrno(() => s.open(`${dir}/max_brightness`, O_WRONLY), "EACCES");
    // An unprivileged user may read but not write a 0644 attribute.
    expect(s.read(`${dir}/brightness`, s.userCtx())).toBe("7\n");
    expectErrno(() => s.open(`${dir}/brightness`, O_WRONLY, s.userCtx()), "EACCES");
  });

  it("nests devices and shares parents; block devices link from dev/block", () => {
    const s = (h = createSysHarness({
      devices: [
        { path: "virtual/block/loop0", class: "block", dev: { type: "block", major: 7, minor: 0 }, attributes: [["size", "0\n"]] },
        { path: "virtual/block/loop0/queue", attributes: [["rotational", "0\n"]] },
        { path: "virtual/block/loop1", class: "block", dev: { type: "block", major: 7, minor: 1 } },
      ],
    }));
    expect(s.names("/sys/devices/virtual/block")).toEqual(["loop0", "loop1"]);
    expect(s.names("/sys/devices/virtual/block/loop0")).toEqual(["size", "dev", "subsystem", "queue"]);
    expect(s.read("/sys/class/block/loop0/queue/rotational")).toBe("0\n");
    expect(s.readlink("/sys/dev/block/7:1")).toBe("../../devices/virtual/block/loop1");
    expect(s.names("/sys/class/block")).toEqual(["loop0", "loop1"]);
    expect(s.dirents("/sys/devices/virtual/block/loop0").find((d) => d.name === "queue")?.type).toBe(DT_DIR);
    // Device directories are as read-only as the rest.
    expectErrno(() => s.vfs.unlinkAt(s.ctx, s.pop("/sys/class/block/loop0", { follow: false })), "EPERM");
  });

  it("refuses bad or conflicting descriptions when the type is created", () => {
    const bad: [string, SysfsDevice[]][] = [
      ["empty path", [{ path: "" }]],
      ["leading slash", [{ path: "/virtual/x" }]],
      ["dot-dot", [{ path: "virtual/../x" }]],
      ["inside cpu", [{ path: "system/cpu/cpu9" }]],
      ["twice", [{ path: "virtual/x" }, { path: "virtual/x" }]],
      ["attribute vs directory", [{ path: "virtual/x", attributes: [["y", "1\n"]] }, { path: "virtual/x/y" }]],
      ["class name twice", [{ path: "a/x", class: "c" }, { path: "b/x", class: "c" }]],
      ["device number twice", [{ path: "a", dev: { type: "char", major: 1, minor: 1 } }, { path: "b", dev: { type: "char", major: 1, minor: 1 } }]],
      ["bad major", [{ path: "a", dev: { type: "char", major: 4096, minor: 1 } }]],
      ["dev attribute clash", [{ path: "a", dev: { type: "char", major: 1, minor: 1 }, attributes: [["dev", "x"]] }]],
      ["bad mode", [{ path: "a", attributes: [["x", { mode: 0o4644, show: () => "" }]] }]],
      ["long name", [{ path: "a".repeat(256) }]],
    ];
    for (const [what, devices] of bad) expect(() => new SysFilesystemType({ devices }), what).toThrow(/sysfs/);
  });
});
