/**
 * Shared by the workflow fleet tests: a custom WorkflowStepDefinition that waits until a
 * ConfigMap exists on the hub (tests use it for a step that keeps waiting).
 */
import type { JsonObject } from "../../core/json.js";

export const waitConfig: JsonObject = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "WorkflowStepDefinition",
  metadata: { name: "wait-config", namespace: "vela-system" },
  spec: {
    schematic: {
      cue: {
        template: `
import "vela/op"
parameter: name: string
cm: op.#Read & {
  value: {
    apiVersion: "v1"
    kind: "ConfigMap"
    metadata: { name: parameter.name, namespace: context.namespace }
  }
}
wait: op.#ConditionalWait & { continue: cm.err == _|_ }
`,
      },
    },
  },
};
