/**
 * The agent's configuration, parsed once at the edge (house style §10): flags win over
 * `FLOTILLA_AGENT_*` environment variables, which win over defaults. Every problem is reported
 * at once in one `InvalidInputError`. Nothing here reads files.
 */
import { subdomainProblem } from "../core/cluster/labels.js";
import { readFlags, type FlagSpec } from "../core/config/flags.js";
import { readServing, servingFlags, type ServingConfig } from "../core/config/serving.js";
import { InvalidInputError } from "../core/errors.js";

/** The agent's settings, the shared serving ones (addresses, log level, shutdown) included. */
export interface AgentConfig extends ServingConfig {
  /** The member cluster's name on the hub. */
  readonly cluster: string;
  /** Member kubeconfig; undefined means in-cluster configuration. */
  readonly kubeconfig?: string;
  /** The hub kubeconfig with the agent's own credential (or `hubBootstrapKubeconfig`). */
  readonly hubKubeconfig?: string;
  /** The hub bootstrap kubeconfig: the agent mints its working tokens with it (ADR 0017). */
  readonly hubBootstrapKubeconfig?: string;
  /** Lifetime of each working token minted with the bootstrap kubeconfig. */
  readonly hubTokenLifetimeMs: number;
  /** How often the hub Lease is renewed and the member's `/readyz` probed. */
  readonly heartbeatIntervalMs: number;
  /** Written as the Lease's `leaseDurationSeconds`: the grace the hub allows between renewals. */
  readonly leaseDurationMs: number;
  /** How often version, NodePools and resources are re-read and the report recomputed. */
  readonly reportIntervalMs: number;
  /** How long a changed health (API readiness, a node's readiness) must hold to be published. */
  readonly healthThresholdMs: number;
}

/**
 * The agent's defaults, in one place: the flag table below and `startAgent`'s fallbacks
 * (`agent.ts`) both read them.
 */
export const defaults = {
  heartbeatIntervalMs: 2_000,
  leaseDurationMs: 10_000,
  reportIntervalMs: 10_000,
  healthThresholdMs: 10_000,
  hubTokenLifetimeMs: 3_600_000,
} as const;

/** The shortest working token lifetime (the TokenRequest API's minimum): 10 minutes. */
export const MIN_HUB_TOKEN_LIFETIME_MS = 600_000;

/** Every flag: its environment variable, kind and default (durations in milliseconds). */
export const agentFlags = {
  cluster: { env: "FLOTILLA_AGENT_CLUSTER", kind: "string", required: true },
  kubeconfig: { env: "KUBECONFIG", kind: "string" },
  "hub-kubeconfig": { env: "FLOTILLA_AGENT_HUB_KUBECONFIG", kind: "string" },
  "hub-bootstrap-kubeconfig": { env: "FLOTILLA_AGENT_HUB_BOOTSTRAP_KUBECONFIG", kind: "string" },
  "hub-token-lifetime": {
    env: "FLOTILLA_AGENT_HUB_TOKEN_LIFETIME",
    kind: "duration",
    default: `${defaults.hubTokenLifetimeMs}ms`,
  },
  "heartbeat-interval": {
    env: "FLOTILLA_AGENT_HEARTBEAT_INTERVAL",
    kind: "duration",
    default: `${defaults.heartbeatIntervalMs}ms`,
  },
  "lease-duration": {
    env: "FLOTILLA_AGENT_LEASE_DURATION",
    kind: "duration",
    default: `${defaults.leaseDurationMs}ms`,
  },
  "report-interval": {
    env: "FLOTILLA_AGENT_REPORT_INTERVAL",
    kind: "duration",
    default: `${defaults.reportIntervalMs}ms`,
  },
  "health-threshold": {
    env: "FLOTILLA_AGENT_HEALTH_THRESHOLD",
    kind: "duration",
    default: `${defaults.healthThresholdMs}ms`,
  },
  ...servingFlags("FLOTILLA_AGENT", { metricsPort: true }),
} as const satisfies Record<string, FlagSpec>;

type Flag = keyof typeof agentFlags;

function crossChecks(config: Partial<AgentConfig>, problems: string[]): void {
  const { cluster, heartbeatIntervalMs: beat, leaseDurationMs: lease } = config;
  const nameProblem = cluster === undefined ? undefined : subdomainProblem(cluster);
  if (nameProblem !== undefined) problems.push(`--cluster "${cluster}": ${nameProblem}`);
  if (beat !== undefined && lease !== undefined && lease < 2 * beat)
    problems.push(
      `--lease-duration (${lease} ms) must be at least twice --heartbeat-interval (${beat} ms), ` +
        "so that one missed heartbeat does not expire the Lease",
    );
  if (lease !== undefined && lease % 1000 !== 0)
    problems.push(`--lease-duration must be whole seconds (Lease leaseDurationSeconds)`);
  hubCredentialChecks(config, problems);
}

/** Exactly one hub credential; a working token lifetime the TokenRequest API accepts. */
function hubCredentialChecks(config: Partial<AgentConfig>, problems: string[]): void {
  const { hubKubeconfig, hubBootstrapKubeconfig, hubTokenLifetimeMs: lifetime } = config;
  if ((hubKubeconfig === undefined) === (hubBootstrapKubeconfig === undefined))
    problems.push(
      "exactly one of --hub-kubeconfig (a hub kubeconfig with the agent's token) and " +
        "--hub-bootstrap-kubeconfig (the bootstrap credential that mints it) is required" +
        (hubKubeconfig === undefined ? "" : ", got both"),
    );
  if (lifetime !== undefined && (lifetime < MIN_HUB_TOKEN_LIFETIME_MS || lifetime % 1000 !== 0))
    problems.push(
      `--hub-token-lifetime (${lifetime} ms) must be whole seconds and at least 10m ` +
        "(the TokenRequest API's minimum)",
    );
}

/** Parses flags (`argv` without node and script) and environment; lists every problem. */
export function loadAgentConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): AgentConfig {
  const flags = readFlags<Flag>(agentFlags, env, argv);
  const optional = (name: Flag, key: string): Record<string, unknown> => {
    const value = flags.read(name);
    return value === undefined ? {} : { [key]: value };
  };
  const config = {
    ...optional("cluster", "cluster"),
    ...optional("kubeconfig", "kubeconfig"),
    ...optional("hub-kubeconfig", "hubKubeconfig"),
    ...optional("hub-bootstrap-kubeconfig", "hubBootstrapKubeconfig"),
    hubTokenLifetimeMs: flags.read("hub-token-lifetime"),
    heartbeatIntervalMs: flags.read("heartbeat-interval"),
    leaseDurationMs: flags.read("lease-duration"),
    reportIntervalMs: flags.read("report-interval"),
    healthThresholdMs: flags.read("health-threshold"),
    ...readServing(flags, { metricsPort: true }),
  } as Partial<AgentConfig>;
  crossChecks(config, flags.problems);
  if (flags.problems.length > 0)
    throw new InvalidInputError(`invalid agent configuration:\n- ${flags.problems.join("\n- ")}`);
  return config as AgentConfig;
}
