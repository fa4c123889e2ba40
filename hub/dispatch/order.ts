/**
 * Where and in which order rendered objects are applied (pure): grouped by cluster in the
 * order clusters first appear; within a cluster Namespaces first, then
 * CustomResourceDefinitions, then everything else in render order — so a namespaced object
 * never precedes its namespace and a custom resource never precedes its definition.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import type { RenderedObject } from "../../engine/render/render.js";

/** The rendered objects of each cluster, clusters in order of first appearance. */
export function groupByCluster(objects: readonly RenderedObject[]): Map<string, RenderedObject[]> {
  const groups = new Map<string, RenderedObject[]>();
  for (const object of objects) {
    const group = groups.get(object.target.cluster);
    if (group === undefined) groups.set(object.target.cluster, [object]);
    else group.push(object);
  }
  return groups;
}

export const isNamespace = (o: JsonObject): boolean =>
  o.apiVersion === "v1" && o.kind === "Namespace";

export const isCrd = (o: JsonObject): boolean =>
  typeof o.apiVersion === "string" &&
  o.apiVersion.startsWith("apiextensions.k8s.io/") &&
  o.kind === "CustomResourceDefinition";

const rank = (o: JsonObject): number => (isNamespace(o) ? 0 : isCrd(o) ? 1 : 2);

/** `objects` in apply order (a stable sort: render order within each rank). */
export function applyOrder<T extends { readonly object: JsonObject }>(objects: readonly T[]): T[] {
  return objects
    .map((item, index) => ({ item, index, rank: rank(item.object) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.item);
}

/** The `apiVersion`/`kind` pairs a CRD manifest defines (every served version). */
export function kindsDefinedBy(crd: JsonObject): Array<{ apiVersion: string; kind: string }> {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  if (typeof spec.group !== "string" || typeof names.kind !== "string") return [];
  const group = spec.group;
  const kind = names.kind;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions
    .filter((v) => typeof v.name === "string" && v.served !== false)
    .map((v) => ({ apiVersion: `${group}/${String(v.name)}`, kind }));
}
