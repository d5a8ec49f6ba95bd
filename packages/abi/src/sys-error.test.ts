import { describe, expect, test } from "vitest";
import { Errno, SysError, errnoCode, isSysError, strerror } from "./index.js";

describe("SysError", () => {
  test("carries the Linux errno, code and a Node-shaped message", () => {
    const e = new SysError("ENOENT", { syscall: "open", path: "/x" });
    expect(e).toBeInstanceOf(Error);
    expect(e.errno).toBe(2);
    expect(e.code).toBe("ENOENT");
    expect(e.syscall).toBe("open");
    expect(e.path).toBe("/x");
    expect(e.message).toBe("ENOENT: no such file or directory, open '/x'");
    expect(e.name).toBe("SysError");
  });

  test("two-path operations and details", () => {
    const e = new SysError("EXDEV", { syscall: "rename", path: "/a", dest: "/b", detail: "different mounts" });
    expect(e.message).toBe("EXDEV: cross-device link not permitted, rename '/a' -> '/b' (different mounts)");
  });

  test("falls back to strerror text where Node has no description", () => {
    const e = new SysError("EUSERS");
    expect(e.message).toBe("EUSERS: too many users");
  });

  test("accepts numbers and canonicalises aliases", () => {
    expect(new SysError(11).code).toBe("EAGAIN");
    expect(new SysError("EWOULDBLOCK").code).toBe("EAGAIN");
    expect(new SysError("ENOTSUP").code).toBe("EOPNOTSUPP");
    expect(new SysError("EDEADLOCK").code).toBe("EDEADLK");
  });

  test("rejects numbers that are not errnos", () => {
    expect(() => new SysError(0)).toThrow(RangeError);
    expect(() => new SysError(41)).toThrow(RangeError);
    expect(() => new SysError(134)).toThrow(RangeError);
  });

  test("withContext fills missing fields and keeps existing ones", () => {
    const e = new SysError("EACCES", { path: "/inner" }).withContext({ syscall: "openat", path: "/outer" });
    expect(e.syscall).toBe("openat");
    expect(e.path).toBe("/inner");
    expect(e.errno).toBe(Errno.EACCES);
  });

  test("withContext keeps the original detail and adds one when there was none", () => {
    const kept = new SysError("EINVAL", { detail: "bad flags" }).withContext({ syscall: "dup3", detail: "other" });
    expect(kept.detail).toBe("bad flags");
    expect(kept.message).toBe("EINVAL: invalid argument, dup3 (bad flags)");
    const added = new SysError("EINVAL").withContext({ syscall: "dup3", detail: "equal fds" });
    expect(added.message).toBe("EINVAL: invalid argument, dup3 (equal fds)");
  });
});

describe("isSysError", () => {
  test("recognises SysErrors and codes, including aliases", () => {
    const e = new SysError("EAGAIN");
    expect(isSysError(e)).toBe(true);
    expect(isSysError(e, "EAGAIN")).toBe(true);
    expect(isSysError(e, "EWOULDBLOCK")).toBe(true);
    expect(isSysError(e, "ENOENT")).toBe(false);
  });

  test("rejects other values", () => {
    expect(isSysError(new Error("ENOENT"))).toBe(false);
    expect(isSysError({ code: "ENOENT", errno: 2 })).toBe(false);
    expect(isSysError(null)).toBe(false);
    expect(isSysError("ENOENT")).toBe(false);
  });

  test("works across duplicated copies of the package (Symbol.for marker)", () => {
    // An object from another copy of the class has the same global symbol but a different prototype.
    const foreign = Object.create(null) as Record<PropertyKey, unknown>;
    foreign[Symbol.for("@vfskit/abi.SysError")] = true;
    foreign["errno"] = 2;
    expect(isSysError(foreign)).toBe(true);
    expect(isSysError(foreign, "ENOENT")).toBe(true);
  });
});

describe("errno table", () => {
  test("strerror and errnoCode", () => {
    expect(strerror(2)).toBe("No such file or directory");
    expect(strerror("ELOOP")).toBe("Too many levels of symbolic links");
    expect(strerror(41)).toBe("Unknown error 41");
    expect(errnoCode(95)).toBe("EOPNOTSUPP");
    expect(errnoCode(41)).toBeUndefined();
  });

  test("every canonical number 1..133 except 41 and 58 is defined", () => {
    for (let n = 1; n <= 133; n++) {
      if (n === 41 || n === 58) expect(errnoCode(n)).toBeUndefined();
      else expect(errnoCode(n), String(n)).toBeDefined();
    }
  });
});
