/**
 * Node placement of workloads delivered to an edge node pool (pure). For a pool target, every
 * delivered workload with a pod template — Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * Job (`spec.template.spec`) and CronJob (`spec.jobTemplate.spec.template.spec`) — gets
 * `nodeSelector["apps.openyurt.io/nodepool"] = <pool>` (merged into its own nodeSelector) and a
 * toleration for each of the pool's taints that it does not tolerate already, so its pods run
 * on that pool's nodes only. The component can opt out with the Application annotation
 * `app.flotilla.dev/skip-nodepool-placement` (a comma-separated list of component names, or
 * `*` for all).
 *
 * So that the copies of one component in several pools of a cluster do not overwrite each
 * other, such a workload is also named `<name>-<pool>`, unless its name already ends with
 * `-<pool>` (a definition or trait that names per pool with `context.replicaKey`). Renaming
 * applies with or without the opt-out. Other objects (Services, ConfigMaps, HelmReleases, …)
 * are left as rendered; identical copies of them are delivered once per cluster and namespace.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application } from "../oam/types.js";
import { NODEPOOL_LABEL, type NodePoolTaint } from "../../core/cluster/agent-contract.js";
import type { NodePoolPlacement } from "./node-pools.js";

/** Application annotation: components (comma-separated, or `*`) left unplaced. */
export const SKIP_NODEPOOL_PLACEMENT = "app.flotilla.dev/skip-nodepool-placement";

const TEMPLATE = ["spec", "template", "spec"] as const;

/** Where each workload kind keeps its pod spec. */
const podSpecPaths: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ["Deployment", TEMPLATE],
  ["StatefulSet", TEMPLATE],
  ["DaemonSet", TEMPLATE],
  ["ReplicaSet", TEMPLATE],
  ["Job", TEMPLATE],
  ["CronJob", ["spec", "jobTemplate", ...TEMPLATE]],
]);

/** API groups of the built-in workload kinds (`extensions` for old manifests). */
const workloadGroups = new Set(["apps", "batch", "extensions"]);

/** The path to a built-in workload's pod spec, or undefined for any other object. */
export function podSpecPath(object: JsonObject): readonly string[] | undefined {
  const kind = typeof object.kind === "string" ? object.kind : "";
  const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
  const group = apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
  return workloadGroups.has(group) ? podSpecPaths.get(kind) : undefined;
}

/** True when the application's annotation opts `component` out of node placement. */
export function skipsNodePoolPlacement(app: Application, component: string): boolean {
  const raw = app.metadata.annotations?.[SKIP_NODEPOOL_PLACEMENT];
  if (raw === undefined) return false;
  const names = raw.split(",").map((s) => s.trim());
  return names.includes("*") || names.includes(component);
}

/** The toleration for a taint: `Equal` with its value, or `Exists` when it has none. */
export function tolerationFor(taint: NodePoolTaint): JsonObject {
  return taint.value === undefined || taint.value === ""
    ? { key: taint.key, operator: "Exists", effect: taint.effect }
    : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect };
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** Kubernetes' rule: does `toleration` (a pod spec entry) tolerate `taint`? */
export function tolerates(toleration: unknown, taint: NodePoolTaint): boolean {
  if (!isObject(toleration)) return false;
  const effect = text(toleration.effect);
  if (effect !== "" && effect !== taint.effect) return false;
  const key = text(toleration.key);
  const operator = text(toleration.operator) || "Equal";
  if (operator === "Exists") return key === "" || key === taint.key;
  return (
    operator === "Equal" && key === taint.key && text(toleration.value) === (taint.value ?? "")
  );
}

function withPlacement(spec: JsonObject, pool: NodePoolPlacement): JsonObject {
  const own = isObject(spec.nodeSelector) ? spec.nodeSelector : {};
  const existing: unknown[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const added: JsonObject[] = [];
  for (const taint of pool.taints ?? []) {
    if (![...existing, ...added].some((t) => tolerates(t, taint))) added.push(tolerationFor(taint));
  }
  return {
    ...spec,
    nodeSelector: { ...own, [NODEPOOL_LABEL]: pool.name },
    ...(added.length > 0 ? { tolerations: [...existing, ...added] } : {}),
  };
}

/** A copy of `value` with the object at `path` replaced by `update(it)` (created if absent). */
function updateAt(
  value: JsonObject,
  path: readonly string[],
  update: (o: JsonObject) => JsonObject,
): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return update(value);
  const child = value[head];
  return { ...value, [head]: updateAt(isObject(child) ? child : {}, rest, update) };
}

function withPoolName(object: JsonObject, pool: string): JsonObject {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const name = text(metadata.name);
  if (name === "" || name.endsWith(`-${pool}`)) return object;
  return { ...object, metadata: { ...metadata, name: `${name}-${pool}` } };
}

/**
 * `object` as delivered to `pool`: a built-in workload is named for the pool and, unless
 * `place` is false (the component opted out), placed on the pool's nodes. Any other object is
 * returned unchanged. Idempotent; never changes its input.
 */
export function placeOnPool(object: JsonObject, pool: NodePoolPlacement, place = true): JsonObject {
  const path = podSpecPath(object);
  if (path === undefined) return object;
  const named = withPoolName(object, pool.name);
  return place ? updateAt(named, path, (spec) => withPlacement(spec, pool)) : named;
}
