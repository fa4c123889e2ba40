/**
 * The optional placement policy "skip unhealthy clusters" (pure), off by default: when on,
 * topology placement sees only clusters whose health is Ready (and `local`), so no new
 * placement lands on a cluster that is NotReady, Unknown, Pending or not yet judged.
 *
 * Clusters an application is already placed on are kept whatever their health (pass them as
 * `alreadyPlaced`): dropping them would make the hub garbage-collect the application there —
 * failing while the cluster is unreachable, and deleting the workload once it comes back.
 * Moving workloads off a lost cluster (Karmada's taint-based eviction) is a separate decision
 * that this policy does not make.
 */
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import type { ClusterHealth } from "../cluster-health/state.js";

export interface PlacementHealthPolicy {
  /** The hub's `--skip-unhealthy-clusters` switch; false (the default) keeps every cluster. */
  readonly skipUnhealthy: boolean;
}

export const defaultPlacementHealthPolicy: PlacementHealthPolicy = { skipUnhealthy: false };

/**
 * `records` without the clusters that are not Ready, when the policy is on; `records`
 * unchanged when it is off. Order is kept. Works on anything with a `name`.
 */
export function healthyOnly<T extends { readonly name: string }>(
  records: readonly T[],
  health: (cluster: string) => ClusterHealth | undefined,
  policy: PlacementHealthPolicy,
  alreadyPlaced: ReadonlySet<string> = new Set(),
): T[] {
  if (!policy.skipUnhealthy) return [...records];
  return records.filter(
    (r) =>
      r.name === LOCAL_CLUSTER || alreadyPlaced.has(r.name) || health(r.name)?.state === "Ready",
  );
}
