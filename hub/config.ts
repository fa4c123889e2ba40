/**
 * The hub's configuration, parsed once at the edge: flags win over `FLOTILLA_HUB_*`
 * environment variables, which win over defaults. Every problem is reported at once in one
 * `InvalidInputError`. Nothing here reads files.
 */
import { DEFAULT_CLUSTER_GRACE_SECONDS } from "../core/cluster/agent-contract.js";
import { hostname } from "node:os";
import { readFlags } from "../core/config/flags.js";
import { InvalidInputError } from "../core/errors.js";

export interface HubConfig {
  /** Hub kubeconfig; undefined means in-cluster configuration. */
  readonly kubeconfig?: string;
  /** Period of the state-keep re-apply that corrects drift on members. */
  readonly stateKeepIntervalMs: number;
  /** How soon an unhealthy application is checked again. */
  readonly healthPollIntervalMs: number;
  /** Applications reconciled in parallel. */
  readonly workers: number;
  readonly leaderElect: boolean;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  /** This replica's name in the Lease. */
  readonly identity: string;
  /** Port of `/metrics`, `/healthz` and `/readyz` on 127.0.0.1; 0 picks a free one. */
  readonly metricsPort?: number;
  /** A member with no agent heartbeat for this long is Unknown. */
  readonly clusterGracePeriodMs: number;
  /** How long a member whose agent never reported stays Pending. */
  readonly clusterStartupGracePeriodMs: number;
  /** Place new deliveries only on Ready clusters (off by default). */
  readonly skipUnhealthyClusters: boolean;
}

export const hubFlags = {
  kubeconfig: { env: "KUBECONFIG", kind: "string" },
  "state-keep-interval": {
    env: "FLOTILLA_HUB_STATE_KEEP_INTERVAL",
    kind: "duration",
    default: "5m",
  },
  "health-poll-interval": {
    env: "FLOTILLA_HUB_HEALTH_POLL_INTERVAL",
    kind: "duration",
    default: "5s",
  },
  workers: { env: "FLOTILLA_HUB_WORKERS", kind: "count", default: "4" },
  "leader-elect": { env: "FLOTILLA_HUB_LEADER_ELECT", kind: "boolean", default: "true" },
  "lease-namespace": {
    env: "FLOTILLA_HUB_LEASE_NAMESPACE",
    kind: "string",
    default: "vela-system",
  },
  "lease-name": { env: "FLOTILLA_HUB_LEASE_NAME", kind: "string", default: "flotilla-hub" },
  identity: { env: "FLOTILLA_HUB_IDENTITY", kind: "string" },
  "metrics-port": { env: "FLOTILLA_HUB_METRICS_PORT", kind: "port" },
  "cluster-grace-period": {
    env: "FLOTILLA_HUB_CLUSTER_GRACE_PERIOD",
    kind: "duration",
    default: `${DEFAULT_CLUSTER_GRACE_SECONDS}s`,
  },
  "cluster-startup-grace-period": {
    env: "FLOTILLA_HUB_CLUSTER_STARTUP_GRACE_PERIOD",
    kind: "duration",
    default: "30s",
  },
  "skip-unhealthy-clusters": {
    env: "FLOTILLA_HUB_SKIP_UNHEALTHY_CLUSTERS",
    kind: "boolean",
    default: "false",
  },
} as const;

type Flag = keyof typeof hubFlags;

/** Parses flags (`argv` without node and script) and environment; lists every problem. */
export function loadHubConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): HubConfig {
  const flags = readFlags<Flag>(hubFlags, env, argv);
  const optional = (name: Flag, key: string): Record<string, unknown> => {
    const value = flags.read(name);
    return value === undefined ? {} : { [key]: value };
  };
  const config = {
    ...optional("kubeconfig", "kubeconfig"),
    stateKeepIntervalMs: flags.read("state-keep-interval"),
    healthPollIntervalMs: flags.read("health-poll-interval"),
    workers: flags.read("workers"),
    leaderElect: flags.read("leader-elect"),
    leaseNamespace: flags.read("lease-namespace"),
    leaseName: flags.read("lease-name"),
    identity: flags.read("identity") ?? `${hostname()}_${process.pid}`,
    ...optional("metrics-port", "metricsPort"),
    clusterGracePeriodMs: flags.read("cluster-grace-period"),
    clusterStartupGracePeriodMs: flags.read("cluster-startup-grace-period"),
    skipUnhealthyClusters: flags.read("skip-unhealthy-clusters"),
  };
  if (flags.problems.length > 0) {
    throw new InvalidInputError(`invalid hub configuration:\n- ${flags.problems.join("\n- ")}`);
  }
  return config as unknown as HubConfig;
}
