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
import {
  createKeyedBackoff,
  defaultReconcileBackoff,
  type BackoffOptions,
  type KeyedBackoff,
} from "./backoff.js";
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

/** Builds a queue; it sets no timer until a key is added with a delay. */
export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  return new KeyQueue(options);
}

/** The queue's state, explicit: which keys wait where, and who waits for what. */
class KeyQueue implements WorkQueue {
  readonly #clock: Clock;
  readonly #backoff: KeyedBackoff;
  readonly #onDepthChange: ((depth: number) => void) | undefined;
  /** Keys to hand out, in order. */
  readonly #ready: string[] = [];
  /** Keys added and not yet handed out (in `ready`, or processing and added again). */
  readonly #dirty = new Set<string>();
  /** Keys handed out and not yet `done`. */
  readonly #processing = new Set<string>();
  /** Keys added with a delay, with their timer; one per key, the earliest. */
  readonly #delayed = new Map<string, Delayed>();
  /** Callers of `get()` waiting for a key. */
  readonly #getters: Array<(key: string | undefined) => void> = [];
  /** Callers of `shutDown()` waiting for the processing keys to be done. */
  readonly #drainWaiters: Array<() => void> = [];
  #shuttingDown = false;
  #lastDepth = -1;

  constructor(options: WorkQueueOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#backoff = createKeyedBackoff(options.backoff ?? defaultReconcileBackoff);
    this.#onDepthChange = options.onDepthChange;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    // A processing key goes back to `ready` in `done`, so it never runs twice at once.
    if (this.#processing.has(key)) return;
    this.#ready.push(key);
    this.#dispatch();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const due = this.#clock.now() + delayMs;
    const existing = this.#delayed.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      this.#clock.clearTimeout(existing.timer);
    }
    const timer = this.#clock.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.#delayed.set(key, { due, timer });
  }

  addRateLimited(key: string): void {
    this.addAfter(key, this.#backoff.next(key));
  }

  forget(key: string): void {
    this.#backoff.forget(key);
  }

  numRequeues(key: string): number {
    return this.#backoff.failures(key);
  }

  get(): Promise<string | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    const next = new Promise<string | undefined>((resolve) => this.#getters.push(resolve));
    this.#dispatch();
    return next;
  }

  done(key: string): void {
    if (!this.#processing.delete(key)) return;
    if (this.#shuttingDown) {
      if (this.#processing.size === 0)
        for (const resolve of this.#drainWaiters.splice(0)) resolve();
      return;
    }
    if (this.#dirty.has(key)) {
      this.#ready.push(key);
      this.#dispatch();
    }
  }

  len(): number {
    return this.#ready.length;
  }

  shutDown(): Promise<void> {
    if (!this.#shuttingDown) this.#drop();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Starts the shutdown: cancels the delays, drops the waiting keys, releases the getters. */
  #drop(): void {
    this.#shuttingDown = true;
    for (const { timer } of this.#delayed.values()) this.#clock.clearTimeout(timer);
    this.#delayed.clear();
    this.#ready.length = 0;
    this.#dirty.clear();
    for (const resolve of this.#getters.splice(0)) resolve(undefined);
    this.#reportDepth();
  }

  /** Hands ready keys to waiting getters, in order. */
  #dispatch(): void {
    while (this.#getters.length > 0 && this.#ready.length > 0) {
      const key = this.#ready.shift() as string;
      this.#dirty.delete(key);
      this.#processing.add(key);
      (this.#getters.shift() as (key: string | undefined) => void)(key);
    }
    this.#reportDepth();
  }

  #reportDepth(): void {
    if (this.#ready.length === this.#lastDepth) return;
    this.#lastDepth = this.#ready.length;
    this.#onDepthChange?.(this.#ready.length);
  }
}
