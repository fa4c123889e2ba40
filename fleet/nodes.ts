/**
 * Pure manifests for a cluster's fake nodes (managed by kwok) and its OpenYurt NodePools.
 *
 * kwok manages only nodes that carry the annotation `kwok.x-k8s.io/node: fake` (what
 * `isSimulatedNode` in core/cluster/node-kind.ts tells real nodes from these by); its stages
 * make them Ready and keep their Lease fresh. A pool's nodes carry OpenYurt's pool label
 * `apps.openyurt.io/nodepool=<pool>` and the pool's taints, as OpenYurt's pool controller
 * would set them.
 */
import { KWOK_NODE_ANNOTATION, KWOK_NODE_FAKE } from "../core/cluster/node-kind.js";
import type { ClusterSpec, NodePoolSpec, Taint } from "./config.js";

export const kwokNodeAnnotation = KWOK_NODE_ANNOTATION;
export const nodePoolLabel = "apps.openyurt.io/nodepool";
export const edgeWorkerLabel = "openyurt.io/is-edge-worker";

export interface NodeManifest {
  apiVersion: "v1";
  kind: "Node";
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { taints?: Taint[] };
  status: Record<string, unknown>;
}

const capacity = { cpu: "16", memory: "64Gi", pods: "110", "ephemeral-storage": "100Gi" };

function node(name: string, kubeletVersion: string, pool?: NodePoolSpec): NodeManifest {
  const labels: Record<string, string> = {
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    type: "kwok",
  };
  if (pool !== undefined) {
    labels[nodePoolLabel] = pool.name;
    labels[edgeWorkerLabel] = pool.type === "Edge" ? "true" : "false";
  }
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels, annotations: { [kwokNodeAnnotation]: KWOK_NODE_FAKE } },
    spec: pool !== undefined && pool.taints.length > 0 ? { taints: [...pool.taints] } : {},
    status: {
      capacity,
      allocatable: capacity,
      nodeInfo: {
        kubeletVersion: `v${kubeletVersion}`,
        kubeProxyVersion: `v${kubeletVersion}`,
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}

/** Every node of a cluster: `<cluster>-node-<i>` plus `<cluster>-<pool>-<i>` per pool. */
export function clusterNodes(
  cluster: Pick<ClusterSpec, "name" | "nodes" | "pools">,
  kubeletVersion: string,
): NodeManifest[] {
  const plain = Array.from({ length: cluster.nodes }, (_, i) =>
    node(`${cluster.name}-node-${i}`, kubeletVersion),
  );
  const pooled = cluster.pools.flatMap((pool) =>
    Array.from({ length: pool.nodes }, (_, i) =>
      node(`${cluster.name}-${pool.name}-${i}`, kubeletVersion, pool),
    ),
  );
  return [...plain, ...pooled];
}

/** The NodePool object for a pool (`apps.openyurt.io/v1beta1`). */
export function nodePoolManifest(pool: NodePoolSpec): Record<string, unknown> {
  return {
    apiVersion: "apps.openyurt.io/v1beta1",
    kind: "NodePool",
    metadata: { name: pool.name },
    spec: {
      type: pool.type,
      annotations: { "apps.openyurt.io/example": `test-${pool.name}` },
      taints: pool.taints,
    },
  };
}
