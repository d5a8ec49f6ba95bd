// The root filesystem's starting tree: a small Linux-like layout on tmpfs.
import { O_CREAT, O_TRUNC, O_WRONLY, S_IFCHR, makedev } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";

/** A user of the demo system (/etc/passwd). */
export interface DemoUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
}

/** The demo's users: root and one unprivileged user. */
export const USERS: readonly DemoUser[] = [
  { name: "root", uid: 0, gid: 0, gecos: "root", home: "/root" },
  { name: "alice", uid: 1000, gid: 1000, gecos: "Alice", home: "/home/alice" },
  { name: "nobody", uid: 65534, gid: 65534, gecos: "nobody", home: "/nonexistent" },
];

/** The commands the demo's "busybox" provides: /bin/<name> links to it. */
export const BUSYBOX = "/bin/busybox";

const encoder = new TextEncoder();

/** Writes `text` to `path` (created or truncated) as `task`. */
export function writeTextFile(task: Task, path: string, text: string, mode = 0o644): void {
  const fd = task.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  try {
    const bytes = encoder.encode(text);
    let done = 0;
    while (done < bytes.length) done += task.write(fd, bytes.subarray(done));
  } finally {
    task.close(fd);
  }
  task.chmod(path, mode);
}

/**
 * Builds the tree on the (empty) root filesystem as init: /etc with hostname, passwd,
 * group; /home/alice and /root; /tmp (1777); /dev with null, zero and console; /bin with
 * the shell's commands; /run, /var/log, /mnt, and the empty /proc, /sys, /dev/shm mount
 * points.
 */
export function buildTree(init: Task, hostname: string, commands: readonly string[]): void {
  init.umask(0o022);
  for (const dir of ["/bin", "/sbin", "/usr", "/usr/bin", "/etc", "/home", "/root", "/dev", "/dev/shm", "/proc", "/sys"]) {
    init.mkdir(dir, 0o755);
  }
  for (const dir of ["/run", "/var", "/var/log", "/mnt"]) init.mkdir(dir, 0o755);
  init.chmod("/root", 0o700);
  init.mkdir("/tmp", 0o777);
  init.chmod("/tmp", 0o1777);

  writeTextFile(init, "/etc/hostname", `${hostname}\n`);
  writeTextFile(init, "/etc/passwd", USERS.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.gecos}:${u.home}:/bin/sh\n`).join(""));
  writeTextFile(init, "/etc/group", "root:x:0:\nusers:x:100:alice\nalice:x:1000:\nnogroup:x:65534:\n");
  writeTextFile(
    init,
    "/etc/os-release",
    'NAME="vfskit"\nPRETTY_NAME="vfskit demo (gVisor VFS2 in TypeScript)"\nID=vfskit\nHOME_URL="https://github.com/vfskit/vfskit"\n',
  );
  writeTextFile(init, "/etc/motd", "Welcome to the vfskit demo. Type `help` for the commands.\n");

  init.mkdir("/home/alice", 0o755);
  writeTextFile(init, "/home/alice/notes.txt", "remember: /proc is generated on every read\n", 0o600);
  init.chown("/home/alice/notes.txt", 1000, 1000);
  init.chown("/home/alice", 1000, 1000);
  writeTextFile(init, "/root/.profile", "# the demo shell reads no profile; this file is only to look at\n", 0o600);

  // Device nodes: tmpfs stores them; src/boot/devices.ts supplies their drivers.
  init.mknod("/dev/null", S_IFCHR | 0o666, makedev(1, 3));
  init.mknod("/dev/zero", S_IFCHR | 0o666, makedev(1, 5));
  init.mknod("/dev/console", S_IFCHR | 0o600, makedev(5, 1));
  init.chmod("/dev/null", 0o666);
  init.chmod("/dev/zero", 0o666);

  // Programs: execve needs an executable regular file. The "busybox" is a placeholder
  // (vfskit runs no programs); the shell's commands are symbolic links to it, so a
  // pipeline's tasks show `ls`, `cat`… in /proc/[pid]/comm and /proc/[pid]/exe.
  writeTextFile(init, BUSYBOX, "#!vfskit-builtin\n# The demo shell's commands are built into the app.\n", 0o755);
  for (const name of [...commands, "sh"]) init.symlink("busybox", `/bin/${name}`);
  for (const name of ["init"]) writeTextFile(init, `/sbin/${name}`, "#!vfskit-builtin\n", 0o755);
  for (const name of ["pipe-writer", "pipe-reader", "fifo-reader"]) writeTextFile(init, `/usr/bin/${name}`, "#!vfskit-builtin\n", 0o755);
}
