// /proc/[pid]: magic links, fd/ and fdinfo/, comm, ns/, task/, ownership and access rules,
// ID maps, and what happens when a task exits (inventory §5.3; §5.8 behaviours 6, 7, 9–12,
// 15–17, 20, 22, 23).
import { O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_WRONLY, SEEK_END, S_IFDIR, S_IFLNK, S_IFMT } from "@vfskit/abi";
import { expect, test } from "vitest";
import { bootProc, expectErrno, readAll, userCreds, withProc } from "./testing-fixtures/proc-kernel.js";

const enc = new TextEncoder();

test("readlink of every magic link: cwd, root, exe, fd/N (files, pipes, deleted files, /proc files) and ns/*", () => {
  withProc(({ init }) => {
    init.mkdir("/work", 0o755);
    init.chdir("/work");
    expect(init.readlink("/proc/self/cwd")).toBe("/work");
    expect(init.readlink("/proc/self/root")).toBe("/");
    expectErrno(() => init.readlink("/proc/self/exe"), "ENOENT"); // init never ran execve
    const prog = init.open("/work/prog", O_WRONLY | O_CREAT, 0o755);
    init.close(prog);
    init.execve("/work/prog", ["prog"], []);
    expect(init.readlink("/proc/self/exe")).toBe("/work/prog");
    const f = init.open("/work/f", O_RDWR | O_CREAT, 0o644);
    expect(init.readlink(`/proc/self/fd/${f}`)).toBe("/work/f");
    init.unlink("/work/f");
    expect(init.readlink(`/proc/self/fd/${f}`)).toBe("/work/f (deleted)");
    const [r, w] = init.pipe2();
    expect(init.readlink(`/proc/self/fd/${r}`)).toMatch(/^pipe:\[\d+\]$/);
    // Behaviour 6: a descriptor of /proc/self/cmdline names the PID, not "self".
    const c = init.open("/proc/self/cmdline", O_RDONLY);
    expect(init.readlink(`/proc/self/fd/${c}`)).toBe("/proc/1/cmdline");
    expect(init.lstat(`/proc/self/fd/${f}`).mode).toBe(S_IFLNK | 0o700);
    expect(init.lstat(`/proc/self/fd/${r}`).mode).toBe(S_IFLNK | 0o500);
    expect(init.lstat(`/proc/self/fd/${w}`).mode).toBe(S_IFLNK | 0o300);
    expect(init.readlink("/proc/self/ns/mnt")).toBe("mnt:[4026531832]");
    expect(init.readlink("/proc/self/ns/pid")).toBe("pid:[4026531836]");
    expect(init.readlink("/proc/self/ns/user")).toBe("user:[4026531837]");
    expect(init.readlink("/proc/self/ns/uts")).toBe("uts:[4026531838]");
    expect(init.readlink("/proc/self/ns/net")).toBe("net:[4026531833]");
    // No nsfs: the namespace links cannot be followed.
    expectErrno(() => init.stat("/proc/self/ns/mnt"), "ENOENT");
    // Following magic links jumps: cwd and root lead into the tree.
    expect(init.stat("/proc/self/cwd").ino).toBe(init.stat("/work").ino);
    for (const x of [f, r, w, c]) init.close(x);
  });
});

test("behaviours 12 and 9-10: ns lists net, pid, user; task/ is 0555, seekable to the end; rmdir fails", () => {
  withProc(({ init, list }) => {
    expect(list("/proc/self/ns")).toEqual([".", "..", "net", "uts", "ipc", "pid", "pid_for_children", "user", "mnt", "cgroup", "time", "time_for_children"]);
    expect(init.lstat("/proc/self/ns/pid").mode & S_IFMT).toBe(S_IFLNK);
    expect(init.stat("/proc/self/ns").mode).toBe(S_IFDIR | 0o511);
    expect(init.stat("/proc/self/task").mode).toBe(S_IFDIR | 0o555);
    const fd = init.open("/proc/self/task", O_RDONLY);
    expect(init.lseek(fd, 0, SEEK_END)).toBe(0);
    init.close(fd);
    expect(list("/proc/self/task")).toEqual([".", "..", "1"]);
    expect(() => init.rmdir("/proc/self/task")).toThrow();
    const user = init.fork();
    user.setCredentials(userCreds(init, 1000));
    expectErrno(() => user.rmdir(`/proc/${user.pid}/task/${user.pid}`), "EACCES");
    expectErrno(() => init.stat(`/proc/1/task/${user.pid}`), "ENOENT"); // another group's TID
    user.exit(0);
    init.wait4(user.pid);
  });
});

