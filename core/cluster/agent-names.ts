/**
 * The names of a member agent's objects on the hub: the data contract between the agent, the
 * hub's health tracker and the access provisioning (`agent-access.ts`). Kept free of
 * `@kubernetes/client-node` so the agent, which must not load it (memory), can import it.
 */

/** Where agents' Leases and ClusterReports live on the hub. */
export const AGENT_NAMESPACE = "vela-system";

/** The ClusterReport custom resource (one per member, named after it, status written by its agent). */
export const CLUSTER_REPORT = {
  group: "cluster.flotilla.dev",
  version: "v1alpha1",
  plural: "clusterreports",
  kind: "ClusterReport",
} as const;
export const CLUSTER_REPORT_CRD = `${CLUSTER_REPORT.plural}.${CLUSTER_REPORT.group}`;

/** Name of the agent's ServiceAccount, Role, RoleBinding and Lease. */
export const agentName = (cluster: string): string => `flotilla-agent-${cluster}`;
/** The Lease's `holderIdentity` the agent writes. */
export const agentIdentity = (cluster: string): string => `flotilla-agent/${cluster}`;

/**
 * How long the hub waits for a heartbeat before a cluster is Unknown, by default (its
 * `--cluster-grace-period`); also what `flotilla cluster list` assumes for a Lease that
 * states no duration.
 */
export const DEFAULT_CLUSTER_GRACE_SECONDS = 10;
