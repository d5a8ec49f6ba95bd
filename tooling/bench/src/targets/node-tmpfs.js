// @ts-check
// The node:fs target works in a fresh directory on tmpfs (/dev/shm), so it measures the
// kernel's in-memory filesystem plus Node's binding cost, never a disk.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** @type {string | undefined} */
let directory;

/**
 * Returns this run's scratch directory, creating it on first use: a unique directory under
 * /dev/shm (tmpdir() where there is no /dev/shm). It is removed when the process exits,
 * including on Ctrl-C.
 *
 * @returns {string} An absolute path to an empty directory the bench owns.
 */
export function nodeTmpfsDirectory() {
  if (directory === undefined) {
    const parent = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
    const created = mkdtempSync(join(parent, "vfskit-bench-"));
    directory = created;
    const remove = () => rmSync(created, { recursive: true, force: true });
    process.on("exit", remove);
    // Ctrl-C skips "exit" handlers unless the signal is handled.
    for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
      process.once(signal, () => {
        remove();
        process.exit(128 + (signal === "SIGINT" ? 2 : 15));
      });
    }
  }
  return directory;
}

/**
 * Reports where the node target's scratch directory is, for the report header.
 *
 * @returns {string} The directory, or a note that no case has needed one.
 */
export function describeNodeTmpfs() {
  return directory === undefined ? "not used" : `${directory} (removed at exit)`;
}
