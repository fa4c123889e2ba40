/**
 * The agent as a pod on a member's real node, as a platform team would run it: Flotilla's
 * image, the member's in-cluster ServiceAccount (read-only on nodes, pods and NodePools), and
 * its hub bootstrap credential mounted from the Secret `flotilla cluster agent-access
 * --agent-secret` writes (the agent mints its working tokens with it, in memory: ADR 0017), as
 * the agent chart does. Non-root, read-only root file system, no capabilities.
 */
import { AGENT_BOOTSTRAP_SECRET, AGENT_NAMESPACE } from "../../core/cluster/agent-contract.js";

const name = "flotilla-agent";

export function agentPodManifests(cluster: string, image: string): object[] {
  const labels = { "app.kubernetes.io/name": name };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: AGENT_NAMESPACE } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name },
      rules: [
        { apiGroups: [""], resources: ["nodes", "pods"], verbs: ["get", "list", "watch"] },
        {
          apiGroups: ["apps.openyurt.io"],
          resources: ["nodepools"],
          verbs: ["get", "list", "watch"],
        },
        { nonResourceURLs: ["/readyz", "/version"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace: AGENT_NAMESPACE }],
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: AGENT_NAMESPACE, labels },
      spec: {
        serviceAccountName: name,
        nodeSelector: { type: "real" },
        tolerations: [{ key: "flotilla.dev/real-node", operator: "Exists" }],
        securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
        containers: [
          {
            name: "agent",
            image,
            imagePullPolicy: "Never",
            command: ["node", "/app/dist/agent/main.js"],
            args: [
              `--cluster=${cluster}`,
              `--hub-bootstrap-kubeconfig=/etc/flotilla/hub/${AGENT_BOOTSTRAP_SECRET.kubeconfigKey}`,
            ],
            securityContext: {
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
            },
            volumeMounts: [
              { name: "hub", mountPath: "/etc/flotilla/hub", readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "hub", secret: { secretName: AGENT_BOOTSTRAP_SECRET.name } },
          { name: "tmp", emptyDir: {} },
        ],
      },
    },
  ];
}
