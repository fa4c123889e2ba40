/**
 * A fleet member's agent: Flotilla's agent (`agent/main.ts`) started as its own process with
 * the member's admin kubeconfig and a hub credential of its own. The hub access is provisioned
 * first with the installer `flotilla cluster join --agent` uses (`provisionAgentAccess` with
 * the hub's admin kubeconfig) and the agent's hub kubeconfig written to
 * `<workDir>/agents/<cluster>.hub.kubeconfig` (mode 0600), unless the caller brings a hub
 * kubeconfig of its own. With `bootstrap`, the agent gets the bootstrap kubeconfig instead
 * (`provisionAgentBootstrap`, `<workDir>/agents/<cluster>.bootstrap.kubeconfig`) and mints its
 * own working tokens (`--hub-bootstrap-kubeconfig`, docs/adr/0017-agent-credential.md).
 * Resolves once the agent has renewed its Lease on the hub.
 */
import path from "node:path";
import { CoordinationV1Api } from "@kubernetes/client-node";
import { AGENT_NAMESPACE, agentName } from "../core/cluster/agent-contract.js";
import { provisionAgentAccess } from "../core/install/agent-access.js";
import { provisionAgentBootstrap } from "../core/install/agent-bootstrap.js";
import { writeAgentKubeconfig } from "../core/install/agent-kubeconfig.js";
import type { Fleet } from "./fleet.js";
import { hubOf, kubeConfigOf } from "./gateway.js";
import { freePorts } from "./ports.js";
import { programCommand } from "./programs.js";
import { startProcess, stopPids, type StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";

export interface FleetAgent {
  readonly cluster: string;
  readonly process: StartedProcess;
  /** The agent's hub kubeconfig (its own ServiceAccount token), or its bootstrap kubeconfig. */
  readonly hubKubeconfigFile: string;
  /** Whether `hubKubeconfigFile` is a bootstrap kubeconfig (`--hub-bootstrap-kubeconfig`). */
  readonly bootstrap: boolean;
  /** `http://127.0.0.1:<port>` serving /metrics and /healthz. */
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

export interface StartFleetAgentOptions {
  readonly fleet: Fleet;
  /** The member cluster the agent reports on. */
  readonly cluster: string;
  /** Outlive this process (`flotilla fleet up`). */
  readonly detached?: boolean;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Extra agent flags (e.g. `--health-threshold 4s`). */
  readonly args?: readonly string[];
  /** An agent hub kubeconfig already provisioned (e.g. by the CLI); default: provision one. */
  readonly hubKubeconfigFile?: string;
  /**
   * Run the agent with a bootstrap kubeconfig: `true` provisions one, a path uses that file
   * (then `hubKubeconfigFile` is ignored).
   */
  readonly bootstrap?: boolean | string;
}

/** When the Lease was last renewed (ms since the epoch), or undefined. */
async function renewedAt(fleet: Fleet, cluster: string): Promise<number | undefined> {
  const lease = await kubeConfigOf(hubOf(fleet))
    .makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ name: agentName(cluster), namespace: AGENT_NAMESPACE });
  const time: unknown = lease.spec?.renewTime;
  if (time instanceof Date) return time.getTime();
  return typeof time === "string" ? Date.parse(time) : undefined;
}

/** Provisions the agent's hub access and writes its kubeconfig under the fleet's work dir. */
async function provisionFleetAgent(fleet: Fleet, cluster: string): Promise<string> {
  const access = await provisionAgentAccess({ hub: kubeConfigOf(hubOf(fleet)), cluster });
  const file = path.join(fleet.workDir, "agents", `${cluster}.hub.kubeconfig`);
  await writeAgentKubeconfig(file, access.kubeconfig);
  return file;
}

/** Provisions the agent's bootstrap identity and writes its kubeconfig under the work dir. */
async function provisionFleetBootstrap(fleet: Fleet, cluster: string): Promise<string> {
  const access = await provisionAgentBootstrap({ hub: kubeConfigOf(hubOf(fleet)), cluster });
  const file = path.join(fleet.workDir, "agents", `${cluster}.bootstrap.kubeconfig`);
  await writeAgentKubeconfig(file, access.bootstrapKubeconfig);
  return file;
}

/** The agent's hub credential flag and file, provisioned when not given. */
async function hubCredential(
  options: StartFleetAgentOptions,
): Promise<{ bootstrap: boolean; file: string }> {
  const { fleet, cluster, bootstrap } = options;
  if (typeof bootstrap === "string") return { bootstrap: true, file: bootstrap };
  if (bootstrap === true)
    return { bootstrap: true, file: await provisionFleetBootstrap(fleet, cluster) };
  const file = options.hubKubeconfigFile ?? (await provisionFleetAgent(fleet, cluster));
  return { bootstrap: false, file };
}

export async function startFleetAgent(options: StartFleetAgentOptions): Promise<FleetAgent> {
  const { fleet, cluster } = options;
  const member = fleet.cluster(cluster);
  const { bootstrap, file: hubKubeconfigFile } = await hubCredential(options);
  const hubFlag = bootstrap ? "--hub-bootstrap-kubeconfig" : "--hub-kubeconfig";
  const [port] = (await freePorts(1)) as [number];
  const startedAt = Date.now();
  const proc = startProcess({
    name: `${cluster}-agent`,
    ...programCommand("agent", {
      args: [
        ...["--cluster", cluster, "--kubeconfig", member.kubeconfigFile],
        ...[hubFlag, hubKubeconfigFile, "--metrics-port", String(port)],
        ...(options.args ?? []),
      ],
    }),
    logDir: fleet.logDir,
    detached: options.detached,
  });
  const stop = (): Promise<void> => stopPids([proc.pid]);
  try {
    await waitFor(
      `the ${cluster} agent's first Lease renewal`,
      async () => ((await renewedAt(fleet, cluster)) ?? 0) >= startedAt - 1_000 || undefined,
      { timeoutMs: options.timeoutMs ?? 60_000, processes: [proc] },
    );
    options.log?.(`agent for ${cluster} running (metrics on http://127.0.0.1:${port}/metrics)`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    cluster,
    process: proc,
    hubKubeconfigFile,
    bootstrap,
    metricsUrl: `http://127.0.0.1:${port}`,
    stop,
  };
}
