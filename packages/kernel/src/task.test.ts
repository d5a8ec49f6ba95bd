import {
  FD_CLOEXEC,
  F_GETFD,
  O_CLOEXEC,
  O_CREAT,
  O_RDONLY,
  O_WRONLY,
  SIGCHLD,
  SIGTERM,
  SIGXFSZ,
} from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { RLIMIT_FSIZE, RLIMIT_NOFILE, RLIM_INFINITY } from "./limits.js";
import { TaskKey, taskFromContext } from "./task-base.js";
import { bytes, expectErrno, expectErrnoAsync, readText, userCreds, withKernel, withKernelAsync, writeFile } from "./testing-fixtures/harness.js";

describe("tasks", () => {
  test("init is PID 1; fork gives increasing PIDs, a parent, copies of the FD table and FS context", () => {
    withKernel((k, init) => {
      expect(init.pid).toBe(1);
      expect(init.tid).toBe(1);
      expect(init.ppid).toBe(0);
      expect(init.comm).toBe("init");
      const fd = init.open("/f", O_CREAT | O_WRONLY | O_CLOEXEC, 0o644);
      init.umask(0o027);
      init.mkdir("/d", 0o777);
      init.chdir("/d");
      const child = init.fork();
      expect(child.pid).toBe(2);
      expect(child.parent).toBe(init);
      expect(child.ppid).toBe(1);
      expect(init.children()).toEqual([child]);
      expect(k.task(2)).toBe(child);
      expect(k.tasks()).toEqual([init, child]);
      // Same number, same flags, same description.
      expect(child.fdTable.get(fd)).toBe(init.fdTable.get(fd));
      expect(child.fcntl(fd, F_GETFD)).toBe(FD_CLOEXEC);
      expect(child.getcwd()).toBe("/d");
      expect(child.umask(0)).toBe(0o027);
      // Independent afterwards.
      child.close(fd);
      expect(init.fcntl(fd, F_GETFD)).toBe(FD_CLOEXEC);
      child.chdir("/");
      expect(init.getcwd()).toBe("/d");
      expect(init.umask(0o022)).toBe(0o027);
      const writer = init.fdTable.get(fd);
      expect(writer?.refCount).toBe(1);
      init.close(fd);
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("exit makes a zombie until the parent waits; SIGCHLD goes to the parent", () => {
    withKernel((k, init) => {
      const child = init.fork();
      const [r, w] = child.pipe2();
      child.exit(300);
      expect(child.state).toBe("zombie");
      expect(child.exitCode).toBe(300 & 0xff);
      // Its descriptors are closed: the pipe is gone entirely.
      expect(() => child.fdTable).toThrow(/exited/);
      expect(init.pendingSignals()).toContain(SIGCHLD);
      expect(k.task(child.pid)).toBe(child);
      const result = init.wait4(-1);
      expect(result).toEqual({ pid: child.pid, status: (300 & 0xff) << 8, exitCode: 300 & 0xff });
      expect(child.state).toBe("dead");
      expect(k.task(child.pid)).toBeUndefined();
      expect(init.children()).toEqual([]);
      expect(() => child.open("/", O_RDONLY)).toThrow(/exited/);
      void r;
      void w;
    });
  });

  test("wait4: ECHILD without matching children, EAGAIN or undefined while they run, EINVAL for groups", () => {
    withKernel((_k, init) => {
      expectErrno(() => init.wait4(-1), "ECHILD");
      const child = init.fork();
      expectErrno(() => init.wait4(child.pid + 1), "ECHILD");
      expect(init.wait4(child.pid, { nohang: true })).toBeUndefined();
      expectErrno(() => init.wait4(child.pid), "EAGAIN");
      expectErrno(() => init.wait4(0), "EINVAL");
      child.exit(7);
      expect(init.wait4(child.pid)?.exitCode).toBe(7);
      expectErrno(() => init.wait4(child.pid), "ECHILD");
    });
  });

  test("orphans are reparented to init, which reaps them", () => {
    withKernel((_k, init) => {
      const parent = init.fork();
      const child = parent.fork();
      const grandchild = child.fork();
      child.exit(1); // a zombie child of parent
      parent.exit(0);
      // parent's children (the zombie `child`) went to init; so did grandchild's parent.
      expect(child.parent).toBe(init);
      expect(grandchild.parent).toBe(init);
      expect(new Set(init.children())).toEqual(new Set([parent, child, grandchild]));
      expect(init.wait4(child.pid)?.exitCode).toBe(1);
      expect(init.wait4(parent.pid)?.exitCode).toBe(0);
      grandchild.exit(2);
      expect(init.wait4(-1)?.pid).toBe(grandchild.pid);
      expectErrno(() => init.wait4(-1), "ECHILD");
    });
  });

  test("waitAsync waits for a child; a signal interrupts it", async () => {
    await withKernelAsync(async (_k, init) => {
      const child = init.fork();
      const waiting = init.waitAsync(-1);
      await Promise.resolve();
      child.exit(5);
      expect(await waiting).toMatchObject({ pid: child.pid, exitCode: 5 });
      await expectErrnoAsync(init.waitAsync(-1), "ECHILD");
      const other = init.fork();
      const listeners = new Set<() => void>();
      const signal = {
        aborted: false,
        addEventListener: (_t: "abort", l: () => void) => void listeners.add(l),
        removeEventListener: (_t: "abort", l: () => void) => void listeners.delete(l),
      };
      const interrupted = init.waitAsync(other.pid, { signal });
      signal.aborted = true;
      for (const l of listeners) l();
      await expectErrnoAsync(interrupted, "EINTR");
      other.exit(0);
      await init.waitAsync(other.pid);
    });
  });

  test("comm keeps 15 bytes (TASK_COMM_LEN 16 with the NUL), cut at a whole character", () => {
    withKernel((_k, init) => {
      const child = init.fork({ comm: "a-rather-long-command-name" });
      expect(child.comm).toBe("a-rather-long-c");
      child.setComm("0123456789abcdef");
      expect(child.comm).toBe("0123456789abcde");
      child.setComm("ééééééééé"); // 2 bytes each: 7 fit in 15
      expect(child.comm).toBe("ééééééé");
      child.setComm("short");
      expect(child.comm).toBe("short");
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("execve needs execute permission only, not read (Linux's open_exec; host-checked)", () => {
    withKernel((_k, init) => {
      writeFile(init, "/exec-only", "#!", 0o711);
      writeFile(init, "/read-only", "#!", 0o644);
      writeFile(init, "/private", "#!", 0o700);
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.open("/exec-only", O_RDONLY), "EACCES");
      user.execve("/exec-only", ["exec-only"], []);
      expect(user.comm).toBe("exec-only");
      expectErrno(() => user.execve("/read-only", [], []), "EACCES");
      expectErrno(() => user.execve("/private", [], []), "EACCES");
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("execve closes close-on-exec descriptors, sets comm, argv, envp and the executable", () => {
    withKernel((k, init) => {
      writeFile(init, "/prog-with-a-long-name", "#!", 0o755);
      writeFile(init, "/data", "x", 0o644);
      const keep = init.open("/data", O_RDONLY);
      const drop = init.open("/data", O_RDONLY | O_CLOEXEC);
      const child = init.fork();
      child.execve("/prog-with-a-long-name", ["prog", "-v"], ["A=1"]);
      expect(child.comm).toBe("prog-with-a-lon");
      expect(child.argv).toEqual(["prog", "-v"]);
      expect(child.envp).toEqual(["A=1"]);
      expect(child.fdTable.get(keep)).toBeDefined();
      expect(child.fdTable.get(drop)).toBeUndefined();
      expect(k.vfs.pathnameWithDeleted(child.ctx, child.fsContext.root(), child.executable as NonNullable<typeof child.executable>)).toBe("/prog-with-a-long-name");
      // Not executable, not regular.
      expectErrno(() => child.execve("/data", [], []), "EACCES");
      expectErrno(() => child.execve("/", [], []), "EACCES");
      expectErrno(() => child.execve("/missing", [], []), "ENOENT");
      // The executable is inherited by fork.
      const grandchild = child.fork();
      expect(grandchild.executable?.dentry).toBe(child.executable?.dentry);
      grandchild.exit(0);
      child.wait4(grandchild.pid);
      child.exit(0);
      init.wait4(child.pid);
      init.close(keep);
      init.close(drop);
    });
  });

  test("credentials are replaced, not mutated; open files keep the opener's", () => {
    withKernel((_k, init) => {
      const child = init.fork();
      const before = child.credentials;
      const fd = child.open("/", O_RDONLY);
      child.setCredentials(userCreds(child, 1000));
      expect(child.credentials).not.toBe(before);
      expect(child.credentials.effectiveKUID).toBe(1000);
      expect(child.fdTable.get(fd)?.credentials()).toBe(before);
      expect(init.credentials).toBe(before);
      expect(child.ctx.credentials).toBe(child.credentials);
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("the task context carries the task, its namespace, root and file-size limit", () => {
    withKernel((k, init) => {
      expect(taskFromContext(init.ctx)).toBe(init);
      expect(init.ctx.value(TaskKey)).toBe(init);
      expect(taskFromContext(k.ctx)).toBeUndefined();
      expect(init.mountNamespace).toBe(k.rootMountNamespace);
    });
  });

  test("RLIMIT_NOFILE: EMFILE at the limit; raising the hard limit needs CAP_SYS_RESOURCE", () => {
    withKernel((_k, init) => {
      expect(init.getrlimit(RLIMIT_NOFILE)).toEqual({ cur: 1024, max: 4096 });
      init.setrlimit(RLIMIT_NOFILE, { cur: 3, max: 4096 });
      const fds = [init.open("/", O_RDONLY), init.open("/", O_RDONLY), init.open("/", O_RDONLY)];
      expect(fds).toEqual([0, 1, 2]);
      expectErrno(() => init.open("/", O_RDONLY), "EMFILE");
      // EMFILE comes before the lookup, as in Linux (the number is reserved first).
      expectErrno(() => init.open("/missing", O_RDONLY), "EMFILE");
      expectErrno(() => init.dup(0), "EMFILE");
      expectErrno(() => init.setrlimit(RLIMIT_NOFILE, { cur: 10, max: 5 }), "EINVAL");
      expectErrno(() => init.setrlimit(RLIMIT_NOFILE, { cur: 10, max: 2_000_000 }), "EPERM");
      expectErrno(() => init.getrlimit(99), "EINVAL");
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      user.setrlimit(RLIMIT_NOFILE, { cur: 100, max: 100 });
      expectErrno(() => user.setrlimit(RLIMIT_NOFILE, { cur: 100, max: 200 }), "EPERM");
      user.exit(0);
      init.wait4(user.pid);
      for (const fd of fds) init.close(fd);
    });
  });

  test("RLIMIT_FSIZE: a write past it is EFBIG and sends SIGXFSZ", () => {
    withKernel((_k, init) => {
      init.setrlimit(RLIMIT_FSIZE, { cur: 10, max: RLIM_INFINITY });
      const fd = init.open("/big", O_CREAT | O_WRONLY, 0o644);
      expect(init.write(fd, new Uint8Array(16))).toBe(10);
      expectErrno(() => init.write(fd, new Uint8Array(1)), "EFBIG");
      expect(init.pendingSignals()).toEqual([SIGXFSZ]);
      expectErrno(() => init.ftruncate(fd, 11), "EFBIG");
      expect(init.pendingSignals()).toEqual([SIGXFSZ, SIGXFSZ]);
      init.clearSignals();
      expect(init.signalLog()).toEqual([]);
      init.close(fd);
    });
  });

  test("I/O counters and system time", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "12345");
      expect(readText(init, "/f")).toBe("12345");
      const io = init.ioCounters();
      expect(io.wchar).toBe(5);
      expect(io.rchar).toBe(5);
      expect(io.syscw).toBe(1);
      expect(io.syscr).toBe(2); // the data, then the 0 at end of file
      const cpu = init.cpuTimes();
      expect(cpu.utimeNs).toBe(0);
      expect(cpu.stimeNs).toBeGreaterThan(0);
      const child = init.fork();
      expect(child.ioCounters()).toEqual({ rchar: 0, wchar: 0, syscr: 0, syscw: 0 });
      expect(child.startTimeSinceBootNs).toBeGreaterThan(init.startTimeSinceBootNs);
      expect(child.startTime).toEqual({ sec: 1_700_000_000, nsec: 0 });
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("kill records a signal; EPERM across users, ESRCH for unknown PIDs", () => {
    withKernel((_k, init) => {
      const a = init.fork();
      const b = init.fork();
      a.setCredentials(userCreds(a, 1000));
      b.setCredentials(userCreds(b, 1001));
      init.kill(a.pid, SIGTERM);
      expect(a.signalLog()).toEqual([{ signo: SIGTERM, reason: "kill", senderPid: 1 }]);
      expectErrno(() => a.kill(b.pid, SIGTERM), "EPERM");
      a.kill(a.pid, 0);
      expectErrno(() => a.kill(9999, 0), "ESRCH");
      expectErrno(() => a.kill(b.pid, 65), "EINVAL");
      expectErrno(() => a.kill(-1, SIGTERM), "EINVAL");
      a.exit(0);
      b.exit(0);
      init.wait4(a.pid);
      init.wait4(b.pid);
    });
  });

  test("uname, sethostname (EPERM for users, EINVAL over 64 bytes) and the change poller", () => {
    withKernel((k, init) => {
      expect(init.uname()).toMatchObject({ sysname: "Linux", nodename: "localhost", machine: "x86_64", domainname: "(none)" });
      const seq = k.uts.hostnamePoller.sequence;
      const events: number[] = [];
      k.uts.hostnamePoller.queue.register({ notify: (e) => events.push(e) }, 0xff);
      init.sethostname("box");
      expect(init.uname().nodename).toBe("box");
      expect(k.uts.hostnamePoller.sequence).toBe(seq + 1);
      expect(events.length).toBe(1);
      expectErrno(() => init.sethostname("x".repeat(65)), "EINVAL");
      init.sethostname("x".repeat(64));
      init.setdomainname("example");
      expect(init.uname().domainname).toBe("example");
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expectErrno(() => user.sethostname("x"), "EPERM");
      expectErrno(() => user.sethostname("x".repeat(65)), "EPERM");
      user.exit(0);
      init.wait4(user.pid);
    });
  });

  test("a write's bytes are counted once", () => {
    withKernel((_k, init) => {
      const [r, w] = init.pipe2();
      init.write(w, bytes("abc"));
      init.writev(w, [bytes("d"), bytes("ef")]);
      const buf = new Uint8Array(3);
      init.readv(r, [buf.subarray(0, 1), buf.subarray(1)]);
      expect([...buf]).toEqual([...bytes("abc")]);
      expect(init.ioCounters()).toEqual({ rchar: 3, wchar: 6, syscr: 1, syscw: 2 });
      init.close(r);
      init.close(w);
    });
  });
});
