/**
 * The hub-side objects of an agent's access, as plain manifests (pure): the Role allowing
 * exactly the agent's own Lease, ClusterReport and token, the RoleBinding to its
 * ServiceAccount, and the pre-created Lease and ClusterReport (RBAC cannot scope `create` by
 * name, so the installer creates them and the agent only renews and patches them). The token
 * lifetime rule of the TokenRequest API lives here too, so every caller checks it the same way.
 */
import type { V1Role, V1RoleBinding } from "@kubernetes/client-node";
import { InvalidInputError } from "../errors.js";
import {
  AGENT_NAMESPACE,
  CLUSTER_REPORT,
  agentIdentity,
  agentName,
} from "../cluster/agent-contract.js";

/** Default lifetime of the token handed out: 24 h; the agent renews it at 80 % of that. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 24 * 3600;
/** The shortest lifetime the TokenRequest API accepts: 10 minutes. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;

/**
 * Checks a token lifetime in seconds: a whole number, at least 10 minutes.
 * `InvalidInputError` naming `what` (a flag or an option) otherwise.
 */
export function assertTokenLifetime(seconds: number, what: string): void {
  if (!Number.isInteger(seconds) || seconds < MIN_TOKEN_EXPIRATION_SECONDS) {
    throw new InvalidInputError(
      `${what}: a token lifetime must be whole seconds and at least 10m ` +
        `(the TokenRequest API's minimum), got ${seconds} s`,
    );
  }
}

/** Labels on every object of the agent's access. */
export const agentLabels = (cluster: string): Record<string, string> => ({
  "app.kubernetes.io/name": "flotilla-agent",
  "cluster.flotilla.dev/cluster": cluster,
});

/** The Role allowing exactly the agent's own objects. */
export function agentRole(cluster: string): V1Role {
  const name = agentName(cluster);
  return {
    metadata: { name, namespace: AGENT_NAMESPACE, labels: agentLabels(cluster) },
    rules: [
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        resourceNames: [name],
        verbs: ["get", "update", "patch"],
      },
      {
        apiGroups: [CLUSTER_REPORT.group],
        resources: [CLUSTER_REPORT.plural],
        resourceNames: [cluster],
        verbs: ["get"],
      },
      {
        apiGroups: [CLUSTER_REPORT.group],
        resources: [`${CLUSTER_REPORT.plural}/status`],
        resourceNames: [cluster],
        verbs: ["get", "update", "patch"],
      },
      {
        apiGroups: [""],
        resources: ["serviceaccounts/token"],
        resourceNames: [name],
        verbs: ["create"],
      },
    ],
  };
}

/** The RoleBinding of the agent's Role to its ServiceAccount. */
export function agentRoleBinding(cluster: string): V1RoleBinding {
  const name = agentName(cluster);
  return {
    metadata: { name, namespace: AGENT_NAMESPACE, labels: agentLabels(cluster) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: AGENT_NAMESPACE }],
  };
}

/** The agent's Lease as the installer creates it (the agent renews it). */
export function agentLease(cluster: string): {
  metadata: { name: string; labels: Record<string, string> };
  spec: { holderIdentity: string };
} {
  return {
    metadata: { name: agentName(cluster), labels: agentLabels(cluster) },
    spec: { holderIdentity: agentIdentity(cluster) },
  };
}

/** The agent's ClusterReport as the installer creates it (the agent writes its status). */
export function agentReport(cluster: string): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
} {
  const { group, version, kind } = CLUSTER_REPORT;
  return {
    apiVersion: `${group}/${version}`,
    kind,
    metadata: { name: cluster, namespace: AGENT_NAMESPACE, labels: agentLabels(cluster) },
  };
}
