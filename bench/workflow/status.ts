/** Reading an Application's `status.workflow` as the benchmark sees it (pure). */
import type { JsonObject } from "../../core/json.js";
import type { StepStatus, WorkflowStatus } from "../../engine/workflow/types.js";

export function workflowOf(app: JsonObject): WorkflowStatus | undefined {
  const status = app.status as { workflow?: WorkflowStatus } | undefined;
  return status?.workflow;
}

export const stepOf = (app: JsonObject, name: string): StepStatus | undefined =>
  workflowOf(app)?.steps.find((s) => s.name === name);

const nameOf = (app: JsonObject): string => String((app.metadata as { name?: string }).name);

/**
 * The workflow once it succeeded; undefined while it runs; throws when it ended otherwise,
 * naming the application and the first step that did not succeed.
 */
export function succeeded(app: JsonObject): WorkflowStatus | undefined {
  const workflow = workflowOf(app);
  if (workflow === undefined || !workflow.finished) return undefined;
  if (workflow.phase === "succeeded") return workflow;
  const step = workflow.steps.find((s) => s.phase !== "succeeded");
  throw new Error(
    `application "${nameOf(app)}": workflow ${workflow.phase}` +
      (step === undefined ? "" : `, step "${step.name}" ${step.phase}: ${step.message ?? ""}`),
  );
}

/** ms from the first step's firstExecuteTime to the last step's lastExecuteTime (hub clock). */
export function stepSpanMs(workflow: WorkflowStatus): number | undefined {
  const first = workflow.steps[0]?.firstExecuteTime;
  const last = workflow.steps.at(-1)?.lastExecuteTime;
  if (first === undefined || last === undefined) return undefined;
  return Date.parse(last) - Date.parse(first);
}

/** `suspend=false phase=executing steps before:succeeded,hold:suspending` for error messages. */
export function describeWorkflow(app: JsonObject): string {
  const workflow = workflowOf(app);
  if (workflow === undefined) return "no status.workflow";
  const steps = workflow.steps.map((s) => `${s.name}:${s.phase}`).join(",");
  const rv = (app.metadata as { resourceVersion?: string }).resourceVersion;
  return `resourceVersion ${rv}, suspend=${String(workflow.suspend)} phase=${workflow.phase} steps ${steps}`;
}
