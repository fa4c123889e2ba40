/**
 * Placement against the registry (pure): which clusters a topology policy's properties select
 * right now, with KubeVela's rules (`clusters` by name; else `clusterLabelSelector`, or
 * `clusterSelector` as a plain map or a full LabelSelector with matchExpressions, over every
 * cluster including `local`, which has no labels; else `local`), and a check that each
 * topology selects something unless it says `allowEmpty: true`.
 */
import { selectorFromValue, matchesLabelSelector } from "../../core/cluster/selector.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type Application, type JsonObject } from "../../core/oam/types.js";
import type { ClusterResolver } from "../../core/render/targets.js";

export interface PlacedCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/** The registry's clusters plus `local`, sorted by name. */
export function selectableClusters(registered: readonly PlacedCluster[]): PlacedCluster[] {
  const all = [{ name: LOCAL_CLUSTER, labels: {} }, ...registered];
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** A resolver over `clusters` (the registry view at one moment). */
export function registryResolver(clusters: readonly PlacedCluster[]): ClusterResolver {
  const all = selectableClusters(clusters.filter((c) => c.name !== LOCAL_CLUSTER));
  return (props: JsonObject) => {
    const names = strings(props.clusters);
    if (names.length > 0) return names;
    const raw = props.clusterLabelSelector ?? props.clusterSelector;
    if (raw === undefined) return [LOCAL_CLUSTER];
    const selector = selectorFromValue(raw);
    if (selector === undefined || selector === "invalid") return [];
    return all.filter((c) => matchesLabelSelector(selector, c.labels)).map((c) => c.name);
  };
}

/**
 * Throws `InvalidInputError` naming the application and policy when a topology's selector is
 * malformed, or when it selects no cluster and does not allow that (KubeVela's `allowEmpty`).
 * An unknown cluster named in `clusters` is not an error here: its delivery fails and is
 * reported in the status, as any unreachable cluster's.
 */
export function checkPlacements(app: Application, resolve: ClusterResolver): void {
  for (const policy of app.spec.policies ?? []) {
    if (policy.type !== "topology") continue;
    const where = `application "${app.metadata.name}", policy "${policy.name}" (topology)`;
    checkTopology(isObject(policy.properties) ? policy.properties : {}, where, resolve);
  }
}

function checkTopology(props: JsonObject, where: string, resolve: ClusterResolver): void {
  const raw = props.clusterLabelSelector ?? props.clusterSelector;
  if (raw !== undefined && selectorFromValue(raw) === "invalid") {
    throw new InvalidInputError(`${where}: malformed cluster selector ${JSON.stringify(raw)}`);
  }
  if (resolve(props).length === 0 && props.allowEmpty !== true) {
    throw new InvalidInputError(
      `${where}: no cluster matches ${JSON.stringify(raw ?? {})} (set allowEmpty: true to allow an empty placement)`,
    );
  }
}
