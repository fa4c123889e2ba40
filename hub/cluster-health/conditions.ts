/**
 * The `Ready` condition the hub writes on a cluster's ClusterReport (pure): built from the
 * cluster's health, compared with what is stored so that it is written only when it changed,
 * and read back after a hub restart so `lastTransitionTime` survives restarts.
 */
import { READY_CONDITION, type StatusCondition } from "./contract.js";
import {
  conditionStatusOf,
  HealthReason,
  type ClusterHealth,
  type HealthState,
  type PreviousHealth,
} from "./state.js";

/** RFC 3339 with second precision, as `metav1.Time` is written. */
export const conditionTime = (ms: number): string =>
  new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/** The `Ready` condition for `health`; `observedGeneration` is the ClusterReport's. */
export function readyCondition(
  health: ClusterHealth,
  observedGeneration?: number,
): StatusCondition {
  return {
    type: READY_CONDITION,
    status: conditionStatusOf(health.state),
    reason: health.reason,
    message: health.message,
    lastTransitionTime: conditionTime(health.lastTransitionTime),
    ...(observedGeneration === undefined ? {} : { observedGeneration }),
  };
}

const sameCondition = (a: StatusCondition, b: StatusCondition): boolean =>
  a.type === b.type &&
  a.status === b.status &&
  a.reason === b.reason &&
  a.message === b.message &&
  a.lastTransitionTime === b.lastTransitionTime &&
  a.observedGeneration === b.observedGeneration;

/**
 * The whole condition list to write so that `desired` replaces the stored condition of its
 * type (others kept, in order), or undefined when the stored one is already equal.
 */
export function conditionsToWrite(
  current: readonly StatusCondition[],
  desired: StatusCondition,
): StatusCondition[] | undefined {
  const index = current.findIndex((c) => c.type === desired.type);
  const stored = index < 0 ? undefined : current[index];
  if (stored !== undefined && sameCondition(stored, desired)) return undefined;
  if (index < 0) return [...current, desired];
  return current.map((c, i) => (i === index ? desired : c));
}

/** The state a stored `Ready` condition stands for. */
export function stateOfCondition(condition: StatusCondition): HealthState {
  if (condition.status === "True") return "Ready";
  if (condition.status === "False") return "NotReady";
  return condition.reason === HealthReason.pending ? "Pending" : "Unknown";
}

/**
 * What a stored `Ready` condition says about the past, for the first evaluation after a hub
 * (re)start: its state and transition time; undefined when there is none or it is unreadable.
 */
export function previousFromConditions(
  conditions: readonly StatusCondition[],
): PreviousHealth | undefined {
  const ready = conditions.find((c) => c.type === READY_CONDITION);
  const at = ready === undefined ? NaN : Date.parse(ready.lastTransitionTime);
  if (ready === undefined || Number.isNaN(at)) return undefined;
  return { state: stateOfCondition(ready), lastTransitionTime: at };
}
