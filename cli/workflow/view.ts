/**
 * An application's `status.workflow` as the CLI reads it back (pure). The hub writes
 * KubeVela's `WorkflowStatus` shape (engine/workflow/types.ts), but the status may have been
 * written by another controller or be partly missing: fields are read defensively, malformed
 * steps are skipped, and an absent or non-object `status.workflow` reads as undefined (the
 * application has no workflow, or the hub has not run it yet).
 */
import { isObject, type JsonObject } from "../../core/json.js";

export interface StepView {
  readonly id?: string;
  readonly name: string;
  readonly type: string;
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
  readonly firstExecuteTime?: string;
  readonly subSteps: readonly StepView[];
}

export interface WorkflowView {
  readonly mode: string;
  /** `executing`, `suspending`, `succeeded`, … (KubeVela's workflow phases). */
  readonly phase?: string;
  readonly message?: string;
  readonly suspend: boolean;
  readonly terminated: boolean;
  readonly finished: boolean;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly steps: readonly StepView[];
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : undefined;

/** `{ key: value }` when `value` is a non-empty string, else `{}`. */
const optional = <K extends string>(key: K, v: unknown): { [P in K]?: string } => {
  const value = text(v);
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
};

function stepOf(raw: JsonObject): StepView | undefined {
  const name = text(raw.name);
  if (name === undefined) return undefined;
  return {
    ...optional("id", raw.id),
    name,
    type: text(raw.type) ?? "-",
    phase: text(raw.phase) ?? "pending",
    ...optional("reason", raw.reason),
    ...optional("message", raw.message),
    ...optional("firstExecuteTime", raw.firstExecuteTime),
    subSteps: stepsOf(raw.subSteps),
  };
}

function stepsOf(value: unknown): StepView[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s) => {
    const step = isObject(s) ? stepOf(s) : undefined;
    return step === undefined ? [] : [step];
  });
}

/** The workflow of an application's `status`, or undefined when it has none. */
export function workflowView(status: JsonObject | undefined): WorkflowView | undefined {
  const raw = status?.workflow;
  if (!isObject(raw)) return undefined;
  return {
    mode: text(raw.mode) ?? "-",
    ...optional("phase", raw.phase),
    ...optional("message", raw.message),
    suspend: raw.suspend === true,
    terminated: raw.terminated === true,
    finished: raw.finished === true,
    ...optional("startTime", raw.startTime),
    ...optional("endTime", raw.endTime),
    steps: stepsOf(raw.steps),
  };
}

/** True while the workflow is held: suspended by the caller or by a step. */
export const isSuspended = (w: WorkflowView): boolean => w.suspend || w.phase === "suspending";