test("behaviour 7: opening /proc/self/fd/N of a regular file with O_DIRECTORY is ENOTDIR", () => {
  withProc(({ init }) => {
    const f = init.open("/f", O_RDWR | O_CREAT, 0o644);
    expectErrno(() => init.open(`/proc/self/fd/${f}`, O_RDONLY | O_DIRECTORY), "ENOTDIR");
    init.close(f);
  });
});

test("behaviour 15: fd/ and fdinfo/ list the same descriptors, once each, at offset N + 3", () => {
  withProc(({ init, list, dirents }) => {
    const fds = [init.open("/", O_RDONLY), ...init.pipe2(), init.open("/proc", O_RDONLY)];
    init.close(fds[1] as number);
    const names = list("/proc/self/fd").slice(2);
    expect(new Set(names).size).toBe(names.length);
    expect(list("/proc/self/fdinfo").slice(2)).toEqual(names);
    expect(dirents("/proc/self/fd").slice(2).map((d) => d.nextOff)).toEqual(names.map((n) => Number(n) + 3));
    expectErrno(() => init.readlink(`/proc/self/fd/${fds[1]}`), "ENOENT");
    for (const fd of [fds[0], fds[2], fds[3]]) init.close(fd as number);
  });
});

test("behaviour 11: comm keeps 15 bytes; another process writing is EINVAL; a newline is kept as Linux keeps it", () => {
  withProc(({ init, read, write }) => {
    const child = init.fork();
    expect(write(`/proc/${child.pid}/task/${child.pid}/comm`, "0123456789abcdeXYZ", child)).toBe(18);
    expect(read(`/proc/${child.pid}/comm`)).toBe("0123456789abcde\n");
    expectErrno(() => write(`/proc/${child.pid}/comm`, "x", init), "EINVAL");
    write("/proc/self/comm", "abc\n", child);
    expect(child.comm).toBe("abc\n");
    child.exit(0);
    init.wait4(child.pid);
  });
});

test("ptrace-read access: other users' cwd, fd/, environ are EACCES; same user allowed; files owned by the effective IDs (behaviour 17)", () => {
  withProc(({ init, read }) => {
    const a = init.fork();
    a.setCredentials(userCreds(init, 1000));
    const b = init.fork();
    b.setCredentials(userCreds(init, 2000));
    expect(init.stat(`/proc/${a.pid}`).uid).toBe(1000);
    expect(init.stat(`/proc/${a.pid}/status`).uid).toBe(1000);
    expectErrno(() => b.readlink(`/proc/${a.pid}/cwd`), "EACCES");
    expectErrno(() => b.open(`/proc/${a.pid}/environ`, O_RDONLY), "EACCES");
    expectErrno(() => b.open(`/proc/${a.pid}/fd`, O_RDONLY), "EACCES"); // mode 0500
    expect(read(`/proc/${a.pid}/status`, b)).toContain("Uid:\t1000\t1000\t1000\t1000\n");
    expect(init.readlink(`/proc/${a.pid}/cwd`)).toBe("/"); // CAP_SYS_PTRACE
    const a2 = a.fork();
    expect(a2.readlink(`/proc/${a.pid}/cwd`)).toBe("/");
    a2.exit(0);
    a.wait4(a2.pid);
    for (const t of [a, b]) {
      t.exit(0);
      init.wait4(t.pid);
    }
  });
});

