/**
 * The workflow engine (pure; runners, CUE and the time are passed in): `advance` takes an
 * Application, its persisted `status.workflow` and workflow context, runs every step that is
 * ready now and keeps going while steps finish, and returns the new status, context, events
 * and when to call again. It is level-based and durable: the caller persists the result after
 * every call, and a call on a persisted status resumes where it stopped — finished steps are
 * never run again. Caller operations are status edits: suspend = set `suspend: true`, resume
 * = set `suspend: false`, terminate = set `terminated: true`, restart = drop the status and
 * the context. A new application revision restarts the workflow with an empty context.
 */
import { parseWorkflow, type WorkflowPlan } from "./spec.js";
import { finish } from "./finish.js";
import {
  flattenStatuses,
  isFinished,
  loadCounters,
  saveCounters,
  setStatus,
  type RunState,
} from "./run-state.js";
import { walkLevel } from "./schedule.js";
import {
  StepReason,
  type AdvanceInput,
  type AdvanceResult,
  type WorkflowEvent,
  type WorkflowStatus,
} from "./types.js";

export const DEFAULT_MAX_PARALLEL = 16;

/** KubeVela's context ConfigMap name for an application. */
export function contextConfigMapName(appName: string): string {
  return `workflow-${appName}-context`;
}

function freshStatus(input: AdvanceInput, plan: WorkflowPlan | undefined): WorkflowStatus {
  const mode = plan === undefined ? "StepByStep-DAG" : `${plan.mode.steps}-${plan.mode.subSteps}`;
  return {
    appRevision: input.revision,
    mode,
    phase: "initializing",
    suspend: false,
    terminated: false,
    finished: false,
    contextBackend: {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: contextConfigMapName(input.app.metadata.name),
      namespace: input.app.metadata.namespace ?? "default",
    },
    steps: [],
    startTime: input.now.toISOString(),
  };
}

interface Start {
  readonly base: WorkflowStatus;
  readonly context: Record<string, unknown>;
  readonly events: WorkflowEvent[];
}

function start(input: AdvanceInput, plan: WorkflowPlan | undefined): Start {
  const { previous, revision } = input;
  if (previous === undefined) {
    const message = `workflow of revision "${revision}" started`;
    const events: WorkflowEvent[] = [{ type: "Normal", reason: "WorkflowStarted", message }];
    return { base: freshStatus(input, plan), context: input.context, events };
  }
  if (previous.appRevision !== undefined && previous.appRevision !== revision) {
    const message = `revision "${revision}" replaces "${previous.appRevision}": the workflow starts again`;
    const events: WorkflowEvent[] = [{ type: "Normal", reason: "WorkflowRestarted", message }];
    const base = { ...freshStatus(input, plan), contextBackend: previous.contextBackend };
    return { base, context: {}, events };
  }
  return { base: { ...previous, appRevision: revision }, context: input.context, events: [] };
}

/** Marks every started, unfinished step failed with reason `Terminate` (`vela workflow terminate`). */
function terminateStarted(state: RunState): void {
  for (const [name, status] of state.statuses) {
    const step = state.plan.byName.get(name);
    if (step === undefined || isFinished(status) || status.firstExecuteTime === undefined) continue;
    setStatus(state, step, {
      phase: "failed",
      reason: StepReason.Terminate,
      message: "terminated",
    });
  }
}

function newState(input: AdvanceInput, plan: WorkflowPlan, begin: Start): RunState {
  const statuses = flattenStatuses(plan, begin.base.steps);
  const suspended = [...statuses.values()].filter((s) => s.phase === "suspending");
  const resumed = begin.base.suspend || begin.base.terminated ? [] : suspended.map((s) => s.name);
  if (resumed.length > 0) {
    const message = `resumed step(s) ${resumed.map((n) => `"${n}"`).join(", ")}`;
    begin.events.push({ type: "Normal", reason: "WorkflowResumed", message });
  }
  return {
    plan,
    app: input.app,
    now: input.now,
    nowIso: input.now.toISOString(),
    cue: input.cue,
    runnerFor: input.runnerFor,
    maxParallel: Math.max(1, input.maxParallel ?? DEFAULT_MAX_PARALLEL),
    ...(input.signal === undefined ? {} : { signal: input.signal }),
    statuses,
    context: begin.context,
    counters: loadCounters(begin.context),
    terminating: begin.base.terminated,
    resumed: new Set(resumed),
    ran: new Set(),
    events: begin.events,
  };
}

/** The caller suspended the workflow and no step is suspended: nothing runs. */
function heldByCaller(base: WorkflowStatus): boolean {
  const suspending = base.steps.some(
    (s) => s.phase === "suspending" || (s.subSteps ?? []).some((c) => c.phase === "suspending"),
  );
  return base.suspend && !base.terminated && !suspending;
}

/**
 * One reconcile's worth of workflow progress (see the module comment). Throws
 * `InvalidInputError` when `spec.workflow` is invalid; runner errors never escape (the step
 * records them). Without steps the workflow is trivially succeeded (callers use
 * `parseWorkflow` to tell that case apart and deliver everything as without a workflow).
 */
export async function advance(input: AdvanceInput): Promise<AdvanceResult> {
  const plan = parseWorkflow(input.app);
  const begin = start(input, plan);
  if (plan === undefined) {
    const now = input.now.toISOString();
    const status: WorkflowStatus = {
      ...begin.base,
      phase: "succeeded",
      finished: true,
      steps: [],
      endTime: now,
    };
    return { status, context: begin.context, events: [] };
  }
  if (begin.base.finished)
    return { status: begin.base, context: begin.context, events: begin.events };
  if (heldByCaller(begin.base)) {
    const status: WorkflowStatus = { ...begin.base, phase: "suspending" };
    if (begin.base.phase !== "suspending")
      begin.events.push({
        type: "Normal",
        reason: "WorkflowSuspended",
        message: "suspended by the caller",
      });
    return { status, context: begin.context, events: begin.events };
  }
  const state = newState(input, plan, begin);
  if (state.terminating) terminateStarted(state);
  await walkLevel(state, plan.steps, plan.mode.steps);
  const { status, requeueAfterMs } = finish(state, begin.base);
  const context = saveCounters(state.context, state.counters);
  return {
    status,
    context,
    events: state.events,
    ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }),
  };
}
