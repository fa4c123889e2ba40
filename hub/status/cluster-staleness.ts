/**
 * Cluster and node-pool health in an application's status (pure).
 *
 * - A service on an Unknown cluster — its agent has gone silent (after heartbeats were seen),
 *   or is alive but cannot reach the cluster's API server — is marked `stale` with the last
 *   news of the cluster (the last heartbeat, or when the agent reported losing the API) and
 *   counts as not healthy: what the hub last read there may no longer be true, and a lost
 *   cluster must never look green. A cluster that never had an agent is not judged this way
 *   (the hub's own reads are all there is).
 * - A copy delivered to an edge node pool carries the pool's readiness from its agent's
 *   report; a pool reported with no Ready node makes the copy not healthy.
 */
import type { NodePoolStatus, ServiceStatus } from "../../engine/oam/status.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import type { NodePoolInventory } from "../../engine/render/node-pools.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { HealthReason, type ClusterHealth } from "../cluster-health/state.js";

export interface ClusterHealthInput {
  readonly health: (cluster: string) => ClusterHealth | undefined;
  readonly nodePools: NodePoolInventory;
  /** What was rendered: which services are node-pool copies. */
  readonly rendered: readonly RenderedObject[];
}

const placeKey = (cluster: string, namespace: string, replicaKey: string): string =>
  `${cluster}|${namespace}|${replicaKey}`;

function poolStatus(name: string, report: NodePoolReport | undefined): NodePoolStatus {
  if (report === undefined) return { name };
  return {
    name,
    ready: report.readyNodes > 0,
    readyNodes: report.readyNodes,
    notReadyNodes: report.notReadyNodes,
  };
}

function withPool(service: ServiceStatus, pool: NodePoolStatus): ServiceStatus {
  if (pool.ready !== false) return { ...service, nodePool: pool };
  const why = `node pool ${pool.name} has no Ready node (${pool.notReadyNodes ?? 0} NotReady)`;
  return {
    ...service,
    nodePool: pool,
    healthy: false,
    message: service.message === undefined ? why : `${why}; ${service.message}`,
  };
}

/** Why entries on an Unknown cluster are stale, by the verdict's reason. */
function staleReason(cluster: string, health: ClusterHealth, lastSeen: string): string {
  return health.reason === HealthReason.notReachable
    ? `stale: cluster ${cluster} is Unknown, its agent cannot reach the API server (reported at ${lastSeen})`
    : `stale: cluster ${cluster} is Unknown, no agent heartbeat since ${lastSeen}`;
}

function staleOn(service: ServiceStatus, health: ClusterHealth | undefined): ServiceStatus {
  if (health?.state !== "Unknown" || health.lastSeen === undefined) return service;
  const lastSeen = new Date(health.lastSeen).toISOString();
  const why = staleReason(service.cluster, health, lastSeen);
  return {
    ...service,
    healthy: false,
    stale: true,
    lastSeen,
    message: service.message === undefined ? why : `${why}; last read: ${service.message}`,
  };
}

/** `services` with stale marks and node-pool readiness applied. */
export function withClusterHealth(
  services: readonly ServiceStatus[],
  input: ClusterHealthInput,
): ServiceStatus[] {
  const pools = new Map<string, string>();
  for (const r of input.rendered) {
    const pool = r.target.pool;
    if (pool !== undefined)
      pools.set(placeKey(r.target.cluster, r.target.namespace, r.target.replicaKey), pool.name);
  }
  return services.map((service) => {
    const pool = pools.get(placeKey(service.cluster, service.namespace, service.replicaKey ?? ""));
    const report =
      pool === undefined
        ? undefined
        : input.nodePools(service.cluster)?.find((p) => p.name === pool);
    const pooled = pool === undefined ? service : withPool(service, poolStatus(pool, report));
    return staleOn(pooled, input.health(service.cluster));
  });
}
