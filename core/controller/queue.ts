/**
 * The work queue behind every controller, with client-go's `workqueue` semantics. It holds
 * keys (`namespace/name`), not events:
 *
 * - adding a key that is already waiting does nothing (duplicates coalesce);
 * - a key handed out by `get()` is "processing" until `done(key)`; it is never handed out
 *   twice at once. Added again meanwhile, it is handed out once more after `done`;
 * - `addRateLimited` waits the key's exponential backoff first, `forget` resets it;
 * - `addAfter` waits a fixed time; of several pending delays for one key the earliest wins;
 * - concurrency is bounded by the number of callers of `get()` (the controller's workers);
 * - `shutDown()` stops handing out keys, drops those still waiting (a level-based controller
 *   lists everything again on its next start) and resolves once every processing key is done.
 *
 * Timers come from the injected clock.
 */
import { createKeyedBackoff, defaultReconcileBackoff, type BackoffOptions } from "./backoff.js";
import { systemClock, type Clock, type TimerHandle } from "./clock.js";

export interface WorkQueueOptions {
  readonly clock?: Clock;
  /** Default: `defaultReconcileBackoff` (5 ms doubling to 5 min). */
  readonly backoff?: BackoffOptions;
  /** Called with the number of keys ready to be handed out whenever it changes. */
  readonly onDepthChange?: (depth: number) => void;
}

export interface WorkQueue {
  /** Marks `key` as needing work; ignored after shutdown. */
  add(key: string): void;
  /** Adds `key` after `delayMs` (at once when 0 or less). */
  addAfter(key: string, delayMs: number): void;
  /** Adds `key` after its next backoff delay (one more failure counted). */
  addRateLimited(key: string): void;
  /** Resets `key`'s backoff (after a success). Does not remove it from the queue. */
  forget(key: string): void;
  /** Failures counted for `key` since it was last forgotten. */
  numRequeues(key: string): number;
  /** The next key to work on, or undefined once the queue is shut down. Call `done` after. */
  get(): Promise<string | undefined>;
  /** Ends the processing of `key`; re-queues it if it was added meanwhile. */
  done(key: string): void;
  /** Keys ready to be handed out (not counting processing or delayed ones). */
  len(): number;
  /** Stops the queue; resolves when no key is processing any more. Idempotent. */
  shutDown(): Promise<void>;
  isShuttingDown(): boolean;
}

interface Delayed {
  readonly due: number;
  readonly timer: TimerHandle;
}

export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  const clock = options.clock ?? systemClock;
  const backoff = createKeyedBackoff(options.backoff ?? defaultReconcileBackoff);
  const ready: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const delayed = new Map<string, Delayed>();
  const getters: Array<(key: string | undefined) => void> = [];
  const drainWaiters: Array<() => void> = [];
  let shuttingDown = false;
  let lastDepth = -1;

  const reportDepth = (): void => {
    if (ready.length === lastDepth) return;
    lastDepth = ready.length;
    options.onDepthChange?.(ready.length);
  };

  /** Hands ready keys to waiting getters, in order. */
  const dispatch = (): void => {
    while (getters.length > 0 && ready.length > 0) {
      const key = ready.shift() as string;
      dirty.delete(key);
      processing.add(key);
      (getters.shift() as (key: string | undefined) => void)(key);
    }
    reportDepth();
  };

  const add = (key: string): void => {
    if (shuttingDown || dirty.has(key)) return;
    dirty.add(key);
    // A processing key goes back to `ready` in `done`, so it never runs twice at once.
    if (processing.has(key)) return;
    ready.push(key);
    dispatch();
  };

  const addAfter = (key: string, delayMs: number): void => {
    if (shuttingDown) return;
    if (delayMs <= 0) return add(key);
    const due = clock.now() + delayMs;
    const existing = delayed.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      clock.clearTimeout(existing.timer);
    }
    const timer = clock.setTimeout(() => {
      delayed.delete(key);
      add(key);
    }, delayMs);
    delayed.set(key, { due, timer });
  };

  const shutDown = (): Promise<void> => {
    if (!shuttingDown) {
      shuttingDown = true;
      for (const { timer } of delayed.values()) clock.clearTimeout(timer);
      delayed.clear();
      ready.length = 0;
      dirty.clear();
      for (const resolve of getters.splice(0)) resolve(undefined);
      reportDepth();
    }
    if (processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => drainWaiters.push(resolve));
  };

  return {
    add,
    addAfter,
    addRateLimited: (key) => addAfter(key, backoff.next(key)),
    forget: (key) => backoff.forget(key),
    numRequeues: (key) => backoff.failures(key),
    get() {
      if (shuttingDown) return Promise.resolve(undefined);
      const next = new Promise<string | undefined>((resolve) => getters.push(resolve));
      dispatch();
      return next;
    },
    done(key) {
      if (!processing.delete(key)) return;
      if (shuttingDown) {
        if (processing.size === 0) for (const resolve of drainWaiters.splice(0)) resolve();
        return;
      }
      if (dirty.has(key)) {
        ready.push(key);
        dispatch();
      }
    },
    len: () => ready.length,
    shutDown,
    isShuttingDown: () => shuttingDown,
  };
}
