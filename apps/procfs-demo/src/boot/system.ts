// Boots the demo system: a kernel with a tmpfs root and a Linux-like tree, /dev/shm on
// its own tmpfs, /proc and /sys (when their packages are present), devices, background
// tasks, and the shell's task.
import { O_RDWR } from "@vfskit/abi";
import { Kernel, type Task } from "@vfskit/kernel";
import { startFifoReader, startPipePair, type Daemon } from "./daemons.js";
import { DeviceRegistry, nullDevice, openFile, zeroDevice, type CharDevice } from "./devices.js";
import { mountProcAndSys, registerProcfsType, registerSysfsType } from "./special-mounts.js";
import { buildTree } from "./tree.js";

/** Options of {@link bootSystem}. */
export interface BootOptions {
  /** The host name (default `"vfskit"`). */
  readonly hostname?: string;
  /** Where the console's output goes (the shell's descriptors 0, 1 and 2). */
  readonly console: (bytes: Uint8Array) => void;
  /** The shell's commands (each gets a /bin link). */
  readonly commands: readonly string[];
  /** How often the pipe writer writes, in milliseconds (default 1000). */
  readonly tickMs?: number;
}

/** A booted system. */
export interface DemoSystem {
  readonly kernel: Kernel;
  /** The shell's task (`sh`, a child of init). */
  readonly shell: Task;
  /** The device registry (for opens the shell makes). */
  readonly devices: DeviceRegistry;
  /** What is mounted besides the root, in mount order. */
  readonly mounts: readonly string[];
  /** Stops the background tasks and the kernel. */
  shutdown(): void;
}

/** Opens /dev/console as descriptors 0, 1 and 2 of `task`. */
function attachConsole(task: Task, devices: DeviceRegistry): void {
  for (const fd of [0, 1, 2]) {
    const opened = openFile(task, devices, "/dev/console", O_RDWR);
    if (opened !== fd) {
      task.dup2(opened, fd);
      task.close(opened);
    }
  }
}

/** Boots the system. Synchronous: the shell can run as soon as this returns. */
export function bootSystem(opts: BootOptions): DemoSystem {
  const hostname = opts.hostname ?? "vfskit";
  const kernel = Kernel.create({ hostname, registerFilesystems: registerSysfsType, rootData: "mode=755,size=256m" });
  registerProcfsType(kernel);
  const init = kernel.init;
  const devices = new DeviceRegistry();
  devices.register(1, 3, nullDevice);
  devices.register(1, 5, zeroDevice);
  const consoleDevice: CharDevice = {
    read: () => 0, // the console has no input here: reading it is end of file
    write: (src) => {
      opts.console(src.slice());
      return src.length;
    },
  };
  devices.register(5, 1, consoleDevice);

  buildTree(init, hostname, opts.commands);
  init.execve("/sbin/init", ["/sbin/init"], []);
  // init's 0, 1 and 2 are the console, as Linux's kernel_init opens them; every task
  // inherits them, so pipe ends land on 3 and above.
  attachConsole(init, devices);
  const mounts: string[] = [];
  init.mount("shm", "/dev/shm", "tmpfs", 0, "mode=1777,size=64m");
  mounts.push("/dev/shm");
  mounts.push(...mountProcAndSys(init));

  const daemons: Daemon[] = [...startPipePair(init, opts.tickMs ?? 1000), startFifoReader(init, devices)];

  const shell = init.fork();
  shell.execve("/bin/sh", ["-sh"], ["HOME=/root", "PATH=/bin:/usr/bin", "TERM=vt100"]);
  shell.chdir("/root");

  let down = false;
  return {
    kernel,
    shell,
    devices,
    mounts,
    shutdown(): void {
      if (down) return;
      down = true;
      for (const daemon of daemons) daemon.stop();
      kernel.shutdown();
    },
  };
}
