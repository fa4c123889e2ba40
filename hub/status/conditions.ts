/**
 * Application conditions (pure): one per reconcile stage, each keeping its
 * `lastTransitionTime` while its status does not change, as Kubernetes conditions do.
 */
import type { ApplicationCondition } from "../../engine/oam/status.js";

/** The stages, in order; each has one condition of that type. */
export const CONDITION_TYPES = ["Parsed", "Policy", "Rendered", "Dispatched", "Healthy"] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface ConditionInput {
  readonly type: ConditionType;
  readonly ok: boolean;
  readonly reason: string;
  readonly message?: string;
}

/**
 * The conditions after `next` at `now`: stages in `next` are set (their transition time kept
 * when their status is unchanged), stages not reached are left out.
 */
export function mergeConditions(
  previous: readonly ApplicationCondition[],
  next: readonly ConditionInput[],
  now: string,
): ApplicationCondition[] {
  return next.map((input) => {
    const status = input.ok ? "True" : "False";
    const before = previous.find((c) => c.type === input.type);
    const lastTransitionTime =
      before !== undefined && before.status === status ? before.lastTransitionTime : now;
    return {
      type: input.type,
      status,
      reason: input.reason,
      ...(input.message === undefined ? {} : { message: input.message }),
      lastTransitionTime,
    };
  });
}
