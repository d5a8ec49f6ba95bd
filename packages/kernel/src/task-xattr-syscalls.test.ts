import { O_PATH, O_RDONLY, XATTR_CREATE, XATTR_REPLACE } from "@vfskit/abi";
import { describe, expect, test } from "vitest";
import { bytes, expectErrno, userCreds, withKernel, writeFile } from "./testing-fixtures/harness.js";

describe("extended attributes", () => {
  test("argument limits come before the lookup: ERANGE, E2BIG, EINVAL", () => {
    withKernel((_k, init) => {
      expectErrno(() => init.getxattr("/missing", ""), "ERANGE");
      expectErrno(() => init.getxattr("/missing", "user." + "x".repeat(251)), "ERANGE");
      expectErrno(() => init.setxattr("/missing", "user.a", new Uint8Array(65537)), "E2BIG");
      expectErrno(() => init.setxattr("/missing", "user.a", bytes("v"), 4), "EINVAL");
      expectErrno(() => init.removexattr("/missing", ""), "ERANGE");
      // A 255-byte name is fine (then the lookup fails).
      expectErrno(() => init.getxattr("/missing", "user." + "x".repeat(250)), "ENOENT");
    });
  });

  test("an unknown namespace is EOPNOTSUPP once the file is found (ENOENT first)", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "");
      expectErrno(() => init.getxattr("/missing", "foo.bar"), "ENOENT");
      expectErrno(() => init.getxattr("/f", "foo.bar"), "EOPNOTSUPP");
      expectErrno(() => init.setxattr("/f", "foo.bar", bytes("v")), "EOPNOTSUPP");
      expectErrno(() => init.removexattr("/f", "foo.bar"), "EOPNOTSUPP");
      const fd = init.open("/f", O_RDONLY);
      expectErrno(() => init.fgetxattr(fd, "foo.bar"), "EOPNOTSUPP");
      init.close(fd);
    });
  });

  test("set, get, list, remove; XATTR_CREATE / XATTR_REPLACE; sizes", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "");
      init.setxattr("/f", "user.a", bytes("one"));
      init.setxattr("/f", "user.b", bytes("two"), XATTR_CREATE);
      expect(new TextDecoder().decode(init.getxattr("/f", "user.a"))).toBe("one");
      expect(init.listxattr("/f").sort()).toEqual(["user.a", "user.b"]);
      expectErrno(() => init.setxattr("/f", "user.a", bytes("x"), XATTR_CREATE), "EEXIST");
      expectErrno(() => init.setxattr("/f", "user.c", bytes("x"), XATTR_REPLACE), "ENODATA");
      init.setxattr("/f", "user.a", bytes("uno"), XATTR_REPLACE);
      expectErrno(() => init.getxattr("/f", "user.a", 2), "ERANGE");
      expect(init.getxattr("/f", "user.a", 3).length).toBe(3);
      expectErrno(() => init.listxattr("/f", 8), "ERANGE"); // "user.a\0user.b\0" is 14 bytes
      expect(init.listxattr("/f", 14).length).toBe(2);
      expectErrno(() => init.getxattr("/f", "user.none"), "ENODATA");
      init.removexattr("/f", "user.a");
      expectErrno(() => init.removexattr("/f", "user.a"), "ENODATA");
      expect(init.listxattr("/f")).toEqual(["user.b"]);
    });
  });

  test("descriptor and no-follow variants; O_PATH is EBADF; pipes have none", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "");
      init.symlink("/f", "/l");
      init.setxattr("/l", "user.via-link", bytes("1")); // follows to /f
      expect(init.listxattr("/f")).toEqual(["user.via-link"]);
      expect(init.llistxattr("/l")).toEqual([]);
      expectErrno(() => init.lsetxattr("/l", "user.x", bytes("1")), "EPERM"); // user.* on a symlink
      expectErrno(() => init.lgetxattr("/l", "user.via-link"), "ENODATA");
      const fd = init.open("/f", O_RDONLY);
      expect(init.fgetxattr(fd, "user.via-link").length).toBe(1);
      init.fsetxattr(fd, "user.by-fd", bytes("2"));
      expect(init.flistxattr(fd).sort()).toEqual(["user.by-fd", "user.via-link"]);
      init.fremovexattr(fd, "user.by-fd");
      init.close(fd);
      const p = init.open("/f", O_PATH);
      expectErrno(() => init.fgetxattr(p, "user.via-link"), "EBADF");
      expectErrno(() => init.fgetxattr(p, "foo.bar"), "EBADF");
      init.close(p);
      const [r, w] = init.pipe2();
      expect(init.flistxattr(r)).toEqual([]);
      expectErrno(() => init.fgetxattr(r, "user.x"), "EOPNOTSUPP");
      expectErrno(() => init.fsetxattr(w, "user.x", bytes("1")), "EOPNOTSUPP");
      init.close(r);
      init.close(w);
    });
  });

  test("trusted.* is hidden from and refused to an unprivileged task", () => {
    withKernel((_k, init) => {
      writeFile(init, "/f", "", 0o666);
      init.setxattr("/f", "trusted.t", bytes("secret"));
      init.setxattr("/f", "user.u", bytes("open"));
      const user = init.fork();
      user.setCredentials(userCreds(user, 1000));
      expect(user.listxattr("/f")).toEqual(["user.u"]);
      expectErrno(() => user.getxattr("/f", "trusted.t"), "ENODATA");
      expectErrno(() => user.setxattr("/f", "trusted.t", bytes("x")), "EPERM");
      expectErrno(() => user.removexattr("/f", "trusted.t"), "EPERM");
      init.chmod("/f", 0o600);
      expectErrno(() => user.getxattr("/f", "user.u"), "EACCES");
      expectErrno(() => user.setxattr("/f", "user.u", bytes("x")), "EACCES");
      user.exit(0);
      init.wait4(user.pid);
    });
  });
});
