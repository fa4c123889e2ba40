/**
 * The data contract between a member's agent and the hub: the names of the agent's objects on
 * the hub, the `ClusterReport` the agent writes (its wire type, which the agent builds and the
 * hub reads back tolerantly as a `ClusterReportReading`) and the NodePool entries in it. Used
 * by the agent, the hub's cluster health, the CLI and the access provisioning
 * (`core/install/agent-access.ts`). Kept free of `@kubernetes/client-node` and of engine code
 * so the agent, which must not load either (memory), can import it.
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
/**
 * Name of the agent's bootstrap ServiceAccount, Role and RoleBinding on the hub: allowed only
 * to mint tokens for `agentName(cluster)` (docs/adr/0017-agent-credential.md).
 */
export const agentBootstrapName = (cluster: string): string =>
  `flotilla-agent-${cluster}-bootstrap`;
/** The hub Secret (type `kubernetes.io/service-account-token`) holding the bootstrap token. */
export const agentBootstrapTokenName = (cluster: string): string =>
  `flotilla-agent-${cluster}-bootstrap-token`;
/** The Lease's `holderIdentity` the agent writes. */
export const agentIdentity = (cluster: string): string => `flotilla-agent/${cluster}`;

/**
 * How long the hub waits for a heartbeat before a cluster is Unknown, by default (its
 * `--cluster-grace-period`); also what `flotilla cluster list` assumes for a Lease that
 * states no duration.
 */
export const DEFAULT_CLUSTER_GRACE_SECONDS = 10;

/** OpenYurt's label naming a node's pool; the hub's pool placement selects nodes by it. */
export const NODEPOOL_LABEL = "apps.openyurt.io/nodepool";

/** A taint of a pool's nodes, as on the NodePool (`spec.taints`). */
export interface NodePoolTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** One NodePool of a member cluster, as its agent reports it. */
export interface NodePoolReport {
  readonly name: string;
  /** `Edge` or `Cloud`. */
  readonly type: string;
  readonly readyNodes: number;
  readonly notReadyNodes: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodePoolTaint[];
}

export interface NodeCounts {
  readonly total: number;
  readonly ready: number;
  readonly notReady: number;
  /**
   * Nodes simulated by kwok (annotation `kwok.x-k8s.io/node=fake`, `core/cluster/node-kind.ts`);
   * real = total - kwok. Every agent that knows the count writes it (0 included); a report
   * from an older agent has none, and readers then show no split.
   */
  readonly kwok?: number;
}

/** CPU and memory as Kubernetes quantities. */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

/** `ClusterReport.status.report` as the agent writes it; `observedTime` is when this content was first seen. */
export interface ClusterReport {
  readonly kubernetesVersion: string;
  readonly apiReady: boolean;
  readonly observedTime: string;
  readonly nodes: NodeCounts;
  readonly resources: {
    readonly allocatable: ResourceAmounts;
    readonly requested: ResourceAmounts;
  };
  /** Sorted by name; empty when the cluster has no NodePools. */
  readonly nodePools: readonly NodePoolReport[];
}

/**
 * A report as the hub reads it back: any field may be missing or malformed in an agent's
 * write (and is then left out), except the pools, which read as empty.
 */
export type ClusterReportReading = Partial<Omit<ClusterReport, "nodePools">> &
  Pick<ClusterReport, "nodePools">;

/**
 * The Secret on a member that holds its agent's hub kubeconfig (`flotilla cluster join --agent
 * --agent-secret`): in KubeVela's namespace, with the kubeconfig and the cluster's name.
 */
export const AGENT_SECRET = {
  namespace: AGENT_NAMESPACE,
  name: "flotilla-agent-hub-kubeconfig",
  kubeconfigKey: "kubeconfig",
  clusterKey: "cluster",
} as const;

/**
 * The Secret on a member that holds its agent's hub bootstrap kubeconfig (`--agent-secret`;
 * the agent chart's `hub.existingSecret`): the long-lived credential that may only mint the
 * agent's working tokens, with the cluster's name.
 */
export const AGENT_BOOTSTRAP_SECRET = {
  namespace: AGENT_NAMESPACE,
  name: "flotilla-agent-hub-bootstrap",
  kubeconfigKey: "bootstrap-kubeconfig",
  clusterKey: "cluster",
} as const;
