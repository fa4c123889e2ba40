/**
 * When to dispatch to a failed cluster again. Each failed cluster backs off exponentially
 * (core/controller/backoff.ts: 1 s doubling to 5 min by default) and is forgotten after a
 * success; the reconcile returns the earliest pending retry as `requeueAfterMs` and, when it
 * runs early for another reason, can skip clusters that are not yet due.
 *
 * `planRetries` is the pure rule; `createClusterRetries` keeps its state between reconciles
 * with an injected clock. Keys are cluster names: keep one scheduler per application.
 */
import { backoffDelay, type BackoffOptions } from "../../core/controller/backoff.js";
import type { Clock } from "../../core/controller/clock.js";

export const defaultClusterBackoff: BackoffOptions = { baseMs: 1_000, maxMs: 5 * 60_000 };

export interface ClusterRetry {
  /** Consecutive failed dispatches. */
  readonly failures: number;
  /** Epoch milliseconds from which the cluster is due again. */
  readonly retryAt: number;
}

export type RetryState = ReadonlyMap<string, ClusterRetry>;

export interface RetryPlan {
  readonly state: RetryState;
  /** Milliseconds until the earliest pending retry; absent when no cluster is failing. */
  readonly requeueAfterMs?: number;
}

/** The new state after `outcomes` at `now`, and when to look again (pure). */
export function planRetries(
  state: RetryState,
  outcomes: ReadonlyArray<{ readonly cluster: string; readonly ok: boolean }>,
  now: number,
  backoff: BackoffOptions = defaultClusterBackoff,
): RetryPlan {
  const next = new Map(state);
  for (const { cluster, ok } of outcomes) {
    if (ok) {
      next.delete(cluster);
      continue;
    }
    const failures = (state.get(cluster)?.failures ?? 0) + 1;
    next.set(cluster, { failures, retryAt: now + backoffDelay(failures, backoff) });
  }
  if (next.size === 0) return { state: next };
  const earliest = Math.min(...[...next.values()].map((r) => r.retryAt));
  return { state: next, requeueAfterMs: Math.max(0, earliest - now) };
}

/** True when `cluster` has no pending backoff at `now` (pure). */
export const isDue = (state: RetryState, cluster: string, now: number): boolean =>
  (state.get(cluster)?.retryAt ?? now) <= now;

export interface ClusterRetries {
  /** Records a dispatch's per-cluster outcomes; returns when to reconcile again. */
  record(outcomes: ReadonlyArray<{ readonly cluster: string; readonly ok: boolean }>): {
    requeueAfterMs?: number;
  };
  /** Whether `cluster` may be dispatched to now. */
  isDue(cluster: string): boolean;
  /** Consecutive failures of `cluster`. */
  failures(cluster: string): number;
}

export function createClusterRetries(options: {
  readonly clock: Clock;
  readonly backoff?: BackoffOptions;
}): ClusterRetries {
  let state: RetryState = new Map();
  return {
    record(outcomes) {
      const plan = planRetries(state, outcomes, options.clock.now(), options.backoff);
      state = plan.state;
      return plan.requeueAfterMs === undefined ? {} : { requeueAfterMs: plan.requeueAfterMs };
    },
    isDue: (cluster) => isDue(state, cluster, options.clock.now()),
    failures: (cluster) => state.get(cluster)?.failures ?? 0,
  };
}
