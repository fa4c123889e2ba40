/**
 * Walking one level of steps (the workflow's steps, or a step-group's sub-steps) for one
 * `advance` call. StepByStep: steps in order, stopping at the first that does not finish.
 * DAG: every step whose dependencies have finished, up to `maxParallel` at once, again and
 * again while steps keep finishing. No runner runs twice in one call, and while a step is
 * suspended no step starts (steps already started keep being checked).
 */
import { gate, skipMessage, timeOut, unfinishedDependency, type Level } from "./gate.js";
import { resolveInputs } from "./data.js";
import { isFinished, isStarted, requeueIn, setStatus, type RunState } from "./run-state.js";
import { STEP_GROUP, type PlannedStep, type WorkflowMode } from "./spec.js";
import { failureBackoffMs, runLeaf } from "./step-run.js";
import { StepReason, type StepPhase, type StepStatus } from "./types.js";

/** A step (other than one the caller just resumed) is suspended: no new step may start. */
function holding(state: RunState): boolean {
  for (const [name, status] of state.statuses) {
    if (status.phase === "suspending" && !state.resumed.has(name)) return true;
  }
  return false;
}

function settleChildren(
  state: RunState,
  group: PlannedStep,
  change: { phase: StepPhase; reason: string; message: string },
): void {
  for (const child of group.subSteps) {
    if (!isFinished(state.statuses.get(child.name))) setStatus(state, child, change);
  }
}

/** A step-group's phase from its children (after KubeVela's `getStepGroupStatus`). */
function groupPhase(children: ReadonlyArray<StepStatus | undefined>): {
  phase: StepPhase;
  reason?: string;
  message?: string;
} {
  const phases = new Set(children.map((c) => c?.phase));
  const failed = children.filter((c) => c?.phase === "failed" && isFinished(c));
  if (phases.has("suspending")) return { phase: "suspending", reason: StepReason.Suspend };
  if (children.some((c) => c === undefined || (!isFinished(c) && c.phase !== "pending")))
    return { phase: "running" };
  // A child waiting on an input keeps the group running (KubeVela says pending; here
  // `pending` on a group means only that the group itself waits on its own inputs).
  if (phases.has("pending")) return { phase: "running" };
  if (failed.length > 0) {
    const names = failed.map((c) => `"${c?.name}"`).join(", ");
    return { phase: "failed", reason: failed[0]?.reason, message: `sub-steps ${names} failed` };
  }
  if (children.length > 0 && phases.size === 1 && phases.has("skipped"))
    return { phase: "skipped", reason: StepReason.Skip };
  return { phase: "succeeded" };
}

async function visitGroup(state: RunState, group: PlannedStep): Promise<void> {
  state.ran.add(group.name);
  const before = state.statuses.get(group.name);
  if (before === undefined || before.phase === "pending") {
    const decision = gate(state, group);
    if (decision.kind === "wait") return;
    if (decision.kind === "settled") {
      const message = `step-group "${group.name}" is ${state.statuses.get(group.name)?.phase}`;
      settleChildren(state, group, { phase: "skipped", reason: StepReason.Skip, message });
      return;
    }
    setStatus(state, group, { phase: "running" });
  }
  await walkLevel(state, group.subSteps, state.plan.mode.subSteps);
  const { phase, reason, message } = groupPhase(
    group.subSteps.map((c) => state.statuses.get(c.name)),
  );
  setStatus(state, group, { phase, reason, message });
}

/** A step retrying a runner error waits out its backoff (counted from its last run). */
function backingOff(state: RunState, step: PlannedStep, before: StepStatus): boolean {
  if (before.phase !== "failed" || before.lastExecuteTime === undefined) return false;
  const failures = state.counters.get(step.name)?.failures ?? 0;
  const left =
    Date.parse(before.lastExecuteTime) + failureBackoffMs(failures) - state.now.getTime();
  if (left <= 0) return false;
  requeueIn(state, left);
  return true;
}

async function visitLeaf(state: RunState, step: PlannedStep): Promise<void> {
  const before = state.statuses.get(step.name);
  if (before !== undefined && before.phase !== "pending") {
    if (backingOff(state, step, before)) return;
    const resolved = resolveInputs(step, state.context);
    const [properties, inputs] = resolved.ok
      ? [resolved.properties, resolved.values]
      : [step.properties, {}];
    await runLeaf(state, { step, properties, inputs });
    return;
  }
  const decision = gate(state, step);
  if (decision.kind === "run") await runLeaf(state, { step, ...decision });
}

function timedOut(state: RunState, step: PlannedStep): boolean {
  if (!timeOut(state, step)) return false;
  if (step.type === STEP_GROUP) {
    const message = `step-group "${step.name}" did not finish within its timeout of ${step.timeout ?? ""}`;
    settleChildren(state, step, { phase: "failed", reason: StepReason.Timeout, message });
  }
  return true;
}

/** One step's turn: wait for dependencies, skip, time out, or go through its gate and run. */
async function visit(state: RunState, step: PlannedStep, level: Level): Promise<void> {
  const before = state.statuses.get(step.name);
  if (!isStarted(before)) {
    const dependency = unfinishedDependency(state, step);
    if (holding(state)) return;
    if (dependency !== undefined) {
      const message = `Pending on DependsOn: ${dependency}`;
      setStatus(state, step, { phase: "pending", message, start: false });
      return;
    }
    const skip = skipMessage(state, step, level);
    if (skip !== undefined) {
      setStatus(state, step, { phase: "skipped", reason: StepReason.Skip, message: skip });
      if (step.type === STEP_GROUP)
        settleChildren(state, step, { phase: "skipped", reason: StepReason.Skip, message: skip });
      return;
    }
  } else if (timedOut(state, step)) return;
  await (step.type === STEP_GROUP ? visitGroup(state, step) : visitLeaf(state, step));
}

async function walkInOrder(state: RunState, steps: readonly PlannedStep[]): Promise<void> {
  for (const [index, step] of steps.entries()) {
    if (isFinished(state.statuses.get(step.name))) continue;
    await visit(state, step, { steps, index, mode: "StepByStep" });
    if (!isFinished(state.statuses.get(step.name))) return;
  }
}

async function walkDag(state: RunState, steps: readonly PlannedStep[]): Promise<void> {
  const finishedCount = (): number =>
    steps.filter((s) => isFinished(state.statuses.get(s.name))).length;
  let before = -1;
  while (finishedCount() > before) {
    before = finishedCount();
    const open = [...steps.entries()].filter(
      ([, s]) => !isFinished(state.statuses.get(s.name)) && !state.ran.has(s.name),
    );
    const blocked = (s: PlannedStep): boolean =>
      !isStarted(state.statuses.get(s.name)) && unfinishedDependency(state, s) !== undefined;
    for (const [index, s] of open.filter(([, s]) => blocked(s)))
      await visit(state, s, { steps, index, mode: "DAG" });
    const ready = open.filter(([, s]) => !blocked(s));
    for (let i = 0; i < ready.length; i += state.maxParallel) {
      const batch = ready.slice(i, i + state.maxParallel);
      await Promise.all(batch.map(([index, s]) => visit(state, s, { steps, index, mode: "DAG" })));
    }
  }
}

/** Advances one level as far as it goes in this call. */
export async function walkLevel(
  state: RunState,
  steps: readonly PlannedStep[],
  mode: WorkflowMode,
): Promise<void> {
  await (mode === "StepByStep" ? walkInOrder(state, steps) : walkDag(state, steps));
}
