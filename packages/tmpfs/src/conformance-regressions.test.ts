// Regression tests for differences tooling/conformance found between tmpfs and Linux
// (each expected answer checked on a Linux 6.18 host).
import { O_CREAT, O_EXCL, O_RDONLY } from "@vfskit/abi";
import { describe, test } from "vitest";
import { createTmpfs, expectErrno } from "./testing-fixtures/harness.js";

describe("conformance regressions", () => {
  test("open(\"/\" or \"//\", O_CREAT|O_EXCL) is EEXIST; without O_EXCL EISDIR", () => {
    const t = createTmpfs();
    try {
      expectErrno(() => t.open("//", O_CREAT | O_EXCL | O_RDONLY), "EEXIST");
      expectErrno(() => t.open("/", O_CREAT | O_EXCL | O_RDONLY), "EEXIST");
      expectErrno(() => t.open("//", O_CREAT | O_RDONLY), "EISDIR");
      t.mkdir("/d");
      // A trailing slash on a normal last component is EISDIR first (open_last_lookups).
      expectErrno(() => t.open("/d/", O_CREAT | O_EXCL | O_RDONLY), "EISDIR");
    } finally {
      t.release();
    }
  });
});
