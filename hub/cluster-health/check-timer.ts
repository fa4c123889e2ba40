/**
 * The health tracker's one check timer: it keeps a single timer on the injected clock for the
 * earliest time a cluster must be judged again, rounded up to `CHECK_RESOLUTION_MS` so a
 * large fleet's heartbeats do not wake the hub more than twice a second. When it fires it
 * calls `onDue`, which judges the clusters that are due and schedules the rest again.
 */
import type { Clock, TimerHandle } from "../../core/controller/clock.js";

/** Timers fire on multiples of this (ms): detection is late by at most this much. */
export const CHECK_RESOLUTION_MS = 500;

/** One pending check, moved earlier when an earlier one is asked for. */
export class CheckTimer {
  readonly #clock: Clock;
  readonly #onDue: () => void;
  #check: { readonly handle: TimerHandle; readonly due: number } | undefined;
  #stopped = false;

  constructor(clock: Clock, onDue: () => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /** Makes sure a check runs at `at` (rounded up to the resolution) or earlier. */
  schedule(at: number | undefined): void {
    if (at === undefined || this.#stopped) return;
    const due = Math.ceil(at / CHECK_RESOLUTION_MS) * CHECK_RESOLUTION_MS;
    if (this.#check !== undefined && this.#check.due <= due) return;
    if (this.#check !== undefined) this.#clock.clearTimeout(this.#check.handle);
    const handle = this.#clock.setTimeout(() => this.#fire(), due - this.#clock.now());
    this.#check = { due, handle };
  }

  /** Cancels the pending check; later `schedule` calls do nothing. */
  stop(): void {
    this.#stopped = true;
    if (this.#check !== undefined) this.#clock.clearTimeout(this.#check.handle);
    this.#check = undefined;
  }

  #fire(): void {
    this.#check = undefined;
    this.#onDue();
  }
}
