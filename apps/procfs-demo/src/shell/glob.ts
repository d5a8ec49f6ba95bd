// Pathname expansion (`ls /proc/*/comm`): `*`, `?` and `[...]` in each component, matched
// against the directory's entries read with getdents64. Names starting with `.` need an
// explicit `.`; a pattern that matches nothing stays as it is (bash's default).
import { O_DIRECTORY, O_RDONLY } from "@vfskit/abi";
import type { Task } from "@vfskit/kernel";
import { expandWord, type Word } from "./parser.js";

/** The entry names of directory `path` (without `.` and `..`); empty if it cannot be read. */
export function listDirectory(task: Task, path: string): string[] {
  let fd: number;
  try {
    fd = task.open(path === "" ? "." : path, O_RDONLY | O_DIRECTORY);
  } catch {
    return [];
  }
  const names: string[] = [];
  try {
    for (;;) {
      const entries = task.getdents64(fd, 32768);
      if (entries.length === 0) break;
      for (const e of entries) if (e.name !== "." && e.name !== "..") names.push(e.name);
    }
  } catch {
    // A directory that fails half-way lists what it gave.
  } finally {
    task.close(fd);
  }
  return names;
}

/** A regular expression for one glob component. */
function componentRegExp(pattern: string): RegExp {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) re += "\\[";
      else {
        let set = pattern.slice(i + 1, close);
        if (set.startsWith("!")) set = `^${set.slice(1)}`;
        re += `[${set.replaceAll("\\", "\\\\")}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`${re}$`, "u");
}

const GLOB_CHARS = /[*?[]/;

/** Expands `word`: variables, then (if it is a pattern) pathnames. */
export function globWord(task: Task, word: Word, lookup: (name: string) => string | undefined): string[] {
  const text = expandWord(word, lookup);
  if (word.glob !== true || !GLOB_CHARS.test(text)) return [text];
  const absolute = text.startsWith("/");
  const components = text.split("/").filter((c, i) => c !== "" || i === 0);
  let prefixes = [absolute ? "/" : ""];
  for (const component of absolute ? components.slice(1) : components) {
    const next: string[] = [];
    if (!GLOB_CHARS.test(component)) {
      for (const p of prefixes) next.push(`${p}${component}/`);
    } else {
      const re = componentRegExp(component);
      for (const p of prefixes) {
        for (const name of listDirectory(task, p).sort()) {
          if (name.startsWith(".") && !component.startsWith(".")) continue;
          if (re.test(name)) next.push(`${p}${name}/`);
        }
      }
    }
    prefixes = next;
  }
  const matches = prefixes.map((p) => p.slice(0, -1)).filter((p) => exists(task, p));
  return matches.length === 0 ? [text] : matches;
}

function exists(task: Task, path: string): boolean {
  try {
    task.lstat(path);
    return true;
  } catch {
    return false;
  }
}
