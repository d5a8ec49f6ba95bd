// An interactive session through a pseudo-terminal (util-linux `script`), typed the way a
// person types: the prompt, line editing's Tab completion, history, `su`, `exit`.
import { spawn, spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleApp } from "./bundle.js";

const hasScript = spawnSync("script", ["--version"]).status === 0;

let bundle = "";
beforeAll(async () => {
  if (hasScript) bundle = await bundleApp();
});

/** Drives the app on a terminal: `send` types text, `waitFor` waits for output. */
function session(): {
  send(text: string): void;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  done: Promise<{ output: string; status: number | null }>;
} {
  const child = spawn("script", ["-qfec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)}`, "/dev/null"], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, TERM: "xterm", TZ: "UTC" },
  });
  let output = "";
  const waiters: (() => void)[] = [];
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    for (const w of waiters.splice(0)) w();
  });
  const done = new Promise<{ output: string; status: number | null }>((resolve) => child.on("close", (status) => resolve({ output, status })));
  let mark = 0;
  return {
    send: (text) => child.stdin.write(text),
    waitFor: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${output}`)), timeoutMs);
        const check = (): void => {
          const rest = output.slice(mark);
          const index = typeof pattern === "string" ? rest.indexOf(pattern) : rest.search(pattern);
          if (index >= 0) {
            const matched = typeof pattern === "string" ? pattern.length : (rest.match(pattern)?.[0].length ?? 0);
            mark += index + matched;
            clearTimeout(timer);
            resolve(rest.slice(0, index + matched));
          } else {
            waiters.push(check);
          }
        };
        check();
      }),
    done,
  };
}

describe.skipIf(!hasScript)("interactive session on a pseudo-terminal", () => {
  it("prompts, completes paths with Tab, recalls history, runs su and exits", async () => {
    const s = session();
    await s.waitFor("root@vfskit:~# ");
    s.send("cat /etc/host\t");
    await s.waitFor("cat /etc/hostname");
    s.send("\r");
    expect(await s.waitFor("root@vfskit:~# ")).toContain("vfskit\r\n");
    s.send("echo hi > /tmp/x && cat /tmp/x\r");
    expect(await s.waitFor("root@vfskit:~# ")).toContain("hi\r\n");
    s.send("su - alice\r");
    await s.waitFor("alice@vfskit:~$ ");
    s.send("touch /etc/nope\r");
    expect(await s.waitFor("alice@vfskit:~$ ")).toContain("touch: cannot touch '/etc/nope': Permission denied");
    s.send("exit\r");
    await s.waitFor("root@vfskit:");
    s.send("\x1b[A"); // up arrow: the previous line comes back
    await s.waitFor("exit");
    s.send("\x15ls /nope\r"); // Ctrl-U clears the recalled line first
    await s.waitFor("ls: cannot access '/nope': No such file or directory");
    await s.waitFor("# ");
    s.send("exit 4\r");
    const { status } = await s.done;
    expect(status).toBe(4);
  });
});
