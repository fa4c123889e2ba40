/**
 * The API paths of the agent's objects on the hub, from the shared names in
 * `core/cluster/agent-contract.ts` (which loads no client library).
 */
import { AGENT_NAMESPACE, CLUSTER_REPORT, agentName } from "../core/cluster/agent-contract.js";

export { agentIdentity } from "../core/cluster/agent-contract.js";

/** API paths of the agent's Lease, its ClusterReport, and its ServiceAccount's token. */
export const leasePath = (cluster: string): string =>
  `/apis/coordination.k8s.io/v1/namespaces/${AGENT_NAMESPACE}/leases/${agentName(cluster)}`;
export const reportPath = (cluster: string): string =>
  `/apis/${CLUSTER_REPORT.group}/${CLUSTER_REPORT.version}/namespaces/${AGENT_NAMESPACE}/${CLUSTER_REPORT.plural}/${cluster}`;
export const tokenPath = (cluster: string): string =>
  `/api/v1/namespaces/${AGENT_NAMESPACE}/serviceaccounts/${agentName(cluster)}/token`;
