/**
 * Services (pure): the rendered objects of one component in one target (cluster × namespace ×
 * replica key), which the status reports as one `services[]` entry: the workload (the object
 * labelled `workload.oam.dev/type`) and its auxiliary objects (labelled `trait.oam.dev/type`:
 * a trait's outputs, or `AuxiliaryWorkload` for the component's own `outputs`).
 */
import { isObject, type JsonObject } from "../../core/json.js";
import type { RenderedObject } from "../../engine/render/render.js";

export interface ServiceGroup {
  readonly component: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly replicaKey: string;
  readonly workload?: RenderedObject;
  readonly auxiliaries: readonly RenderedObject[];
}

export const labelsOf = (object: JsonObject): Record<string, unknown> => {
  const meta = isObject(object.metadata) ? object.metadata : {};
  return isObject(meta.labels) ? meta.labels : {};
};

export const serviceKey = (g: {
  component: string;
  cluster: string;
  namespace: string;
  replicaKey: string;
}): string => [g.cluster, g.namespace, g.replicaKey, g.component].join("|");

/** Groups in the order their first object was rendered. */
export function serviceGroups(rendered: readonly RenderedObject[]): ServiceGroup[] {
  const groups = new Map<
    string,
    { group: Omit<ServiceGroup, "auxiliaries">; auxiliaries: RenderedObject[] }
  >();
  for (const item of rendered) {
    const key = serviceKey({ component: item.component, ...item.target });
    let entry = groups.get(key);
    if (entry === undefined) {
      entry = { group: { component: item.component, ...item.target }, auxiliaries: [] };
      groups.set(key, entry);
    }
    const labels = labelsOf(item.object);
    if (typeof labels["trait.oam.dev/type"] === "string") entry.auxiliaries.push(item);
    else if (entry.group.workload === undefined) entry.group = { ...entry.group, workload: item };
    else entry.auxiliaries.push(item);
  }
  return [...groups.values()].map(({ group, auxiliaries }) => ({ ...group, auxiliaries }));
}
