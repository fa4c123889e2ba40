/**
 * The hub process: parse the configuration, load the hub credential, serve metrics and
 * health, take the leader Lease (unless `--leader-elect` is off), run the controller until
 * SIGINT/SIGTERM, and stop cleanly: the controller stops taking keys and finishes the
 * reconciles in flight, then the elector releases the Lease (holder cleared, as client-go's
 * ReleaseOnCancel) so the other replica takes over at its next retry, then the servers close;
 * exit code 0, or 1 when that takes longer than `--graceful-shutdown-timeout`. Losing the
 * Lease stops the process (exit code 1), as client-go controllers do, so a supervisor
 * restarts it as a follower.
 *
 *   node dist/hub/main.js --kubeconfig hub.kubeconfig [--state-keep-interval 5m] \
 *     [--metrics-bind-address :8080 --health-probe-bind-address :8081]
 */
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { Gauge, Registry } from "prom-client";
import { KeepAliveKubeConfig } from "../core/cluster/keep-alive.js";
import { ensureNamespace } from "../core/cluster/kube.js";
import { systemClock } from "../core/controller/clock.js";
import {
  createLeaderElector,
  type LeaderElectionOptions,
  type LeaderElector,
} from "../core/controller/leader.js";
import { jsonLogger, type Logger } from "../core/controller/logger.js";
import { shutDownProcessOnSignal } from "../core/controller/shutdown.js";
import { InvalidInputError } from "../core/errors.js";
import { hubFlags, loadHubConfig, type HubConfig } from "./config.js";
import { flagsUsage, helpRequested } from "../core/config/flags.js";

const hubUsage = [
  "Usage: node dist/hub/main.js [flags]",
  "",
  "Flotilla's hub controller: reconciles Applications (core.oam.dev/v1beta1), renders them",
  "through CUE X-Definitions, runs their workflows, and delivers to member clusters through",
  "the gateway. Without --kubeconfig (or $KUBECONFIG) it reads the hub from its in-cluster",
  "ServiceAccount. On SIGTERM it finishes the reconciles in flight, releases the leader",
  "Lease and exits 0.",
].join("\n");
import { serveMetrics, type HubReadiness } from "./metrics-server.js";
import { startHub, type RunningHub, type StartHubOptions } from "./start.js";

/** What the leader runs, from the configuration (pure). */
const workOptions = (
  config: HubConfig,
  hub: KubeConfig,
  metrics: Registry,
  log: Logger,
): StartHubOptions => ({
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

/** The Lease elector, unless `--leader-elect` is off. */
const electorFor = (
  config: HubConfig,
  hub: KubeConfig,
  log: Logger,
  role: Pick<LeaderElectionOptions, "onStartedLeading" | "onStoppedLeading">,
): LeaderElector | undefined =>
  config.leaderElect
    ? createLeaderElector({
        kubeconfig: hub,
        namespace: config.leaseNamespace,
        name: config.leaseName,
        identity: config.identity,
        log,
        ...role,
      })
    : undefined;

async function run(config: HubConfig, hub: KubeConfig, log: Logger): Promise<number> {
  const started: { hub?: RunningHub; starting?: Promise<void>; leading: boolean } = {
    leading: !config.leaderElect,
  };
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
  const server = await serveMetrics({
    metricsBindAddress: config.metricsBindAddress,
    healthProbeBindAddress: config.healthProbeBindAddress,
    metrics,
    readiness,
    log,
  });
  let stopping = false;
  const lead = (): Promise<void> => {
    if (stopping) return Promise.resolve();
    started.leading = true;
    leader.set(1);
    started.starting = startHub(workOptions(config, hub, metrics, log)).then((running) => {
      started.hub = running;
    });
    return started.starting;
  };
  const elector = electorFor(config, hub, log, {
    onStartedLeading: () => lead(),
    onStoppedLeading: async () => {
      if (stopping) return;
      leader.set(0);
      log.error("lost the leader Lease; exiting");
      await started.hub?.stop();
      process.exit(1);
    },
  });
  if (elector !== undefined) await ensureNamespace(hub, config.leaseNamespace);
  if (elector === undefined) await lead();
  else elector.start();
  return shutDownProcessOnSignal({
    log,
    timeoutMs: config.gracefulShutdownTimeoutMs,
    stop: async () => {
      stopping = true;
      // A term that is starting finishes starting, then everything stops in order.
      await started.starting?.catch(() => undefined);
      await started.hub?.stop();
      await elector?.stop(); // releases the Lease once the work has stopped
      leader.set(0);
      await server.close();
    },
  });
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
  const log = jsonLogger((line) => process.stderr.write(line + "\n"), systemClock, config.logLevel);
  const hub = new KeepAliveKubeConfig();
  if (config.kubeconfig === undefined) hub.loadFromCluster();
  else hub.loadFromFile(config.kubeconfig);
  return run(config, hub, log);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  // Exit now, whatever is still open: the shutdown above is bounded.
  process.exit(await main(process.argv.slice(2), process.env));
}
