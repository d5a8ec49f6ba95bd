// cd, pwd, id, whoami, su, hostname, uname, history, sleep, true, false, help, exit: the
// shell's own state.
import { Credentials, type GID, type UID } from "@vfskit/auth";
import { errorText, quote, type CommandEnv, type CommandSpec } from "../shell/command.js";
import { groupName, groups, lookupUser, userName } from "../shell/users.js";

async function cd(env: CommandEnv, args: readonly string[]): Promise<number> {
  const target = args[0] ?? env.shell.variable("HOME", env.task) ?? "/";
  try {
    env.task.chdir(target);
    return 0;
  } catch (error) {
    await env.error(`${target}: ${errorText(error)}`);
    return 1;
  }
}

async function pwd(env: CommandEnv): Promise<number> {
  await env.out(`${env.task.getcwd()}\n`);
  return 0;
}

async function id(env: CommandEnv, args: readonly string[]): Promise<number> {
  const task = env.task;
  let creds = task.credentials;
  if (args[0] !== undefined) {
    const user = lookupUser(task, { name: args[0] });
    if (user === undefined) {
      await env.error(`${quote(args[0])}: no such user`);
      return 1;
    }
    creds = credentialsFor(env, user.name, user.uid, user.gid);
  }
  const uid = creds.effectiveKUID as number;
  const gid = creds.effectiveKGID as number;
  const list = [gid, ...creds.extraKGIDs.map(Number).filter((g) => g !== gid)];
  const out = `uid=${uid}(${userName(task, uid)}) gid=${gid}(${groupName(task, gid)}) groups=${list.map((g) => `${g}(${groupName(task, g)})`).join(",")}\n`;
  await env.out(out);
  return 0;
}

async function whoami(env: CommandEnv): Promise<number> {
  await env.out(`${userName(env.task, env.task.credentials.effectiveKUID)}\n`);
  return 0;
}

/** The credentials a login of `name` gets: its IDs and the groups listing it. */
function credentialsFor(env: CommandEnv, name: string, uid: number, gid: number): Credentials {
  const extra = groups(env.task)
    .filter((g) => g.members.includes(name))
    .map((g) => g.gid as GID);
  return Credentials.user({ uid: uid as UID, gid: gid as GID, groups: extra, ns: env.task.kernel.userNamespace });
}

async function su(env: CommandEnv, args: readonly string[]): Promise<number> {
  const login = args.includes("-") || args.includes("-l");
  const name = args.find((a) => a !== "-" && a !== "-l") ?? "root";
  const task = env.task;
  const user = lookupUser(task, { name });
  if (user === undefined) {
    await env.error(`user ${name} does not exist or the user entry does not contain all the required fields`);
    return 1;
  }
  const current = task.credentials;
  // There are no passwords: root may become anyone, and anyone may become themselves.
  if ((current.realKUID as number) !== 0 && (current.realKUID as number) !== user.uid) {
    await env.error("Authentication failure");
    return 1;
  }
  env.shell.suStack.push(current);
  task.setCredentials(credentialsFor(env, user.name, user.uid, user.gid));
  if (login) {
    try {
      task.chdir(user.home);
    } catch (error) {
      await env.error(`warning: cannot change directory to ${user.home}: ${errorText(error)}`);
    }
  }
  if (task === env.shell.task) await env.out(`(now ${user.name}; \`exit\` returns to ${userName(task, current.effectiveKUID)})\n`);
  return 0;
}

function exit(env: CommandEnv, args: readonly string[]): number {
  const status = args[0] === undefined ? env.shell.lastStatus : Number(args[0]) & 0xff;
  if (env.task !== env.shell.task) return status; // a pipeline's subshell: only it exits
  const previous = env.shell.suStack.pop();
  if (previous !== undefined) {
    // Leaving a `su` session returns to the shell that ran su.
    env.task.setCredentials(previous);
    return status;
  }
  env.shell.exitStatus = status;
  return status;
}

