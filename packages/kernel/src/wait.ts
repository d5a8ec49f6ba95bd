// Waiting for readiness in the async system calls (DESIGN.md D2): the core never blocks;
// an async call registers a waiter, awaits the event, and retries. A wait ends early with
// EINTR when the caller's AbortSignal fires or the task exits (gVisor's Task.Block with
// interruption; Linux's -ERESTARTSYS seen by userspace as EINTR).
import { SysError } from "@vfskit/abi";
import type { AbortSignalLike, Waitable, Waiter } from "@vfskit/vfs";

/**
 * An AbortSignalLike the kernel fires itself (when a task exits, its waits end).
 * @internal
 */
export class Interrupter implements AbortSignalLike {
  #aborted = false;
  #reason: unknown = undefined;
  readonly #listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  addEventListener(_type: "abort", listener: () => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    this.#listeners.delete(listener);
  }

  /** Fires every listener once; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    for (const listener of [...this.#listeners]) listener();
    this.#listeners.clear();
  }
}

/**
 * Resolves with the ready events once any event in `mask` is ready on `target` (at once
 * if one already is); rejects with EINTR if `interrupter` or `signal` fires first.
 * @internal
 */
export function waitForEvents(
  target: Waitable,
  mask: number,
  interrupter: AbortSignalLike,
  signal: AbortSignalLike | undefined,
  syscall: string,
): Promise<number> {
  const eintr = (): SysError => new SysError("EINTR", { syscall, detail: "interrupted while waiting" });
  if (interrupter.aborted || signal?.aborted === true) return Promise.reject(eintr());
  const ready = target.readiness(mask);
  if (ready !== 0) return Promise.resolve(ready);
  return new Promise<number>((resolve, reject) => {
    let done = false;
    const cleanup = (): void => {
      done = true;
      target.eventUnregister(waiter);
      interrupter.removeEventListener("abort", onAbort);
      signal?.removeEventListener("abort", onAbort);
    };
    const waiter: Waiter = {
      notify(): void {
        if (done) return;
        const now = target.readiness(mask);
        if (now === 0) return;
        cleanup();
        resolve(now);
      },
    };
    const onAbort = (): void => {
      if (done) return;
      cleanup();
      reject(eintr());
    };
    interrupter.addEventListener("abort", onAbort);
    signal?.addEventListener("abort", onAbort);
    target.eventRegister(waiter, mask);
  });
}
