/**
 * The end of an `advance` call (pure): the workflow's phase from its steps, the message, the
 * events for a phase change, and when to call again. KubeVela's phases: `succeeded` when every
 * step succeeded or was skipped; `failed` when every step has finished and one failed (a
 * failure does not stop the workflow at once: later steps are still settled, skipped or run by
 * their `if`); `terminated` when the caller terminated it; `suspending` while a step is
 * suspended; `executing` otherwise. A finished workflow has `finished: true`, an `endTime`
 * and, unless it succeeded, `terminated: true` (as KubeVela leaves it).
 */
import { isFinished, nestStatuses, type RunState } from "./run-state.js";
import {
  StepReason,
  type StepStatus,
  type WorkflowEvent,
  type WorkflowPhase,
  type WorkflowStatus,
} from "./types.js";

interface Outcome {
  readonly phase: WorkflowPhase;
  readonly message?: string;
}

function finishedPhase(state: RunState, top: readonly StepStatus[]): Outcome {
  const failed = top.filter((s) => s.phase === "failed");
  const first = failed[0];
  if (first === undefined) return { phase: state.terminating ? "terminated" : "succeeded" };
  if (state.terminating && failed.every((s) => s.reason === StepReason.Terminate))
    return { phase: "terminated", message: "the workflow was terminated" };
  return {
    phase: "failed",
    message: `step "${first.name}" failed: ${first.message ?? first.reason ?? ""}`,
  };
}

function phaseOf(state: RunState): Outcome {
  const top = state.plan.steps.map((s) => state.statuses.get(s.name));
  if (top.every(isFinished)) return finishedPhase(state, top as StepStatus[]);
  const suspended = [...state.statuses.values()].find(
    (s) => s.phase === "suspending" && state.plan.byName.get(s.name)?.type !== "step-group",
  );
  if (suspended !== undefined) return { phase: "suspending", message: suspended.message };
  return { phase: "executing" };
}

/** Milliseconds until the earliest timeout of a started, unfinished step. */
function nextTimeout(state: RunState): number | undefined {
  let earliest: number | undefined;
  for (const status of state.statuses.values()) {
    const timeoutMs = state.plan.byName.get(status.name)?.timeoutMs;
    if (timeoutMs === undefined || status.firstExecuteTime === undefined || isFinished(status))
      continue;
    const left = Math.max(0, Date.parse(status.firstExecuteTime) + timeoutMs - state.now.getTime());
    earliest = earliest === undefined ? left : Math.min(earliest, left);
  }
  return earliest;
}

/** Reasons: KubeVela's `FailedWorkflow` for a failed workflow, Flotilla's `Workflow*` otherwise. */
const phaseEvents: Partial<Record<WorkflowPhase, (message?: string) => WorkflowEvent>> = {
  suspending: (m) => ({ type: "Normal", reason: "WorkflowSuspended", message: m ?? "suspended" }),
  succeeded: () => ({
    type: "Normal",
    reason: "WorkflowSucceeded",
    message: "every step finished",
  }),
  failed: (m) => ({ type: "Warning", reason: "FailedWorkflow", message: m ?? "a step failed" }),
  terminated: (m) => ({ type: "Normal", reason: "WorkflowTerminated", message: m ?? "terminated" }),
};

/** The new status and requeue from the run state and the status the call started from. */
export function finish(
  state: RunState,
  base: WorkflowStatus,
): { status: WorkflowStatus; requeueAfterMs?: number } {
  const { phase, message } = phaseOf(state);
  const finished = phase === "succeeded" || phase === "failed" || phase === "terminated";
  if (phase !== base.phase) {
    const event = phaseEvents[phase]?.(message);
    if (event !== undefined) state.events.push(event);
  }
  const status: WorkflowStatus = { ...base, phase, suspend: phase === "suspending", finished };
  delete status.message;
  delete status.endTime;
  if (message !== undefined) status.message = message;
  status.steps = nestStatuses(state);
  if (!finished) return withRequeue(state, status);
  status.terminated = phase !== "succeeded";
  status.endTime = state.nowIso;
  return { status };
}

function withRequeue(
  state: RunState,
  status: WorkflowStatus,
): { status: WorkflowStatus; requeueAfterMs?: number } {
  const timeout = nextTimeout(state);
  const candidates = [state.requeueAfterMs, timeout].filter((v): v is number => v !== undefined);
  return candidates.length === 0 ? { status } : { status, requeueAfterMs: Math.min(...candidates) };
}
