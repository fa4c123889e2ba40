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
import type { Definition, JsonObject } from "../oam/types.js";

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
  });
  // Properties are plain data here: without the definition's schema `parameter` is open.
  const value = input.engine.evaluate(
    program.replace("_t: {", "_t: {\nparameter: {...}"),
  ) as JsonObject;
  return value[field];
}

export function evaluateHealth(input: HealthInput): Health {
  const policy = input.definition.status?.healthPolicy;
  const custom = input.definition.status?.customStatus;
  let message: string | undefined;
  try {
    const text = custom === undefined ? undefined : evaluate(input, custom, "message");
    message = typeof text === "string" ? text : undefined;
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
  }
  if (policy === undefined) return { healthy: true, ...(message === undefined ? {} : { message }) };
  try {
    const healthy = evaluate(input, policy, "isHealth") === true;
    return { healthy, ...(message === undefined ? {} : { message }) };
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    return {
      healthy: false,
      message: message ?? `health policy not satisfied: ${error.detail.replace(/_t\./g, "")}`,
    };
  }
}
