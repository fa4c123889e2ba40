/**
 * The hub side of an agent's identity: what a member cluster's agent may touch on the hub, and
 * the credential it uses. Each agent gets, in `vela-system`, a ServiceAccount
 * `flotilla-agent-<cluster>` bound to a Role of the same name that allows only its own objects:
 * the Lease `flotilla-agent-<cluster>` (heartbeat) and the ClusterReport `<cluster>` (report,
 * status subresource), plus minting fresh tokens for its own ServiceAccount (rotation). RBAC
 * cannot scope `create` by name, so the Lease and the ClusterReport are created here, and the
 * agent only renews and patches them. The credential is a bound token from the TokenRequest
 * API, returned inside a hub kubeconfig.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1Role,
  type V1RoleBinding,
} from "@kubernetes/client-node";
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { systemClock, type Clock } from "../controller/clock.js";
import { installCrds, loadCrds } from "../cluster/crds.js";
import { NotFoundError } from "../errors.js";
import { apiStatusOf, ensureNamespace, kubeError, withTimeout } from "../cluster/kube.js";
import { assertClusterName } from "../cluster/labels.js";
import {
  AGENT_NAMESPACE,
  CLUSTER_REPORT,
  CLUSTER_REPORT_CRD,
  agentIdentity,
  agentName,
} from "../cluster/agent-contract.js";

export {
  AGENT_NAMESPACE,
  CLUSTER_REPORT,
  CLUSTER_REPORT_CRD,
  agentIdentity,
  agentName,
} from "../cluster/agent-contract.js";

/** Default lifetime of the token handed out: 24 h; the agent renews it itself before expiry. */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 24 * 3600;

const labelsFor = (cluster: string): Record<string, string> => ({
  "app.kubernetes.io/name": "flotilla-agent",
  "cluster.flotilla.dev/cluster": cluster,
});

/** The Role allowing exactly the agent's own objects — pure. */
export function agentRole(cluster: string): V1Role {
  const name = agentName(cluster);
  return {
    metadata: { name, namespace: AGENT_NAMESPACE, labels: labelsFor(cluster) },
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

function agentRoleBinding(cluster: string): V1RoleBinding {
  const name = agentName(cluster);
  return {
    metadata: { name, namespace: AGENT_NAMESPACE, labels: labelsFor(cluster) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: AGENT_NAMESPACE }],
  };
}

export interface AgentAccessOptions {
  /** Admin access to the hub. */
  readonly hub: KubeConfig;
  readonly cluster: string;
  /** Token lifetime asked of the TokenRequest API; default 24 h (minimum 10 min). */
  readonly tokenExpirationSeconds?: number;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

export interface AgentAccess {
  /** A kubeconfig (YAML) for the hub with the agent's token; keep it secret. */
  readonly kubeconfig: string;
  /** The ServiceAccount the token belongs to (`system:serviceaccount:vela-system:<name>`). */
  readonly serviceAccount: string;
  /** When the token expires (RFC 3339), unless the agent renews it. */
  readonly expiresAt: string;
}

/** Creates an object unless it exists; `replace` (given) brings an existing one up to date. */
async function ensure(
  what: string,
  create: () => Promise<unknown>,
  replace?: () => Promise<unknown>,
): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (apiStatusOf(error) !== 409) throw kubeError(error, `creating ${what}`);
    await replace?.().catch((e: unknown) => {
      throw kubeError(e, `updating ${what}`);
    });
  }
}

/** The hub's current cluster entry as kubeconfig YAML fields (CA embedded). */
function hubClusterEntry(hub: KubeConfig): Record<string, unknown> {
  const cluster = hub.getCurrentCluster();
  if (cluster === null) throw new NotFoundError("the hub kubeconfig has no current cluster");
  const caData =
    cluster.caData ??
    (cluster.caFile === undefined ? undefined : readFileSync(cluster.caFile).toString("base64"));
  return {
    server: cluster.server,
    ...(caData === undefined ? {} : { "certificate-authority-data": caData }),
    ...(cluster.skipTLSVerify ? { "insecure-skip-tls-verify": true } : {}),
  };
}

/** The agent's hub kubeconfig as YAML — pure apart from reading a CA file the hub config names. */
export function agentKubeconfig(hub: KubeConfig, cluster: string, token: string): string {
  const name = agentName(cluster);
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "hub", cluster: hubClusterEntry(hub) }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: "hub", user: name, namespace: AGENT_NAMESPACE } }],
    "current-context": name,
  });
}

async function ensureClusterReportCrd(hub: KubeConfig, clock: Clock): Promise<void> {
  const crds = (await loadCrds()).filter((c) => c.metadata?.name === CLUSTER_REPORT_CRD);
  await installCrds({ kubeconfig: hub, crds, clock });
}

