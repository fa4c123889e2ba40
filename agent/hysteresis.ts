/**
 * Hysteresis (house style §9, Karmada's `clusterConditionStore`): the published version of an
 * observed value changes only after a different value has been observed continuously for a
 * threshold. A flap shorter than the threshold changes nothing; a single missed probe never
 * flips a state. Pure: time is passed in (`now`, milliseconds on the injected clock).
 *
 * Rules of `hold`:
 * - the first observation is published at once (there is nothing to protect);
 * - an observation equal to the published value clears any pending change;
 * - a different value becomes pending, timed from when it was first seen; seeing yet another
 *   value restarts the timer;
 * - a pending value still observed once `thresholdMs` has passed is published.
 */

export interface Held<T> {
  /** What is published. */
  readonly value: T;
  /** A different value being observed, and since when. */
  readonly pending?: { readonly value: T; readonly since: number };
}

/** The next state after observing `observed` at `now`. */
export function hold<T>(
  previous: Held<T> | undefined,
  observed: T,
  now: number,
  thresholdMs: number,
): Held<T> {
  if (previous === undefined || Object.is(previous.value, observed)) return { value: observed };
  const pending = previous.pending;
  if (pending === undefined || !Object.is(pending.value, observed))
    return thresholdMs <= 0
      ? { value: observed }
      : { value: previous.value, pending: { value: observed, since: now } };
  return now - pending.since >= thresholdMs ? { value: observed } : previous;
}

/** When a pending change becomes publishable (if still observed then), or undefined. */
export function dueAt(held: Held<unknown>, thresholdMs: number): number | undefined {
  return held.pending === undefined ? undefined : held.pending.since + thresholdMs;
}

/**
 * `hold` for a set of keyed values (e.g. each node's readiness): keys no longer observed are
 * dropped, new keys are published at once. Returns the new states and the earliest due time
 * of any pending change.
 */
export function holdEach<T>(
  previous: ReadonlyMap<string, Held<T>>,
  observed: Iterable<readonly [string, T]>,
  now: number,
  thresholdMs: number,
): { states: Map<string, Held<T>>; nextDue?: number } {
  const states = new Map<string, Held<T>>();
  let nextDue: number | undefined;
  for (const [key, value] of observed) {
    const state = hold(previous.get(key), value, now, thresholdMs);
    states.set(key, state);
    const due = dueAt(state, thresholdMs);
    if (due !== undefined && (nextDue === undefined || due < nextDue)) nextDue = due;
  }
  return nextDue === undefined ? { states } : { states, nextDue };
}
