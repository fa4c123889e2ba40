/**
 * `Application.status` from what one reconcile found (pure): the phase, one condition per
 * stage reached, the services and the applied resources. KubeVela's phase names: a stage that
 * failed before delivery leaves the app `rendering` (parse or render) or `policyGenerating`
 * (placement); a cluster still failing keeps it `runningWorkflow` (delivery is retried);
 * delivered everywhere, it is `running` when every service is healthy, else `unhealthy`.
 */
import type {
  AppliedResource,
  ApplicationCondition,
  ApplicationPhase,
  ApplicationStatusBody,
  ServiceStatus,
} from "../../engine/oam/status.js";
import type { WorkflowPhase, WorkflowStatus } from "../../engine/workflow/types.js";
import { mergeConditions, type ConditionInput, type ConditionType } from "./conditions.js";

/** What a reconcile found; `failed` is the stage that stopped it, with its message. */
export interface ReconcileFindings {
  readonly generation: number;
  readonly failed?: { readonly stage: "Parsed" | "Policy" | "Rendered"; readonly message: string };
  /** Clusters whose delivery failed, with the first error of each. */
  readonly clusterErrors: ReadonlyArray<{ readonly cluster: string; readonly message: string }>;
  readonly services: readonly ServiceStatus[];
  readonly applied: readonly AppliedResource[];
  readonly revision?: ApplicationStatusBody["latestRevision"];
  /** The workflow's status after this reconcile (apps with `spec.workflow` steps). */
  readonly workflow?: WorkflowStatus;
}

const stageReasons: Record<ConditionType, [string, string]> = {
  Parsed: ["Parsed", "ParseFailed"],
  Policy: ["PolicyApplied", "PolicyFailed"],
  Rendered: ["Rendered", "RenderFailed"],
  Dispatched: ["Dispatched", "DispatchFailed"],
  Healthy: ["Healthy", "Unhealthy"],
};

const condition = (type: ConditionType, ok: boolean, message?: string): ConditionInput => ({
  type,
  ok,
  reason: stageReasons[type][ok ? 0 : 1],
  ...(message === undefined ? {} : { message }),
});

function conditionInputs(f: ReconcileFindings): ConditionInput[] {
  const stages: ConditionType[] = ["Parsed", "Policy", "Rendered"];
  if (f.failed !== undefined) {
    const at = stages.indexOf(f.failed.stage);
    return [
      ...stages.slice(0, at).map((s) => condition(s, true)),
      condition(f.failed.stage, false, f.failed.message),
    ];
  }
  const dispatchMessage = f.clusterErrors.map((e) => `${e.cluster}: ${e.message}`).join("; ");
  const unhealthy = f.services.filter((s) => !s.healthy);
  const healthMessage = unhealthy
    .map((s) => `${s.name}@${s.cluster}${s.message === undefined ? "" : `: ${s.message}`}`)
    .join("; ");
  return [
    ...stages.map((s) => condition(s, true)),
    condition("Dispatched", f.clusterErrors.length === 0, dispatchMessage || undefined),
    condition("Healthy", unhealthy.length === 0, healthMessage || undefined),
  ];
}

const workflowPhases: Partial<Record<WorkflowPhase, ApplicationPhase>> = {
  initializing: "runningWorkflow",
  executing: "runningWorkflow",
  suspending: "workflowSuspending",
  failed: "workflowFailed",
  terminated: "workflowTerminated",
};

export function phaseOf(f: ReconcileFindings): ApplicationPhase {
  if (f.failed !== undefined) return f.failed.stage === "Policy" ? "policyGenerating" : "rendering";
  const workflow = f.workflow === undefined ? undefined : workflowPhases[f.workflow.phase];
  if (workflow !== undefined) return workflow;
  if (f.clusterErrors.length > 0) return "runningWorkflow";
  return f.services.every((s) => s.healthy) ? "running" : "unhealthy";
}

/**
 * The status after `findings`. When a stage before delivery failed, the previous services and
 * applied resources are kept: nothing delivered was touched.
 */
export function buildStatus(
  previous: Partial<ApplicationStatusBody> | undefined,
  findings: ReconcileFindings,
  now: string,
): ApplicationStatusBody {
  const conditions: ApplicationCondition[] = mergeConditions(
    previous?.conditions ?? [],
    conditionInputs(findings),
    now,
  );
  const revision = findings.revision ?? previous?.latestRevision;
  return {
    status: phaseOf(findings),
    observedGeneration: findings.generation,
    conditions,
    ...delivered(previous, findings),
    ...(revision === undefined ? {} : { latestRevision: revision }),
    ...workflowOf(previous, findings),
  };
}

/** The workflow as found; kept from before when a stage before delivery failed. */
function workflowOf(
  previous: Partial<ApplicationStatusBody> | undefined,
  findings: ReconcileFindings,
): Pick<ApplicationStatusBody, "workflow"> {
  const workflow = findings.failed === undefined ? findings.workflow : previous?.workflow;
  return workflow === undefined ? {} : { workflow };
}

function delivered(
  previous: Partial<ApplicationStatusBody> | undefined,
  findings: ReconcileFindings,
): Pick<ApplicationStatusBody, "services" | "appliedResources"> {
  if (findings.failed === undefined) {
    return { services: findings.services, appliedResources: findings.applied };
  }
  return {
    services: previous?.services ?? [],
    appliedResources: previous?.appliedResources ?? [],
  };
}
