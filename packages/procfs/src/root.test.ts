// The /proc root: mount, inode 1, statfs, options, dirent layout, self and thread-self,
// system files (inventory §5.2; §5.8 behaviours 1–5, 8, 18).
import { O_RDONLY, O_WRONLY, PAGE_SIZE, PROC_SUPER_MAGIC, SEEK_END, SEEK_SET, DT_DIR, DT_LNK, S_IFDIR, S_IFMT } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { TGID_OFFSET } from "./root.js";
import { bootProc, expectErrno, userCreds, withProc } from "./testing-fixtures/proc-kernel.js";

describe("the proc mount", () => {
  test("stat('/proc').st_ino is 1 (behaviour 1); a directory 0555 owned by root", () => {
    withProc(({ init }) => {
      const st = init.stat("/proc");
      expect(st.ino).toBe(1);
      expect(st.mode).toBe(S_IFDIR | 0o555);
      expect(st.uid).toBe(0);
      expect(st.devMajor).toBe(0);
    });
  });

  test("stat('/proc/foobar') is ENOENT (behaviour 2); so are 01, -1 and a PID never used", () => {
    withProc(({ init }) => {
      expectErrno(() => init.stat("/proc/foobar"), "ENOENT");
      expectErrno(() => init.stat("/proc/01"), "ENOENT");
      expectErrno(() => init.stat("/proc/-1"), "ENOENT");
      expectErrno(() => init.stat("/proc/4242"), "ENOENT");
    });
  });

  test("statfs: PROC_SUPER_MAGIC, page-sized blocks, names of 255 bytes (behaviour 5), anywhere in /proc", () => {
    withProc(({ init }) => {
      for (const path of ["/proc", "/proc/self/status", "/proc/sys/kernel", "/proc/1/fd"]) {
        const s = init.statfs(path);
        expect(s.type).toBe(PROC_SUPER_MAGIC);
        expect(s.bsize).toBe(PAGE_SIZE);
        expect(s.namelen).toBe(255);
      }
    });
  });

  test("mount options: dentry_cache_limit=N is shown; anything else is EINVAL", () => {
    withProc(({ init, read }) => {
      expect(read("/proc/mounts")).toContain("proc /proc proc rw,relatime 0 0\n");
      init.mkdir("/proc2", 0o555);
      init.mount("proc", "/proc2", "proc", 0, "dentry_cache_limit=5");
      expect(read("/proc/mounts")).toContain("proc /proc2 proc rw,relatime,dentry_cache_limit=5 0 0\n");
      init.mkdir("/proc3", 0o555);
      expectErrno(() => init.mount("proc", "/proc3", "proc", 0, "dentry_cache_limit=-1"), "EINVAL");
      expectErrno(() => init.mount("proc", "/proc3", "proc", 0, "dentry_cache_limit=x"), "EINVAL");
      expectErrno(() => init.mount("proc", "/proc3", "proc", 0, "hidepid=2"), "EINVAL");
      init.umount("/proc2");
    });
  });

  test("the dirent layout: fixed entries from 2, self at 256, thread-self at 257, PIDs at 258 + pid", () => {
    withProc(({ init, dirents }) => {
      const child = init.fork();
      const list = dirents("/proc");
      expect(list.slice(0, 2).map((d) => d.name)).toEqual([".", ".."]);
      const self = list.findIndex((d) => d.name === "self");
      const fixed = list.slice(2, self);
      fixed.forEach((d, i) => expect(d.nextOff).toBe(3 + i));
      expect(fixed.map((d) => d.name)).toEqual([
        "bus", "cmdline", "cpuinfo", "devices", "filesystems", "fs", "irq", "loadavg", "meminfo", "modules", "mounts", "stat", "sys", "sysrq-trigger", "uptime", "version",
      ]);
      expect(list[self]).toMatchObject({ name: "self", type: DT_LNK, nextOff: 257 });
      expect(list[self + 1]).toMatchObject({ name: "thread-self", type: DT_LNK, nextOff: 258 });
      expect(list.slice(self + 2)).toMatchObject([
        { name: "1", type: DT_DIR, nextOff: TGID_OFFSET + 2 },
        { name: String(child.pid), type: DT_DIR, nextOff: TGID_OFFSET + child.pid + 1 },
      ]);
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("listing resumes at an offset: lseek to 258 + pid lists from that PID on", () => {
    withProc(({ init }) => {
      const a = init.fork();
      const b = init.fork();
      const fd = init.open("/proc", O_RDONLY);
      init.lseek(fd, TGID_OFFSET + b.pid, SEEK_SET);
      expect(init.getdents64(fd, 4096).map((d) => d.name)).toEqual([String(b.pid)]);
      expect(init.getdents64(fd, 4096)).toEqual([]);
      init.lseek(fd, 256, SEEK_SET);
      expect(init.getdents64(fd, 4096).map((d) => d.name)).toEqual(["self", "thread-self", "1", String(a.pid), String(b.pid)]);
      // SEEK_END of a /proc directory is offset 0 (size 0), as Linux's generic_file_llseek.
      expect(init.lseek(fd, 0, SEEK_END)).toBe(0);
      init.close(fd);
      for (const t of [a, b]) {
        t.exit(0);
        init.wait4(t.pid);
      }
    });
  });

  test("the link count is 2 + subdirectories + processes", () => {
    withProc(({ init }) => {
      const before = init.stat("/proc").nlink;
      expect(before).toBe(2 + 4 + 1); // bus fs irq sys; init
      const child = init.fork();
      expect(init.stat("/proc").nlink).toBe(before + 1);
      child.exit(0);
      init.wait4(child.pid);
      expect(init.stat("/proc").nlink).toBe(before);
    });
  });

  test("readlink of self and thread-self follows the caller (behaviour 3); every task resolves", () => {
    withProc(({ init, read }) => {
      const child = init.fork();
      expect(init.readlink("/proc/self")).toBe("1");
      expect(init.readlink("/proc/thread-self")).toBe("1/task/1");
      expect(child.readlink("/proc/self")).toBe(String(child.pid));
      expect(child.readlink("/proc/thread-self")).toBe(`${child.pid}/task/${child.pid}`);
      expect(read("/proc/self/comm", child)).toBe("init\n");
      expect(read("/proc/thread-self/comm", child)).toBe("init\n");
      expect(init.stat(`/proc/${child.pid}/task/${child.pid}`).mode & S_IFMT).toBe(S_IFDIR);
      child.exit(0);
      init.wait4(child.pid);
    });
  });

  test("readlink('/proc/mounts') is 'self/mounts' (behaviour 4) and reads the caller's mounts", () => {
    withProc(({ init, read }) => {
      expect(init.readlink("/proc/mounts")).toBe("self/mounts");
      expect(read("/proc/mounts")).toBe(read("/proc/self/mounts"));
    });
  });

  test("/proc/cpuinfo as uid 65534: open for writing and truncate are EACCES; root opens it but cannot write (behaviour 8)", () => {
    withProc(({ init }) => {
      const nobody = init.fork();
      nobody.setCredentials(userCreds(init, 65534));
      expectErrno(() => nobody.open("/proc/cpuinfo", O_WRONLY), "EACCES");
      expectErrno(() => nobody.truncate("/proc/cpuinfo", 0), "EACCES");
      const fd = init.open("/proc/cpuinfo", O_WRONLY);
      expectErrno(() => init.write(fd, new Uint8Array([1])), "EIO");
      expectErrno(() => init.pwrite64(fd, new Uint8Array([1]), 0), "EIO");
      init.close(fd);
      nobody.exit(0);
      init.wait4(nobody.pid);
    });
  });

  test("/proc/loadavg is one line of six fields (behaviour 18) with the task counts and last PID", () => {
    const p = bootProc();
    try {
      const child = p.init.fork();
      const text = p.read("/proc/loadavg");
      expect(text.split("\n")).toEqual([expect.any(String), ""]);
      expect(text.trimEnd().split(/[ /]/)).toHaveLength(6);
      expect(text).toBe(`0.00 0.00 0.00 2/2 ${child.pid}\n`);
      child.exit(0);
      expect(p.read("/proc/loadavg")).toBe(`0.00 0.00 0.00 1/2 ${child.pid}\n`);
      p.init.wait4(child.pid);
      // A minute later with one task running all along: 1 - e^(-1) of it in the 1-minute figure.
      p.clock.advance(60_120_000_000);
      expect(p.read("/proc/loadavg")).toBe(`0.63 0.18 0.06 1/1 ${child.pid}\n`);
    } finally {
      p.shutdown();
    }
  });
});
