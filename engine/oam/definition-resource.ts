/**
 * A `Definition` as the custom resource KubeVela stores (pure): what `vela def render`
 * prints for a `.cue` definition file, and what the hub applies to a cluster.
 */
import type { JsonObject } from "../../core/json.js";
import type { Definition } from "./types.js";

const dropUndefined = (value: JsonObject): JsonObject =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

export function toDefinitionResource(def: Definition, namespace = "vela-system"): JsonObject {
  const annotations =
    def.description === undefined
      ? undefined
      : { "definition.oam.dev/description": def.description };
  const schematic =
    def.cueTemplate !== undefined
      ? { cue: { template: def.cueTemplate.trim() + "\n" } }
      : { kube: def.kube };
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: def.kind,
    metadata: dropUndefined({ name: def.name, namespace: def.namespace ?? namespace, annotations }),
    spec: dropUndefined({
      workload: def.workload,
      appliesToWorkloads: def.appliesToWorkloads,
      conflictsWith: def.conflictsWith,
      podDisruptive: def.kind === "TraitDefinition" ? def.podDisruptive === true : undefined,
      status: def.status,
      schematic,
    }),
  };
}
