// /proc/sys: kernel/, fs/, vm/. Twin of gVisor's pkg/sentry/fsimpl/proc/tasks_sys.go,
// yama.go and keys.go (Linux's kernel/sysctl.c, kernel/utsname_sysctl.c,
// security/yama/yama_lsm.c, security/keys/sysctl.c, fs/file.c, fs/pipe.c).
import { CAP_LAST_CAP, Capability, SysError } from "@vfskit/abi";
import type { Inode } from "@vfskit/kernfs";
import { PID_MAX, UTS_NAME_MAX, type ChangePoller } from "@vfskit/kernel";
import { StaticData, utf8ByteLength, type Context, type DynamicBytesSource } from "@vfskit/vfs";
import { identity, procInternals, type ProcFilesystem } from "./filesystem.js";
import { randomUUID } from "./host-info.js";
import { ProcDirectory, ProcFile } from "./proc-inodes.js";
import { decodeText, parseIntegerWrite, textSource, writableSource } from "./sources.js";

/** Linux's sysctl_nr_open_min (BITS_PER_LONG) and sysctl_nr_open_max on 64-bit. */
const NR_OPEN_MIN = 64;
const NR_OPEN_MAX = 1_073_741_816;

/**
 * kernel.hostname or kernel.domainname: reads give the name and a newline; a write at
 * offset 0 sets it to the text before the first newline or NUL, cut to 64 bytes, as
 * Linux's `proc_do_uts_string` does (the caller must be allowed to open the 0644 file,
 * i.e. be root). Pollable: readers see POLLPRI | POLLERR after a change, from the
 * kernel's `ChangePoller`.
 */
function utsFile(ctx: Context, fs: ProcFilesystem, which: "hostname" | "domainname"): ProcFile {
  const uts = fs.kernel.uts;
  const poller: ChangePoller = which === "hostname" ? uts.hostnamePoller : uts.domainnamePoller;
  return new ProcFile(ctx, {
    ...identity(fs),
    perm: 0o644,
    changes: () => poller,
    data: writableSource(
      () => `${which === "hostname" ? uts.hostname() : uts.domainname()}\n`,
      (_c, _fd, src, offset) => {
        // Linux's default sysctl_writes_strict: a write past the start does not restart the value.
        if (offset !== 0) throw new SysError("EINVAL", { syscall: "write", detail: "sysctl writes must start at offset 0" });
        let text = decodeText(src);
        const end = text.search(/[\n\0]/);
        if (end >= 0) text = text.slice(0, end);
        while (utf8ByteLength(text) > UTS_NAME_MAX) text = text.slice(0, -1);
        // Linux checks nothing here beyond the file's mode (sethostname(2) would want
        // CAP_SYS_ADMIN): the change is made with the kernel's own credentials.
        const kernelCreds = fs.kernel.ctx.credentials;
        if (which === "hostname") uts.setHostname(kernelCreds, text);
        else uts.setDomainname(kernelCreds, text);
        return src.length;
      },
    ),
  });
}

/** A sysctl holding an integer in [min, max]; `check` runs before a write is applied. */
function intSysctl(
  ctx: Context,
  fs: ProcFilesystem,
  read: () => number,
  write: (value: number) => void,
  range: readonly [number, number],
  check?: (c: Context, value: number) => void,
): ProcFile {
  return new ProcFile(ctx, {
    ...identity(fs),
    perm: 0o644,
    data: writableSource(
      () => `${read()}\n`,
      (c, _fd, src, offset) => {
        const value = parseIntegerWrite(src, range[0], range[1], offset);
        check?.(c, value);
        write(value);
        return src.length;
      },
    ),
  });
}

/** The /proc/sys tree. @internal */
export function sysDirectory(ctx: Context, fs: ProcFilesystem): ProcDirectory {
  const state = procInternals(fs).state;
  const kernel = fs.kernel;
  const dir = (entries: [string, Inode][]): ProcDirectory => new ProcDirectory(ctx, identity(fs), 0o555, entries);
  const file = (perm: number, data: DynamicBytesSource): ProcFile => new ProcFile(ctx, { ...identity(fs), perm, data });
  const fixed = (perm: number, text: string): ProcFile => file(perm, new StaticData(text));
  const kernelDir = dir([
    ["cap_last_cap", fixed(0o444, `${CAP_LAST_CAP}\n`)],
    ["domainname", utsFile(ctx, fs, "domainname")],
    ["hostname", utsFile(ctx, fs, "hostname")],
    [
      "keys",
      dir([
        // Linux: proc_dointvec_minmax with a minimum of 0; the 0644 mode keeps non-root out.
        ["maxkeys", intSysctl(ctx, fs, () => state.maxKeys, (v) => (state.maxKeys = v), [0, 0x7fffffff])],
      ]),
    ],
    ["ostype", fixed(0o444, "Linux\n")],
    ["osrelease", file(0o444, textSource(() => `${kernel.release}\n`))],
    ["overflowgid", fixed(0o644, "65534\n")],
    ["overflowuid", fixed(0o644, "65534\n")],
    ["pid_max", fixed(0o644, `${PID_MAX}\n`)],
    [
      "random",
      dir([
        ["boot_id", file(0o444, textSource(() => `${state.bootId}\n`))],
        ["uuid", file(0o444, textSource(() => `${randomUUID(fs.host)}\n`))],
      ]),
    ],
    ["version", file(0o444, textSource(() => `${kernel.version}\n`))],
    [
      "yama",
      dir([
        [
          "ptrace_scope",
          // Linux's yama_dointvec_minmax: CAP_SYS_PTRACE to write (EPERM), 0 to 3, and
          // once 3 ("no attach") is set it cannot be lowered (EINVAL).
          intSysctl(ctx, fs, () => state.ptraceScope, (v) => (state.ptraceScope = v), [0, 3], (c, v) => {
            if (!c.credentials.hasRootCapability(Capability.CAP_SYS_PTRACE)) throw new SysError("EPERM", { syscall: "write" });
            if (state.ptraceScope === 3 && v !== 3) throw new SysError("EINVAL", { syscall: "write", detail: "ptrace_scope 3 is permanent" });
          }),
        ],
      ]),
    ],
  ]);
  const fsDir = dir([
    ["nr_open", intSysctl(ctx, fs, () => state.nrOpen, (v) => (state.nrOpen = v), [NR_OPEN_MIN, NR_OPEN_MAX])],
    ["pipe-max-size", fixed(0o644, "1048576\n")],
  ]);
  const vmDir = dir([
    ["max_map_count", fixed(0o644, "65530\n")],
    ["mmap_min_addr", fixed(0o644, "65536\n")],
    ["overcommit_memory", fixed(0o644, "0\n")],
  ]);
  return dir([
    ["fs", fsDir],
    ["kernel", kernelDir],
    ["vm", vmDir],
  ]);
}
