// No leaked references after tasks come and go with /proc in use, and dentries of reaped
// tasks leave the cache.
import { O_RDONLY } from "@vfskit/abi";
import { expect, test } from "vitest";
import { ProcFilesystem } from "./filesystem.js";
import { bootProc } from "./testing-fixtures/proc-kernel.js";

test("1,000 tasks started and exited, /proc listed and their files opened in between: nothing leaks", () => {
  const p = bootProc();
  try {
    const { init } = p;
    const procfs = init.fsContext.root().mount.fs; // resolved below through /proc itself
    void procfs;
    const fd = init.open("/proc", O_RDONLY);
    const fs = init.fdTable.get(fd)?.mount().fs.impl;
    init.close(fd);
    expect(fs).toBeInstanceOf(ProcFilesystem);
    const proc = fs as ProcFilesystem;
    for (let i = 0; i < 1000; i++) {
      const child = init.fork();
      const status = child.open("/proc/self/status", O_RDONLY);
      child.read(status, new Uint8Array(4096));
      child.readlink(`/proc/${child.pid}/fd/${status}`);
      child.close(status);
      init.stat(`/proc/${child.pid}/task/${child.pid}/stat`);
      child.exit(0);
      init.wait4(child.pid);
      if (i % 100 === 0) expect(p.list("/proc")).toEqual(expect.arrayContaining(["self", "1"]));
    }
    p.list("/proc");
    // Only init's entries may still be cached; every reaped task's dentries are gone.
    expect(proc.taskDirectoryCount()).toBeLessThanOrEqual(2);
    expect(p.list("/proc").filter((n) => /^\d+$/.test(n))).toEqual(["1"]);
  } finally {
    p.shutdown(); // the leak checker then finds every counted object back at its baseline
  }
});
