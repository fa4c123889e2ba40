/**
 * The per-application series, computed from the Applications as the hub's informer caches
 * them (their status is what the last reconcile wrote), as KubeVela computes its own
 * (`application_metrics.go`, its application watcher). Pure: a deleted Application is not in
 * the list, so its series are gone at the next scrape; nothing goes stale.
 *
 * Values are KubeVela's numbers: the phase (`starting` 0 … `deleting` 9, else -1), the
 * workflow phase (`initializing` 0 … `skipped` 6, else -1), health 1 when every service is
 * healthy. An Application the hub has not reconciled yet (no `status.status`) has no series.
 */
import { isObject } from "../../core/json.js";
import type { RawApp } from "../reconcile/context.js";

const appPhases = [
  "starting",
  "running",
  "rendering",
  "policyGenerating",
  "runningWorkflow",
  "workflowSuspending",
  "workflowTerminated",
  "workflowFailed",
  "unhealthy",
  "deleting",
];

const workflowPhases = [
  "initializing",
  "succeeded",
  "executing",
  "suspending",
  "terminated",
  "failed",
  "skipped",
];

/** KubeVela's number for an application phase; -1 for one it does not know. */
export const appPhaseValue = (phase: string): number => appPhases.indexOf(phase);

/** KubeVela's number for a workflow phase; -1 for one it does not know. */
export const workflowPhaseValue = (phase: string): number => workflowPhases.indexOf(phase);

export interface AppSeries {
  readonly app_name: string;
  readonly namespace: string;
  readonly phase: string;
  readonly healthy: boolean;
  /** Absent when the application has no workflow status. */
  readonly workflowPhase?: string;
  /** Top-level workflow steps: type and phase. */
  readonly steps: ReadonlyArray<{ readonly type: string; readonly phase: string }>;
}

const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function stepsOf(workflow: Record<string, unknown> | undefined): AppSeries["steps"] {
  const steps = Array.isArray(workflow?.steps) ? workflow.steps : [];
  return steps.flatMap((s) =>
    isObject(s) ? [{ type: text(s.type) ?? "", phase: text(s.phase) ?? "" }] : [],
  );
}

const phaseOf = (v: unknown): string | undefined => {
  const phase = text(v);
  return phase === "" ? undefined : phase;
};

const allHealthy = (services: unknown): boolean =>
  !Array.isArray(services) || services.every((s) => isObject(s) && s.healthy === true);

/** The series of one application, or undefined when it has no phase yet. */
export function appSeriesOf(app: RawApp): AppSeries | undefined {
  const status = isObject(app.status) ? app.status : {};
  const phase = phaseOf(status.status);
  if (phase === undefined) return undefined;
  const workflow = isObject(status.workflow) ? status.workflow : undefined;
  const workflowPhase = phaseOf(workflow?.phase);
  return {
    app_name: app.metadata?.name ?? "",
    namespace: app.metadata?.namespace ?? "default",
    phase,
    healthy: allHealthy(status.services),
    ...(workflowPhase === undefined ? {} : { workflowPhase }),
    steps: stepsOf(workflow),
  };
}

/** How many of `values` there are of each, as `[key, count]` rows. */
function counts(values: readonly string[]): Array<[string, number]> {
  const found = new Map<string, number>();
  for (const v of values) found.set(v, (found.get(v) ?? 0) + 1);
  return [...found];
}

/** `application_phase_number{phase}`: applications per phase. */
export const phaseCounts = (apps: readonly AppSeries[]): Array<[string, number]> =>
  counts(apps.map((a) => a.phase));

/** `workflow_step_phase_number{step_type,phase}`: top-level steps per type and phase. */
export function stepPhaseCounts(
  apps: readonly AppSeries[],
): Array<[{ step_type: string; phase: string }, number]> {
  const keys = apps.flatMap((a) => a.steps.map((s) => JSON.stringify([s.type, s.phase])));
  return counts(keys).map(([key, n]) => {
    const [step_type, phase] = JSON.parse(key) as [string, string];
    return [{ step_type, phase }, n];
  });
}
