/**
 * A manual `Clock` for tests: time stands still until `advance(ms)` moves it, firing due
 * timers in order (by due time, then by creation) and letting the promise callbacks they
 * start run before the next one fires. Nothing sleeps for real.
 */
import type { Clock, TimerHandle } from "../controller/clock.js";

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets every queued promise callback run (one macrotask turn drains the microtask queue). */
export const flushPromises = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, due: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** Timers set and neither fired nor cleared. */
  pending(): number {
    return this.#timers.size;
  }

  /** Milliseconds until the earliest pending timer, or undefined when none is pending. */
  nextDelay(): number | undefined {
    const next = this.#earliest();
    return next === undefined ? undefined : next.due - this.#now;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushPromises();
    for (let next = this.#earliest(); next !== undefined && next.due <= target;) {
      this.#timers.delete(next.id);
      this.#now = next.due;
      next.fn();
      await flushPromises();
      next = this.#earliest();
    }
    this.#now = target;
    await flushPromises();
  }

  #earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (best === undefined || timer.due < best.due) best = timer;
    }
    return best;
  }
}
