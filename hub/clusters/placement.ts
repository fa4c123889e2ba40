/**
 * Placement against the registry (pure): which clusters a topology policy's properties select
 * right now (core's `resolveTopology`, over every registered cluster plus `local`, which has no
 * labels). The node pools it selects in each of those clusters are the engine's
 * `inventoryPoolResolver` over the agents' NodePool reports, and the check that each topology
 * selects something (`checkPlacements`) is the engine's too, shared with dry-run.
 */
import { resolveTopology, type SelectableCluster } from "../../core/cluster/topology.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import type { JsonObject } from "../../core/json.js";
import type { ClusterResolver } from "../../engine/render/targets.js";

/** The registry's clusters plus `local`, sorted by name. */
function selectableClusters(registered: readonly SelectableCluster[]): SelectableCluster[] {
  const all = [{ name: LOCAL_CLUSTER, labels: {} }, ...registered];
  return all.sort((a, b) => a.name.localeCompare(b.name));
}

/** A resolver over `clusters` (the registry view at one moment). */
export function registryResolver(clusters: readonly SelectableCluster[]): ClusterResolver {
  const all = selectableClusters(clusters.filter((c) => c.name !== LOCAL_CLUSTER));
  return (props: JsonObject) => resolveTopology(props, all).clusters;
}
