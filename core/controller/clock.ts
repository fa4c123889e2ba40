/**
 * Time as a dependency (house style §11): the controller runtime reads the time and sets
 * timers only through a `Clock`, so backoff, requeue-after and restart delays are tested with
 * a fake clock instead of by sleeping. `systemClock` is the real one.
 */

/** What `setTimeout` returned; only good for passing back to the same clock's `clearTimeout`. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once, after `ms` milliseconds (0 or less: as soon as possible). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The process clock. Its timers are unref'd: a pending requeue or restart never keeps a
 * process alive on its own (servers are kept alive by their listeners).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The process clock with timers that keep the process alive while pending: for programs that
 * wait on purpose (a CLI command polling until something is ready) and have nothing else
 * holding the event loop open.
 */
export const waitingClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `ms` on `clock` (for polling loops and retry delays). */
export const sleep = (clock: Clock, ms: number): Promise<void> =>
  new Promise((resolve) => clock.setTimeout(resolve, ms));
