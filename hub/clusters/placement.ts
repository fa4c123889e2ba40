/**
 * Placement against the registry (pure): which clusters a topology policy's properties select
 * right now (core's `resolveTopology`, over every registered cluster plus `local`, which has no
 * labels) and which node pools it selects in each of those clusters (`nodePools` /
 * `nodePoolSelector`, over the agents' NodePool reports). The check that each topology selects
 * something (`checkPlacements`) is the engine's, shared with dry-run.
 */
import { resolveTopology } from "../../core/cluster/topology.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import type { JsonObject } from "../../core/json.js";
import {
  inventoryPoolResolver,
  type NodePoolInventory,
  type PoolResolver,
} from "../../engine/render/node-pools.js";
import type { ClusterResolver } from "../../engine/render/targets.js";

export interface PlacedCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The registry's clusters plus `local`, sorted by name. */
export function selectableClusters(registered: readonly PlacedCluster[]): PlacedCluster[] {
  const all = [{ name: LOCAL_CLUSTER, labels: {} }, ...registered];
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** A resolver over `clusters` (the registry view at one moment). */
export function registryResolver(clusters: readonly PlacedCluster[]): ClusterResolver {
  const all = selectableClusters(clusters.filter((c) => c.name !== LOCAL_CLUSTER));
  return (props: JsonObject) => resolveTopology(props, all).clusters;
}

/**
 * A pool resolver over the agents' reports (`inventory`: a cluster's NodePools, undefined until
 * its agent has reported). Named pools are targeted while a cluster's pools are unknown; a
 * selector waits for the report.
 */
export function registryPoolResolver(inventory: NodePoolInventory): PoolResolver {
  return inventoryPoolResolver(inventory);
}
