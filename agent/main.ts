/**
 * The agent process: parse the configuration, load the member and hub kubeconfigs, serve
 * `/metrics` and `/healthz`, `/livez`, `/readyz` when asked, run the agent until
 * SIGINT/SIGTERM, and stop cleanly: heartbeats and reports stop, the servers and clients
 * close, exit code 0 (1 when that takes longer than `--graceful-shutdown-timeout`). A bad configuration or kubeconfig exits with code 2 and every problem on
 * stderr. Logs are JSON lines on stderr. No `@kubernetes/client-node` here: the clients are
 * core's plain-JSON ones (`core/kube/client.ts`, `runtime-imports.test.ts`).
 *
 *   node dist/agent/main.js --cluster member-1 --kubeconfig member-1.kubeconfig \
 *     --hub-kubeconfig agent-member-1.kubeconfig [--health-probe-bind-address :8081]
 *   node dist/agent/main.js --cluster member-1 --hub-bootstrap-kubeconfig bootstrap-kubeconfig
 */
import path from "node:path";
import { Registry } from "prom-client";
import { systemClock, waitingClock } from "../core/controller/clock.js";
import { jsonLogger, type Logger } from "../core/controller/logger.js";
import { registerProcessMetrics } from "../core/controller/process-metrics.js";
import { shutDownProcessOnSignal } from "../core/controller/shutdown.js";
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
  "Without --kubeconfig (or $KUBECONFIG) it reads the member from its in-cluster",
  "ServiceAccount. The hub is read with --hub-kubeconfig, or with --hub-bootstrap-kubeconfig:",
  "then it mints its own short hub tokens (--hub-token-lifetime) and mints a new one when the",
  "hub refuses the current one, so it recovers after any outage.",
].join("\n");
import { serveMetrics } from "./metrics.js";

async function run(config: AgentConfig, env: NodeJS.ProcessEnv): Promise<number> {
  const log: Logger = jsonLogger(
    (line) => process.stderr.write(line + "\n"),
    systemClock,
    config.logLevel,
  );
  const userAgent = "flotilla-agent";
  const member = createKubeClient(loadConnection(config.kubeconfig, env), {
    name: "member",
    userAgent,
  });
  const { hub, renewToken } = connectHub(config, { clock: waitingClock, log, userAgent });
  const registry = new Registry();
  registerProcessMetrics(registry);
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
  const server = await serveMetrics({
    metricsBindAddress: config.metricsBindAddress,
    healthProbeBindAddress: config.healthProbeBindAddress,
    registry,
    unhealthy,
    log,
  }).catch(async (error: unknown) => {
    await agent.stop(); // e.g. the address is taken: stop what started, then fail
    throw error;
  });
  return shutDownProcessOnSignal({
    log,
    timeoutMs: config.gracefulShutdownTimeoutMs,
    stop: async () => {
      await agent.stop();
      await server.close();
      member.close();
      hub.close();
    },
  });
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
  // Exit now, whatever is still open: the shutdown above is bounded.
  process.exit(await main(process.argv.slice(2), process.env));
}
