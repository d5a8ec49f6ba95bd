/**
 * The vfskit executor: a fresh kernel with a tmpfs root per sequence. Init (root) builds the
 * initial tree at "/", a forked task with the run's credentials runs the steps through the
 * task API, and init walks the final tree.
 */
import { AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_WRONLY, UTIME_NOW, UTIME_OMIT, isSysError, type Statx, type Timespec } from "@vfskit/abi";
import { Credentials, gid, uid } from "@vfskit/auth";
import { Kernel, type Task } from "@vfskit/kernel";
import { UMASK, type SequenceOutcome } from "./host-executor.js";
import { TIME_NOW, TIME_OMIT, type Op, type StatResult, type StepResult, type StepValue } from "./model.js";
import { INITIAL_CWD, INITIAL_TREE, bytesToText, typeName, type RunUser, type Tree, type TreeNode } from "./tree.js";

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

function statResult(st: Statx): StatResult {
  return { type: typeName(st.mode), mode: st.mode & 0o7777, nlink: st.nlink, size: st.size, uid: st.uid, gid: st.gid };
}

/** Builds `tree` with `init` (root). */
export function prepareVfskitTree(init: Task, tree: readonly TreeNode[]): void {
  for (const node of tree) {
    switch (node.kind) {
      case "dir":
        if (node.path !== "/") init.mkdir(node.path, 0o700);
        init.chown(node.path, node.uid, node.gid);
        init.chmod(node.path, node.mode);
        break;
      case "file": {
        const fd = init.open(node.path, O_WRONLY | O_CREAT | O_EXCL, 0o600);
        init.write(fd, latin1Bytes(node.data));
        init.close(fd);
        init.chown(node.path, node.uid, node.gid);
        init.chmod(node.path, node.mode);
        break;
      }
      case "symlink":
        init.symlink(node.target, node.path);
        init.lchown(node.path, node.uid, node.gid);
        break;
      case "hardlink":
        init.link(node.target, node.path);
        break;
    }
  }
}

/** Lists a directory by path as readdir(3) would (without `.` and `..`), sorted. */
function listDirectory(t: Task, path: string): string[] {
  const fd = t.open(path, O_RDONLY | O_DIRECTORY);
  try {
    const names: string[] = [];
    for (;;) {
      const batch = t.getdents64(fd, 32768);
      if (batch.length === 0) break;
      for (const d of batch) if (d.name !== "." && d.name !== "..") names.push(d.name);
    }
    return names.sort();
  } finally {
    t.close(fd);
  }
}

/** The final tree, walked by `init`. */
export function walkVfskitTree(init: Task): Tree {
  const tree: Tree = {};
  const visit = (p: string): void => {
    const st = init.lstat(p);
    const entry: Tree[string] = statResult(st);
    tree[p] = entry;
    const type = entry.type;
    if (type === "reg") {
      const fd = init.open(p, O_RDONLY);
      try {
        const buf = new Uint8Array(st.size);
        let n = 0;
        while (n < buf.length) {
          const got = init.read(fd, buf.subarray(n));
          if (got === 0) break;
          n += got;
        }
        entry.data = bytesToText(buf.subarray(0, n));
      } finally {
        init.close(fd);
      }
    } else if (type === "lnk") {
      entry.target = init.readlink(p);
    } else if (type === "dir") {
      for (const name of listDirectory(init, p)) visit(p === "/" ? `/${name}` : `${p}/${name}`);
    }
  };
  visit("/");
  return tree;
}

