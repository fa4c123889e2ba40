/**
 * The hub process: parse the configuration, load the hub credential, serve metrics and
 * health, take the leader Lease (unless `--leader-elect` is off), run the controller until
 * SIGINT/SIGTERM, and stop cleanly. Losing the Lease stops the process (exit code 1), as
 * client-go controllers do, so a supervisor restarts it as a follower.
 *
 *   node dist/hub/main.js --kubeconfig hub.kubeconfig [--state-keep-interval 5m]
 */
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { Gauge, Registry } from "prom-client";
import { KeepAliveKubeConfig } from "../core/cluster/keep-alive.js";
import { ensureNamespace } from "../core/cluster/kube.js";
import { systemClock } from "../core/controller/clock.js";
import { createLeaderElector } from "../core/controller/leader.js";
import { jsonLogger } from "../core/controller/logger.js";
import { InvalidInputError } from "../core/errors.js";
import { hubFlags, loadHubConfig, type HubConfig } from "./config.js";
import { flagsUsage, helpRequested } from "../core/config/flags.js";

const hubUsage = [
  "Usage: node dist/hub/main.js [flags]",
  "",
  "Flotilla's hub controller: reconciles Applications (core.oam.dev/v1beta1), renders them",
  "through CUE X-Definitions, runs their workflows, and delivers to member clusters through",
  "the gateway. Without --kubeconfig it reads the hub from its in-cluster ServiceAccount.",
].join("\n");
import { serveMetrics, type HubReadiness } from "./metrics-server.js";
import { startHub, type RunningHub } from "./start.js";

const log = jsonLogger((line) => process.stderr.write(line + "\n"), systemClock);

function terminated(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

async function run(config: HubConfig, hub: KubeConfig): Promise<number> {
  const started: { hub?: RunningHub; leading: boolean } = { leading: !config.leaderElect };
  const metrics = new Registry();
  const leader = new Gauge({
    name: "flotilla_hub_leader",
    help: "1 while this replica holds the hub's leader Lease (or runs without election)",
    registers: [metrics],
  });
  const readiness = (): HubReadiness => {
    if (!started.leading) return "standby";
    return started.hub?.synced() === true ? "ready" : "starting";
  };
  const server = await serveMetrics({ port: config.metricsPort, metrics, readiness, log });
  let stopping = false;
  const lead = async (): Promise<void> => {
    started.leading = true;
    leader.set(1);
    started.hub = await startHub({
      hub,
      stateKeepIntervalMs: config.stateKeepIntervalMs,
      healthPollIntervalMs: config.healthPollIntervalMs,
      workers: config.workers,
      clusterHealth: {
        gracePeriodMs: config.clusterGracePeriodMs,
        startupGraceMs: config.clusterStartupGracePeriodMs,
      },
      skipUnhealthyClusters: config.skipUnhealthyClusters,
      metrics,
      log,
    });
  };
  const elector = config.leaderElect
    ? createLeaderElector({
        kubeconfig: hub,
        namespace: config.leaseNamespace,
        name: config.leaseName,
        identity: config.identity,
        log,
        onStartedLeading: () => lead(),
        onStoppedLeading: async () => {
          if (stopping) return;
          leader.set(0);
          log.error("lost the leader Lease; exiting");
          await started.hub?.stop();
          process.exit(1);
        },
      })
    : undefined;
  if (elector !== undefined) await ensureNamespace(hub, config.leaseNamespace);
  if (elector === undefined) await lead();
  else elector.start();
  await terminated();
  stopping = true;
  log.info("shutting down");
  await started.hub?.stop();
  await elector?.stop();
  await server?.close();
  return 0;
}

/** Runs the hub until a termination signal; resolves with the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (helpRequested(argv)) {
    process.stdout.write(flagsUsage(hubUsage, hubFlags));
    return 0;
  }
  let config: HubConfig;
  try {
    config = loadHubConfig(env, argv);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const hub = new KeepAliveKubeConfig();
  if (config.kubeconfig === undefined) hub.loadFromCluster();
  else hub.loadFromFile(config.kubeconfig);
  return run(config, hub);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
