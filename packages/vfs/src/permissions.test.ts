// Permission rules, table-driven. Rows marked "host" were checked on Linux 6.18 (tmpfs)
// as root and as uid 1000 (see docs in the report); the rest follow the kernel source.
import {
  Capability,
  O_APPEND,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  STATX_ATIME,
  STATX_GID,
  STATX_MODE,
  STATX_MTIME,
  STATX_SIZE,
  STATX_UID,
  UTIME_NOW,
  UTIME_OMIT,
  type ErrnoCode,
} from "@vfskit/abi";
import type { Credentials } from "@vfskit/auth";
import { describe, expect, test } from "vitest";
import { withValue } from "./context.js";
import { MAY_EXEC, MAY_READ, MAY_WRITE, type SetStatAttributes } from "./options.js";
import {
  FileSizeLimitKey,
  accessTypesForOpenFlags,
  canActAsOwner,
  checkDeleteSticky,
  checkLimit,
  checkSetStat,
  checkXattrPermissions,
  clearSUIDAndSGID,
  genericCheckPermissions,
  hasCapabilityOnFile,
  mayLink,
  mayReadFileWithOpenFlags,
  mayWriteFileWithOpenFlags,
  shouldClearSGID,
} from "./permissions.js";
import { kgid, kuid, rootCredentials, testContext, testCredentials } from "./testing-fixtures/credentials.js";
import { expectErrno } from "./testing-fixtures/expect-errno.js";

const REG = 0o100000;
const DIR = 0o040000;
const FIFO = 0o010000;
const LNK = 0o120000;

const root = rootCredentials();
const u1000 = testCredentials({ uid: 1000, gid: 1000 });
const u2000in1000 = testCredentials({ uid: 2000, gid: 2000, groups: [1000] });
const u2000 = testCredentials({ uid: 2000, gid: 2000 });
const readSearch = testCredentials({ uid: 3000, gid: 3000, caps: [Capability.CAP_DAC_READ_SEARCH] });
const override = testCredentials({ uid: 3000, gid: 3000, caps: [Capability.CAP_DAC_OVERRIDE] });
const fowner = testCredentials({ uid: 3000, gid: 3000, caps: [Capability.CAP_FOWNER] });
const chowner = testCredentials({ uid: 3000, gid: 3000, caps: [Capability.CAP_CHOWN] });
const fsetid = testCredentials({ uid: 1000, gid: 1000, caps: [Capability.CAP_FSETID] });
/** Root of a child user namespace in which only IDs 0 and 1000 are mapped. */
const childRoot = testCredentials({ uid: 0, gid: 0, childNamespace: { uids: [0, 1000], gids: [0, 1000] } });

function outcome(fn: () => unknown): "ok" | ErrnoCode {
  try {
    fn();
    return "ok";
  } catch (error) {
    const code = (error as { code?: ErrnoCode }).code;
    if (code === undefined) throw error;
    return code;
  }
}

