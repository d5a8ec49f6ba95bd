// @ts-check
// @vfskit/tmpfs against memfs, @zenfs/core and node:fs on the host's tmpfs: the
// performance.md workloads (path walks, creation, listing, rename, small and large I/O).
// `vfskit` is a tmpfs mounted as the root of a VirtualFilesystem, driven through the vfs
// API directly: each call parses its path string into a PathOperation, as a system call
// does. `vfskit-kernel` does the same work through @vfskit/kernel's system calls (fd
// table, argument checks, time accounting). Every target builds the same fixture outside
// timing; tree-building and memory cases are in tmpfs-tree.js.
import { F_OK, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, STATX_BASIC_STATS } from "@vfskit/abi";
import { tmpfsTargets } from "./tmpfs-targets.js";

const dirs = ["a", "b", "c", "d", "e", "f", "g", "h"];
/** The directory 8 levels deep, built at run time (see the fspath cases). */
const deepDir = ["", ...dirs].join("/");
const deepFile = `${deepDir}/file`;
const missingFile = `${deepDir}/missing`;
/** The same file reached through two relative symlinks: /a/l1 → b/c and /a/b/c/d/l2 → e/f. */
const symlinkedFile = ["", "a", "l1", "d", "l2", "g", "h", "file"].join("/");
const STAT = { mask: STATX_BASIC_STATS, sync: 0 };
const OPEN_READ = { flags: O_RDONLY, mode: 0 };
const OPEN_DIRECTORY = { flags: O_RDONLY | O_DIRECTORY, mode: 0 };
const CREATE = { flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644 };
const NO_FLAGS = { flags: 0 };
const EMPTY = new Uint8Array(0);
const BIG_DIR = ["", "big"].join("/");
const BIG_ENTRIES = 10_000;
/** getdents64 buffer of the kernel row (glibc's readdir uses 32 KiB). */
const GETDENTS_BYTES = 32 * 1024;
const PAGE = 4096;
const SMALL_FILE_PAGES = 256;
const CHUNK = 64 * 1024;
const LARGE = 64 * 1024 * 1024;

/** @param {import("../targets/vfskit.js").FixtureFs} fx - Where to build. */
function deepFixture(fx) {
  fx.mkdirp(deepDir);
  fx.writeFile(deepFile, new Uint8Array([1, 2, 3]));
  fx.symlink("b/c", "/a/l1");
  fx.symlink("e/f", "/a/b/c/d/l2");
}

/** @param {import("../targets/vfskit.js").FixtureFs} fx - Where to build /big with 10,000 empty files. */
function bigDirFixture(fx) {
  fx.mkdirp(BIG_DIR);
  for (let i = 0; i < BIG_ENTRIES; i++) fx.writeFile(`${BIG_DIR}/f${i}`, EMPTY);
}

/** @param {number} length - Bytes. @returns {Uint8Array} A buffer of 0x5a bytes (not zeros). */
function pattern(length) {
  return new Uint8Array(length).fill(0x5a);
}

/**
 * Fixture with /io/file of `size` bytes, written in 64 KiB chunks.
 *
 * @param {number} size - File size (a multiple of 64 KiB).
 * @returns {(fx: import("../targets/vfskit.js").FixtureFs) => void} The fixture.
 */
function fileFixture(size) {
  return (fx) => {
    fx.mkdirp("/io");
    fx.writeFile("/io/file", pattern(size));
  };
}

