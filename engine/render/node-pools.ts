/**
 * Edge node pools (OpenYurt `NodePool`s) as delivery targets (pure). A topology policy with
 * `nodePools` (names) and/or `nodePoolSelector` (a label selector over the pools' labels)
 * makes each matched pool of each selected cluster a target, as OpenYurt's YurtAppSet does
 * with `pools` and `nodepoolSelector`: a pool is matched when it is named or when the selector
 * matches it (the union).
 *
 * The pools of a cluster are known from its agent's report (`NodePoolReport`, produced by the
 * agent and kept by the hub). Until a cluster has reported (`undefined`), the named pools are
 * targeted anyway, so delivery does not wait for the agent, and a selector matches nothing.
 * Once the report is known, only pools the cluster has are targeted.
 */
import {
  matchesLabelSelector,
  selectorFromValue,
  selectorPlaceholder,
} from "../../core/cluster/selector.js";
import type { NodePoolReport, NodePoolTaint } from "../../core/cluster/agent-contract.js";
import { isObject, type JsonObject } from "../../core/json.js";

/** A cluster's pools from its latest report, or undefined when it has not reported yet. */
export type NodePoolInventory = (cluster: string) => readonly NodePoolReport[] | undefined;

/** A pool a topology targets: its name and, when known, its taints. */
export interface NodePoolPlacement {
  readonly name: string;
  /** Undefined when the cluster's pools are not known yet (only the nodeSelector is set). */
  readonly taints?: readonly NodePoolTaint[];
}

/**
 * The pools a topology policy (its properties) targets in `cluster`. Called only for
 * topologies that target pools (`targetsNodePools`); an empty list means no target there.
 */
export type PoolResolver = (cluster: string, topology: JsonObject) => NodePoolPlacement[];

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** True when the topology's properties name pools or select them. */
export function targetsNodePools(topology: JsonObject): boolean {
  const selector = topology.nodePoolSelector;
  return strings(topology.nodePools).length > 0 || (selector !== undefined && selector !== null);
}

/**
 * The pools `topology` targets among `pools` (a cluster's report; undefined: not reported
 * yet), sorted by name. A malformed selector matches nothing (the hub reports it).
 */
export function selectNodePools(
  topology: JsonObject,
  pools: readonly NodePoolReport[] | undefined,
): NodePoolPlacement[] {
  const named = unique(strings(topology.nodePools));
  if (pools === undefined) return named.sort().map((name) => ({ name }));
  const selector = selectorFromValue(topology.nodePoolSelector);
  const selected = (pool: NodePoolReport): boolean =>
    named.includes(pool.name) ||
    (isObject(selector) && matchesLabelSelector(selector, pool.labels));
  return pools
    .filter(selected)
    .map((pool) => ({ name: pool.name, taints: pool.taints }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Without the registry (dry-run): the named pools, plus one placeholder pool named after the
 * selector, such as `selector(region=east)`, so the output shows what would go there.
 */
export const offlinePoolResolver: PoolResolver = (_cluster, topology) => {
  const named = unique(strings(topology.nodePools)).map((name) => ({ name }));
  const selector = topology.nodePoolSelector;
  if (selector === undefined || selector === null) return named;
  return [...named, { name: selectorPlaceholder(selector) }];
};

/** A resolver over the agents' reports (the hub's view at one moment). */
export function inventoryPoolResolver(inventory: NodePoolInventory): PoolResolver {
  return (cluster, topology) => selectNodePools(topology, inventory(cluster));
}
