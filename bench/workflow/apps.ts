/**
 * What the workflow benchmark applies (pure builders): the `noop` WorkflowStepDefinition (a
 * CUE template with no action, so a step does nothing but evaluate), Applications whose
 * workflow is N `noop` steps (StepByStep, no deploy step, no component), and the held
 * application `before → hold (suspend) → after` used to time a resume after a hub restart.
 */
import type { JsonObject } from "../../core/json.js";

export const NAMESPACE = "default";
export const NOOP = "noop";

/** The noop step's template: a parameter and a plain field, no `vela/op` action. */
export const NOOP_TEMPLATE = `parameter: {}
result: "done"
`;

export const noopDefinition: JsonObject = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "WorkflowStepDefinition",
  metadata: { name: NOOP, namespace: "vela-system" },
  spec: { schematic: { cue: { template: NOOP_TEMPLATE } } },
};

export interface Step {
  readonly name: string;
  readonly type: string;
}

/** `count` noop steps named `s1` … `s<count>`. */
export const noopSteps = (count: number): Step[] =>
  Array.from({ length: count }, (_, i) => ({ name: `s${i + 1}`, type: NOOP }));

export const HELD_STEPS: readonly Step[] = [
  { name: "before", type: NOOP },
  { name: "hold", type: "suspend" },
  { name: "after", type: NOOP },
];

export function workflowApp(name: string, steps: readonly Step[]): JsonObject {
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: { name, namespace: NAMESPACE },
    spec: { components: [], workflow: { steps: steps.map((s) => ({ ...s })) } },
  };
}
