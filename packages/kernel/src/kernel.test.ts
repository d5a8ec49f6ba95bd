import { O_CREAT, O_RDWR } from "@vfskit/abi";
import { UserNamespace } from "@vfskit/auth";
import { TestFilesystemType } from "@vfskit/vfs/testing";
import { ContextKey } from "@vfskit/vfs";
import { describe, expect, test } from "vitest";
import { PIDNamespace, PID_MAX, RESERVED_PIDS } from "./pid-namespace.js";
import { boot, expectErrno, expectErrnoAsync, readText, withKernel, writeFile } from "./testing-fixtures/harness.js";
import type { Task } from "./task.js";

describe("Kernel", () => {
  test("boots on tmpfs by default, or on another registered type", () => {
    withKernel((k, init) => {
      expect(init.statfs("/").type).toBe(0x01021994);
      expect(k.vfs.procFilesystems()).toContain("nodev\ttmpfs");
      expect(k.vfs.procFilesystems()).toContain("nodev\tpipefs");
      expect(init.stat("/").mode & 0o7777).toBe(0o755);
    }, { rootData: "mode=755" });
    withKernel((_k, init) => {
      writeFile(init, "/on-testfs", "t");
      expect(readText(init, "/on-testfs")).toBe("t");
    }, { rootFilesystem: "testfs" });
    expectErrno(() => boot({ rootFilesystem: "nosuchfs" }), "ENODEV");
  });

  test("a type registered as tmpfs by the hook is used instead of the kernel's", () => {
    withKernel((_k, init) => {
      expect(init.fsContext.root().mount.fs.fsType.name()).toBe("testfs");
    }, {
      registerFilesystems(vfs) {
        vfs.registerFilesystemType("tmpfs", new TestFilesystemType(), { allowUserMount: true });
      },
    });
  });

  test("clocks: boot time, uptime, task start times", () => {
    withKernel((k, init) => {
      expect(k.bootTime).toEqual({ sec: 1_700_000_000, nsec: 0 });
      const up = k.uptimeNs();
      expect(up).toBeGreaterThan(0);
      expect(k.uptimeNs()).toBeGreaterThan(up);
      expect(init.startTimeSinceBootNs).toBeGreaterThan(0);
    });
  });

  test("context values given at boot reach every task's context", () => {
    const key = new ContextKey<string>("test.key");
    withKernel((_k, init) => {
      expect(init.ctx.value(key)).toBe("hello");
      const child = init.fork();
      expect(child.ctx.value(key)).toBe("hello");
      child.exit(0);
      init.wait4(child.pid);
    }, { contextValues: [[key, "hello"]] });
  });

  test("shutdown exits and reaps every task and releases everything; a second call does nothing", async () => {
    const k = boot();
    const init = k.init;
    const a = init.fork();
    const b = a.fork();
    const [r, w] = b.pipe2();
    init.mkdir("/m", 0o755);
    init.mount("none", "/m", "tmpfs", 0);
    const fd = a.open("/m/file", O_CREAT | O_RDWR, 0o644);
    b.chdir("/m");
    const pending = b.readAsync(r, new Uint8Array(1));
    const zombie = init.fork();
    zombie.exit(3);
    k.shutdown();
    await expectErrnoAsync(pending, "EINTR");
    expect(k.isShutDown).toBe(true);
    expect(k.tasks()).toEqual([]);
    for (const t of [init, a, b, zombie]) expect(t.state).toBe("dead");
    k.shutdown();
    void w;
    void fd;
  });

  test("a pipe's path is pipe:[ino]", () => {
    withKernel((k, init) => {
      const [r, w] = init.pipe2();
      const file = init.fdTable.get(r);
      const ino = init.fstat(r).ino;
      expect(k.vfs.pathnameWithDeleted(init.ctx, init.fsContext.root(), (file as NonNullable<typeof file>).vd)).toBe(`pipe:[${ino}]`);
      init.close(r);
      init.close(w);
    });
  });
});

describe("PIDNamespace", () => {
  test("allocates cyclically, skips PIDs in use, wraps to RESERVED_PIDS", () => {
    withKernel((k, init) => {
      const ns = k.pidNamespace;
      expect(ns).toBeInstanceOf(PIDNamespace);
      const children: Task[] = [];
      for (let i = 0; i < 3; i++) children.push(init.fork());
      expect(children.map((c) => c.pid)).toEqual([2, 3, 4]);
      const [c2] = children;
      c2?.exit(0);
      init.wait4(2);
      // PID 2 is free again but allocation goes on from the last one.
      const next = init.fork();
      expect(next.pid).toBe(5);
      expect(ns.task(2)).toBeUndefined();
      expect(ns.tasks().map((t) => t.pid)).toEqual([1, 3, 4, 5]);
      for (const t of [...children.slice(1), next]) {
        t.exit(0);
        init.wait4(t.pid);
      }
    });
  });

  test("wraps around after PID_MAX - 1", () => {
    const fake = { pid: 0 } as unknown as Task;
    const ns = new PIDNamespace(UserNamespace.root());
    // Burn PIDs up to the top, then check the wrap (no kernel tasks are involved).
    for (let pid = 1; pid < PID_MAX; pid++) ns.allocate(fake);
    for (let pid = RESERVED_PIDS; pid < PID_MAX; pid++) if (pid !== RESERVED_PIDS + 1) ns.release(pid);
    expect(ns.allocate(fake)).toBe(RESERVED_PIDS);
    expect(ns.allocate(fake)).toBe(RESERVED_PIDS + 2);
  });

  test("fork fails with EAGAIN when no PID is free", () => {
    withKernel((k, init) => {
      const fake = { pid: 0 } as unknown as Task;
      const burned: number[] = [];
      while (k.pidNamespace.size < PID_MAX - 1) burned.push(k.pidNamespace.allocate(fake));
      expectErrno(() => init.fork(), "EAGAIN");
      for (const pid of burned) k.pidNamespace.release(pid);
      const child = init.fork();
      child.exit(0);
      init.wait4(child.pid);
    });
  });
});

