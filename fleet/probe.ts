/**
 * A one-shot health probe of a fleet cluster: is its API server ready, which version does it
 * report, how many of its nodes are Ready and how many kwok simulates (`isSimulatedNode`, as
 * the agent counts them). Never throws: an unreachable cluster is a result.
 */
import type { NodeCounts } from "../core/cluster/agent-contract.js";
import { isSimulatedNode } from "../core/cluster/node-kind.js";
import { call, request, type ApiEndpoint } from "./api.js";

/** Ready, total and simulated nodes (real = total - kwok). */
export type ProbedNodes = Required<Pick<NodeCounts, "ready" | "total" | "kwok">>;

export interface ClusterProbe {
  readonly ready: boolean;
  readonly version?: string;
  readonly nodes: ProbedNodes;
  readonly error?: string;
}

export interface NodeList {
  items: Array<{
    metadata?: { annotations?: Record<string, string> };
    status?: { conditions?: Array<{ type: string; status: string }> };
  }>;
}

/** No nodes: what a cluster that cannot be probed shows. */
export const NO_NODES: ProbedNodes = { ready: 0, total: 0, kwok: 0 };

/** Number of nodes whose Ready condition is True (pure). */
export function countReady(list: NodeList): number {
  return list.items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;
}

/** Ready, total and simulated nodes of a node list (pure). */
export function countNodes(list: NodeList): ProbedNodes {
  return {
    ready: countReady(list),
    total: list.items.length,
    kwok: list.items.filter(isSimulatedNode).length,
  };
}

export async function probeCluster(endpoint: ApiEndpoint): Promise<ClusterProbe> {
  try {
    const readyz = await request(endpoint, "GET", "/readyz");
    const version = await call<{ gitVersion?: string }>(endpoint, "GET", "/version");
    const nodes = await call<NodeList>(endpoint, "GET", "/api/v1/nodes");
    return { ready: readyz.status === 200, version: version.gitVersion, nodes: countNodes(nodes) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ready: false, nodes: NO_NODES, error: message };
  }
}
