import { liveObjects, setLeakCheckEnabled, type TrackedObject } from "../refs.js";

/**
 * The live counted objects and their counts at one moment, to compare against later.
 * @public
 */
export interface LeakSnapshot {
  /** Object → reference count when the snapshot was taken. */
  readonly counts: ReadonlyMap<object, number>;
}

/**
 * One object whose reference count did not return to its baseline.
 * @public
 */
export interface Leak {
  /** The object's kind. */
  readonly kind: string;
  /** Its description (path, ID). */
  readonly description: string;
  /** Its count at the snapshot (0 if created since). */
  readonly before: number;
  /** Its count now. */
  readonly after: number;
}

/**
 * Turns the leak checker on and records every live counted object with its count.
 * @public
 */
export function leakSnapshot(): LeakSnapshot {
  setLeakCheckEnabled(true);
  const counts = new Map<object, number>();
  for (const [object, tracked] of liveObjects()) counts.set(object, tracked.refs());
  return { counts };
}

/**
 * The objects whose count differs from `snapshot`: created since and still alive, or
 * alive before with a different count now.
 * @public
 */
export function findLeaks(snapshot: LeakSnapshot): Leak[] {
  const leaks: Leak[] = [];
  const report = (tracked: TrackedObject, before: number): void => {
    leaks.push({ kind: tracked.kind, description: tracked.describe(), before, after: tracked.refs() });
  };
  for (const [object, tracked] of liveObjects()) {
    const before = snapshot.counts.get(object);
    if (before === undefined) report(tracked, 0);
    else if (before !== tracked.refs()) report(tracked, before);
  }
  return leaks;
}

/**
 * Throws an error listing every leak since `snapshot`, if any.
 * @public
 */
export function assertNoLeaks(snapshot: LeakSnapshot): void {
  const leaks = findLeaks(snapshot);
  if (leaks.length === 0) return;
  const lines = leaks.map((l) => `  ${l.kind} ${l.description}: refs ${l.before} → ${l.after}`);
  throw new Error(`leaked references (${leaks.length}):\n${lines.join("\n")}`);
}

/**
 * Hooks for a test file: call `before()` in `beforeEach` and `after()` in `afterEach`.
 *
 * @example
 * ```ts
 * const leaks = leakCheckHooks();
 * beforeEach(leaks.before);
 * afterEach(leaks.after);
 * ```
 * @public
 */
export function leakCheckHooks(): { before(): void; after(): void } {
  let snapshot: LeakSnapshot | undefined;
  return {
    before(): void {
      snapshot = leakSnapshot();
    },
    after(): void {
      if (snapshot !== undefined) assertNoLeaks(snapshot);
    },
  };
}
