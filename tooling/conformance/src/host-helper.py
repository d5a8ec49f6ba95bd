"""The host executor of tooling/conformance.

Reads one JSON request a line on stdin: {"dir": D, "cwd": C, "umask": n, "dropCaps": bool, "ops": [...]},
and answers one JSON line on stdout: {"results": [...]}. Each request runs in a forked
child that chroots into D (so absolute paths and absolute symlink targets mean the same
as in vfskit, whose tmpfs root holds the same tree), drops the capability it was given
only for that chroot (unprivileged runs), sets the umask and runs the steps with the real
system calls. A result is {"ok": value} or {"err": errno}. File data travels as Latin-1
text (one character a byte).
"""
import ctypes
import json
import os
import stat
import sys

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
AT_SYMLINK_NOFOLLOW = 0x100
AT_SYMLINK_FOLLOW = 0x400
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
TYPES = {
    stat.S_IFDIR: "dir",
    stat.S_IFREG: "reg",
    stat.S_IFLNK: "lnk",
    stat.S_IFIFO: "fifo",
    stat.S_IFCHR: "chr",
    stat.S_IFBLK: "blk",
    stat.S_IFSOCK: "sock",
}


def drop_capabilities():
    """Clears the ambient, effective, permitted and inheritable sets (capset v3)."""
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    if libc.capset(header, data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


UTIME_NOW = (1 << 30) - 1
UTIME_OMIT = (1 << 30) - 2


class Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


def timespec(t):
    """-1 is UTIME_NOW, -2 UTIME_OMIT, anything else whole seconds."""
    if t == -1:
        return Timespec(0, UTIME_NOW)
    if t == -2:
        return Timespec(0, UTIME_OMIT)
    return Timespec(t, 0)


def check(ret):
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def stat_result(st):
    kind = TYPES.get(stat.S_IFMT(st.st_mode), "?")
    return {
        "type": kind,
        "mode": stat.S_IMODE(st.st_mode),
        "nlink": st.st_nlink,
        "size": st.st_size,
        "uid": st.st_uid,
        "gid": st.st_gid,
    }


def run_ops(ops):
    fds = []  # slot k -> host fd, or -1 once closed

    def fd_of(slot):
        return fds[slot] if slot < len(fds) else -1

    def at_fd(slot):
        return AT_FDCWD if slot is None else fd_of(slot)

    def dirfd_of(o):
        # None is AT_FDCWD for python; a closed or failed slot is -1 (EBADF).
        return None if o.get("dirfd") is None else fd_of(o["dirfd"])

    def step(o):
        name = o["op"]
        if name == "mkdir":
            os.mkdir(o["path"], o["mode"], dir_fd=dirfd_of(o))
            return None
        if name == "rmdir":
            os.rmdir(o["path"], dir_fd=dirfd_of(o))
            return None
        if name == "open":
            fds.append(-1)
            fds[-1] = os.open(o["path"], o["flags"], o["mode"], dir_fd=dirfd_of(o))
            return "fd"
        if name == "close":
            fd = fd_of(o["fd"])
            if o["fd"] < len(fds):
                fds[o["fd"]] = -1
            os.close(fd)
            return None
        if name == "write":
            return os.write(fd_of(o["fd"]), o["data"].encode("latin-1"))
        if name == "read":
            return os.read(fd_of(o["fd"]), o["count"]).decode("latin-1")
        if name == "pread":
            return os.pread(fd_of(o["fd"]), o["count"], o["offset"]).decode("latin-1")
        if name == "pwrite":
            return os.pwrite(fd_of(o["fd"]), o["data"].encode("latin-1"), o["offset"])
        if name == "lseek":
            return os.lseek(fd_of(o["fd"]), o["offset"], o["whence"])
        if name == "ftruncate":
            os.ftruncate(fd_of(o["fd"]), o["length"])
            return None
        if name == "truncate":
            os.truncate(o["path"], o["length"])
            return None
        if name == "unlink":
            os.unlink(o["path"], dir_fd=dirfd_of(o))
            return None
        if name == "umask":
            return os.umask(o["mask"])
        if name == "fchown":
            os.fchown(fd_of(o["fd"]), o["uid"], o["gid"])
            return None
        if name == "rename":
            old_dir = at_fd(o.get("olddirfd"))
            new_dir = at_fd(o.get("newdirfd"))
            check(libc.renameat2(old_dir, os.fsencode(o["from"]), new_dir, os.fsencode(o["to"]), o["flags"]))
            return None
        if name == "link":
            # Not os.link: with follow_symlinks=True it calls link(2), which does not follow.
            old_dir = at_fd(o.get("olddirfd"))
            new_dir = at_fd(o.get("newdirfd"))
            check(libc.linkat(old_dir, os.fsencode(o["from"]), new_dir, os.fsencode(o["to"]), o["flags"]))
            return None
        if name == "symlink":
            os.symlink(o["target"], o["path"], dir_fd=dirfd_of(o))
            return None
        if name == "readlink":
            if o.get("dirfd") is None:
                return os.readlink(o["path"])
            # os.readlink refuses an empty path; readlinkat(fd, "") reads an O_PATH link.
            buf = ctypes.create_string_buffer(8192)
            n = libc.readlinkat(fd_of(o["dirfd"]), os.fsencode(o["path"]), buf, 8192)
            if n < 0:
                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err))
            return os.fsdecode(buf.raw[:n])
        if name == "stat":
            return stat_result(os.stat(o["path"], dir_fd=dirfd_of(o)))
        if name == "lstat":
            return stat_result(os.stat(o["path"], dir_fd=dirfd_of(o), follow_symlinks=False))
        if name == "getcwd":
            return os.getcwd()
        if name == "fstat":
            return stat_result(os.fstat(fd_of(o["fd"])))
        if name == "chmod":
            check(libc.fchmodat(at_fd(o.get("dirfd")), os.fsencode(o["path"]), o["mode"], 0))
            return None
        if name == "fchmod":
            os.fchmod(fd_of(o["fd"]), o["mode"])
            return None
        if name == "chown":
            os.chown(o["path"], o["uid"], o["gid"], dir_fd=dirfd_of(o), follow_symlinks=o["flags"] == 0)
            return None
        if name == "utimes":
            times = o["times"]
            if times is None:
                spec = None
            else:
                spec = (Timespec * 2)(*[timespec(t) for t in times])
            check(libc.utimensat(at_fd(o.get("dirfd")), os.fsencode(o["path"]), spec, o["flags"]))
            return None
        if name == "access":
            check(libc.faccessat(at_fd(o.get("dirfd")), os.fsencode(o["path"]), o["mode"], o.get("flags") or 0))
            return None
        if name == "chdir":
            os.chdir(o["path"])
            return None
        if name == "readdir":
            return sorted(os.listdir(o["path"]))
        raise ValueError("unknown op " + name)

    results = []
    for o in ops:
        try:
            results.append({"ok": step(o)})
        except OSError as e:
            results.append({"err": e.errno})
        except Exception as e:  # not an errno: the comparison reports it
            results.append({"crash": type(e).__name__ + ": " + str(e)})
    for fd in fds:
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass
    return results


def serve_one(request):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            os.chroot(request["dir"])
            os.chdir(request["cwd"])
            if request.get("dropCaps"):
                drop_capabilities()
            os.umask(request["umask"])
            out = json.dumps({"results": run_ops(request["ops"])}).encode()
        except BaseException as e:  # report, never hang the parent
            out = json.dumps({"error": type(e).__name__ + ": " + str(e)}).encode()
        view = memoryview(out)
        while view:
            n = os.write(write_end, view)
            view = view[n:]
        os._exit(0)
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks)


def main():
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        answer = serve_one(json.loads(line))
        out.write(answer + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
