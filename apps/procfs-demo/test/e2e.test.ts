// End-to-end: the app runs as a real process (bundled from source by test/bundle.ts), one
// command line per invocation with -c, or a script through standard input. Assertions are
// on what a person would see.
import { beforeAll, describe, expect, it } from "vitest";
import { bundleApp } from "./bundle.js";
import { runApp } from "./run-app.js";

let bundle = "";
beforeAll(async () => {
  bundle = await bundleApp();
});

const sh = (line: string) => runApp(bundle, ["-c", line]);

describe("-c runs one command line and exits with its status", () => {
  it("echo hi > /tmp/x && cat /tmp/x", async () => {
    const r = await sh("echo hi > /tmp/x && cat /tmp/x");
    expect(r).toMatchObject({ stdout: "hi\n", status: 0 });
  });

  it("errors print like a Linux shell's and become the status", async () => {
    const r = await sh("ls /x");
    expect(r.stdout).toBe("ls: cannot access '/x': No such file or directory\n");
    expect(r.status).toBe(2);
    expect((await sh("nosuchcommand")).stdout).toBe("sh: nosuchcommand: command not found\n");
    expect((await sh("nosuchcommand")).status).toBe(127);
    expect(await sh("cat /etc/missing; echo status=$?")).toMatchObject({
      stdout: "cat: /etc/missing: No such file or directory\nstatus=1\n",
      status: 0,
    });
    expect((await sh("echo 'unterminated")).stdout).toMatch(/^sh: unexpected EOF while looking for matching `''/);
  });

  it("&&, || and ; follow the shell's rules; >> appends", async () => {
    const r = await sh("false && echo no; false || echo yes; echo a > /tmp/f; echo b >> /tmp/f; cat /tmp/f");
    expect(r.stdout).toBe("yes\na\nb\n");
  });

  it("pipelines run through vfskit pipes, one task per command", async () => {
    const r = await sh("cat /etc/passwd | head -n 2 | wc -l; ls -l /sys/dev/char | tail -n 1");
    expect(r.stdout).toMatch(/^2\nlrwxrwxrwx 1 root root 0 .* 5:1 -> \.\.\/\.\.\/devices\/virtual\/tty\/console\n$/);
    // A reader that stops early ends the writer with SIGPIPE, as in Linux: status 141.
    expect(await sh("cat /dev/zero | head -c 3 | wc -c")).toMatchObject({ stdout: "3\n", status: 0 });
  });

  it("the tree: /etc files, users, sticky /tmp, devices, /dev/shm on its own tmpfs", async () => {
    const r = await sh("cat /etc/hostname; id alice; ls -ld /tmp; ls -l /dev/null /dev/zero; echo gone > /dev/null; cat /dev/null; mount");
    expect(r.stdout).toContain("vfskit\n");
    expect(r.stdout).toContain("uid=1000(alice) gid=1000(alice) groups=1000(alice),100(users)\n");
    expect(r.stdout).toMatch(/^drwxrwxrwt .* \/tmp$/m);
    expect(r.stdout).toMatch(/^crw-rw-rw- 1 root root 1, 3 .* \/dev\/null$/m);
    expect(r.stdout).toMatch(/^crw-rw-rw- 1 root root 1, 5 .* \/dev\/zero$/m);
    expect(r.stdout).not.toContain("gone");
    expect(r.stdout).toContain("shm on /dev/shm type tmpfs (rw,relatime,size=65536k)\n");
    expect(r.stdout).toContain("sysfs on /sys type sysfs (rw,relatime)\n");
  });

  it("umount of a busy mount says `target is busy`", async () => {
    const r = await sh("mount -t tmpfs none /mnt && cd /mnt && umount /mnt; cd /; umount /mnt && echo unmounted");
    expect(r.stdout).toBe("umount: /mnt: target is busy.\nunmounted\n");
  });

  it("su switches credentials: permission errors follow, exit switches back", async () => {
    const r = await sh("su alice; id; touch /etc/x; cat /root/.profile; ls /root; exit; whoami");
    expect(r.stdout).toBe(
      "(now alice; `exit` returns to root)\n" +
        "uid=1000(alice) gid=1000(alice) groups=1000(alice),100(users)\n" +
        "touch: cannot touch '/etc/x': Permission denied\n" +
        "cat: /root/.profile: Permission denied\n" +
        "ls: cannot open directory '/root': Permission denied\n" +
        "root\n",
    );
    expect((await sh("su alice; su root")).stdout).toContain("su: Authentication failure\n");
  });

  it("the FIFO reader and the pipe pair keep moving data", async () => {
    const r = await runApp(bundle, ["--tick", "20", "-c", "echo through-the-fifo > /run/demo.fifo; sleep 0.3; cat /var/log/fifo.log; cat /run/pipe-reader.count"]);
    expect(r.stdout).toMatch(/^through-the-fifo\n\d+ bytes read from the pipe\n$/);
  });

  it("--help documents the modes and the commands", async () => {
    const r = await runApp(bundle, ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("-c 'command line'");
    expect(r.stdout).toContain("Shell commands: cat, cd, chmod, chown");
  });
});

describe("a script through standard input", () => {
  it("runs line by line; the status is the last command's", async () => {
    const r = await runApp(bundle, [], "mkdir -p /tmp/a/b\necho x > /tmp/a/b/f\ntree /tmp/a\nrm -r /tmp/a\nls /tmp/a\n");
    expect(r.stdout).toBe("/tmp/a\n└── b\n    └── f\n\n1 directory, 1 file\nls: cannot access '/tmp/a': No such file or directory\n");
    expect(r.status).toBe(2);
  });

  it("exit ends the script with its status", async () => {
    const r = await runApp(bundle, [], "echo one\nexit 3\necho never\n");
    expect(r).toMatchObject({ stdout: "one\n", status: 3 });
  });
});

describe("/proc", () => {
  it("cat /proc/self/status shows the shell task", async () => {
    const r = await sh("cat /proc/self/status");
    expect(r.stdout).toMatch(/^Name:\tsh$/m);
  });

  it("ls -l /proc/self/fd shows magic links", async () => {
    const r = await sh("ls -l /proc/self/fd");
    expect(r.stdout).toMatch(/ 0 -> \/dev\/console$/m);
    const piped = await sh("ls -l /proc/self/fd | cat");
    expect(piped.stdout).toMatch(/ 1 -> pipe:\[\d+\]$/m);
  });

  it("ps lists the demo tasks with their pipes, from /proc", async () => {
    const r = await sh("ps");
    expect(r.stdout).toMatch(/^USER +PID +PPID S +TIME CMD +PIPES\n/);
    expect(r.stdout).toMatch(/\/sbin\/init/);
    const writer = /pipe-writer .* 1:pipe:\[(\d+)\]/.exec(r.stdout);
    const reader = /pipe-reader .* 0:pipe:\[(\d+)\]/.exec(r.stdout);
    expect(writer?.[1]).toBeDefined();
    expect(reader?.[1]).toBe(writer?.[1]); // the same pipe joins them
    expect(r.stdout).toMatch(/fifo-reader .*\/run\/demo\.fifo/);
  });

  it("umount /proc while a file there is open: target is busy", async () => {
    const r = await sh("umount /proc < /proc/self/status");
    expect(r.stdout).toBe("umount: /proc: target is busy.\n");
  });
});
