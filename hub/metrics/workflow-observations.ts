/**
 * What a workflow advance finished, for the step and workflow duration histograms (pure): the
 * steps that reached a final phase (succeeded, failed, skipped) since the status before, with
 * how long they ran (`lastExecuteTime` - `firstExecuteTime`), and the workflow itself when it
 * finished (`endTime` - `startTime`, KubeVela's `workflow_finished_time_seconds`). A step or
 * workflow already final before, in the same run (same start time), is not counted again.
 */
import type { StepStatus, WorkflowStatus } from "../../engine/workflow/types.js";

const FINAL = new Set(["succeeded", "failed", "skipped"]);

export interface Observation {
  readonly phase: string;
  readonly seconds: number;
}

export interface StepObservation extends Observation {
  readonly stepType: string;
}

/** Seconds from `from` to `to` (ISO times); 0 when either is missing or unreadable. */
function secondsBetween(from: string | undefined, to: string | undefined): number {
  const start = Date.parse(from ?? "");
  const end = Date.parse(to ?? "");
  return Number.isNaN(start) || Number.isNaN(end) ? 0 : Math.max(0, (end - start) / 1000);
}

const stepKey = (s: StepStatus): string => `${s.id}@${s.firstExecuteTime ?? ""}`;

export function finishedSteps(
  previous: WorkflowStatus | undefined,
  next: WorkflowStatus,
): StepObservation[] {
  const before = new Set(
    (previous?.steps ?? []).filter((s) => FINAL.has(s.phase)).map((s) => stepKey(s)),
  );
  return next.steps
    .filter((s) => FINAL.has(s.phase) && !before.has(stepKey(s)))
    .map((s) => ({
      stepType: s.type,
      phase: s.phase,
      seconds: secondsBetween(s.firstExecuteTime, s.lastExecuteTime),
    }));
}

export function finishedWorkflow(
  previous: WorkflowStatus | undefined,
  next: WorkflowStatus,
): Observation | undefined {
  if (!next.finished) return undefined;
  if (previous?.finished === true && previous.startTime === next.startTime) return undefined;
  return { phase: next.phase, seconds: secondsBetween(next.startTime, next.endTime) };
}
