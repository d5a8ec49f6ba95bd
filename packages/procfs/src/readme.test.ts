// The README's example, run as a test (keep the two in step).
import { expect, test } from "vitest";
import { O_RDONLY } from "@vfskit/abi";
import { Kernel } from "@vfskit/kernel";
import { fakeHostInfo, registerProcfs } from "./index.js";

test("README example", () => {
  const log: string[] = [];
  const console = { log: (text: string) => log.push(text) };

  // --- README example begins ---
  const kernel = Kernel.create();
  registerProcfs(kernel, { hostInfo: fakeHostInfo({ cpus: 4 }) });
  const init = kernel.init;
  init.mkdir("/proc", 0o555);
  init.mount("proc", "/proc", "proc", 0, "");

  const child = init.fork({ comm: "worker" });
  const fd = child.open("/proc/self/status", O_RDONLY);
  const buf = new Uint8Array(4096);
  const text = new TextDecoder().decode(buf.subarray(0, child.read(fd, buf)));
  child.close(fd);
  console.log(text.split("\n").slice(0, 3).join(" | ")); // Name:	worker | Umask:	0022 | State:	R (running)
  console.log(init.readlink("/proc/self")); // 1
  console.log(init.readlink(`/proc/${child.pid}/cwd`)); // /

  child.exit(0);
  init.wait4(child.pid);
  kernel.shutdown();
  // --- README example ends ---

  expect(log).toEqual(["Name:\tworker | Umask:\t0022 | State:\tR (running)", "1", "/"]);
});