describe("genericCheckPermissions", () => {
  type Row = [string, Credentials, number, number, number, number, "ok" | "EACCES"];
  const rows: Row[] = [
    // [description, caller, access, mode, file uid, file gid, result]
    ["owner reads a 0600 file", u1000, MAY_READ, REG | 0o600, 1000, 1000, "ok"],
    ["owner cannot execute a 0600 file", u1000, MAY_EXEC, REG | 0o600, 1000, 1000, "EACCES"],
    ["owner needs every requested bit", u1000, MAY_READ | MAY_WRITE, REG | 0o400, 1000, 1000, "EACCES"],
    ["host: owner class denies though group and other allow (0077)", u1000, MAY_READ, REG | 0o077, 1000, 1000, "EACCES"],
    ["host: group class denies though other allows (0604)", u2000in1000, MAY_READ, REG | 0o604, 0, 1000, "EACCES"],
    ["a supplementary group selects the group class", u2000in1000, MAY_READ, REG | 0o640, 0, 1000, "ok"],
    ["outside the group, the other class applies (0604)", u2000, MAY_READ, REG | 0o604, 0, 1000, "ok"],
    ["other class denies write (0644)", u2000, MAY_WRITE, REG | 0o644, 0, 0, "EACCES"],
    ["search on a 0711 directory by others", u2000, MAY_EXEC, DIR | 0o711, 0, 0, "ok"],
    ["host: root cannot execute a 0644 file", root, MAY_EXEC, REG | 0o644, 0, 0, "EACCES"],
    ["root executes a file with only the other x bit", root, MAY_EXEC, REG | 0o001, 1000, 1000, "ok"],
    ["host: root reads a 0000 file", root, MAY_READ, REG | 0o000, 0, 0, "ok"],
    ["host: root writes a 0000 file", root, MAY_WRITE, REG | 0o000, 0, 0, "ok"],
    ["host: root searches and lists a 0000 directory", root, MAY_READ | MAY_EXEC, DIR | 0o000, 0, 0, "ok"],
    ["root writes a 0000 directory", root, MAY_WRITE | MAY_EXEC, DIR | 0o000, 0, 0, "ok"],
    ["CAP_DAC_READ_SEARCH reads any file", readSearch, MAY_READ, REG | 0o000, 0, 0, "ok"],
    ["CAP_DAC_READ_SEARCH does not write files", readSearch, MAY_WRITE, REG | 0o000, 0, 0, "EACCES"],
    ["CAP_DAC_READ_SEARCH does not read+execute files", readSearch, MAY_READ | MAY_EXEC, REG | 0o000, 0, 0, "EACCES"],
    ["CAP_DAC_READ_SEARCH reads and searches directories", readSearch, MAY_READ | MAY_EXEC, DIR | 0o000, 0, 0, "ok"],
    ["CAP_DAC_READ_SEARCH does not write directories", readSearch, MAY_WRITE | MAY_EXEC, DIR | 0o000, 0, 0, "EACCES"],
    ["CAP_DAC_OVERRIDE reads and writes files", override, MAY_READ | MAY_WRITE, REG | 0o000, 0, 0, "ok"],
    ["CAP_DAC_OVERRIDE cannot execute a file without x bits", override, MAY_EXEC, REG | 0o666, 0, 0, "EACCES"],
    ["CAP_DAC_OVERRIDE executes a file with the owner x bit", override, MAY_EXEC, REG | 0o100, 0, 0, "ok"],
    ["CAP_DAC_OVERRIDE writes directories", override, MAY_WRITE | MAY_EXEC, DIR | 0o000, 0, 0, "ok"],
    ["child-namespace root: file IDs mapped", childRoot, MAY_READ | MAY_WRITE, REG | 0o000, 1000, 1000, "ok"],
    ["child-namespace root: file UID unmapped", childRoot, MAY_READ, REG | 0o000, 5000, 1000, "EACCES"],
    ["child-namespace root: file GID unmapped", childRoot, MAY_READ, REG | 0o000, 1000, 5000, "EACCES"],
  ];
  test.each(rows)("%s", (_name, creds, ats, mode, uid, gid, expected) => {
    expect(outcome(() => genericCheckPermissions(creds, ats, mode, kuid(uid), kgid(gid)))).toBe(expected);
  });
});

describe("filesystem IDs (setfsuid/setfsgid), as Linux checks them", () => {
  // Effective uid 2000, but filesystem uid/gid 1000 (after setfsuid(1000), setfsgid(1000)).
  const fsUser = testCredentials({ uid: 2000, gid: 2000 }).with({ fsKUID: kuid(1000), fsKGID: kgid(1000) });
  test("the owner class is chosen by the filesystem UID", () => {
    genericCheckPermissions(fsUser, MAY_READ, REG | 0o400, kuid(1000), kgid(0));
    expectErrno(() => genericCheckPermissions(fsUser, MAY_READ, REG | 0o400, kuid(2000), kgid(0)), "EACCES");
  });
  test("the group class is chosen by the filesystem GID", () => {
    genericCheckPermissions(fsUser, MAY_READ, REG | 0o040, kuid(0), kgid(1000));
  });
  test("ownership for chmod and the sticky rule follow the filesystem UID", () => {
    expect(canActAsOwner(fsUser, kuid(1000))).toBe(true);
    expect(canActAsOwner(fsUser, kuid(2000))).toBe(false);
    checkDeleteSticky(fsUser, DIR | 0o1777, kuid(0), kuid(1000), kgid(0));
  });
});

