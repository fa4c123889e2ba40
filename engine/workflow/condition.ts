/**
 * A step's `if` (pure, with the CUE engine passed in). `always` is a keyword; anything else is
 * a CUE expression evaluated, as KubeVela does, over `status` (every step by name, by
 * `meta.alias`, and by its `properties.name` / `properties.component` when no step has that
 * name, each with KubeVela's fields: `phase`, `reason`, `message`, `succeeded`, `failed`,
 * `skipped`, `timeout`, `failedAfterRetries`, `terminate`) and `inputs` (the step's input
 * values by `from`). Steps not reached yet appear with phase `pending`. Names with dashes are
 * read as `status["step-name"]`. The result must be a bool.
 */
import type { CueEngine } from "../cue/engine.js";
import { InvalidInputError } from "../../core/errors.js";
import { isObject } from "../../core/json.js";
import type { PlannedStep } from "./spec.js";
import { StepReason, type StepStatus } from "./types.js";

function viewOf(step: PlannedStep, status: StepStatus | undefined): Record<string, unknown> {
  const phase = status?.phase ?? "pending";
  const reason = status?.reason;
  return {
    ...(status ?? { id: step.id, name: step.name, type: step.type, phase }),
    subSteps: undefined,
    succeeded: phase === "succeeded",
    failed: phase === "failed",
    skipped: phase === "skipped",
    timeout: reason === StepReason.Timeout,
    failedAfterRetries: reason === StepReason.FailedAfterRetries,
    terminate: reason === StepReason.Terminate,
  };
}

function extraNames(step: PlannedStep): string[] {
  const names = step.alias === undefined ? [] : [step.alias];
  const { name, component } = step.properties;
  if (typeof name === "string" && name !== "") names.push(name);
  else if (typeof component === "string" && component !== "") names.push(component);
  return names;
}

/**
 * The `status` value `if` expressions see: every step of the plan (reached or not) by name,
 * then by alias and by the component it names, where those do not collide with a step name.
 */
export function statusView(
  steps: Iterable<PlannedStep>,
  statusOf: (name: string) => StepStatus | undefined,
): Record<string, unknown> {
  const all = [...steps];
  const view: Record<string, unknown> = {};
  for (const step of all) view[step.name] = viewOf(step, statusOf(step.name));
  for (const step of all) {
    for (const extra of extraNames(step)) view[extra] ??= view[step.name];
  }
  return view;
}

export interface ConditionInput {
  /** The step whose `if` this is (for messages). */
  readonly step: string;
  readonly expression: string;
  readonly status: Record<string, unknown>;
  readonly inputs: Record<string, unknown>;
  readonly cue: CueEngine;
}

/**
 * True when the step should run. Throws `InvalidInputError` naming the step and expression
 * when CUE cannot evaluate it or the result is not a bool.
 */
export function evaluateIf(input: ConditionInput): boolean {
  const expression = input.expression.trim();
  if (expression === "always") return true;
  const where = `step "${input.step}" field "if" (${JSON.stringify(expression)})`;
  const source = [
    `status: ${JSON.stringify(input.status)}`,
    `inputs: ${JSON.stringify(input.inputs)}`,
    `result: (${expression.replace(/\s*\n\s*/g, " ")})`,
  ].join("\n");
  let value: unknown;
  try {
    value = input.cue.evaluate(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${where}: cannot be evaluated: ${detail}`, { cause: error });
  }
  const result = isObject(value) ? value.result : undefined;
  if (typeof result !== "boolean") {
    throw new InvalidInputError(
      `${where}: must be a bool, got ${JSON.stringify(result) ?? "nothing"}`,
    );
  }
  return result;
}