async function ensureObjects(options: AgentAccessOptions, timeoutMs: number): Promise<void> {
  const { hub, cluster } = options;
  const [name, namespace, labels] = [agentName(cluster), AGENT_NAMESPACE, labelsFor(cluster)];
  const t = withTimeout(timeoutMs);
  const core = hub.makeApiClient(CoreV1Api);
  const rbac = hub.makeApiClient(RbacAuthorizationV1Api);
  const role = agentRole(cluster);
  const binding = agentRoleBinding(cluster);
  await ensure(`ServiceAccount ${namespace}/${name}`, () =>
    core.createNamespacedServiceAccount({ namespace, body: { metadata: { name, labels } } }, t),
  );
  await ensure(
    `Role ${namespace}/${name}`,
    () => rbac.createNamespacedRole({ namespace, body: role }, t),
    () => rbac.replaceNamespacedRole({ name, namespace, body: role }, t),
  );
  await ensure(
    `RoleBinding ${namespace}/${name}`,
    () => rbac.createNamespacedRoleBinding({ namespace, body: binding }, t),
    () => rbac.replaceNamespacedRoleBinding({ name, namespace, body: binding }, t),
  );
  const lease = { metadata: { name, labels }, spec: { holderIdentity: agentIdentity(cluster) } };
  await ensure(`Lease ${namespace}/${name}`, () =>
    hub.makeApiClient(CoordinationV1Api).createNamespacedLease({ namespace, body: lease }, t),
  );
  const { kind, group, version, plural } = CLUSTER_REPORT;
  const report = {
    apiVersion: `${group}/${version}`,
    kind,
    metadata: { name: cluster, namespace, labels },
  };
  await ensure(`${kind} ${namespace}/${cluster}`, () =>
    hub
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({ group, version, plural, namespace, body: report }, t),
  );
}

/**
 * Gives the agent of `cluster` its hub access and returns its kubeconfig. Idempotent: existing
 * objects are kept (the Role and RoleBinding are brought up to date) and each call mints a new
 * token. Also installs the ClusterReport CRD when the hub lacks it. Errors: `InvalidInputError`
 * for a bad cluster name, otherwise the typed error of the failing call (`kubeError`).
 */
export async function provisionAgentAccess(options: AgentAccessOptions): Promise<AgentAccess> {
  assertClusterName(options.cluster);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { hub, cluster } = options;
  const name = agentName(cluster);
  await ensureNamespace(hub, AGENT_NAMESPACE, timeoutMs);
  await ensureClusterReportCrd(hub, options.clock ?? systemClock);
  await ensureObjects(options, timeoutMs);
  const expirationSeconds = options.tokenExpirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const request = await hub
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccountToken(
      { name, namespace: AGENT_NAMESPACE, body: { spec: { audiences: [], expirationSeconds } } },
      withTimeout(timeoutMs),
    )
    .catch((error: unknown) => {
      throw kubeError(error, `requesting a token for ServiceAccount ${AGENT_NAMESPACE}/${name}`);
    });
  const expiry: unknown = request.status?.expirationTimestamp;
  return {
    kubeconfig: agentKubeconfig(hub, cluster, request.status?.token ?? ""),
    serviceAccount: `system:serviceaccount:${AGENT_NAMESPACE}:${name}`,
    expiresAt:
      expiry instanceof Date ? expiry.toISOString() : typeof expiry === "string" ? expiry : "",
  };
}

/**
 * Removes the agent's access and objects (ServiceAccount — which invalidates its tokens at
 * once —, Role, RoleBinding, Lease, ClusterReport). Idempotent: missing objects are fine.
 */
export async function removeAgentAccess(options: {
  readonly hub: KubeConfig;
  readonly cluster: string;
  readonly timeoutMs?: number;
}): Promise<void> {
  const { hub, cluster } = options;
  const [name, namespace] = [agentName(cluster), AGENT_NAMESPACE];
  const t = withTimeout(options.timeoutMs ?? 30_000);
  const rbac = hub.makeApiClient(RbacAuthorizationV1Api);
  const { group, version, plural, kind } = CLUSTER_REPORT;
  const deletions: Array<[string, () => Promise<unknown>]> = [
    [
      `ServiceAccount ${namespace}/${name}`,
      () => hub.makeApiClient(CoreV1Api).deleteNamespacedServiceAccount({ name, namespace }, t),
    ],
    [
      `RoleBinding ${namespace}/${name}`,
      () => rbac.deleteNamespacedRoleBinding({ name, namespace }, t),
    ],
    [`Role ${namespace}/${name}`, () => rbac.deleteNamespacedRole({ name, namespace }, t)],
    [
      `Lease ${namespace}/${name}`,
      () => hub.makeApiClient(CoordinationV1Api).deleteNamespacedLease({ name, namespace }, t),
    ],
    [
      `${kind} ${namespace}/${cluster}`,
      () =>
        hub
          .makeApiClient(CustomObjectsApi)
          .deleteNamespacedCustomObject({ group, version, plural, namespace, name: cluster }, t),
    ],
  ];
  for (const [what, remove] of deletions) {
    await remove().catch((error: unknown) => {
      if (apiStatusOf(error) !== 404) throw kubeError(error, `deleting ${what}`);
    });
  }
}