describe("canActAsOwner and hasCapabilityOnFile", () => {
  test.each([
    ["the owner", u1000, 1000, true],
    ["someone else", u2000, 1000, false],
    ["CAP_FOWNER", fowner, 1000, true],
    ["CAP_FOWNER in a child namespace, UID mapped", childRoot, 1000, true],
    ["CAP_FOWNER in a child namespace, UID unmapped", childRoot, 5000, false],
  ] as const)("%s", (_name, creds, uid, expected) => {
    expect(canActAsOwner(creds, kuid(uid))).toBe(expected);
  });

  test("hasCapabilityOnFile needs the capability and both IDs mapped", () => {
    expect(hasCapabilityOnFile(root, Capability.CAP_CHOWN, kuid(5), kgid(5))).toBe(true);
    expect(hasCapabilityOnFile(u1000, Capability.CAP_CHOWN, kuid(1000), kgid(1000))).toBe(false);
    expect(hasCapabilityOnFile(childRoot, Capability.CAP_CHOWN, kuid(1000), kgid(1000))).toBe(true);
    expect(hasCapabilityOnFile(childRoot, Capability.CAP_CHOWN, kuid(1000), kgid(7))).toBe(false);
  });
});

describe("mayLink (protected hard links)", () => {
  test.each([
    ["host: owner links its own file", u1000, REG | 0o644, 1000, "ok"],
    ["owner links even a setuid FIFO", u1000, FIFO | 0o4000, 1000, "ok"],
    ["host: non-owner, no read+write permission", u1000, REG | 0o644, 2000, "EPERM"],
    ["host: non-owner, read+write permission", u1000, REG | 0o666, 2000, "ok"],
    ["host: non-owner, setuid file", u1000, REG | 0o4666, 2000, "EPERM"],
    ["host: non-owner, setgid and group-executable", u1000, REG | 0o2676, 2000, "EPERM"],
    ["host: non-owner, setgid without group-execute", u1000, REG | 0o2666, 2000, "ok"],
    ["host: non-owner, FIFO", u1000, FIFO | 0o666, 2000, "EPERM"],
    ["non-owner, directory", u1000, DIR | 0o777, 2000, "EPERM"],
    ["CAP_FOWNER links anything", fowner, REG | 0o4000, 2000, "ok"],
  ] as const)("%s", (_name, creds, mode, uid, expected) => {
    expect(outcome(() => mayLink(creds, mode, kuid(uid), kgid(uid)))).toBe(expected);
  });
});

describe("open flags", () => {
  test.each([
    ["O_RDONLY", O_RDONLY, false, MAY_READ],
    ["O_RDONLY|O_TRUNC", O_RDONLY | O_TRUNC, false, MAY_READ | MAY_WRITE],
    ["O_WRONLY", O_WRONLY, false, MAY_WRITE],
    ["O_WRONLY|O_TRUNC", O_WRONLY | O_TRUNC, false, MAY_WRITE],
    ["O_RDWR|O_APPEND", O_RDWR | O_APPEND, false, MAY_READ | MAY_WRITE],
    ["access mode 3", 3, false, MAY_READ | MAY_WRITE],
    // Linux's open_exec asks for MAY_EXEC only (acc_mode MAY_EXEC | MAY_OPEN): a 0711
    // program runs for a user who cannot read it (host-checked); gVisor adds MAY_READ.
    ["O_RDONLY for execve", O_RDONLY, true, MAY_EXEC],
  ])("accessTypesForOpenFlags(%s)", (_name, flags, fileExec, expected) => {
    expect(accessTypesForOpenFlags({ flags, mode: 0, fileExec })).toBe(expected);
  });

  test.each([
    [O_RDONLY, true, false],
    [O_WRONLY, false, true],
    [O_RDWR, true, true],
    [3, false, false],
    [O_RDONLY | O_TRUNC, true, false],
  ])("flags %o: readable %s, writable %s", (flags, readable, writable) => {
    expect(mayReadFileWithOpenFlags(flags)).toBe(readable);
    expect(mayWriteFileWithOpenFlags(flags)).toBe(writable);
  });
});

