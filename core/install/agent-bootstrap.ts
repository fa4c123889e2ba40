/**
 * The agent's bootstrap credential (docs/adr/0017-agent-credential.md): next to its working
 * identity (agent-access.ts), each agent gets a bootstrap ServiceAccount that may only mint
 * tokens for the working one, and a long-lived token for it in a Secret of type
 * `kubernetes.io/service-account-token` that kube-controller-manager's token controller fills.
 * The agent (`--hub-bootstrap-kubeconfig`) mints short working tokens with it at start, before
 * they expire and whenever the hub answers 401, so a long outage needs no manual step.
 * `applyAgentBootstrapSecret` stores the bootstrap kubeconfig on the member for the agent chart.
 */
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { sleep, systemClock, type Clock } from "../controller/clock.js";
import { kubeError, withTimeout } from "../cluster/kube.js";
import { assertClusterName } from "../cluster/labels.js";
import {
  AGENT_NAMESPACE,
  agentBootstrapName,
  agentBootstrapTokenName,
  agentName,
} from "../cluster/agent-contract.js";
import { UpstreamUnavailableError } from "../errors.js";
import { applyMemberSecret, ensureAgentIdentity } from "./agent-access.js";
import {
  bootstrapRole,
  bootstrapRoleBinding,
  bootstrapServiceAccount,
  bootstrapTokenSecret,
} from "./agent-bootstrap-objects.js";
import { agentBootstrapKubeconfig, agentBootstrapSecret } from "./agent-kubeconfig.js";
import { ensure } from "./ensure.js";
import { ensureServiceAccountWithRole } from "./service-account-role.js";

export interface AgentBootstrapOptions {
  /** Admin access to the hub. */
  readonly hub: KubeConfig;
  readonly cluster: string;
  /** The hub's address as the agent reaches it; default the server of `hub`. */
  readonly hubServer?: string;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
  /** How long to wait for the token controller to fill the Secret; default 60 s. */
  readonly tokenWaitMs?: number;
  readonly clock?: Clock;
}

export interface AgentBootstrap {
  /** A kubeconfig (YAML) for the hub with the bootstrap token; keep it secret. */
  readonly bootstrapKubeconfig: string;
  /** The working ServiceAccount the agent mints tokens for. */
  readonly serviceAccount: string;
  /** The bootstrap ServiceAccount the kubeconfig authenticates as. */
  readonly bootstrapServiceAccount: string;
  /** The hub Secret holding the bootstrap token (delete it to revoke the credential). */
  readonly tokenSecret: string;
}

async function ensureBootstrapObjects(
  hub: KubeConfig,
  cluster: string,
  timeoutMs: number,
): Promise<void> {
  const [name, namespace] = [agentBootstrapName(cluster), AGENT_NAMESPACE];
  await ensureServiceAccountWithRole(
    hub,
    {
      namespace,
      name,
      serviceAccount: bootstrapServiceAccount(cluster),
      role: bootstrapRole(cluster),
      binding: bootstrapRoleBinding(cluster),
    },
    timeoutMs,
  );
  const secret = bootstrapTokenSecret(cluster);
  await ensure(`Secret ${namespace}/${agentBootstrapTokenName(cluster)}`, () =>
    hub
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({ namespace, body: secret }, withTimeout(timeoutMs)),
  );
}

/** Waits until the token controller has written the token into the bootstrap Secret. */
async function bootstrapToken(
  hub: KubeConfig,
  cluster: string,
  options: { timeoutMs: number; waitMs: number; clock: Clock },
): Promise<string> {
  const [name, namespace] = [agentBootstrapTokenName(cluster), AGENT_NAMESPACE];
  const core = hub.makeApiClient(CoreV1Api);
  const deadline = options.clock.now() + options.waitMs;
  for (;;) {
    const secret = await core
      .readNamespacedSecret({ name, namespace }, withTimeout(options.timeoutMs))
      .catch((error: unknown) => {
        throw kubeError(error, `reading Secret ${namespace}/${name}`);
      });
    const token = secret.data?.token;
    if (token !== undefined && token !== "") return Buffer.from(token, "base64").toString("utf8");
    if (options.clock.now() >= deadline)
      throw new UpstreamUnavailableError(
        `Secret ${namespace}/${name} on the hub got no token within ${options.waitMs} ms: is ` +
          "kube-controller-manager running with --service-account-private-key-file " +
          "(its token controller fills Secrets of type kubernetes.io/service-account-token)?",
      );
    await sleep(options.clock, 250);
  }
}

/**
 * Gives the agent of `cluster` its working identity (as `provisionAgentAccess`, without
 * minting a working token) and its bootstrap identity, and returns the bootstrap kubeconfig.
 * Idempotent: an existing bootstrap Secret and its token are kept. Errors:
 * `InvalidInputError` for a bad cluster name, `UpstreamUnavailableError` when the token
 * controller does not fill the Secret, otherwise the typed error of the failing call.
 */
export async function provisionAgentBootstrap(
  options: AgentBootstrapOptions,
): Promise<AgentBootstrap> {
  const { hub, cluster } = options;
  assertClusterName(cluster);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clock = options.clock ?? systemClock;
  await ensureAgentIdentity(hub, cluster, timeoutMs, clock);
  await ensureBootstrapObjects(hub, cluster, timeoutMs);
  const token = await bootstrapToken(hub, cluster, {
    timeoutMs,
    waitMs: options.tokenWaitMs ?? 60_000,
    clock,
  });
  const sa = (name: string): string => `system:serviceaccount:${AGENT_NAMESPACE}:${name}`;
  return {
    bootstrapKubeconfig: agentBootstrapKubeconfig(hub, cluster, token, options.hubServer),
    serviceAccount: sa(agentName(cluster)),
    bootstrapServiceAccount: sa(agentBootstrapName(cluster)),
    tokenSecret: `${AGENT_NAMESPACE}/${agentBootstrapTokenName(cluster)}`,
  };
}

/**
 * Stores the agent's bootstrap kubeconfig on its member as the Secret
 * `AGENT_BOOTSTRAP_SECRET` (namespace created when missing; an existing Secret is replaced).
 * `member` is a credential for the member allowed to do that.
 */
export async function applyAgentBootstrapSecret(options: {
  readonly member: KubeConfig;
  readonly cluster: string;
  readonly bootstrapKubeconfig: string;
  readonly timeoutMs?: number;
}): Promise<void> {
  const body = agentBootstrapSecret(options.cluster, options.bootstrapKubeconfig);
  await applyMemberSecret(options.member, options.cluster, body, options.timeoutMs);
}
