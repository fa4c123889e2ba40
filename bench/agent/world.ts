/**
 * The agent benchmark's world: the agent test fleet (hub `local`; `edge-1` with one plain node
 * and the OpenYurt pools `beijing` (2 nodes) and `shanghai` (1 node), test/agent/support.ts),
 * the agent's hub access provisioned as `flotilla fleet up` does (its own ServiceAccount token,
 * core/cluster/agent-access.ts) but with the hub kubeconfig pointing at a counting proxy in
 * front of the hub's API server, the hub's health tracker watching `edge-1`, and the compiled
 * agent started as `node dist/agent/main.js` with its default timing.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { provisionAgentAccess } from "../../core/install/agent-access.js";
import { EDGE, hubKc, startAgentFleet } from "../../test/support/agent-world.js";
import type { Fleet } from "../../fleet/fleet.js";
import { hubOf } from "../../fleet/gateway.js";
import { freePorts } from "../../fleet/ports.js";
import { startProcess, stopPids, type StartedProcess } from "../../fleet/processes.js";
import { waitFor } from "../../fleet/wait.js";
import { watchHealth, type HealthWatch } from "./health.js";
import { startCountingProxy, type CountingProxy } from "./proxy.js";

export const log = (line: string): void => console.error(`[agent] ${line}`);

export interface AgentProcess {
  readonly pid: number;
  readonly metricsUrl: string;
  readonly process: StartedProcess;
  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT); a process already gone is ignored. */
  signal(signal: NodeJS.Signals): void;
  /** SIGCONT (it may be stopped), then SIGTERM, SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

export interface AgentWorld {
  readonly fleet: Fleet;
  readonly hubKc: KubeConfig;
  readonly proxy: CountingProxy;
  readonly health: HealthWatch;
  /** Starts an agent process; resolves once its `/healthz` says a heartbeat went through. */
  startAgent(): Promise<AgentProcess>;
  /** Stops every agent started, the tracker, the proxy and the fleet. Idempotent. */
  stop(): Promise<void>;
}

/** The provisioned hub kubeconfig with its server replaced by the proxy's — pure. */
export function viaProxy(kubeconfigYaml: string, server: string): string {
  const config = parse(kubeconfigYaml) as { clusters?: Array<{ cluster?: { server?: string } }> };
  for (const entry of config.clusters ?? []) if (entry.cluster) entry.cluster.server = server;
  return stringify(config);
}

interface Parts {
  readonly fleet: Fleet;
  readonly compiledAgent: string;
  readonly hubKubeconfigFile: string;
}

function agentLauncher(parts: Parts, started: AgentProcess[]): () => Promise<AgentProcess> {
  return async () => {
    const [port] = (await freePorts(1)) as [number];
    const proc = startProcess({
      name: `${EDGE}-agent-${started.length + 1}`,
      command: process.execPath,
      args: [
        parts.compiledAgent,
        ...["--cluster", EDGE, "--kubeconfig", parts.fleet.cluster(EDGE).kubeconfigFile],
        ...["--hub-kubeconfig", parts.hubKubeconfigFile, "--metrics-port", String(port)],
      ],
      logDir: parts.fleet.logDir,
    });
    const signal = (sig: NodeJS.Signals): void => {
      if (!proc.hasExited()) process.kill(proc.pid, sig);
    };
    const agent: AgentProcess = {
      pid: proc.pid,
      metricsUrl: `http://127.0.0.1:${port}`,
      process: proc,
      signal,
      async stop() {
        signal("SIGCONT");
        await stopPids([proc.pid]);
      },
    };
    started.push(agent);
    await waitFor(
      `the ${EDGE} agent's first heartbeat (/healthz)`,
      async () => ((await fetch(`${agent.metricsUrl}/healthz`)).ok ? true : undefined),
      { timeoutMs: 60_000, processes: [proc] },
    );
    return agent;
  };
}

async function assemble(fleet: Fleet, compiledAgent: string, stops: Array<() => Promise<void>>) {
  const hub = hubKc(fleet);
  const proxy = await startCountingProxy({ targetPort: hubOf(fleet).ports.apiserver });
  stops.push(() => proxy.stop());
  const access = await provisionAgentAccess({ hub, cluster: EDGE });
  const hubKubeconfigFile = path.join(fleet.workDir, `${EDGE}.agent-hub.kubeconfig`);
  await writeFile(hubKubeconfigFile, viaProxy(access.kubeconfig, proxy.url), { mode: 0o600 });
  const health = await watchHealth(hub, EDGE);
  stops.push(() => health.stop());
  const agents: AgentProcess[] = [];
  stops.push(() => Promise.all(agents.map((a) => a.stop())).then(() => undefined));
  const startAgent = agentLauncher({ fleet, compiledAgent, hubKubeconfigFile }, agents);
  return { fleet, hubKc: hub, proxy, health, startAgent };
}

export async function startAgentWorld(compiledAgent: string): Promise<AgentWorld> {
  log("starting a fleet: hub local, edge-1 (1 plain node, pools beijing 2 and shanghai 1)");
  const fleet = await startAgentFleet();
  // Run in reverse order by stop(): agents, tracker, proxy, then the fleet.
  const stops: Array<() => Promise<void>> = [() => fleet.stop()];
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      for (const fn of stops.reverse()) await fn().catch((e: unknown) => log(String(e)));
    })());
  try {
    return { ...(await assemble(fleet, compiledAgent, stops)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
