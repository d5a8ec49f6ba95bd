// The abi package's numbers must equal the host's: errno via python3, constants via a C
// program compiled against the kernel headers.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as abi from "@vfskit/abi";

// Constant names whose values the C program prints; each must be exported by @vfskit/abi.
const constants = [
  "S_IFMT", "S_IFSOCK", "S_IFLNK", "S_IFREG", "S_IFBLK", "S_IFDIR", "S_IFCHR", "S_IFIFO",
  "S_ISUID", "S_ISGID", "S_ISVTX", "S_IRWXU", "S_IRUSR", "S_IWUSR", "S_IXUSR", "S_IRWXG",
  "S_IRGRP", "S_IWGRP", "S_IXGRP", "S_IRWXO", "S_IROTH", "S_IWOTH", "S_IXOTH",
  "O_ACCMODE", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC",
  "O_APPEND", "O_NONBLOCK", "O_DSYNC", "O_ASYNC", "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY",
  "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC", "O_SYNC", "O_PATH", "O_TMPFILE",
  "AT_FDCWD", "AT_SYMLINK_NOFOLLOW", "AT_REMOVEDIR", "AT_EACCESS", "AT_SYMLINK_FOLLOW",
  "AT_NO_AUTOMOUNT", "AT_EMPTY_PATH", "AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC",
  "AT_STATX_DONT_SYNC", "AT_STATX_SYNC_TYPE", "AT_RECURSIVE",
  "RENAME_NOREPLACE", "RENAME_EXCHANGE", "RENAME_WHITEOUT",
  "SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE", "F_OK", "X_OK", "W_OK", "R_OK",
  "F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_GETLK", "F_SETLK", "F_SETLKW",
  "F_DUPFD_CLOEXEC", "F_SETPIPE_SZ", "F_GETPIPE_SZ", "FD_CLOEXEC", "FIONREAD",
  "STATX_TYPE", "STATX_MODE", "STATX_NLINK", "STATX_UID", "STATX_GID", "STATX_ATIME",
  "STATX_MTIME", "STATX_CTIME", "STATX_INO", "STATX_SIZE", "STATX_BLOCKS", "STATX_BASIC_STATS",
  "STATX_BTIME", "STATX_MNT_ID", "STATX__RESERVED",
  "TMPFS_MAGIC", "PROC_SUPER_MAGIC", "SYSFS_MAGIC", "PIPEFS_MAGIC", "ANON_INODE_FS_MAGIC",
  "NSFS_MAGIC", "DEVPTS_SUPER_MAGIC", "CGROUP2_SUPER_MAGIC",
  "ST_RDONLY", "ST_NOSUID", "ST_NODEV", "ST_NOEXEC", "ST_SYNCHRONOUS", "ST_MANDLOCK",
  "ST_NOATIME", "ST_NODIRATIME", "ST_RELATIME",
  "DT_UNKNOWN", "DT_FIFO", "DT_CHR", "DT_DIR", "DT_BLK", "DT_REG", "DT_LNK", "DT_SOCK", "DT_WHT",
  "XATTR_CREATE", "XATTR_REPLACE", "XATTR_NAME_MAX", "XATTR_SIZE_MAX", "XATTR_LIST_MAX",
  "NAME_MAX", "PATH_MAX", "PIPE_BUF", "MAXSYMLINKS", "NGROUPS_MAX", "UTIME_NOW", "UTIME_OMIT",
  "MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_SYNCHRONOUS", "MS_REMOUNT", "MS_MANDLOCK",
  "MS_DIRSYNC", "MS_NOSYMFOLLOW", "MS_NOATIME", "MS_NODIRATIME", "MS_BIND", "MS_MOVE", "MS_REC",
  "MS_SILENT", "MS_UNBINDABLE", "MS_PRIVATE", "MS_SLAVE", "MS_SHARED", "MS_RELATIME",
  "MS_STRICTATIME", "MS_LAZYTIME", "MNT_FORCE", "MNT_DETACH", "MNT_EXPIRE", "UMOUNT_NOFOLLOW",
  "EPOLLIN", "EPOLLPRI", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLRDNORM", "EPOLLRDBAND",
  "EPOLLWRNORM", "EPOLLWRBAND", "EPOLLRDHUP", "SIGPIPE", "SIGXFSZ", "SIGCHLD", "SIGTERM", "SIGKILL",
  "CAP_LAST_CAP",
] as const;

