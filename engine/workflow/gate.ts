/**
 * What stands between a step and its run (pure, CUE passed in): unfinished dependencies, the
 * skip rules, the timeout, missing inputs and the `if`. KubeVela's rules: a step without `if`
 * is skipped when, in StepByStep mode without `dependsOn`, an earlier step did not succeed or
 * get skipped, and otherwise (DAG mode or `dependsOn`) when a dependency, or one of its own
 * dependencies, did not succeed. A step with an `if` runs exactly when it is true (`always`
 * included), whatever happened before. After the caller terminates the workflow, steps
 * without an `if` are skipped.
 */
import { InvalidInputError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import { evaluateIf, statusView } from "./condition.js";
import { resolveInputs } from "./data.js";
import { isFinished, setStatus, type RunState } from "./run-state.js";
import type { PlannedStep, WorkflowMode } from "./spec.js";
import { failStep } from "./step-run.js";
import { StepReason } from "./types.js";

export interface Level {
  readonly steps: readonly PlannedStep[];
  readonly index: number;
  readonly mode: WorkflowMode;
}

/** The first of the step's `dependsOn` that has not finished. */
export function unfinishedDependency(state: RunState, step: PlannedStep): string | undefined {
  return step.dependsOn.find((name) => !isFinished(state.statuses.get(name)));
}

function blockingDependency(
  state: RunState,
  step: PlannedStep,
  seen: Set<string>,
): { name: string; phase: string } | undefined {
  for (const name of step.dependsOn) {
    if (seen.has(name)) continue;
    seen.add(name);
    const phase = state.statuses.get(name)?.phase ?? "pending";
    if (phase !== "succeeded") return { name, phase };
    const dependency = state.plan.byName.get(name);
    const deeper =
      dependency === undefined ? undefined : blockingDependency(state, dependency, seen);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}

/** Why a step without `if` is skipped, or `undefined` when it may run. */
export function skipMessage(state: RunState, step: PlannedStep, level: Level): string | undefined {
  if (step.if !== undefined) return undefined;
  if (state.terminating) return "skipped: the workflow was terminated";
  if (level.mode === "DAG" || step.dependsOn.length > 0) {
    const blocking = blockingDependency(state, step, new Set());
    return blocking && `skipped: dependency "${blocking.name}" is ${blocking.phase}`;
  }
  return earlierNotDone(state, level);
}

/** StepByStep without `dependsOn`: an earlier step that neither succeeded nor was skipped. */
function earlierNotDone(state: RunState, level: Level): string | undefined {
  for (const before of level.steps.slice(0, level.index).reverse()) {
    const phase = state.statuses.get(before.name)?.phase ?? "pending";
    if (phase !== "succeeded" && phase !== "skipped")
      return `skipped: step "${before.name}" is ${phase}`;
  }
  return undefined;
}

/** Fails a started, unfinished step whose timeout has passed; true when it did. */
export function timeOut(state: RunState, step: PlannedStep, because?: string): boolean {
  const status = state.statuses.get(step.name);
  if (step.timeoutMs === undefined || status?.firstExecuteTime === undefined || isFinished(status))
    return false;
  if (Date.parse(status.firstExecuteTime) + step.timeoutMs > state.now.getTime()) return false;
  const message =
    because ?? `step "${step.name}" did not finish within its timeout of ${step.timeout ?? ""}`;
  failStep(state, step, StepReason.Timeout, message);
  return true;
}

export type Gate =
  | { readonly kind: "wait" }
  | { readonly kind: "settled" }
  | {
      readonly kind: "run";
      readonly properties: JsonObject;
      readonly inputs: Record<string, unknown>;
    };

function missingInput(state: RunState, step: PlannedStep, from: string): Gate {
  const producers =
    state.plan.producers.get(from) ?? state.plan.producers.get(from.split(".")[0] ?? from) ?? [];
  const done = producers.map((p) => state.statuses.get(p)).filter(isFinished);
  if (producers.length > 0 && done.length === producers.length) {
    const how = done.map((s) => `step "${s?.name}" ${s?.phase}`).join(", ");
    const message = `input "${from}" is not available: ${how} without producing it`;
    failStep(state, step, StepReason.Input, message);
    return { kind: "settled" };
  }
  setStatus(state, step, { phase: "pending", message: `Pending on Input: ${from}` });
  return { kind: "wait" };
}

function conditionHolds(
  state: RunState,
  step: PlannedStep,
  inputs: Record<string, unknown>,
): boolean | undefined {
  if (step.if === undefined || step.if === "always") return true;
  try {
    const status = statusView(state.plan.byName.values(), (n) => state.statuses.get(n));
    return evaluateIf({ step: step.name, expression: step.if, status, inputs, cue: state.cue });
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    failStep(state, step, StepReason.Condition, error.message);
    return undefined;
  }
}

/**
 * For a step about to start (or waiting on an input): waits while an input is missing, fails
 * when its producers finished without it, then evaluates `if` (false: skipped; not a bool:
 * failed with reason `Condition`).
 */
export function gate(state: RunState, step: PlannedStep): Gate {
  const resolved = resolveInputs(step, state.context);
  if (!resolved.ok) return missingInput(state, step, resolved.missing);
  const holds = conditionHolds(state, step, resolved.values);
  if (holds === undefined) return { kind: "settled" };
  if (!holds) {
    setStatus(state, step, {
      phase: "skipped",
      reason: StepReason.Skip,
      message: `skipped: "if" is false`,
    });
    return { kind: "settled" };
  }
  return { kind: "run", properties: resolved.properties, inputs: resolved.values };
}
