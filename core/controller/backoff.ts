/**
 * Per-key exponential backoff, as client-go's `ItemExponentialFailureRateLimiter`: the n-th
 * consecutive failure of a key waits `baseMs * 2^(n-1)`, capped at `maxMs`; `forget` resets
 * the key after a success. Used by the work queue (failed reconciles) and by the informer
 * (watch restarts).
 */

export interface BackoffOptions {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** No delay is longer than this. */
  readonly maxMs: number;
}

/**
 * Reconcile retries: 5 ms (client-go's base, so a conflict is retried at once) doubling to
 * 5 minutes, reached after 17 consecutive failures. client-go caps at 1000 s; a hub waiting
 * on an unreachable member cluster should look again sooner than every quarter of an hour.
 */
export const defaultReconcileBackoff: BackoffOptions = { baseMs: 5, maxMs: 5 * 60_000 };

/** Delay before retry number `failures` (1 for the first retry) — pure. */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  if (failures <= 0) return 0;
  // 2^(failures-1) overflows to Infinity for large counts, which the cap absorbs.
  return Math.min(options.baseMs * 2 ** (failures - 1), options.maxMs);
}

export interface KeyedBackoff {
  /** Counts one more failure of `key` and returns how long to wait before retrying it. */
  next(key: string): number;
  /** Consecutive failures counted for `key` since it was last forgotten. */
  failures(key: string): number;
  /** Clears `key`'s failures (after a success). */
  forget(key: string): void;
}

export function createKeyedBackoff(options: BackoffOptions): KeyedBackoff {
  if (!(options.baseMs > 0) || !(options.maxMs >= options.baseMs))
    throw new RangeError(`backoff needs 0 < baseMs <= maxMs, got ${JSON.stringify(options)}`);
  const counts = new Map<string, number>();
  return {
    next(key) {
      const failures = (counts.get(key) ?? 0) + 1;
      counts.set(key, failures);
      return backoffDelay(failures, options);
    },
    failures: (key) => counts.get(key) ?? 0,
    forget: (key) => void counts.delete(key),
  };
}
