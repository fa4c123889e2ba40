/**
 * The names of the agent's objects on the hub — the data contract shared with the hub, defined
 * in `core/cluster/agent-access.ts` and repeated here because that module loads
 * `@kubernetes/client-node`, which the agent must not (see `kube-client.ts`). `names.test.ts`
 * keeps the two equal.
 */
export const AGENT_NAMESPACE = "vela-system";

export const CLUSTER_REPORT = {
  group: "cluster.flotilla.dev",
  version: "v1alpha1",
  plural: "clusterreports",
  kind: "ClusterReport",
} as const;

export const agentName = (cluster: string): string => `flotilla-agent-${cluster}`;
export const agentIdentity = (cluster: string): string => `flotilla-agent/${cluster}`;

/** API paths of the agent's Lease, its ClusterReport, and its ServiceAccount's token. */
export const leasePath = (cluster: string): string =>
  `/apis/coordination.k8s.io/v1/namespaces/${AGENT_NAMESPACE}/leases/${agentName(cluster)}`;
export const reportPath = (cluster: string): string =>
  `/apis/${CLUSTER_REPORT.group}/${CLUSTER_REPORT.version}/namespaces/${AGENT_NAMESPACE}/${CLUSTER_REPORT.plural}/${cluster}`;
export const tokenPath = (cluster: string): string =>
  `/api/v1/namespaces/${AGENT_NAMESPACE}/serviceaccounts/${agentName(cluster)}/token`;
