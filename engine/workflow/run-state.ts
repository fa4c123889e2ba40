/**
 * The mutable working state of one `advance` call (pure: built from the persisted status and
 * context, turned back into them at the end). Step statuses are kept flat by name; every
 * update stamps `lastExecuteTime` with the reconcile's `now` and `firstExecuteTime` the first
 * time the step starts. Retry counters (KubeVela keeps them in the context ConfigMap too) live
 * under `ENGINE_KEY` in the context so they survive a hub restart.
 */
import type { CueEngine } from "../cue/engine.js";
import type { Application } from "../oam/types.js";
import { ENGINE_KEY } from "./data.js";
import type { PlannedStep, WorkflowPlan } from "./spec.js";
import {
  StepReason,
  type RunnerFor,
  type StepPhase,
  type StepStatus,
  type WorkflowEvent,
} from "./types.js";

export interface StepCounters {
  /** Consecutive `running` outcomes (for the wait backoff). */
  waits?: number;
  /** Consecutive runner errors (KubeVela's failed times; the step fails after 10). */
  failures?: number;
}

export interface RunState {
  readonly plan: WorkflowPlan;
  readonly app: Application;
  readonly now: Date;
  readonly nowIso: string;
  readonly cue: CueEngine;
  readonly runnerFor: RunnerFor;
  readonly maxParallel: number;
  readonly signal?: AbortSignal;
  readonly statuses: Map<string, StepStatus>;
  context: Record<string, unknown>;
  readonly counters: Map<string, StepCounters>;
  /** The caller set `terminated`: unstarted steps without an `if` are skipped. */
  readonly terminating: boolean;
  /** Suspended steps the caller resumed (by clearing `suspend`). */
  readonly resumed: ReadonlySet<string>;
  /** Steps whose runner ran (or that were settled) in this call: never run twice per call. */
  readonly ran: Set<string>;
  readonly events: WorkflowEvent[];
  requeueAfterMs?: number;
}

export const MAX_STEP_FAILURES = 10;

/** KubeVela's `IsStepFinish`: succeeded, skipped, or failed for any reason but `Execute`. */
export function isFinished(status: StepStatus | undefined): boolean {
  if (status === undefined) return false;
  if (status.phase === "failed") return status.reason !== StepReason.Execute;
  return status.phase === "succeeded" || status.phase === "skipped";
}

/** The step has begun (reached with its dependencies done); its timeout counts from then. */
export function isStarted(status: StepStatus | undefined): boolean {
  return status?.firstExecuteTime !== undefined;
}

export function requeueIn(state: RunState, ms: number): void {
  const value = Math.max(0, Math.round(ms));
  if (state.requeueAfterMs === undefined || value < state.requeueAfterMs)
    state.requeueAfterMs = value;
}

export interface StatusChange {
  readonly phase: StepPhase;
  readonly reason?: string;
  readonly message?: string;
  /** False for a step only waiting on its dependencies (it has not started). */
  readonly start?: boolean;
}

/** Records a step's new phase, reason and message (timestamps from `now`). */
export function setStatus(state: RunState, step: PlannedStep, change: StatusChange): StepStatus {
  const old = state.statuses.get(step.name);
  const first = old?.firstExecuteTime ?? (change.start === false ? undefined : state.nowIso);
  const status: StepStatus = {
    id: step.id,
    name: step.name,
    type: step.type,
    phase: change.phase,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(change.message === undefined ? {} : { message: change.message }),
    ...(first === undefined ? {} : { firstExecuteTime: first }),
    lastExecuteTime: state.nowIso,
  };
  state.statuses.set(step.name, status);
  return status;
}

export function counterOf(state: RunState, name: string): StepCounters {
  let counters = state.counters.get(name);
  if (counters === undefined) {
    counters = {};
    state.counters.set(name, counters);
  }
  return counters;
}

/** Reads the retry counters persisted in the context. */
export function loadCounters(context: Record<string, unknown>): Map<string, StepCounters> {
  const stored = context[ENGINE_KEY];
  const steps =
    typeof stored === "object" && stored !== null
      ? (stored as { steps?: unknown }).steps
      : undefined;
  if (typeof steps !== "object" || steps === null) return new Map();
  return new Map(
    Object.entries(steps as Record<string, StepCounters>).map(([k, v]) => [k, { ...v }]),
  );
}

/** The context with the counters written back (the key is dropped when none is left). */
export function saveCounters(
  context: Record<string, unknown>,
  counters: ReadonlyMap<string, StepCounters>,
): Record<string, unknown> {
  const steps = Object.fromEntries(
    [...counters].filter(([, c]) => (c.waits ?? 0) > 0 || (c.failures ?? 0) > 0),
  );
  const rest = { ...context };
  delete rest[ENGINE_KEY];
  return Object.keys(steps).length === 0 ? rest : { ...rest, [ENGINE_KEY]: { steps } };
}

/** Flattens persisted step statuses (sub-steps included) by name, for steps still planned. */
export function flattenStatuses(
  plan: WorkflowPlan,
  steps: readonly StepStatus[] | undefined,
): Map<string, StepStatus> {
  const flat = new Map<string, StepStatus>();
  for (const status of steps ?? []) {
    for (const s of [status, ...(status.subSteps ?? [])]) {
      const own = { ...s };
      delete own.subSteps;
      if (plan.byName.get(s.name)?.type === s.type) flat.set(s.name, own);
    }
  }
  return flat;
}

/** The nested status list of the plan's reached steps, in plan order. */
export function nestStatuses(state: RunState): StepStatus[] {
  const result: StepStatus[] = [];
  for (const step of state.plan.steps) {
    const status = state.statuses.get(step.name);
    if (status === undefined) continue;
    if (step.subSteps.length === 0 && step.type !== "step-group") {
      result.push(status);
      continue;
    }
    const subSteps = step.subSteps.flatMap((c) => state.statuses.get(c.name) ?? []);
    result.push({ ...status, subSteps });
  }
  return result;
}
