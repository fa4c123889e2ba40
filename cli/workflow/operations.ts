/**
 * `flotilla workflow suspend|resume|terminate|restart` as pure decisions: given the
 * application as read from the hub, whether the operation makes sense now and, if so, the
 * merge patch of its status subresource the hub's workflow engine understands (see
 * engine/workflow/engine.ts): suspend sets `status.workflow.suspend`, resume clears it (which
 * also resumes steps held by a `suspend` step or a `deploy` step with `auto: false`),
 * terminate sets `terminated`, restart removes `status.workflow` and asks for the workflow
 * context ConfigMap to be deleted. Patches carry no resourceVersion: each sets one field.
 * A refusal is a `ConflictError` naming the application, its namespace and the workflow's
 * state.
 */
import { ConflictError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import { contextConfigMapName } from "../../engine/workflow/engine.js";
import { describeApp, type AppRef, type LiveApplication } from "../app/live-app.js";
import { isSuspended, workflowView, type WorkflowView } from "./view.js";

export const WORKFLOW_OPERATIONS = ["suspend", "resume", "terminate", "restart"] as const;
export type WorkflowOperation = (typeof WORKFLOW_OPERATIONS)[number];

export interface OperationPlan {
  /** The body of the merge patch of the status subresource: `{ status: { workflow: … } }`. */
  readonly patch: JsonObject;
  /** The workflow context ConfigMap (in the app's namespace) to delete first, for restart. */
  readonly deleteConfigMap?: string;
  /** What to print once done, as `vela workflow` does. */
  readonly done: string;
}

const statusPatch = (workflow: JsonObject | null): JsonObject => ({ status: { workflow } });

/** `phase succeeded`, `phase executing, suspended`: the state a refusal names. */
function stateOf(w: WorkflowView): string {
  const flags = [
    w.finished ? "finished" : undefined,
    w.terminated ? "terminated" : undefined,
    w.suspend ? "suspended" : undefined,
  ].filter((f) => f !== undefined);
  return [`phase ${w.phase ?? "-"}`, ...flags].join(", ");
}

function refuse(op: WorkflowOperation, ref: AppRef, w: WorkflowView, why: string): never {
  throw new ConflictError(
    `cannot ${op} the workflow of ${describeApp(ref)}: ${why} (${stateOf(w)})`,
  );
}

/** Why `op` cannot be done on `w` now, or undefined when it can. */
function refusal(op: WorkflowOperation, w: WorkflowView): string | undefined {
  switch (op) {
    case "suspend":
      if (w.finished) return "it has finished";
      return w.terminated ? "it was terminated" : undefined;
    case "resume":
      if (w.terminated) return "it was terminated";
      return isSuspended(w) ? undefined : "it is not suspended";
    case "terminate":
      return w.finished ? "it has finished" : undefined;
    case "restart":
      return undefined;
  }
}

const patches: Record<Exclude<WorkflowOperation, "restart">, JsonObject> = {
  suspend: statusPatch({ suspend: true }),
  resume: statusPatch({ suspend: false }),
  terminate: statusPatch({ terminated: true }),
};

/**
 * The plan for `op` on `app`; `ConflictError` when the application has no workflow status
 * (no `spec.workflow` steps, or the hub has not run them yet) or its state rules `op` out:
 * suspend a finished or terminated workflow, resume one that is not suspended or was
 * terminated, terminate a finished one. Suspending a suspended workflow is allowed (no-op).
 */
export function planOperation(op: WorkflowOperation, app: LiveApplication): OperationPlan {
  const ref = { name: app.metadata.name, namespace: app.metadata.namespace };
  const workflow = workflowView(app.status);
  if (workflow === undefined) {
    throw new ConflictError(
      `cannot ${op} the workflow of ${describeApp(ref)}: it has no workflow status ` +
        "(no spec.workflow steps, or the hub has not run them yet)",
    );
  }
  const why = refusal(op, workflow);
  if (why !== undefined) refuse(op, ref, workflow, why);
  const done = `Successfully ${op} workflow: ${ref.name}`;
  if (op === "restart") {
    return {
      patch: statusPatch(null),
      deleteConfigMap: contextConfigMapName(ref.name),
      done,
    };
  }
  return { patch: patches[op], done };
}
