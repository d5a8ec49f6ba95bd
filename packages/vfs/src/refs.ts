import { InternalError } from "./assert.js";

/**
 * One live counted object known to the leak checker.
 * @public
 */
export interface TrackedObject {
  /** What kind of object it is (`"Mount"`, `"FileDescription"`, `"kernfs.Dentry"`…). */
  readonly kind: string;
  /** The object itself. */
  readonly object: object;
  /** Its current reference count. */
  refs(): number;
  /** A short human description (a path, a mount ID). */
  describe(): string;
}

interface Registry {
  enabled: boolean;
  live: Map<object, TrackedObject>;
}

// One registry per realm, shared by every copy of this package (DESIGN.md D3).
const registryKey = Symbol.for("@vfskit/vfs.leakRegistry");
const registry: Registry = ((globalThis as Record<symbol, unknown>)[registryKey] as Registry | undefined) ?? {
  enabled: false,
  live: new Map(),
};
(globalThis as Record<symbol, unknown>)[registryKey] = registry;

/**
 * Registers a counted object with the leak checker, if it is on.
 *
 * @remarks
 * Call when the object is created; call {@link untrackObject} when it is destroyed. Costs
 * one branch when the checker is off (the default outside tests).
 * @public
 */
export function trackObject(object: object, kind: string, refs: () => number, describe?: () => string): void {
  if (!registry.enabled) return;
  registry.live.set(object, { kind, object, refs, describe: describe ?? (() => kind) });
}

/**
 * Removes a destroyed object from the leak checker.
 * @public
 */
export function untrackObject(object: object): void {
  if (registry.enabled) registry.live.delete(object);
}

/**
 * Turns the leak checker on or off (tests turn it on; see `@vfskit/vfs/testing`).
 * Turning it off forgets every tracked object.
 * @public
 */
export function setLeakCheckEnabled(enabled: boolean): void {
  registry.enabled = enabled;
  if (!enabled) registry.live.clear();
}

/**
 * Every object the leak checker knows to be alive, with its count at this moment.
 * @public
 */
export function liveObjects(): ReadonlyMap<object, TrackedObject> {
  return registry.live;
}

/**
 * A reference count as gVisor keeps them (DESIGN.md D3): starts at 1, `incRef`,
 * `tryIncRef` (fails once the count reached zero), `decRef`; registered with the leak
 * checker while alive.
 *
 * @remarks
 * Subclasses implement `decRef(…)` as `if (this.dropRef()) { …release… }`. Dropping below
 * zero or taking a reference on a destroyed object throws {@link InternalError}.
 * @public
 */
export abstract class RefCounted {
  #refs = 1;

  /**
   * @param kind - The name the leak checker reports this object under.
   */
  protected constructor(kind: string) {
    if (registry.enabled) trackObject(this, kind, () => this.#refs, () => this.describeForLeakCheck());
  }

  /** The current reference count (0 once released). */
  get refCount(): number {
    return this.#refs;
  }

  /** Takes a reference. @throws InternalError if the object was already released. */
  incRef(): void {
    if (this.#refs <= 0) throw new InternalError(`incRef on a released ${this.constructor.name}`);
    this.#refs++;
  }

  /** Takes a reference unless the object was already released; says whether it did. */
  tryIncRef(): boolean {
    if (this.#refs <= 0) return false;
    this.#refs++;
    return true;
  }

  /**
   * Drops one reference; returns true if it was the last, in which case the caller must
   * release the object's resources now.
   */
  protected dropRef(): boolean {
    const refs = --this.#refs;
    if (refs > 0) return false;
    if (refs < 0) throw new InternalError(`decRef below zero on ${this.describeForLeakCheck()}`);
    untrackObject(this);
    return true;
  }

  /** What the leak checker prints for this object; override to add a path or an ID. */
  protected describeForLeakCheck(): string {
    return this.constructor.name;
  }
}
