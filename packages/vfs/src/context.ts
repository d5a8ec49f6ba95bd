import type { Credentials } from "@vfskit/auth";
import type { Timespec } from "@vfskit/abi";

/**
 * A typed key for an optional value carried by a {@link Context} (DESIGN.md D12).
 *
 * @remarks
 * Each package defines its own keys (`vfs` defines {@link ClockKey} and the mount-namespace
 * and root keys; `kernel` defines the task key), so lower packages never import higher ones.
 * Keys compare by identity.
 * @public
 */
export class ContextKey<T> {
  /** Phantom field tying the key to its value type. */
  declare readonly _value: T;
  /**
   * @param name - A name for debugging.
   */
  constructor(readonly name: string) {}
}

/**
 * What travels with every operation: the caller's credentials and typed optional values
 * (the calling task, its mount namespace and root, the clock).
 * @public
 */
export interface Context {
  /** The credentials the operation runs with. */
  readonly credentials: Credentials;
  /** The value stored under `key`, or `undefined`. */
  value<T>(key: ContextKey<T>): T | undefined;
}

/**
 * A source of the current time.
 * @public
 */
export interface Clock {
  /** The current real time. */
  now(): Timespec;
}

/** The clock that timestamps are taken from; without one, `Date.now()` is used. @public */
export const ClockKey = new ContextKey<Clock>("vfs.clock");

const systemClock: Clock = {
  now(): Timespec {
    const ms = Date.now();
    return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1_000_000 };
  },
};

/**
 * The clock in `ctx`, or one backed by `Date.now()`.
 * @public
 */
export function clockFrom(ctx: Context): Clock {
  return ctx.value(ClockKey) ?? systemClock;
}

class SimpleContext implements Context {
  constructor(
    readonly credentials: Credentials,
    private readonly values: ReadonlyMap<ContextKey<unknown>, unknown>,
  ) {}

  value<T>(key: ContextKey<T>): T | undefined {
    return this.values.get(key) as T | undefined;
  }
}

/**
 * Makes a context from credentials and optional values.
 *
 * @example
 * ```ts
 * const ctx = createContext(Credentials.root(), [[ClockKey, myClock]]);
 * ```
 * @public
 */
export function createContext(
  credentials: Credentials,
  values: Iterable<readonly [ContextKey<unknown>, unknown]> = [],
): Context {
  return new SimpleContext(credentials, new Map(values));
}

/**
 * A context like `ctx` but with `key` set to `value`.
 * @public
 */
export function withValue<T>(ctx: Context, key: ContextKey<T>, value: T): Context {
  return new DerivedContext(ctx, ctx.credentials, key, value);
}

/**
 * A context like `ctx` but running with other credentials.
 * @public
 */
export function withCredentials(ctx: Context, credentials: Credentials): Context {
  return new DerivedContext(ctx, credentials, undefined, undefined);
}

class DerivedContext implements Context {
  constructor(
    private readonly parent: Context,
    readonly credentials: Credentials,
    private readonly key: ContextKey<unknown> | undefined,
    private readonly stored: unknown,
  ) {}

  value<T>(key: ContextKey<T>): T | undefined {
    if (key === (this.key as unknown)) return this.stored as T;
    return this.parent.value(key);
  }
}
