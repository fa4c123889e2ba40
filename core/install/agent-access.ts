/**
 * The hub side of an agent's identity: what a member cluster's agent may touch on the hub, and
 * the credential it uses. Each agent gets, in `vela-system`, a ServiceAccount
 * `flotilla-agent-<cluster>` bound to a Role of the same name that allows only its own objects:
 * the Lease `flotilla-agent-<cluster>` (heartbeat) and the ClusterReport `<cluster>` (report,
 * status subresource), plus minting fresh tokens for its own ServiceAccount (rotation). The
 * objects are in agent-objects.ts; the credential is a bound token from the TokenRequest API,
 * returned inside a hub kubeconfig (agent-kubeconfig.ts), which `applyAgentSecret` can store
 * on the member for an in-cluster agent. Used by `flotilla cluster join --agent`,
 * `flotilla cluster agent-access` and the local fleet.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1Secret,
} from "@kubernetes/client-node";
import { systemClock, type Clock } from "../controller/clock.js";
import { installCrds, loadCrds } from "../cluster/crds.js";
import { ensureNamespace, kubeError, withTimeout } from "../cluster/kube.js";
import { assertClusterName } from "../cluster/labels.js";
import {
  AGENT_NAMESPACE,
  CLUSTER_REPORT,
  CLUSTER_REPORT_CRD,
  agentBootstrapName,
  agentBootstrapTokenName,
  agentName,
} from "../cluster/agent-contract.js";
import { agentKubeconfig, agentSecret } from "./agent-kubeconfig.js";
import {
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
  agentLabels,
  agentLease,
  agentReport,
  agentRole,
  agentRoleBinding,
  assertTokenLifetime,
} from "./agent-objects.js";
import { ensure, remove } from "./ensure.js";
import {
  ensureServiceAccountWithRole,
  removeServiceAccountWithRole,
} from "./service-account-role.js";

export interface AgentAccessOptions {
  /** Admin access to the hub. */
  readonly hub: KubeConfig;
  readonly cluster: string;
  /** Token lifetime asked of the TokenRequest API; default 24 h, minimum 10 min. */
  readonly tokenExpirationSeconds?: number;
  /**
   * The hub's address as the agent reaches it (written into its kubeconfig); default the
   * server of `hub`. The hub's serving certificate must cover it.
   */
  readonly hubServer?: string;
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

async function ensureClusterReportCrd(hub: KubeConfig, clock: Clock): Promise<void> {
  const crds = (await loadCrds()).filter((c) => c.metadata?.name === CLUSTER_REPORT_CRD);
  await installCrds({ kubeconfig: hub, crds, clock });
}

async function ensureIdentity(hub: KubeConfig, cluster: string, timeoutMs: number): Promise<void> {
  const name = agentName(cluster);
  const serviceAccount = { metadata: { name, labels: agentLabels(cluster) } };
  await ensureServiceAccountWithRole(
    hub,
    {
      namespace: AGENT_NAMESPACE,
      name,
      serviceAccount,
      role: agentRole(cluster),
      binding: agentRoleBinding(cluster),
    },
    timeoutMs,
  );
}

async function ensureAgentObjects(
  hub: KubeConfig,
  cluster: string,
  timeoutMs: number,
): Promise<void> {
  const [namespace, t] = [AGENT_NAMESPACE, withTimeout(timeoutMs)];
  const lease = agentLease(cluster);
  await ensure(`Lease ${namespace}/${lease.metadata.name}`, () =>
    hub.makeApiClient(CoordinationV1Api).createNamespacedLease({ namespace, body: lease }, t),
  );
  const { kind, group, version, plural } = CLUSTER_REPORT;
  const body = agentReport(cluster);
  await ensure(`${kind} ${namespace}/${cluster}`, () =>
    hub
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({ group, version, plural, namespace, body }, t),
  );
}

/**
 * The agent's working identity on the hub, without a credential: the namespace, the
 * ClusterReport CRD, the ServiceAccount `flotilla-agent-<cluster>` with its Role and
 * RoleBinding, and the pre-created Lease and ClusterReport. Idempotent.
 */
export async function ensureAgentIdentity(
  hub: KubeConfig,
  cluster: string,
  timeoutMs: number,
  clock: Clock,
): Promise<void> {
  await ensureNamespace(hub, AGENT_NAMESPACE, timeoutMs);
  await ensureClusterReportCrd(hub, clock);
  await ensureIdentity(hub, cluster, timeoutMs);
  await ensureAgentObjects(hub, cluster, timeoutMs);
}

/** Mints a token for the agent's ServiceAccount; returns it with its expiry (RFC 3339). */
async function requestToken(
  hub: KubeConfig,
  cluster: string,
  expirationSeconds: number,
  timeoutMs: number,
): Promise<{ token: string; expiresAt: string }> {
  const [name, namespace] = [agentName(cluster), AGENT_NAMESPACE];
  const body = { spec: { audiences: [], expirationSeconds } };
  const request = await hub
    .makeApiClient(CoreV1Api)
    .createNamespacedServiceAccountToken({ name, namespace, body }, withTimeout(timeoutMs))
    .catch((error: unknown) => {
      throw kubeError(error, `requesting a token for ServiceAccount ${namespace}/${name}`);
    });
  const expiry: unknown = request.status?.expirationTimestamp;
  return {
    token: request.status?.token ?? "",
    expiresAt:
      expiry instanceof Date ? expiry.toISOString() : typeof expiry === "string" ? expiry : "",
  };
}

