/**
 * Which rendered objects the workflow has released for delivery (pure). With `spec.workflow`
 * steps, nothing is delivered up front: a `deploy` step releases its unit's objects when it
 * starts (they stay released after it finished or failed, so nothing delivered is withdrawn
 * mid-workflow), and custom steps deliver components themselves (`op.#ApplyComponent`), which
 * the hub records as applied by the workflow. Without steps every object is released.
 */
import type { RenderedObject } from "../../engine/render/render.js";
import type { StepStatus, WorkflowStatus } from "../../engine/workflow/types.js";
import type { DispatchedObject } from "../dispatch/types.js";
import { serviceKey } from "../status/services.js";

/**
 * A `deploy` step is started once it runs (a step held by `auto: false` is `suspending` and
 * has not released anything yet).
 */
const started = (s: StepStatus): boolean =>
  s.type === "deploy" && (s.phase === "running" || s.phase === "succeeded" || s.phase === "failed");

/** Names of the `deploy` steps (sub-steps included) that have started. */
export function startedDeploySteps(workflow: WorkflowStatus | undefined): Set<string> {
  const steps = (workflow?.steps ?? []).flatMap((s) => [s, ...(s.subSteps ?? [])]);
  return new Set(steps.filter(started).map((s) => s.name));
}

/**
 * What a workflow step applied to one target (kept in the workflow context): a component's
 * objects (`op.#ApplyComponent`), or a single object (`op.#Apply`, `component` ""). The
 * objects are tracked, so they are garbage-collected once a later revision no longer applies
 * them.
 */
export interface WorkflowApplied {
  readonly cluster: string;
  readonly namespace: string;
  readonly replicaKey: string;
  readonly component: string;
  readonly objects: readonly DispatchedObject[];
}

export const appliedKey = (a: WorkflowApplied): string => serviceKey(a);

/**
 * The objects to deliver and report: those of started deploy units, plus every rendered object
 * of a component a step applied to that target (its services are reported; the step itself
 * did the apply).
 */
export function released(
  rendered: readonly RenderedObject[],
  deploySteps: ReadonlySet<string>,
  applied: readonly WorkflowApplied[],
): { deliver: RenderedObject[]; report: RenderedObject[] } {
  const byStep = new Set(applied.map(appliedKey));
  const ofStartedUnit = (r: RenderedObject): boolean =>
    r.unit !== undefined && deploySteps.has(r.unit);
  const deliver = rendered.filter(ofStartedUnit);
  const report = rendered.filter(
    (r) => ofStartedUnit(r) || byStep.has(serviceKey({ component: r.component, ...r.target })),
  );
  return { deliver, report };
}
