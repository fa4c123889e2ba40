/**
 * When the hub looks at an application again after a reconcile that delivered (pure). The
 * earliest of: the retry of a status write that met a conflict (finish.ts), the workflow's own
 * wait (a step's timer, a suspend's duration), the retry of clusters that failed
 * (dispatch/retry.ts), and the periodic look: the state-keep period once
 * every service is healthy and the workflow (if any) has finished, else the health poll.
 *
 * A reconcile that stopped at a failed stage (a user error in Parsed, Policy or Rendered) does
 * not come here and sets no timer: it runs again when the app, a definition or a cluster
 * changes.
 */

export interface RequeueInput {
  /** The status write's retry after a conflict, if it met one. */
  readonly statusMs?: number;
  /** The workflow's own requeue, if it asked for one. */
  readonly workflowMs?: number;
  /** The earliest retry of a failed cluster, if any failed. */
  readonly deliveryMs?: number;
  /** Every service reported healthy. */
  readonly healthy: boolean;
  /** No workflow, or a finished one. */
  readonly settled: boolean;
  /** The hub's state-keep period (`--state-keep-interval`). */
  readonly stateKeepMs: number;
  /** The hub's health poll (`--health-poll-interval`). */
  readonly healthPollMs: number;
}

/** Milliseconds until the next reconcile of a delivered application. */
export function requeueAfter(input: RequeueInput): number {
  const periodic = input.healthy && input.settled ? input.stateKeepMs : input.healthPollMs;
  const waits = [input.statusMs, input.workflowMs, input.deliveryMs];
  return Math.min(...waits.map((ms) => ms ?? Infinity), periodic);
}