/**
 * Gives the agent of `cluster` its hub access and returns its kubeconfig. Idempotent: existing
 * objects are kept (the Role and RoleBinding are brought up to date) and each call mints a new
 * token (earlier ones stay valid until they expire). Also installs the ClusterReport CRD when
 * the hub lacks it. Errors: `InvalidInputError` for a bad cluster name or token lifetime,
 * otherwise the typed error of the failing call (`kubeError`).
 */
export async function provisionAgentAccess(options: AgentAccessOptions): Promise<AgentAccess> {
  const { hub, cluster } = options;
  assertClusterName(cluster);
  const expirationSeconds = options.tokenExpirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  assertTokenLifetime(expirationSeconds, "tokenExpirationSeconds");
  const timeoutMs = options.timeoutMs ?? 30_000;
  await ensureAgentIdentity(hub, cluster, timeoutMs, options.clock ?? systemClock);
  const { token, expiresAt } = await requestToken(hub, cluster, expirationSeconds, timeoutMs);
  return {
    kubeconfig: agentKubeconfig(hub, cluster, token, options.hubServer),
    serviceAccount: `system:serviceaccount:${AGENT_NAMESPACE}:${agentName(cluster)}`,
    expiresAt,
  };
}

/**
 * Stores the agent's hub kubeconfig on its member as the Secret `AGENT_SECRET` (namespace
 * created when missing; an existing Secret is replaced). `member` is a credential for the
 * member allowed to do that. Errors name the member and the Secret.
 */
export async function applyAgentSecret(options: {
  readonly member: KubeConfig;
  readonly cluster: string;
  readonly kubeconfig: string;
  readonly timeoutMs?: number;
}): Promise<void> {
  const body = agentSecret(options.cluster, options.kubeconfig);
  await applyMemberSecret(options.member, options.cluster, body, options.timeoutMs);
}

/**
 * Creates or replaces one of the agent's Secrets on its member (`AGENT_SECRET`,
 * `AGENT_BOOTSTRAP_SECRET`), creating its namespace when missing. Errors name the member and
 * the Secret.
 */
export async function applyMemberSecret(
  member: KubeConfig,
  cluster: string,
  body: V1Secret,
  timeoutMs = 30_000,
): Promise<void> {
  const [namespace, name] = [String(body.metadata?.namespace), String(body.metadata?.name)];
  const [core, t] = [member.makeApiClient(CoreV1Api), withTimeout(timeoutMs)];
  await ensureNamespace(member, namespace, timeoutMs);
  await ensure(
    `Secret ${namespace}/${name} on member "${cluster}"`,
    () => core.createNamespacedSecret({ namespace, body }, t),
    () => core.replaceNamespacedSecret({ name, namespace, body }, t),
  );
}

/**
 * Removes the agent's access and objects (the bootstrap identity and its token Secret, the
 * ServiceAccount — which invalidates its tokens at once —, Role, RoleBinding, Lease,
 * ClusterReport). Idempotent: missing objects are fine.
 * `InvalidInputError` for a cluster name `provisionAgentAccess` refuses too, before the hub is
 * called.
 */
export async function removeAgentAccess(options: {
  readonly hub: KubeConfig;
  readonly cluster: string;
  readonly timeoutMs?: number;
}): Promise<void> {
  const { hub, cluster } = options;
  assertClusterName(cluster);
  const [name, namespace] = [agentName(cluster), AGENT_NAMESPACE];
  const t = withTimeout(options.timeoutMs ?? 30_000);
  const { group, version, plural, kind } = CLUSTER_REPORT;
  await removeBootstrapIdentity(hub, cluster, options.timeoutMs ?? 30_000);
  await removeServiceAccountWithRole(hub, { name, namespace }, options.timeoutMs ?? 30_000);
  await remove(`Lease ${namespace}/${name}`, () =>
    hub.makeApiClient(CoordinationV1Api).deleteNamespacedLease({ name, namespace }, t),
  );
  await remove(`${kind} ${namespace}/${cluster}`, () =>
    hub
      .makeApiClient(CustomObjectsApi)
      .deleteNamespacedCustomObject({ group, version, plural, namespace, name: cluster }, t),
  );
}

/**
 * Removes the agent's bootstrap identity: its token Secret (which revokes the bootstrap
 * credential), ServiceAccount, Role and RoleBinding. Missing objects are fine. The working
 * identity and the tokens it already holds are left alone.
 */
export async function removeBootstrapIdentity(
  hub: KubeConfig,
  cluster: string,
  timeoutMs = 30_000,
): Promise<void> {
  assertClusterName(cluster);
  const [name, namespace, t] = [
    agentBootstrapName(cluster),
    AGENT_NAMESPACE,
    withTimeout(timeoutMs),
  ];
  const secret = agentBootstrapTokenName(cluster);
  await remove(`Secret ${namespace}/${secret}`, () =>
    hub.makeApiClient(CoreV1Api).deleteNamespacedSecret({ name: secret, namespace }, t),
  );
  await removeServiceAccountWithRole(hub, { name, namespace }, timeoutMs);
}