test("behaviour 20: a zombie's exe, cwd and root are ENOENT (Linux ≥ 4.4); its files belong to root", () => {
  withProc(({ init }) => {
    const child = init.fork();
    child.setCredentials(userCreds(init, 1000));
    child.exit(0);
    expectErrno(() => init.readlink(`/proc/${child.pid}/exe`), "ENOENT");
    expectErrno(() => init.readlink(`/proc/${child.pid}/cwd`), "ENOENT");
    expectErrno(() => init.readlink(`/proc/${child.pid}/root`), "ENOENT");
    expectErrno(() => init.open(`/proc/${child.pid}/mounts`, O_RDONLY), "EINVAL");
    expect(init.stat(`/proc/${child.pid}/status`).uid).toBe(0);
    expect(init.stat(`/proc/${child.pid}`).uid).toBe(1000);
    init.wait4(child.pid);
  });
});

test("a reaped task: lookups ENOENT, open files ESRCH, listing its task/ ENOENT (behaviour 16), dentries leave the cache", () => {
  const p = bootProc();
  try {
    const { init } = p;
    const child = init.fork();
    const status = init.open(`/proc/${child.pid}/status`, O_RDONLY);
    const taskDir = init.open(`/proc/${child.pid}/task`, O_RDONLY);
    init.stat(`/proc/${child.pid}/stat`);
    child.exit(0);
    init.wait4(child.pid);
    expectErrno(() => init.stat(`/proc/${child.pid}`), "ENOENT");
    expectErrno(() => init.read(status, new Uint8Array(10)), "ESRCH");
    expectErrno(() => init.getdents64(taskDir, 4096), "ENOENT");
    init.close(status);
    init.close(taskDir);
    expect(p.list("/proc")).not.toContain(String(child.pid));
  } finally {
    p.shutdown();
  }
});

test("behaviour 22: uid_map/gid_map/setgroups of a new user namespace", () => {
  withProc(({ init, read, write }) => {
    expect(read("/proc/self/uid_map")).toBe("         0          0 4294967295\n");
    const child = init.fork();
    child.setCredentials(userCreds(init, 1000));
    const ns = child.credentials.userNamespace.newChild(child.credentials);
    child.setCredentials(child.credentials.forkIntoUserNamespace(ns));
    const path = `/proc/${child.pid}`;
    expect(read(`${path}/uid_map`, child)).toBe("");
    expect(write(`${path}/uid_map`, "0 1000 1\n\0\0", child)).toBe(11);
    expect(read(`${path}/uid_map`, child)).toBe("         0       1000          1\n");
    expectErrno(() => write(`${path}/gid_map`, "0 1000 1", child), "EPERM"); // setgroups still allowed
    write(`${path}/setgroups`, "deny", child);
    expect(read(`${path}/setgroups`, child)).toBe("deny\n");
    expectErrno(() => write(`${path}/setgroups`, "allow", child), "EPERM");
    write(`${path}/gid_map`, "0 1000 1", child);
    expectErrno(() => write(`${path}/setgroups`, "bogus", child), "EINVAL");
    child.exit(0);
    init.wait4(child.pid);
  });
});

test("behaviour 23: a pipe's read end reopened through /proc/self/fd/N delivers buffered data after the writer closed", () => {
  withProc(({ init }) => {
    const [r, w] = init.pipe2();
    init.write(w, enc.encode("hello"));
    init.close(w);
    init.lstat(`/proc/self/fd/${r}`);
    init.stat(`/proc/self/fdinfo/${r}`);
    const again = init.open(`/proc/self/fd/${r}`, O_RDONLY);
    init.close(r);
    expect(readAll(init, again)).toBe("hello");
    init.close(again);
  });
});

test("oom_score_adj and coredump_filter read and write; cmdline and environ are NUL-separated", () => {
  withProc(({ read, write }) => {
    expect(read("/proc/self/oom_score")).toBe("0\n");
    expect(read("/proc/self/oom_score_adj")).toBe("0\n");
    write("/proc/self/oom_score_adj", "-500\n");
    expect(read("/proc/self/oom_score_adj")).toBe("-500\n");
    expectErrno(() => write("/proc/self/oom_score_adj", "1001"), "EINVAL");
    expect(read("/proc/self/coredump_filter")).toBe("00000033\n");
    write("/proc/self/coredump_filter", "0x7");
    expect(read("/proc/self/coredump_filter")).toBe("00000007\n");
    expect(read("/proc/self/cmdline")).toBe("init\0");
    expect(read("/proc/self/environ")).toBe("");
  });
});