/** @type {import("../registry.js").Case[]} */
export const cases = [
  {
    group: "tmpfs",
    name: "stat, file 8 dirs deep, warm",
    expected: 3,
    note: "vfskit: parse + statAt; kernel: stat(2); peers: statSync (node on /dev/shm)",
    targets: tmpfsTargets({
      label: "stat",
      fixture: deepFixture,
      vfskit: ({ vfs, ctx, at }) => () => vfs.statAt(ctx, at(deepFile), STAT).size,
      kernel: ({ task }) => () => task.stat(deepFile).size,
      peer: ({ fs, prefix }) => {
        const path = prefix + deepFile;
        return () => fs.statSync(path).size;
      },
    }),
  },
  {
    group: "tmpfs",
    name: "lstat through 2 symlinks mid-path",
    expected: 3,
    note: "/a/l1/d/l2/g/h/file with l1 → b/c, l2 → e/f (relative); lstat: final component not followed",
    targets: tmpfsTargets({
      label: "lstat",
      fixture: deepFixture,
      vfskit: ({ vfs, ctx, at }) => () => vfs.statAt(ctx, at(symlinkedFile, false), STAT).size,
      kernel: ({ task }) => () => task.lstat(symlinkedFile).size,
      peer: ({ fs, prefix }) => {
        const path = prefix + symlinkedFile;
        return () => fs.lstatSync(path).size;
      },
    }),
  },
  {
    group: "tmpfs",
    name: "open(O_RDONLY) + close, 8 deep",
    note: "vfskit: openAt + decRef of the description; kernel: open(2) + close(2); peers: openSync + closeSync",
    targets: tmpfsTargets({
      label: "open",
      fixture: deepFixture,
      vfskit: ({ vfs, ctx, at }) => () => vfs.openAt(ctx, at(deepFile), OPEN_READ).decRef(ctx),
      kernel: ({ task }) => () => task.close(task.open(deepFile, O_RDONLY)),
      peer: ({ fs, prefix }) => {
        const path = prefix + deepFile;
        return () => fs.closeSync(fs.openSync(path, "r"));
      },
    }),
  },
  {
    group: "tmpfs",
    name: "exists, missing file 8 deep",
    expected: false,
    note: "vfskit: tryStatAt (non-throwing); kernel: access(2), which throws a SysError that is caught; peers: existsSync",
    targets: tmpfsTargets({
      label: "exists",
      fixture: deepFixture,
      vfskit: ({ vfs, ctx, at }) => () => vfs.tryStatAt(ctx, at(missingFile), STAT) !== undefined,
      kernel: ({ task }) => () => {
        try {
          task.access(missingFile, F_OK);
          return true;
        } catch {
          return false;
        }
      },
      peer: ({ fs, prefix }) => {
        const path = prefix + missingFile;
        return () => fs.existsSync(path);
      },
    }),
  },
  {
    group: "tmpfs",
    name: "create + unlink in a 10k-entry dir",
    note:
      "one op = create a new empty file (open O_CREAT|O_EXCL + close) and unlink the oldest, so the dir stays at " +
      "10,000 entries (two directory changes per op); zenfs takes ~40 s to build its 10k dir",
    targets: tmpfsTargets({
      label: "create",
      fixture: bigDirFixture,
      vfskit: ({ vfs, ctx, at }) => {
        let next = BIG_ENTRIES;
        let oldest = 0;
        return () => {
          vfs.openAt(ctx, at(`${BIG_DIR}/f${next++}`), CREATE).decRef(ctx);
          vfs.unlinkAt(ctx, at(`${BIG_DIR}/f${oldest++}`, false));
        };
      },
      kernel: ({ task }) => {
        let next = BIG_ENTRIES;
        let oldest = 0;
        return () => {
          task.close(task.open(`${BIG_DIR}/f${next++}`, CREATE.flags, CREATE.mode));
          task.unlink(`${BIG_DIR}/f${oldest++}`);
        };
      },
      peer: ({ fs, prefix }) => {
        let next = BIG_ENTRIES;
        let oldest = 0;
        return () => {
          fs.closeSync(fs.openSync(`${prefix}${BIG_DIR}/f${next++}`, "wx", 0o644));
          fs.unlinkSync(`${prefix}${BIG_DIR}/f${oldest++}`);
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "readdir of 10k entries",
    expected: BIG_ENTRIES,
    note: "vfskit: open + iterDirents collecting names + close; kernel: open + getdents64 (32 KiB) until empty + close; peers: readdirSync",
    targets: tmpfsTargets({
      label: "readdir",
      fixture: bigDirFixture,
      vfskit: ({ vfs, ctx, at }) => () => {
        /** @type {string[]} */
        const names = [];
        const fd = vfs.openAt(ctx, at(BIG_DIR), OPEN_DIRECTORY);
        try {
          fd.iterDirents(ctx, (dirent) => {
            if (dirent.name !== "." && dirent.name !== "..") names.push(dirent.name);
            return true;
          });
        } finally {
          fd.decRef(ctx);
        }
        return names.length;
      },
      kernel: ({ task }) => () => {
        /** @type {string[]} */
        const names = [];
        const fd = task.open(BIG_DIR, O_RDONLY | O_DIRECTORY);
        try {
          for (;;) {
            const batch = task.getdents64(fd, GETDENTS_BYTES);
            if (batch.length === 0) break;
            for (const dirent of batch) if (dirent.name !== "." && dirent.name !== "..") names.push(dirent.name);
          }
        } finally {
          task.close(fd);
        }
        return names.length;
      },
      peer: ({ fs, prefix }) => {
        const path = prefix + BIG_DIR;
        return () => fs.readdirSync(path).length;
      },
    }),
  },
  {
    group: "tmpfs",
    name: "rename a file between two dirs",
    note: "one op moves /r1/file to /r2/file, the next moves it back",
    targets: tmpfsTargets({
      label: "rename",
      fixture: (fx) => {
        fx.mkdirp("/r1");
        fx.mkdirp("/r2");
        fx.writeFile("/r1/file", EMPTY);
      },
      vfskit: ({ vfs, ctx, at }) => {
        let there = false;
        return () => {
          const [from, to] = there ? ["/r2/file", "/r1/file"] : ["/r1/file", "/r2/file"];
          there = !there;
          vfs.renameAt(ctx, at(from, false), at(to, false), NO_FLAGS);
        };
      },
      kernel: ({ task }) => {
        let there = false;
        return () => {
          const [from, to] = there ? ["/r2/file", "/r1/file"] : ["/r1/file", "/r2/file"];
          there = !there;
          task.rename(from, to);
        };
      },
      peer: ({ fs, prefix }) => {
        let there = false;
        const [one, two] = [`${prefix}/r1/file`, `${prefix}/r2/file`];
        return () => {
          const [from, to] = there ? [two, one] : [one, two];
          there = !there;
          fs.renameSync(from, to);
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "pwrite 4 KiB on an open fd",
    bytesPerOp: PAGE,
    expected: PAGE,
    note: "1 MiB file; each op writes the next 4 KiB-aligned page (cycling), overwriting data",
    targets: tmpfsTargets({
      label: "pwrite",
      fixture: fileFixture(PAGE * SMALL_FILE_PAGES),
      vfskit: ({ vfs, ctx, at }) => {
        const fd = vfs.openAt(ctx, at("/io/file"), { flags: O_RDWR, mode: 0 });
        const src = pattern(PAGE);
        let page = 0;
        return {
          run: () => fd.pwrite(ctx, src, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => fd.decRef(ctx),
        };
      },
      kernel: ({ task }) => {
        const fd = task.open("/io/file", O_RDWR);
        const src = pattern(PAGE);
        let page = 0;
        return {
          run: () => task.pwrite64(fd, src, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => task.close(fd),
        };
      },
      peer: ({ fs, prefix }) => {
        const fd = fs.openSync(`${prefix}/io/file`, "r+");
        const src = pattern(PAGE);
        let page = 0;
        return {
          run: () => fs.writeSync(fd, src, 0, PAGE, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => fs.closeSync(fd),
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "pread 4 KiB on an open fd",
    bytesPerOp: PAGE,
    expected: PAGE,
    note: "1 MiB file; each op reads the next 4 KiB-aligned page (cycling)",
    targets: tmpfsTargets({
      label: "pread",
      fixture: fileFixture(PAGE * SMALL_FILE_PAGES),
      vfskit: ({ vfs, ctx, at }) => {
        const fd = vfs.openAt(ctx, at("/io/file"), OPEN_READ);
        const dst = new Uint8Array(PAGE);
        let page = 0;
        return {
          run: () => fd.pread(ctx, dst, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => fd.decRef(ctx),
        };
      },
      kernel: ({ task }) => {
        const fd = task.open("/io/file", O_RDONLY);
        const dst = new Uint8Array(PAGE);
        let page = 0;
        return {
          run: () => task.pread64(fd, dst, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => task.close(fd),
        };
      },
      peer: ({ fs, prefix }) => {
        const fd = fs.openSync(`${prefix}/io/file`, "r");
        const dst = new Uint8Array(PAGE);
        let page = 0;
        return {
          run: () => fs.readSync(fd, dst, 0, PAGE, (page = (page + 1) % SMALL_FILE_PAGES) * PAGE),
          teardown: () => fs.closeSync(fd),
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "64 MiB sequential write, fresh file",
    bytesPerOp: LARGE,
    expected: LARGE,
    note:
      "one op = open(O_CREAT|O_TRUNC) + 1,024 writes of 64 KiB + close; before each op (untimed) the previous " +
      "file is unlinked, so its memory is freed and the op allocates anew (vfskit reuses up to 16 MiB of pooled chunks)",
    targets: tmpfsTargets({
      label: "write-fresh",
      fixture: fileFixture(0),
      vfskit: ({ vfs, ctx, at }) => {
        const src = pattern(CHUNK);
        return {
          beforeEach: () => vfs.unlinkAt(ctx, at("/io/file", false)),
          run: () => {
            const fd = vfs.openAt(ctx, at("/io/file"), { flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644 });
            let total = 0;
            try {
              for (let done = 0; done < LARGE; done += CHUNK) total += fd.write(ctx, src);
            } finally {
              fd.decRef(ctx);
            }
            return total;
          },
        };
      },
      kernel: ({ task }) => {
        const src = pattern(CHUNK);
        return {
          beforeEach: () => task.unlink("/io/file"),
          run: () => {
            const fd = task.open("/io/file", O_WRONLY | O_CREAT | O_TRUNC, 0o644);
            let total = 0;
            try {
              for (let done = 0; done < LARGE; done += CHUNK) total += task.write(fd, src);
            } finally {
              task.close(fd);
            }
            return total;
          },
        };
      },
      peer: ({ fs, prefix }) => {
        const src = pattern(CHUNK);
        const path = `${prefix}/io/file`;
        return {
          beforeEach: () => fs.unlinkSync(path),
          run: () => {
            const fd = fs.openSync(path, "w", 0o644);
            let total = 0;
            try {
              for (let done = 0; done < LARGE; done += CHUNK) total += fs.writeSync(fd, src);
            } finally {
              fs.closeSync(fd);
            }
            return total;
          },
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "64 MiB sequential rewrite",
    bytesPerOp: LARGE,
    expected: LARGE,
    note: "one op = 1,024 pwrites of 64 KiB over an existing 64 MiB file on an open fd (no allocation needed)",
    targets: tmpfsTargets({
      label: "rewrite",
      fixture: fileFixture(LARGE),
      vfskit: ({ vfs, ctx, at }) => {
        const fd = vfs.openAt(ctx, at("/io/file"), { flags: O_RDWR, mode: 0 });
        const src = pattern(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += fd.pwrite(ctx, src, offset);
            return total;
          },
          teardown: () => fd.decRef(ctx),
        };
      },
      kernel: ({ task }) => {
        const fd = task.open("/io/file", O_RDWR);
        const src = pattern(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += task.pwrite64(fd, src, offset);
            return total;
          },
          teardown: () => task.close(fd),
        };
      },
      peer: ({ fs, prefix }) => {
        const fd = fs.openSync(`${prefix}/io/file`, "r+");
        const src = pattern(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += fs.writeSync(fd, src, 0, CHUNK, offset);
            return total;
          },
          teardown: () => fs.closeSync(fd),
        };
      },
    }),
  },
  {
    group: "tmpfs",
    name: "64 MiB sequential read",
    bytesPerOp: LARGE,
    expected: LARGE,
    note: "one op = 1,024 preads of 64 KiB from a 64 MiB file on an open fd, into one buffer",
    targets: tmpfsTargets({
      label: "read",
      fixture: fileFixture(LARGE),
      vfskit: ({ vfs, ctx, at }) => {
        const fd = vfs.openAt(ctx, at("/io/file"), OPEN_READ);
        const dst = new Uint8Array(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += fd.pread(ctx, dst, offset);
            return total;
          },
          teardown: () => fd.decRef(ctx),
        };
      },
      kernel: ({ task }) => {
        const fd = task.open("/io/file", O_RDONLY);
        const dst = new Uint8Array(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += task.pread64(fd, dst, offset);
            return total;
          },
          teardown: () => task.close(fd),
        };
      },
      peer: ({ fs, prefix }) => {
        const fd = fs.openSync(`${prefix}/io/file`, "r");
        const dst = new Uint8Array(CHUNK);
        return {
          run: () => {
            let total = 0;
            for (let offset = 0; offset < LARGE; offset += CHUNK) total += fs.readSync(fd, dst, 0, CHUNK, offset);
            return total;
          },
          teardown: () => fs.closeSync(fd),
        };
      },
    }),
  },
];
