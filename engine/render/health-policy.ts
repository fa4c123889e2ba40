/**
 * Health of a delivered object, from its definition's `status.healthPolicy` (which sets
 * `isHealth`) and `status.customStatus` (which sets `message`), evaluated against the live
 * object as KubeVela does: `context.output` is the live workload, `context.outputs` the live
 * auxiliary objects by output name, `parameter` the properties. A definition without a health
 * policy is healthy; a policy that cannot be evaluated (a field still missing) is unhealthy,
 * with CUE's reason as the message.
 */
import { CueEvaluationError, type CueEngine } from "../cue/engine.js";
import { templateProgram } from "../cue/program.js";
import type { JsonObject } from "../../core/json.js";
import type { Definition } from "../oam/types.js";

export interface HealthInput {
  readonly engine: CueEngine;
  readonly definition: Definition;
  readonly live: JsonObject;
  readonly liveOutputs?: Record<string, JsonObject>;
  readonly properties?: JsonObject;
  /** Extra context (name, namespace, appName, …). */
  readonly context?: JsonObject;
}

export interface Health {
  readonly healthy: boolean;
  readonly message?: string;
}

function evaluate(input: HealthInput, source: string, field: string): unknown {
  const context = { ...input.context, output: input.live, outputs: input.liveOutputs ?? {} };
  const program = templateProgram({
    template: source,
    parameter: input.properties,
    context,
    select: [field],
    openParameter: true,
  });
  return (input.engine.evaluate(program) as JsonObject)[field];
}

/** Evaluates a snippet; a CUE failure gives `{ error }` instead of throwing. */
function attempt(
  input: HealthInput,
  source: string,
  field: string,
): { value?: unknown; error?: string } {
  try {
    return { value: evaluate(input, source, field) };
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    return { error: error.detail.replace(/_t\./g, "") };
  }
}

export function evaluateHealth(input: HealthInput): Health {
  const { healthPolicy, customStatus } = input.definition.status ?? {};
  const text =
    customStatus === undefined ? undefined : attempt(input, customStatus, "message").value;
  const message = typeof text === "string" ? { message: text } : {};
  if (healthPolicy === undefined) return { healthy: true, ...message };
  const result = attempt(input, healthPolicy, "isHealth");
  if (result.error === undefined) return { healthy: result.value === true, ...message };
  return { healthy: false, message: `health policy not satisfied: ${result.error}`, ...message };
}