describe("setgid and setuid clearing", () => {
  test.each([
    ["no setgid bit", u2000, 0o644, 1000, false],
    ["caller in the file's group", u2000in1000, 0o2644, 1000, false],
    ["host: caller not in the group", u1000, 0o2644, 3000, true],
    ["caller with CAP_FSETID", fsetid, 0o2644, 3000, false],
  ] as const)("shouldClearSGID: %s", (_name, creds, mode, gid, expected) => {
    expect(shouldClearSGID(creds, mode, kuid(1000), kgid(gid))).toBe(expected);
  });

  test.each([
    ["setuid is always cleared", REG | 0o4755, REG | 0o755],
    ["setgid with group-execute is cleared", REG | 0o2755, REG | 0o755],
    ["setgid without group-execute stays", REG | 0o2745, REG | 0o2745],
    ["both", REG | 0o6771, REG | 0o771],
    ["directories are untouched", DIR | 0o6775, DIR | 0o6775],
  ])("clearSUIDAndSGID: %s", (_name, before, after) => {
    expect(clearSUIDAndSGID(before)).toBe(after);
  });
});

describe("checkDeleteSticky", () => {
  test.each([
    ["a non-sticky directory allows anyone", u2000, 0o777, 0, 1000, "ok"],
    ["the child's owner", u1000, 0o1777, 0, 1000, "ok"],
    ["host: the directory's owner", u1000, 0o1777, 1000, 2000, "ok"],
    ["host: anyone else", u1000, 0o1777, 0, 2000, "EPERM"],
    ["CAP_FOWNER", fowner, 0o1777, 0, 2000, "ok"],
    ["CAP_FOWNER in a child namespace, child unmapped", childRoot, 0o1777, 1000, 5000, "EPERM"],
  ] as const)("%s", (_name, creds, parentMode, parentUID, childUID, expected) => {
    expect(outcome(() => checkDeleteSticky(creds, DIR | parentMode, kuid(parentUID), kuid(childUID), kgid(childUID)))).toBe(expected);
  });
});

describe("checkLimit", () => {
  const ctx = testContext();
  test("no limit: the whole write", () => {
    expect(checkLimit(ctx, 1e12, 10)).toBe(10);
  });
  test("a write crossing the limit is shortened; one at or past it is EFBIG", () => {
    const limited = withValue(ctx, FileSizeLimitKey, 100);
    expect(checkLimit(limited, 0, 10)).toBe(10);
    expect(checkLimit(limited, 95, 10)).toBe(5);
    expectErrno(() => checkLimit(limited, 100, 1), "EFBIG");
    expectErrno(() => checkLimit(limited, 200, 1), "EFBIG");
  });
});

