// Who may look into a task: Linux's ptrace access check in its "read, filesystem
// credentials" mode, which guards /proc/[pid]/{cwd,root,exe,fd/*,ns/*,environ,io}.
import { Capability, SysError } from "@vfskit/abi";
import { taskFromContext, type Task } from "@vfskit/kernel";
import type { Context } from "@vfskit/vfs";

/**
 * Reports whether the caller in `ctx` may read `target` as ptrace(PTRACE_MODE_READ_FSCREDS)
 * would allow (Linux's `__ptrace_may_access`): always within the same thread group;
 * otherwise the caller's filesystem UID must equal the target's real, effective and saved
 * UIDs and its filesystem GID the target's three GIDs, or the caller must have
 * CAP_SYS_PTRACE in the target's user namespace. (Every task of the model is dumpable, so
 * the dumpable check never refuses.)
 * @param ctx - The caller's context (its credentials and task).
 * @param target - The task looked at.
 * @returns Whether access is allowed.
 * @internal
 */
export function mayPtraceRead(ctx: Context, target: Task): boolean {
  if (taskFromContext(ctx) === target) return true;
  const caller = ctx.credentials;
  const t = target.credentials;
  const uid = caller.fsKUID;
  const gid = caller.fsKGID;
  if (uid === t.realKUID && uid === t.effectiveKUID && uid === t.savedKUID && gid === t.realKGID && gid === t.effectiveKGID && gid === t.savedKGID) {
    return true;
  }
  return caller.hasCapabilityIn(Capability.CAP_SYS_PTRACE, t.userNamespace);
}

/**
 * Throws EACCES unless {@link mayPtraceRead} allows the caller to read `target` (Linux's
 * `proc_fd_access_allowed` and `proc_mem_open` refusals).
 * @throws EACCES - Access refused.
 * @internal
 */
export function checkPtraceRead(ctx: Context, target: Task, syscall?: string): void {
  if (!mayPtraceRead(ctx, target)) throw new SysError("EACCES", { ...(syscall === undefined ? {} : { syscall }), detail: "ptrace access to the task is refused" });
}

/**
 * Throws ESRCH if `task` was reaped: reads of an open /proc file of a task that is gone
 * fail with ESRCH in Linux (`get_proc_task` returns nothing).
 * @throws ESRCH - The task is gone.
 * @internal
 */
export function checkAlive(task: Task): void {
  if (task.state === "dead") throw new SysError("ESRCH", { detail: `task ${task.pid} is gone` });
}
