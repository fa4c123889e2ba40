/**
 * Running one leaf step (pure apart from the injected runner): the native `suspend` step, or
 * the runner for the step's type, whose outcome becomes the step's status. A runner that
 * throws is KubeVela's `Execute` failure: the step stays unfinished and is retried with
 * backoff, and fails with `FailedAfterRetries` after 10 consecutive errors.
 */
import type { JsonObject } from "../../core/json.js";
import { parseGoDuration } from "../../core/config/duration.js";
import { withOutputs } from "./data.js";
import { MAX_STEP_FAILURES, counterOf, requeueIn, setStatus, type RunState } from "./run-state.js";
import type { PlannedStep } from "./spec.js";
import {
  StepReason,
  type StepOutcome,
  type StepPhase,
  type StepRunner,
  type StepStatus,
} from "./types.js";

/** KubeVela's wait backoff: 2^n × 50 ms, at least 1 s, at most 60 s. */
export function waitBackoffMs(waits: number): number {
  return Math.min(60_000, Math.max(1_000, 50 * 2 ** waits));
}

/** The retry delay after a runner error: 1 s doubling, at most 5 min. */
export function failureBackoffMs(failures: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

function fail(state: RunState, step: PlannedStep, reason: string, message: string): void {
  state.counters.delete(step.name);
  setStatus(state, step, { phase: "failed", reason, message });
  state.events.push({
    type: "Warning",
    reason: "WorkflowStepFailed",
    message: `step "${step.name}" failed (${reason}): ${message}`,
  });
}

export { fail as failStep };

function applyOutcome(state: RunState, step: PlannedStep, outcome: StepOutcome): void {
  switch (outcome.phase) {
    case "succeeded":
      state.counters.delete(step.name);
      state.context = withOutputs(state.context, outcome.outputs);
      setStatus(state, step, { phase: "succeeded", message: outcome.message });
      return;
    case "running": {
      const counters = counterOf(state, step.name);
      counters.waits = (counters.waits ?? 0) + 1;
      delete counters.failures;
      setStatus(state, step, {
        phase: "running",
        reason: outcome.reason,
        message: outcome.message,
      });
      requeueIn(state, outcome.retryAfterMs ?? waitBackoffMs(counters.waits));
      return;
    }
    case "failed":
      fail(state, step, outcome.reason, outcome.message);
      return;
    case "suspending": {
      state.counters.delete(step.name);
      const message = outcome.message ?? `step "${step.name}" is suspended`;
      setStatus(state, step, { phase: "suspending", reason: StepReason.Suspend, message });
      if (outcome.resumeAt !== undefined)
        requeueIn(state, Date.parse(outcome.resumeAt) - state.now.getTime());
    }
  }
}

function runnerError(state: RunState, step: PlannedStep, error: unknown): void {
  const counters = counterOf(state, step.name);
  const failures = (counters.failures ?? 0) + 1;
  const detail = error instanceof Error ? error.message : String(error);
  if (failures >= MAX_STEP_FAILURES) {
    fail(state, step, StepReason.FailedAfterRetries, `failed ${failures} times, last: ${detail}`);
    return;
  }
  counters.failures = failures;
  setStatus(state, step, { phase: "failed", reason: StepReason.Execute, message: detail });
  requeueIn(state, failureBackoffMs(failures));
}

function suspendFor(
  state: RunState,
  step: PlannedStep,
  wait: { message: string; ms?: number },
): void {
  setStatus(state, step, {
    phase: "suspending",
    reason: StepReason.Suspend,
    message: wait.message,
  });
  if (wait.ms !== undefined) requeueIn(state, wait.ms);
}

function suspendProperties(step: PlannedStep): { duration?: string; text?: string } {
  const { duration, message } = step.properties;
  return {
    ...(typeof duration === "string" ? { duration } : {}),
    ...(typeof message === "string" ? { text: message } : {}),
  };
}

/** Resumed by the caller: `suspend` cleared, or the step set to `running` as KubeVela's CLI does. */
function wasResumed(state: RunState, step: PlannedStep, before: StepStatus | undefined): boolean {
  return state.resumed.has(step.name) || before?.phase === "running";
}

/** The native `suspend` step: waits for a manual resume, or for `properties.duration`. */
function runSuspend(state: RunState, step: PlannedStep, before: StepStatus | undefined): void {
  if (wasResumed(state, step, before)) {
    setStatus(state, step, { phase: "succeeded", message: "resumed" });
    return;
  }
  const { duration, text } = suspendProperties(step);
  const ms = duration === undefined ? undefined : parseGoDuration(duration);
  if (ms === undefined) {
    suspendFor(state, step, { message: text ?? `step "${step.name}" waits for a manual resume` });
    return;
  }
  const resumeAt = Date.parse(before?.firstExecuteTime ?? state.nowIso) + ms;
  const left = resumeAt - state.now.getTime();
  if (left <= 0) {
    setStatus(state, step, { phase: "succeeded", message: `resumed after ${duration}` });
    return;
  }
  const at = new Date(resumeAt).toISOString();
  suspendFor(state, step, { message: text ?? `step "${step.name}" resumes at ${at}`, ms: left });
}

/**
 * The phase a runner sees: `running` for a first run and after a manual resume (as KubeVela's
 * `vela workflow resume` sets it), else the step's current phase (`suspending` while the
 * workflow is still suspended, `running` while it waits, `failed` when retrying an error).
 */
function runnerPhase(
  state: RunState,
  step: PlannedStep,
  before: StepStatus | undefined,
): StepPhase {
  if (before === undefined || before.phase === "pending") return "running";
  if (before.phase === "suspending" && state.resumed.has(step.name)) return "running";
  return before.phase;
}

/** How often a step whose type is not (yet) defined looks again. */
export const UNKNOWN_TYPE_RETRY_MS = 10_000;

/**
 * A step whose type has no runner waits (as KubeVela retries a step whose definition it cannot
 * load): its WorkflowStepDefinition may be on its way. Its status names the type; its
 * `timeout`, if any, still ends the wait.
 */
const unknownType = (type: string): StepRunner => ({
  run: () =>
    Promise.resolve({
      phase: "running",
      reason: StepReason.UnknownType,
      message: `unknown workflow step type "${type}": waiting for a WorkflowStepDefinition of that name`,
      retryAfterMs: UNKNOWN_TYPE_RETRY_MS,
    }),
});

export interface LeafRun {
  readonly step: PlannedStep;
  readonly properties: JsonObject;
  readonly inputs: Record<string, unknown>;
}

/** Runs a leaf step once and records the outcome. */
export async function runLeaf(state: RunState, run: LeafRun): Promise<void> {
  const { step } = run;
  const before = state.statuses.get(step.name);
  state.ran.add(step.name);
  if (step.type === "suspend") {
    runSuspend(state, step, before);
    return;
  }
  const runner = state.runnerFor(step.type) ?? unknownType(step.type);
  const stepStatus: StepStatus = {
    ...(before ?? { id: step.id, name: step.name, type: step.type }),
    phase: runnerPhase(state, step, before),
    firstExecuteTime: before?.firstExecuteTime ?? state.nowIso,
  };
  let outcome: StepOutcome;
  try {
    outcome = await runner.run({
      app: state.app,
      step: { ...step.source, properties: run.properties },
      inputs: run.inputs,
      stepStatus,
      now: state.now,
      ...(state.signal === undefined ? {} : { signal: state.signal }),
    });
  } catch (error) {
    runnerError(state, step, error);
    return;
  }
  applyOutcome(state, step, outcome);
}
