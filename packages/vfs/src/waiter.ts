/**
 * Something waiting for readiness events (DESIGN.md D2: how blocking is modelled).
 * @public
 */
export interface Waiter {
  /**
   * Called synchronously when any event this waiter registered for occurs.
   * @param events - The events that occurred, already masked to what was registered.
   */
  notify(events: number): void;
}

/**
 * A queue of waiters with the event masks they registered (gVisor's `waiter.Queue`).
 *
 * @remarks
 * File descriptions expose one through `eventRegister` / `eventUnregister`; whoever
 * changes readiness calls {@link WaiterQueue.notify}. Waiters are notified in
 * registration order; a waiter may unregister itself from inside `notify`.
 * @public
 */
export class WaiterQueue {
  readonly #waiters = new Map<Waiter, number>();

  /** Registers `waiter` for `mask` (replacing an earlier mask). */
  register(waiter: Waiter, mask: number): void {
    this.#waiters.set(waiter, mask);
  }

  /** Unregisters `waiter`; unknown waiters are ignored. */
  unregister(waiter: Waiter): void {
    this.#waiters.delete(waiter);
  }

  /** Notifies every waiter whose mask intersects `events`. */
  notify(events: number): void {
    if (this.#waiters.size === 0) return;
    for (const [waiter, mask] of [...this.#waiters]) {
      const hit = events & mask;
      if (hit !== 0 && this.#waiters.has(waiter)) waiter.notify(hit);
    }
  }

  /** The union of every registered mask. */
  events(): number {
    let all = 0;
    for (const mask of this.#waiters.values()) all |= mask;
    return all;
  }

  /** True if no waiter is registered. */
  isEmpty(): boolean {
    return this.#waiters.size === 0;
  }
}

/**
 * Something that reports readiness and accepts waiters: a file description, a pipe end.
 * @public
 */
export interface Waitable {
  /** The subset of `mask` that is ready now. */
  readiness(mask: number): number;
  /** Registers `waiter` for `mask`. */
  eventRegister(waiter: Waiter, mask: number): void;
  /** Unregisters `waiter`. */
  eventUnregister(waiter: Waiter): void;
}

/**
 * The part of the web-standard `AbortSignal` that {@link waitForReadiness} uses (core
 * packages are compiled without DOM or Node types).
 * @public
 */
export interface AbortSignalLike {
  /** True once aborted. */
  readonly aborted: boolean;
  /** Why it was aborted. */
  readonly reason?: unknown;
  /** Adds an abort listener. */
  addEventListener(type: "abort", listener: () => void): void;
  /** Removes an abort listener. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * Resolves with the ready events once any event in `mask` is ready on `target` (at once if
 * it already is). The basis of the kernel's async variants (`readAsync`…).
 *
 * @param signal - Optional abort signal; aborting rejects with the signal's reason.
 * @public
 */
export function waitForReadiness(target: Waitable, mask: number, signal?: AbortSignalLike): Promise<number> {
  const ready = target.readiness(mask);
  if (ready !== 0) return Promise.resolve(ready);
  return new Promise<number>((resolve, reject) => {
    const waiter: Waiter = {
      notify(): void {
        const now = target.readiness(mask);
        if (now === 0) return;
        cleanup();
        resolve(now);
      },
    };
    const onAbort = (): void => {
      cleanup();
      // The signal's reason is passed on as given, as the platform's own APIs do.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(signal?.reason ?? new Error("aborted"));
    };
    const cleanup = (): void => {
      target.eventUnregister(waiter);
      signal?.removeEventListener("abort", onAbort);
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener("abort", onAbort);
    target.eventRegister(waiter, mask);
  });
}