const program = `
#define _GNU_SOURCE
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/epoll.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <dirent.h>
#include <limits.h>
#include <linux/stat.h>
#include <linux/magic.h>
#include <linux/capability.h>
#include <linux/limits.h>
#ifndef NGROUPS_MAX
#define NGROUPS_MAX 65536
#endif
#define MAXSYMLINKS 40
#define XATTR_NAME_MAX 255
#define XATTR_SIZE_MAX 65536
#define XATTR_LIST_MAX 65536
#define P(name) printf("%s %lld\\n", #name, (long long)(name));
int main(void) {
${constants.map((c) => `  P(${c})`).join("\n")}
${Object.keys(abi.Errno).map((c) => `  P(${c})`).join("\n")}
  return 0;
}
`;

let dir: string;
let host: Map<string, number>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vfskit-abi-"));
  writeFileSync(join(dir, "consts.c"), program);
  execFileSync("cc", ["-o", join(dir, "consts"), join(dir, "consts.c")], { stdio: "pipe" });
  const out = execFileSync(join(dir, "consts"), { encoding: "utf8" });
  host = new Map(out.trim().split("\n").map((line) => {
    const [name, value] = line.split(" ");
    return [name!, Number(value)];
  }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("constants equal the host's C headers", () => {
  test.each(constants)("%s", (name) => {
    const ours = (abi as Record<string, unknown>)[name];
    // glibc defines O_LARGEFILE as 0 on x86-64; the kernel's own value (the one fdinfo
    // shows) is in the kernel's asm-generic header.
    if (name === "O_LARGEFILE") {
      const header = readFileSync("/usr/include/asm-generic/fcntl.h", "utf8");
      const octal = /#define\s+O_LARGEFILE\s+(0[0-7]+)/.exec(header)?.[1];
      expect(ours).toBe(Number.parseInt(octal ?? "", 8));
      return;
    }
    expect(typeof ours, `${name} is exported`).toBe("number");
    // ST_RDONLY and friends are unsigned long in C; everything here fits in a double.
    expect(ours).toBe(host.get(name));
  });
});

describe("capabilities equal the host's linux/capability.h", () => {
  test("every CAP_* number", () => {
    const names = Object.keys(abi.Capability);
    const src = `#include <stdio.h>\n#include <linux/capability.h>\nint main(void){\n${names.map((n) => `printf("%s %d\\n", "${n}", ${n});`).join("\n")}\nreturn 0;}\n`;
    writeFileSync(join(dir, "caps.c"), src);
    execFileSync("cc", ["-o", join(dir, "caps"), join(dir, "caps.c")], { stdio: "pipe" });
    const out = execFileSync(join(dir, "caps"), { encoding: "utf8" }).trim().split("\n");
    expect(out).toHaveLength(names.length);
    for (const line of out) {
      const [name, value] = line.split(" ");
      expect((abi.Capability as Record<string, number>)[name!], name).toBe(Number(value));
    }
  });
});

describe("errno table equals python3's errno module and strerror", () => {
  test("numbers, codes and messages", () => {
    const script = "import errno, os, json; print(json.dumps({n: [errno.errorcode[getattr(errno, n)] if False else getattr(errno, n), os.strerror(getattr(errno, n))] for n in dir(errno) if n.startswith('E')}))";
    const py = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" })) as Record<string, [number, string]>;
    let compared = 0;
    for (const [code, [number, message]] of Object.entries(py)) {
      expect((abi.Errno as Record<string, number>)[code], code).toBe(number);
      expect(abi.strerror(number), code).toBe(message);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(130);
  });

  test("every code in our table has the host's <errno.h> number", () => {
    // python3 may lag the kernel (3.11 lacks EHWPOISON); the C headers do not.
    for (const [code, number] of Object.entries(abi.Errno)) expect(host.get(code), code).toBe(number);
  });

  test("makedev/major/minor equal glibc's", () => {
    const script = "import os, json; print(json.dumps([[a, b, os.makedev(a, b)] for a, b in [(1,3),(8,1),(259,0),(4095,1048575),(4096,256),(65535,65535)]]))";
    const rows = JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" })) as [number, number, number][];
    for (const [ma, mi, dev] of rows) {
      expect(abi.makedev(ma, mi)).toBe(dev);
      expect(abi.major(dev)).toBe(ma);
      expect(abi.minor(dev)).toBe(mi);
    }
  });
});
