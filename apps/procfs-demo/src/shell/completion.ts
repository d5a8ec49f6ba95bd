// Tab completion: the first word completes to a command name, later words to paths,
// listed through the shell's task (so /proc and permissions apply).
import { S_IFDIR, S_IFMT } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { listDirectory } from "./glob.js";

/**
 * Completes the last word of `line` (readline's completer contract).
 * @returns The candidates and the text they replace.
 */
export function complete(task: Task, commands: Iterable<string>, line: string): [string[], string] {
  const start = Math.max(line.lastIndexOf(" "), line.lastIndexOf("|"), line.lastIndexOf(";"), line.lastIndexOf(">"), line.lastIndexOf("<")) + 1;
  const word = line.slice(start);
  const before = line.slice(0, start).trim();
  const first = before === "" || /[|;&]$/.test(before);
  if (first && !word.includes("/")) {
    return [[...commands].filter((c) => c.startsWith(word)).sort().map((c) => `${c} `), word];
  }
  const slash = word.lastIndexOf("/");
  const dir = slash < 0 ? "" : word.slice(0, slash + 1);
  const prefix = word.slice(slash + 1);
  const listed = listDirectory(task, dir === "" ? "." : dir)
    .filter((name) => name.startsWith(prefix) && (prefix.startsWith(".") || !name.startsWith(".")))
    .sort();
  const candidates = listed.map((name) => {
    const path = `${dir}${name}`;
    let isDir: boolean;
    try {
      isDir = (task.stat(path).mode & S_IFMT) === S_IFDIR;
    } catch {
      isDir = false;
    }
    return isDir ? `${path}/` : `${path} `;
  });
  return [candidates, word];
}
