/**
 * The agent process: parse the configuration, load the member and hub kubeconfigs, serve
 * `/metrics` and `/healthz` when asked, run the agent until SIGINT/SIGTERM, and stop cleanly
 * (exit code 0). A bad configuration or kubeconfig exits with code 2 and every problem on
 * stderr. Logs are JSON lines on stderr. No `@kubernetes/client-node` here: the clients are
 * core's plain-JSON ones (`core/kube/client.ts`, `runtime-imports.test.ts`).
 *
 *   node dist/agent/main.js --cluster member-1 --kubeconfig member-1.kubeconfig \
 *     --hub-kubeconfig agent-member-1.kubeconfig [--metrics-port 0]
 *   node dist/agent/main.js --cluster member-1 --hub-bootstrap-kubeconfig bootstrap-kubeconfig
 */
import path from "node:path";
import { collectDefaultMetrics, Registry } from "prom-client";
import { systemClock, waitingClock } from "../core/controller/clock.js";
import { jsonLogger } from "../core/controller/logger.js";
import { InvalidInputError, NotFoundError } from "../core/errors.js";
import { createKubeClient } from "../core/kube/client.js";
import { loadConnection } from "../core/kube/connect.js";
import { startAgent } from "./agent.js";
import { agentFlags, loadAgentConfig, type AgentConfig } from "./config.js";
import { connectHub } from "./hub-connect.js";
import { flagsUsage, helpRequested } from "../core/config/flags.js";

const agentUsage = [
  "Usage: node dist/agent/main.js --cluster <name> --hub-kubeconfig <file> [flags]",
  "       node dist/agent/main.js --cluster <name> --hub-bootstrap-kubeconfig <file> [flags]",
  "",
  "Flotilla's agent for one member cluster: renews its heartbeat Lease on the hub and writes",
  "its ClusterReport (version, API readiness, nodes, resources, NodePools) when it changes.",
  "Without --kubeconfig it reads the member from its in-cluster ServiceAccount. With",
  "--hub-bootstrap-kubeconfig it mints its own short hub tokens (--hub-token-lifetime) and",
  "mints a new one when the hub refuses the current one, so it recovers after any outage.",
].join("\n");
import { serveMetrics } from "./metrics.js";

const log = jsonLogger((line) => process.stderr.write(line + "\n"), systemClock);

function terminated(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

async function run(config: AgentConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const userAgent = "flotilla-agent";
  const member = createKubeClient(loadConnection(config.kubeconfig, env), {
    name: "member",
    userAgent,
  });
  const { hub, renewToken } = connectHub(config, { clock: waitingClock, log, userAgent });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const agent = startAgent({
    cluster: config.cluster,
    hub,
    renewToken,
    member,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    leaseDurationMs: config.leaseDurationMs,
    reportIntervalMs: config.reportIntervalMs,
    healthThresholdMs: config.healthThresholdMs,
    // Ref'd timers: the heartbeat keeps the process alive even while no watch is connected.
    clock: waitingClock,
    log,
    metrics: registry,
  });
  log.info("agent started", { cluster: config.cluster });
  const unhealthy = (): string | undefined => {
    const last = agent.lastHeartbeat();
    if (last === undefined) return "no heartbeat yet";
    const age = Date.now() - last;
    return age <= config.leaseDurationMs ? undefined : `last heartbeat ${age} ms ago`;
  };
  const server =
    config.metricsPort === undefined
      ? undefined
      : await serveMetrics({ port: config.metricsPort, registry, unhealthy, log });
  await terminated();
  log.info("shutting down");
  await agent.stop();
  await server?.close();
  member.close();
  hub.close();
  return 0;
}

/** Runs the agent until a termination signal; resolves with the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (helpRequested(argv)) {
    process.stdout.write(flagsUsage(agentUsage, agentFlags));
    return 0;
  }
  try {
    return await run(loadAgentConfig(env, argv), env);
  } catch (error) {
    // A bad flag, kubeconfig or context: say what is wrong, exit 2.
    if (!(error instanceof InvalidInputError || error instanceof NotFoundError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
