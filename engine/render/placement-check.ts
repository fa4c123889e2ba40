/**
 * The placement check of an application's topology policies (pure), shared by the hub (over
 * its registry and the agents' pool reports) and by dry-run (offline, without either): a
 * malformed cluster or pool selector, a malformed `nodePools`, or a topology that selects no
 * cluster (or, given the pool inventory, no node pool) without `allowEmpty: true` is an
 * `InvalidInputError` naming the application, the policy and the field.
 */
import { selectorFromValue } from "../../core/cluster/selector.js";
import { topologyChoice, type TopologyChoice } from "../../core/cluster/topology.js";
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import type { Application } from "../oam/types.js";
import { inventoryPoolResolver, targetsNodePools, type NodePoolInventory } from "./node-pools.js";
import type { ClusterResolver } from "./targets.js";

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

/**
 * Throws `InvalidInputError` naming the application, policy and field when a topology's
 * selector (cluster or node pool) or `nodePools` is malformed, or when it selects no cluster,
 * or (given the pool `inventory`) no node pool in any of its clusters, and does not allow that
 * (KubeVela's `allowEmpty`). An unknown cluster named in `clusters` is not an error here: its
 * delivery fails and is reported in the status, as any unreachable cluster's. Without an
 * inventory, pools are not checked for emptiness.
 */
export function checkPlacements(
  app: Application,
  resolve: ClusterResolver,
  inventory?: NodePoolInventory,
): void {
  for (const policy of app.spec.policies ?? []) {
    if (policy.type !== "topology") continue;
    const where = `application "${app.metadata.name}", policy "${policy.name}" (topology)`;
    const props = isObject(policy.properties) ? policy.properties : {};
    checkTopology(props, where, resolve);
    checkPoolFields(props, where);
    if (inventory !== undefined) checkPools(props, where, resolve(props), inventory);
  }
}

/** Why a topology targets no cluster, for the error. */
const emptyBecause = (choice: TopologyChoice): string =>
  choice.via === "selector"
    ? `no cluster matches ${JSON.stringify(choice.written)}`
    : "clusters is an empty list, so it targets no cluster (a cluster selector next to it is ignored, as in KubeVela)";

function checkTopology(props: JsonObject, where: string, resolve: ClusterResolver): void {
  const choice = topologyChoice(props);
  if (choice.via === "selector" && choice.selector === "invalid") {
    throw new InvalidInputError(
      `${where}: malformed cluster selector ${JSON.stringify(choice.written)}`,
    );
  }
  if (resolve(props).length === 0 && props.allowEmpty !== true) {
    throw new InvalidInputError(
      `${where}: ${emptyBecause(choice)} (set allowEmpty: true to allow an empty placement)`,
    );
  }
}

function checkPoolFields(props: JsonObject, where: string): void {
  const names = props.nodePools;
  if (names !== undefined && (!Array.isArray(names) || strings(names).length !== names.length)) {
    throw new InvalidInputError(
      `${where}: field nodePools must be a list of node pool names, got ${JSON.stringify(names)}`,
    );
  }
  const selector = props.nodePoolSelector;
  if (selector !== undefined && selectorFromValue(selector) === "invalid") {
    throw new InvalidInputError(
      `${where}: field nodePoolSelector is not a valid label selector (a map of labels, or matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist; In and NotIn need values): ${JSON.stringify(selector)}`,
    );
  }
}

function checkPools(
  props: JsonObject,
  where: string,
  clusters: readonly string[],
  inventory: NodePoolInventory,
): void {
  if (!targetsNodePools(props) || props.allowEmpty === true || clusters.length === 0) return;
  const resolvePools = inventoryPoolResolver(inventory);
  if (clusters.some((c) => resolvePools(c, props).length > 0)) return;
  const wanted = JSON.stringify({
    ...(props.nodePools === undefined ? {} : { nodePools: props.nodePools }),
    ...(props.nodePoolSelector === undefined ? {} : { nodePoolSelector: props.nodePoolSelector }),
  });
  const unknown = clusters.filter((c) => inventory(c) === undefined);
  const pending =
    unknown.length === 0 ? "" : `; node pools not reported yet by: ${unknown.join(", ")}`;
  throw new InvalidInputError(
    `${where}: no node pool matches ${wanted} in clusters ${clusters.join(", ")}${pending} (set allowEmpty: true to allow an empty placement)`,
  );
}
