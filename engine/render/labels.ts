/**
 * KubeVela's labels on rendered objects (pure), so tools that select by them keep working:
 * every object gets `app.oam.dev/name`, `app.oam.dev/namespace`, `app.oam.dev/component`
 * and `app.oam.dev/appRevision`; the workload gets `workload.oam.dev/type`; auxiliary objects
 * get `trait.oam.dev/type` (the trait, or `AuxiliaryWorkload` for a component's own
 * `outputs`) and `trait.oam.dev/resource` (the output's name). Names and namespaces are
 * filled in when the template left them out.
 */
import { isObject, type JsonObject } from "../../core/json.js";

export interface LabelInput {
  readonly appName: string;
  readonly appNamespace: string;
  readonly component: string;
  readonly revision: string;
  readonly namespace: string;
  /** Present for the main workload. */
  readonly workloadType?: string;
  /** Present for auxiliary objects: `[traitType or AuxiliaryWorkload, outputName]`. */
  readonly resource?: readonly [string, string];
}

/** Returns a copy of `object` with KubeVela's labels and a name and namespace. */
export function stampObject(object: JsonObject, input: LabelInput): JsonObject {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const labels: Record<string, unknown> = {
    ...(isObject(metadata.labels) ? metadata.labels : {}),
    "app.oam.dev/name": input.appName,
    "app.oam.dev/namespace": input.appNamespace,
    "app.oam.dev/component": input.component,
    "app.oam.dev/appRevision": input.revision,
  };
  if (input.workloadType !== undefined) labels["workload.oam.dev/type"] = input.workloadType;
  if (input.resource !== undefined) {
    labels["trait.oam.dev/type"] = input.resource[0];
    labels["trait.oam.dev/resource"] = input.resource[1];
  }
  const name = typeof metadata.name === "string" ? metadata.name : input.component;
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : input.namespace;
  // apiVersion, kind and metadata first, as kubectl prints objects; the rest in template order.
  const { apiVersion, kind, ...rest } = object;
  delete rest.metadata;
  return { apiVersion, kind, metadata: { ...metadata, name, namespace, labels }, ...rest };
}