/** Runs one step on `t`, with `fds` mapping slots to descriptors (-1 once closed). */
function runStep(t: Task, fds: number[], op: Op): StepValue {
  const fdOf = (slot: number): number => fds[slot] ?? -1;
  const atFd = (slot: number | undefined): number => (slot === undefined ? AT_FDCWD : fdOf(slot));
  switch (op.op) {
    case "mkdir":
      t.mkdirat(op.dirfd === undefined ? AT_FDCWD : fdOf(op.dirfd), op.path, op.mode);
      return null;
    case "rmdir":
      t.unlinkat(atFd(op.dirfd), op.path, AT_REMOVEDIR);
      return null;
    case "open": {
      const slot = fds.length;
      fds.push(-1);
      fds[slot] = t.openat(op.dirfd === undefined ? AT_FDCWD : fdOf(op.dirfd), op.path, op.flags, op.mode);
      return "fd";
    }
    case "close": {
      const fd = fdOf(op.fd);
      if (op.fd < fds.length) fds[op.fd] = -1;
      t.close(fd);
      return null;
    }
    case "write":
      return t.write(fdOf(op.fd), latin1Bytes(op.data));
    case "read": {
      const buf = new Uint8Array(op.count);
      return bytesToText(buf.subarray(0, t.read(fdOf(op.fd), buf)));
    }
    case "pread": {
      const buf = new Uint8Array(op.count);
      return bytesToText(buf.subarray(0, t.pread64(fdOf(op.fd), buf, op.offset)));
    }
    case "pwrite":
      return t.pwrite64(fdOf(op.fd), latin1Bytes(op.data), op.offset);
    case "lseek":
      return t.lseek(fdOf(op.fd), op.offset, op.whence);
    case "ftruncate":
      t.ftruncate(fdOf(op.fd), op.length);
      return null;
    case "truncate":
      t.truncate(op.path, op.length);
      return null;
    case "unlink":
      t.unlinkat(op.dirfd === undefined ? AT_FDCWD : fdOf(op.dirfd), op.path, 0);
      return null;
    case "umask":
      return t.umask(op.mask);
    case "fchown":
      t.fchown(fdOf(op.fd), op.uid, op.gid);
      return null;
    case "rename":
      t.renameat2(atFd(op.olddirfd), op.from, atFd(op.newdirfd), op.to, op.flags);
      return null;
    case "link":
      t.linkat(atFd(op.olddirfd), op.from, atFd(op.newdirfd), op.to, op.flags);
      return null;
    case "symlink":
      t.symlinkat(op.target, atFd(op.dirfd), op.path);
      return null;
    case "readlink":
      return t.readlinkat(atFd(op.dirfd), op.path);
    case "stat":
    case "lstat":
      return statResult(
        t.fstatat(op.dirfd === undefined ? AT_FDCWD : fdOf(op.dirfd), op.path, op.op === "lstat" ? AT_SYMLINK_NOFOLLOW : 0),
      );
    case "getcwd":
      return t.getcwd();
    case "fstat":
      return statResult(t.fstat(fdOf(op.fd)));
    case "chmod":
      t.fchmodat(atFd(op.dirfd), op.path, op.mode);
      return null;
    case "fchmod":
      t.fchmod(fdOf(op.fd), op.mode);
      return null;
    case "chown":
      t.fchownat(atFd(op.dirfd), op.path, op.uid, op.gid, op.flags);
      return null;
    case "utimes": {
      const spec = (t: number): Timespec =>
        t === TIME_NOW ? { sec: 0, nsec: UTIME_NOW } : t === TIME_OMIT ? { sec: 0, nsec: UTIME_OMIT } : { sec: t, nsec: 0 };
      const times = op.times === null ? undefined : ([spec(op.times[0]), spec(op.times[1])] as const);
      t.utimensat(atFd(op.dirfd), op.path, times, op.flags);
      return null;
    }
    case "access":
      t.faccessat2(atFd(op.dirfd), op.path, op.mode, op.flags ?? 0);
      return null;
    case "chdir":
      t.chdir(op.path);
      return null;
    case "readdir":
      return listDirectory(t, op.path);
  }
}

/** Runs sequences on a fresh vfskit kernel each, as one user. */
export class VfskitExecutor {
  readonly #user: RunUser;

  constructor(user: RunUser) {
    this.#user = user;
  }

  /** Runs one sequence in a fresh copy of the initial tree. */
  run(ops: readonly Op[], tree: readonly TreeNode[] = INITIAL_TREE): SequenceOutcome {
    const kernel = Kernel.create();
    try {
      const init = kernel.init;
      prepareVfskitTree(init, tree);
      const task = init.fork({ comm: "conformance" });
      const user = this.#user;
      if (user.uid !== 0) {
        const ns = init.credentials.userNamespace;
        task.setCredentials(Credentials.user({ uid: uid(user.uid), gid: gid(user.gid), groups: user.groups.map(gid), ns }));
      }
      task.umask(UMASK);
      task.chdir(INITIAL_CWD);
      const fds: number[] = [];
      const results: StepResult[] = [];
      for (const op of ops) {
        try {
          results.push({ ok: runStep(task, fds, op) });
        } catch (error) {
          if (isSysError(error)) results.push({ err: error.errno });
          else results.push({ crash: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        }
      }
      task.exit(0);
      init.wait4(task.pid);
      return { results, tree: walkVfskitTree(init) };
    } finally {
      kernel.shutdown();
    }
  }
}
