// The README's example, run as a test (keep the two in step).
import { expect, test } from "vitest";
import { O_CREAT, O_RDONLY, O_WRONLY, isSysError } from "@vfskit/abi";
import { Kernel } from "./index.js";

test("README example", async () => {
  const log: string[] = [];
  const console = { log: (...args: unknown[]) => log.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")) };

  // --- README example begins ---
  const kernel = Kernel.create(); // tmpfs root, init is PID 1
  const init = kernel.init;

  // Files: the same calls as in C, with Linux's errors.
  init.mkdir("/tmp", 0o1777);
  const fd = init.open("/tmp/hello.txt", O_WRONLY | O_CREAT, 0o644);
  init.write(fd, new TextEncoder().encode("hello, kernel\n"));
  init.close(fd);

  const rfd = init.open("/tmp/hello.txt", O_RDONLY);
  const buf = new Uint8Array(64);
  const n = init.read(rfd, buf);
  console.log(new TextDecoder().decode(buf.subarray(0, n))); // "hello, kernel\n"
  init.close(rfd);

  try {
    init.open("/tmp/missing", O_RDONLY);
  } catch (e) {
    if (isSysError(e, "ENOENT")) console.log(e.message); // ENOENT: no such file or directory, ...
  }

  // A pipe between two tasks: the child inherits both ends with fork().
  const [readEnd, writeEnd] = init.pipe2();
  const child = init.fork({ comm: "producer" });
  init.close(writeEnd); // the parent only reads
  child.close(readEnd); // the child only writes

  const producer = (async () => {
    for (const word of ["one ", "two ", "three"]) {
      await child.writeAsync(writeEnd, new TextEncoder().encode(word));
    }
    child.exit(0); // closes the child's descriptors: the reader sees end of file
  })();

  let text = "";
  for (;;) {
    const got = await init.readAsync(readEnd, buf); // waits instead of failing with EAGAIN
    if (got === 0) break;
    text += new TextDecoder().decode(buf.subarray(0, got));
  }
  await producer;
  console.log(text); // "one two three"
  console.log(init.wait4(child.pid)); // { pid: 2, status: 0, exitCode: 0 }
  init.close(readEnd);

  kernel.shutdown(); // every task exits, every reference is returned
  // --- README example ends ---

  expect(log[0]).toBe("hello, kernel\n");
  expect(log[1]).toMatch(/^ENOENT: no such file or directory/);
  expect(log[2]).toBe("one two three");
  expect(log[3]).toBe('{"pid":2,"status":0,"exitCode":0}');
});
