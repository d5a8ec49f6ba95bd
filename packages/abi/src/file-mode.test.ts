import { describe, expect, test } from "vitest";
import {
  DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_CHR, DT_BLK, DT_SOCK,
  S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG, S_IFSOCK,
  direntTypeFromMode, isBlockDevice, isCharDevice, isDirectory, isFifo, isRegular, isSocket, isSymlink,
  major, makedev, minor, modeString, capabilityName, Capability, CAP_LAST_CAP,
} from "./index.js";

describe("file modes", () => {
  test("type predicates", () => {
    expect(isDirectory(S_IFDIR | 0o755)).toBe(true);
    expect(isRegular(S_IFREG | 0o644)).toBe(true);
    expect(isSymlink(S_IFLNK | 0o777)).toBe(true);
    expect(isFifo(S_IFIFO)).toBe(true);
    expect(isCharDevice(S_IFCHR)).toBe(true);
    expect(isBlockDevice(S_IFBLK)).toBe(true);
    expect(isSocket(S_IFSOCK)).toBe(true);
    expect(isDirectory(S_IFREG)).toBe(false);
  });

  test.each([
    [S_IFDIR | 0o755, "drwxr-xr-x"],
    [S_IFREG | 0o644, "-rw-r--r--"],
    [S_IFDIR | 0o1777, "drwxrwxrwt"],
    [S_IFDIR | 0o1770, "drwxrwx--T"],
    [S_IFREG | 0o4755, "-rwsr-xr-x"],
    [S_IFREG | 0o4644, "-rwSr--r--"],
    [S_IFDIR | 0o2775, "drwxrwsr-x"],
    [S_IFLNK | 0o777, "lrwxrwxrwx"],
    [S_IFIFO | 0o600, "prw-------"],
    [S_IFCHR | 0o666, "crw-rw-rw-"],
    [S_IFBLK | 0o660, "brw-rw----"],
    [S_IFSOCK | 0o755, "srwxr-xr-x"],
  ])("modeString(%o) = %s", (mode, text) => {
    expect(modeString(mode)).toBe(text);
  });

  test("dirent types follow the mode's type bits", () => {
    expect(direntTypeFromMode(S_IFDIR)).toBe(DT_DIR);
    expect(direntTypeFromMode(S_IFREG | 0o644)).toBe(DT_REG);
    expect(direntTypeFromMode(S_IFLNK)).toBe(DT_LNK);
    expect(direntTypeFromMode(S_IFIFO)).toBe(DT_FIFO);
    expect(direntTypeFromMode(S_IFCHR)).toBe(DT_CHR);
    expect(direntTypeFromMode(S_IFBLK)).toBe(DT_BLK);
    expect(direntTypeFromMode(S_IFSOCK)).toBe(DT_SOCK);
  });
});

describe("devices", () => {
  test.each([
    [1, 3, 259],
    [8, 1, 2049],
    [259, 0, 66304],
    [0, 45, 45],
    [4095, 1048575, 4294967295],
    [4096, 256, 17592187092992],
  ])("makedev(%d, %d) = %d (values from glibc)", (ma, mi, dev) => {
    expect(makedev(ma, mi)).toBe(dev);
    expect(major(dev)).toBe(ma);
    expect(minor(dev)).toBe(mi);
  });
});

describe("capabilities", () => {
  test("numbers and names", () => {
    expect(Capability.CAP_CHOWN).toBe(0);
    expect(Capability.CAP_SYS_ADMIN).toBe(21);
    expect(Capability.CAP_CHECKPOINT_RESTORE).toBe(CAP_LAST_CAP);
    expect(Object.keys(Capability)).toHaveLength(41);
    expect(capabilityName(21)).toBe("CAP_SYS_ADMIN");
    expect(capabilityName(41)).toBeUndefined();
  });
});
