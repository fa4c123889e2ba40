/**
 * The agent's hub credential as a kubeconfig, and where it is handed over: a file written with
 * mode 0600, or a Secret on the member the agent's Deployment mounts. The Secret is
 * `vela-system/flotilla-agent-hub-kubeconfig` with the kubeconfig under the key `kubeconfig`
 * (the layout of Open Cluster Management's `hub-kubeconfig-secret`, in KubeVela's namespace)
 * and the cluster's name under `cluster`, so a Deployment can set `--cluster` from it too.
 */
import { readFileSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { KubeConfig, V1Secret } from "@kubernetes/client-node";
import { NotFoundError } from "../errors.js";
import {
  AGENT_BOOTSTRAP_SECRET,
  AGENT_NAMESPACE,
  AGENT_SECRET,
  agentBootstrapName,
  agentName,
} from "../cluster/agent-contract.js";
import { agentLabels } from "./agent-objects.js";

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

/** A hub kubeconfig for `user` with `token` (YAML; reads a CA file the hub config names). */
function tokenKubeconfig(hub: KubeConfig, user: string, token: string, server?: string): string {
  const entry = hubClusterEntry(hub);
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "hub", cluster: server === undefined ? entry : { ...entry, server } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: "hub", user, namespace: AGENT_NAMESPACE } }],
    "current-context": user,
  });
}

/** The agent's hub kubeconfig as YAML — pure apart from reading a CA file the hub config names. */
export function agentKubeconfig(
  hub: KubeConfig,
  cluster: string,
  token: string,
  server?: string,
): string {
  return tokenKubeconfig(hub, agentName(cluster), token, server);
}

/** The agent's hub bootstrap kubeconfig (the bootstrap ServiceAccount's token) as YAML. */
export function agentBootstrapKubeconfig(
  hub: KubeConfig,
  cluster: string,
  token: string,
  server?: string,
): string {
  return tokenKubeconfig(hub, agentBootstrapName(cluster), token, server);
}

/**
 * The Helm values of the agent chart `charts/flotilla-agent` for `cluster` (pure): its name and
 * the bootstrap kubeconfig, which the chart mounts at `/etc/flotilla/hub/bootstrap-kubeconfig`.
 */
export function agentChartValues(cluster: string, bootstrapKubeconfig: string): string {
  return stringify({ clusterName: cluster, hub: { bootstrapKubeconfig } });
}

/** The member Secret holding the agent's hub bootstrap kubeconfig (pure). */
export function agentBootstrapSecret(cluster: string, bootstrapKubeconfig: string): V1Secret {
  const { name, namespace, kubeconfigKey, clusterKey } = AGENT_BOOTSTRAP_SECRET;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, labels: agentLabels(cluster) },
    type: "Opaque",
    stringData: { [kubeconfigKey]: bootstrapKubeconfig, [clusterKey]: cluster },
  };
}

/** The member Secret holding the agent's hub kubeconfig (pure). */
export function agentSecret(cluster: string, kubeconfig: string): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: AGENT_SECRET.name,
      namespace: AGENT_SECRET.namespace,
      labels: agentLabels(cluster),
    },
    type: "Opaque",
    stringData: { [AGENT_SECRET.kubeconfigKey]: kubeconfig, [AGENT_SECRET.clusterKey]: cluster },
  };
}

/**
 * Writes the agent's hub kubeconfig to `file`, readable by its owner only (mode 0600, also
 * when the file existed); its folder is created.
 */
export async function writeAgentKubeconfig(file: string, kubeconfig: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, kubeconfig, { mode: 0o600 });
  await chmod(file, 0o600);
}
