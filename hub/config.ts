/**
 * The hub's configuration, parsed once at the edge: flags win over `FLOTILLA_HUB_*`
 * environment variables, which win over defaults. Every problem is reported at once in one
 * `InvalidInputError`. Nothing here reads files.
 *
 * The defaults live in one place, `defaults`: the flag table's defaults are written from it,
 * and `startHub` falls back to it for options a caller (a test, a benchmark) leaves out.
 */
import { hostname } from "node:os";
import { readFlags } from "../core/config/flags.js";
import { readServing, servingFlags, type ServingConfig } from "../core/config/serving.js";
import { InvalidInputError } from "../core/errors.js";
import { defaultHealthTiming } from "./cluster-health/state.js";

/** The hub's settings, the shared serving ones (addresses, log level, shutdown) included. */
export interface HubConfig extends ServingConfig {
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
  /** A member with no agent heartbeat for this long is Unknown. */
  readonly clusterGracePeriodMs: number;
  /** How long a member whose agent never reported stays Pending. */
  readonly clusterStartupGracePeriodMs: number;
  /** Place new deliveries only on Ready clusters (off by default). */
  readonly skipUnhealthyClusters: boolean;
}

/** The hub's defaults, for the flags and for `startHub`'s options alike. */
export const defaults = {
  stateKeepIntervalMs: 5 * 60_000,
  healthPollIntervalMs: 5_000,
  workers: 4,
  leaderElect: true,
  leaseNamespace: "vela-system",
  leaseName: "flotilla-hub",
  clusterGracePeriodMs: defaultHealthTiming.gracePeriodMs,
  clusterStartupGracePeriodMs: defaultHealthTiming.startupGraceMs,
  skipUnhealthyClusters: false,
} as const satisfies Partial<HubConfig>;

export const hubFlags = {
  kubeconfig: { env: "KUBECONFIG", kind: "string" },
  "state-keep-interval": {
    env: "FLOTILLA_HUB_STATE_KEEP_INTERVAL",
    kind: "duration",
    default: `${defaults.stateKeepIntervalMs}ms`,
  },
  "health-poll-interval": {
    env: "FLOTILLA_HUB_HEALTH_POLL_INTERVAL",
    kind: "duration",
    default: `${defaults.healthPollIntervalMs}ms`,
  },
  workers: { env: "FLOTILLA_HUB_WORKERS", kind: "count", default: String(defaults.workers) },
  "leader-elect": {
    env: "FLOTILLA_HUB_LEADER_ELECT",
    kind: "boolean",
    default: String(defaults.leaderElect),
  },
  "lease-namespace": {
    env: "FLOTILLA_HUB_LEASE_NAMESPACE",
    kind: "string",
    default: defaults.leaseNamespace,
  },
  "lease-name": { env: "FLOTILLA_HUB_LEASE_NAME", kind: "string", default: defaults.leaseName },
  identity: { env: "FLOTILLA_HUB_IDENTITY", kind: "string" },
  "cluster-grace-period": {
    env: "FLOTILLA_HUB_CLUSTER_GRACE_PERIOD",
    kind: "duration",
    default: `${defaults.clusterGracePeriodMs}ms`,
  },
  "cluster-startup-grace-period": {
    env: "FLOTILLA_HUB_CLUSTER_STARTUP_GRACE_PERIOD",
    kind: "duration",
    default: `${defaults.clusterStartupGracePeriodMs}ms`,
  },
  "skip-unhealthy-clusters": {
    env: "FLOTILLA_HUB_SKIP_UNHEALTHY_CLUSTERS",
    kind: "boolean",
    default: String(defaults.skipUnhealthyClusters),
  },
  ...servingFlags("FLOTILLA_HUB", { metricsPort: true }),
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
    clusterGracePeriodMs: flags.read("cluster-grace-period"),
    clusterStartupGracePeriodMs: flags.read("cluster-startup-grace-period"),
    skipUnhealthyClusters: flags.read("skip-unhealthy-clusters"),
    ...readServing(flags, { metricsPort: true }),
  };
  if (flags.problems.length > 0) {
    throw new InvalidInputError(`invalid hub configuration:\n- ${flags.problems.join("\n- ")}`);
  }
  return config as unknown as HubConfig;
}
