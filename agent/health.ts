/**
 * The agent's published health (pure): API readiness and each node's readiness pass through
 * hysteresis (`hysteresis.ts`) before they count, so a flip shorter than the threshold never
 * reaches the report. Node counts, per cluster and per pool, are counted from the held
 * readiness; nodes that appear or disappear count at once (a new node starts with the
 * readiness it is first seen with). Allocatable, requests, version and pools are not held.
 */
import { dueAt, hold, holdEach, type Held } from "./hysteresis.js";
import type { NodeSummary } from "./report.js";

export interface HealthState {
  readonly api?: Held<boolean>;
  readonly nodes: ReadonlyMap<string, Held<boolean>>;
}

export const initialHealth: HealthState = { nodes: new Map() };

export interface Observed {
  readonly apiReady: boolean;
  readonly nodes: ReadonlyMap<string, NodeSummary>;
}

export interface Settled {
  readonly state: HealthState;
  readonly apiReady: boolean;
  /** Every node with its published readiness. */
  readonly nodes: readonly NodeSummary[];
  /** When a pending flip becomes publishable (look again then), if any is pending. */
  readonly nextDue?: number;
}

/** The health to publish after observing `observed` at `now`. */
export function settleHealth(
  state: HealthState,
  observed: Observed,
  now: number,
  thresholdMs: number,
): Settled {
  const api = hold(state.api, observed.apiReady, now, thresholdMs);
  const readiness = [...observed.nodes].map(([name, node]) => [name, node.ready] as const);
  const held = holdEach(state.nodes, readiness, now, thresholdMs);
  const nodes = [...observed.nodes].map(([name, node]) => {
    const ready = held.states.get(name)?.value ?? node.ready;
    return ready === node.ready ? node : { ...node, ready };
  });
  const dues = [held.nextDue, dueAt(api, thresholdMs)].filter(
    (d): d is number => typeof d === "number",
  );
  return {
    state: { api, nodes: held.states },
    apiReady: api.value,
    nodes,
    ...(dues.length === 0 ? {} : { nextDue: Math.min(...dues) }),
  };
}