async function hostname(env: CommandEnv, args: readonly string[]): Promise<number> {
  if (args[0] === undefined) {
    await env.out(`${env.task.uname().nodename}\n`);
    return 0;
  }
  try {
    env.task.sethostname(args[0]);
    return 0;
  } catch (error) {
    await env.error(
      errorText(error) === "Operation not permitted" ? "you must be root to change the host name" : errorText(error),
    );
    return 1;
  }
}

async function uname(env: CommandEnv, args: readonly string[]): Promise<number> {
  const u = env.task.uname();
  const all = args.includes("-a");
  const parts: string[] = [];
  if (all || args.length === 0 || args.includes("-s")) parts.push(u.sysname);
  if (all || args.includes("-n")) parts.push(u.nodename);
  if (all || args.includes("-r")) parts.push(u.release);
  if (all || args.includes("-v")) parts.push(u.version);
  if (all || args.includes("-m")) parts.push(u.machine);
  await env.out(`${parts.join(" ")}\n`);
  return 0;
}

async function history(env: CommandEnv): Promise<number> {
  const lines = [...env.shell.history].reverse();
  await env.out(lines.map((line, i) => `${String(i + 1).padStart(5)}  ${line}\n`).join(""));
  return 0;
}

async function sleep(env: CommandEnv, args: readonly string[]): Promise<number> {
  const seconds = Number(args[0]);
  if (!(seconds >= 0)) {
    await env.error(`invalid time interval ${quote(args[0] ?? "")}`);
    return 1;
  }
  await new Promise((resolve) => setTimeout(resolve, Math.min(seconds, 60) * 1000));
  return 0;
}

async function help(env: CommandEnv, args: readonly string[]): Promise<number> {
  const commands = env.shell.commands;
  if (args[0] !== undefined) {
    const spec = commands.get(args[0]);
    if (spec === undefined) {
      await env.error(`no help topics match ${quote(args[0])}`);
      return 1;
    }
    await env.out(`${spec.usage}\n    ${spec.summary}\n`);
    return 0;
  }
  const names = [...commands.keys()].sort();
  const width = Math.max(...names.map((n) => (commands.get(n)?.usage ?? n).length));
  let out = "Commands (each runs against the vfskit kernel through the task API):\n";
  for (const name of names) {
    const spec = commands.get(name);
    if (spec !== undefined) out += `  ${spec.usage.padEnd(width)}  ${spec.summary}\n`;
  }
  out +=
    "\nShell syntax: a | b (real vfskit pipes), a && b, a || b, a ; b, > file, >> file, < file, 2>&1,\n" +
    "'quotes', \"quotes\", $? $HOME $USER $PWD, globs (ls /proc/*/comm), Tab completes paths.\n" +
    "Things to try: cat /proc/self/status, ls -l /proc/self/fd, ps, free, mount, su alice.\n";
  await env.out(out);
  return 0;
}

/** The shell's own commands. */
export const sessionCommands: Record<string, CommandSpec> = {
  cd: { run: cd, usage: "cd [dir]", summary: "change the working directory (chdir)" },
  pwd: { run: pwd, usage: "pwd", summary: "print the working directory (getcwd)" },
  id: { run: id, usage: "id [user]", summary: "print user and group IDs" },
  whoami: { run: whoami, usage: "whoami", summary: "print the effective user name" },
  su: { run: su, usage: "su [-] [user]", summary: "switch credentials (no passwords; `exit` switches back)" },
  exit: { run: exit, usage: "exit [status]", summary: "leave a su session, or the shell" },
  hostname: { run: hostname, usage: "hostname [name]", summary: "print or set the host name (UTS namespace)" },
  uname: { run: uname, usage: "uname [-asnrvm]", summary: "print system information" },
  history: { run: history, usage: "history", summary: "list the command history" },
  sleep: { run: sleep, usage: "sleep seconds", summary: "wait (the background tasks keep running)" },
  true: { run: () => 0, usage: "true", summary: "do nothing, successfully" },
  false: { run: () => 1, usage: "false", summary: "do nothing, unsuccessfully" },
  help: { run: help, usage: "help [command]", summary: "this list" },
};