describe("checkSetStat", () => {
  const ctx = testContext();
  const now = { sec: 0, nsec: UTIME_NOW };
  const omit = { sec: 0, nsec: UTIME_OMIT };
  const at = (sec: number): { sec: number; nsec: number } => ({ sec, nsec: 0 });
  const times = (atime: { sec: number; nsec: number }, mtime: { sec: number; nsec: number }): SetStatAttributes => ({
    mask: STATX_ATIME | STATX_MTIME,
    atime,
    mtime,
  });

  type Row = [string, Credentials, SetStatAttributes, number, "ok" | ErrnoCode, boolean?];
  // Files are owned by 1000:1000 unless the mode column says otherwise.
  const rows: Row[] = [
    ["host: owner chowns to another user", u1000, { mask: STATX_UID, uid: 2000 }, 0o644, "EPERM"],
    ["host: owner chowns to itself", u1000, { mask: STATX_UID, uid: 1000 }, 0o644, "ok"],
    ["non-owner chowns to the current owner", u2000, { mask: STATX_UID, uid: 1000 }, 0o666, "EPERM"],
    ["CAP_CHOWN chowns anything", chowner, { mask: STATX_UID, uid: 2000 }, 0o644, "ok"],
    ["host: owner chgrps to a group it is not in", u1000, { mask: STATX_GID, gid: 2000 }, 0o644, "EPERM"],
    ["host: owner chgrps to its own group", u1000, { mask: STATX_GID, gid: 1000 }, 0o644, "ok"],
    ["non-owner chgrps to a group it is in", u2000in1000, { mask: STATX_GID, gid: 1000 }, 0o666, "EPERM"],
    ["CAP_CHOWN chgrps anything", chowner, { mask: STATX_GID, gid: 7 }, 0o644, "ok"],
    ["host: non-owner chmods", u2000, { mask: STATX_MODE, mode: 0o600 }, 0o666, "EPERM"],
    ["owner chmods", u1000, { mask: STATX_MODE, mode: 0o600 }, 0o644, "ok"],
    ["CAP_FOWNER chmods", fowner, { mask: STATX_MODE, mode: 0o600 }, 0o644, "ok"],
    ["owner sets explicit times", u1000, times(at(1), at(2)), 0o444, "ok"],
    ["host: non-owner sets explicit times (write permission)", u2000, times(at(1), at(2)), 0o666, "EPERM"],
    ["host: non-owner sets explicit times (no write permission)", u2000, times(at(1), at(2)), 0o644, "EPERM"],
    ["host: non-owner touches (UTIME_NOW twice) with write permission", u2000, times(now, now), 0o666, "ok"],
    ["host: non-owner touches without write permission", u2000, times(now, now), 0o644, "EACCES"],
    ["host: non-owner sets atime to now, omits mtime", u2000, times(now, omit), 0o666, "EPERM"],
    ["host: non-owner omits atime, sets mtime to now", u2000, times(omit, now), 0o666, "EPERM"],
    ["host: non-owner omits both", u2000, times(omit, omit), 0o644, "ok"],
    ["host: non-owner sets atime now and mtime explicitly", u2000, times(now, at(5)), 0o666, "EPERM"],
    ["non-owner sets only atime to now (mask)", u2000, { mask: STATX_ATIME, atime: now }, 0o666, "EPERM"],
    ["CAP_FOWNER sets explicit times", fowner, times(at(1), at(2)), 0o000, "ok"],
    ["owner touches a 0000 file", u1000, times(now, now), 0o000, "ok"],
    ["a size change within no limit", u2000, { mask: STATX_SIZE, size: 1e9 }, 0o644, "ok"],
  ];
  test.each(rows)("%s", (_name, creds, stat, mode, expected) => {
    expect(outcome(() => checkSetStat(ctx, creds, { stat }, REG | mode, kuid(1000), kgid(1000)))).toBe(expected);
  });

  test("host: truncate by path without write permission is EACCES", () => {
    expectErrno(() => checkSetStat(ctx, u2000, { stat: { mask: STATX_SIZE, size: 0 }, needWritePerm: true }, REG | 0o644, kuid(1000), kgid(1000)), "EACCES");
    expect(checkSetStat(ctx, u2000, { stat: { mask: STATX_SIZE, size: 0 }, needWritePerm: true }, REG | 0o666, kuid(1000), kgid(1000))).toEqual({
      mode: undefined,
      clearSGID: false,
    });
  });

  test("a size beyond the file-size limit is EFBIG, after the write-permission check", () => {
    const limited = withValue(ctx, FileSizeLimitKey, 10);
    const grow = { stat: { mask: STATX_SIZE, size: 11 } };
    expectErrno(() => checkSetStat(limited, u1000, grow, REG | 0o644, kuid(1000), kgid(1000)), "EFBIG");
    checkSetStat(limited, u1000, { stat: { mask: STATX_SIZE, size: 10 } }, REG | 0o644, kuid(1000), kgid(1000));
    expectErrno(() => checkSetStat(limited, u2000, { ...grow, needWritePerm: true }, REG | 0o644, kuid(1000), kgid(1000)), "EACCES");
  });

  test("host: chmod g+s by an owner outside the file's group silently drops S_ISGID", () => {
    const result = checkSetStat(ctx, u1000, { stat: { mask: STATX_MODE, mode: 0o2644 } }, REG | 0o644, kuid(1000), kgid(3000));
    expect(result).toEqual({ mode: 0o644, clearSGID: true });
  });

  test("host: chmod g+s by an owner in the file's group keeps it", () => {
    const result = checkSetStat(ctx, u1000, { stat: { mask: STATX_MODE, mode: 0o2644 } }, REG | 0o644, kuid(1000), kgid(1000));
    expect(result).toEqual({ mode: 0o2644, clearSGID: false });
  });

  test("chmod g+s with CAP_FSETID keeps it", () => {
    const result = checkSetStat(ctx, fsetid, { stat: { mask: STATX_MODE, mode: 0o2644 } }, REG | 0o644, kuid(1000), kgid(3000));
    expect(result.clearSGID).toBe(false);
  });

  test("chmod g+s together with chgrp tests the new group", () => {
    const both = { stat: { mask: STATX_MODE | STATX_GID, mode: 0o2644, gid: 1000 } };
    expect(checkSetStat(ctx, u1000, both, REG | 0o644, kuid(1000), kgid(3000)).clearSGID).toBe(false);
  });

  test("without a mode change nothing needs applying", () => {
    expect(checkSetStat(ctx, u1000, { stat: { mask: STATX_UID, uid: 1000 } }, REG | 0o644, kuid(1000), kgid(1000))).toEqual({
      mode: undefined,
      clearSGID: false,
    });
  });
});

