// The README's example, as a test.
import { O_RDONLY } from "@vfskit/abi";
import { createTestVfs } from "@vfskit/vfs/testing";
import { expect, it } from "vitest";
import { fixedSysfsHost, registerSysfs } from "./index.js";

it("runs the README example", () => {
  const out: string[] = [];
  const log = (s: string) => out.push(s);

  const t = createTestVfs();
  registerSysfs(t.vfs, {
    host: fixedSysfsHost(4),
    devices: [{ path: "virtual/mem/null", class: "mem", dev: { type: "char", major: 1, minor: 3 } }],
  });
  t.mkdirp("/sys", 0o555);
  t.vfs.mountAt(t.ctx, "sysfs", t.pop("/sys"), "sysfs", {});

  log(t.readText("/sys/devices/system/cpu/online"));
  log(t.readText("/sys/devices/system/cpu/cpu2/topology/core_cpus"));
  log(t.vfs.readlinkAt(t.ctx, t.pop("/sys/class/mem/null", { follow: false })));
  log(t.readText("/sys/dev/char/1:3/dev"));

  const fd = t.vfs.openAt(t.ctx, t.pop("/sys/devices"), { flags: O_RDONLY, mode: 0 });
  fd.iterDirents(t.ctx, (d) => (log(d.name), true));
  fd.decRef(t.ctx);

  t.release();
  expect(out).toEqual(["0-3\n", "4\n", "../../devices/virtual/mem/null", "1:3\n", ".", "..", "system", "virtual"]);
});
