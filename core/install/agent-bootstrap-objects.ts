/**
 * The hub-side objects of an agent's bootstrap identity, as plain manifests (pure): the
 * ServiceAccount `flotilla-agent-<cluster>-bootstrap`, a Role allowing only `create` on
 * `serviceaccounts/token` of the agent's working ServiceAccount `flotilla-agent-<cluster>`,
 * its RoleBinding, and a Secret of type `kubernetes.io/service-account-token` that
 * kube-controller-manager's token controller fills with a token that does not expire. Deleting
 * that Secret revokes the bootstrap credential (docs/adr/0017-agent-credential.md); the model
 * is Open Cluster Management's bootstrap kubeconfig, with a TokenRequest instead of a CSR.
 */
import type { V1Role, V1RoleBinding, V1Secret } from "@kubernetes/client-node";
import {
  AGENT_NAMESPACE,
  agentBootstrapName,
  agentBootstrapTokenName,
  agentName,
} from "../cluster/agent-contract.js";
import { agentLabels } from "./agent-objects.js";

/** The bootstrap ServiceAccount. */
export function bootstrapServiceAccount(cluster: string): {
  metadata: { name: string; namespace: string; labels: Record<string, string> };
} {
  const name = agentBootstrapName(cluster);
  return { metadata: { name, namespace: AGENT_NAMESPACE, labels: agentLabels(cluster) } };
}

/** The Role allowing only to mint tokens for the agent's working ServiceAccount. */
export function bootstrapRole(cluster: string): V1Role {
  return {
    metadata: {
      name: agentBootstrapName(cluster),
      namespace: AGENT_NAMESPACE,
      labels: agentLabels(cluster),
    },
    rules: [
      {
        apiGroups: [""],
        resources: ["serviceaccounts/token"],
        resourceNames: [agentName(cluster)],
        verbs: ["create"],
      },
    ],
  };
}

/** The RoleBinding of the bootstrap Role to the bootstrap ServiceAccount. */
export function bootstrapRoleBinding(cluster: string): V1RoleBinding {
  const name = agentBootstrapName(cluster);
  return {
    metadata: { name, namespace: AGENT_NAMESPACE, labels: agentLabels(cluster) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: AGENT_NAMESPACE }],
  };
}

/** The Secret the token controller fills with the bootstrap ServiceAccount's token. */
export function bootstrapTokenSecret(cluster: string): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: agentBootstrapTokenName(cluster),
      namespace: AGENT_NAMESPACE,
      labels: agentLabels(cluster),
      annotations: { "kubernetes.io/service-account.name": agentBootstrapName(cluster) },
    },
    type: "kubernetes.io/service-account-token",
  };
}