describe("checkXattrPermissions", () => {
  type Row = [string, Credentials, number, number, number, string, "ok" | ErrnoCode];
  const rows: Row[] = [
    // [description, caller, access, mode, file uid, name, result]
    ["host: root writes trusted.*", root, MAY_WRITE, REG | 0o666, 0, "trusted.foo", "ok"],
    ["host: a user writes trusted.*", u1000, MAY_WRITE, REG | 0o666, 0, "trusted.foo", "EPERM"],
    ["host: a user reads trusted.* (hidden)", u1000, MAY_READ, REG | 0o666, 0, "trusted.foo", "ENODATA"],
    ["CAP_SYS_ADMIN in a child namespace does not count for trusted.*", childRoot, MAY_WRITE, REG | 0o666, 0, "trusted.foo", "EPERM"],
    ["user.* on a regular file", u1000, MAY_WRITE, REG | 0o666, 0, "user.x", "ok"],
    ["host: user.* on a directory", u1000, MAY_WRITE, DIR | 0o777, 0, "user.x", "ok"],
    ["host: write user.* on a FIFO (even root)", root, MAY_WRITE, FIFO | 0o666, 0, "user.x", "EPERM"],
    ["host: read user.* on a FIFO", root, MAY_READ, FIFO | 0o666, 0, "user.x", "ENODATA"],
    ["host: write user.* on a symlink", root, MAY_WRITE, LNK | 0o777, 0, "user.x", "EPERM"],
    ["host: read user.* on a symlink", root, MAY_READ, LNK | 0o777, 0, "user.x", "ENODATA"],
    ["host: write user.* on a sticky directory one does not own", u1000, MAY_WRITE, DIR | 0o1777, 0, "user.x", "EPERM"],
    ["host: read user.* on a sticky directory one does not own", u1000, MAY_READ, DIR | 0o1777, 0, "user.x", "ok"],
    ["write user.* on one's own sticky directory", u1000, MAY_WRITE, DIR | 0o1777, 1000, "user.x", "ok"],
    ["CAP_FOWNER writes user.* on a sticky directory", fowner, MAY_WRITE, DIR | 0o1777, 0, "user.x", "ok"],
    ["host: root writes security.foo (Linux, not gVisor's EOPNOTSUPP)", root, MAY_WRITE, REG | 0o666, 0, "security.foo", "ok"],
    ["host: a user writes security.foo", u1000, MAY_WRITE, REG | 0o666, 1000, "security.foo", "EPERM"],
    ["a user reads security.foo", u1000, MAY_READ, REG | 0o600, 0, "security.foo", "ok"],
    ["root writes security.capability", root, MAY_WRITE, REG | 0o755, 1000, "security.capability", "ok"],
    ["a user writes security.capability", u1000, MAY_WRITE, REG | 0o755, 1000, "security.capability", "EPERM"],
    ["system.* is left to the filesystem", u1000, MAY_WRITE, REG | 0o644, 0, "system.posix_acl_access", "ok"],
  ];
  test.each(rows)("%s", (_name, creds, ats, mode, uid, name, expected) => {
    expect(outcome(() => checkXattrPermissions(creds, ats, mode, kuid(uid), name))).toBe(expected);
  });
});
