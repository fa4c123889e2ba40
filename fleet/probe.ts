/**
 * A one-shot health probe of a fleet cluster: is its API server ready, which version does it
 * report, how many of its nodes are Ready. Never throws: an unreachable cluster is a result.
 */
import { call, request, type ApiEndpoint } from "./api.js";

export interface ClusterProbe {
  readonly ready: boolean;
  readonly version?: string;
  readonly nodesReady: number;
  readonly nodesTotal: number;
  readonly error?: string;
}

export interface NodeList {
  items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
}

/** Number of nodes whose Ready condition is True (pure). */
export function countReady(list: NodeList): number {
  return list.items.filter((n) =>
    n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;
}

export async function probeCluster(endpoint: ApiEndpoint): Promise<ClusterProbe> {
  try {
    const readyz = await request(endpoint, "GET", "/readyz");
    const version = await call<{ gitVersion?: string }>(endpoint, "GET", "/version");
    const nodes = await call<NodeList>(endpoint, "GET", "/api/v1/nodes");
    return {
      ready: readyz.status === 200,
      version: version.gitVersion,
      nodesReady: countReady(nodes),
      nodesTotal: nodes.items.length,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ready: false, nodesReady: 0, nodesTotal: 0, error: message };
  }
}
