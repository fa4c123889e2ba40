/**
 * The flags every program shares for running in a pod (pure), with controller-runtime's names:
 * `--metrics-bind-address` (`/metrics`), `--health-probe-bind-address` (`/healthz`, `/livez`,
 * `/readyz`), `--log-level` and `--graceful-shutdown-timeout`. Both addresses are off unless
 * given. `--metrics-port N` (hub and agent) is kept for compatibility: it means both addresses
 * on `127.0.0.1:N`, and cannot be combined with either of them.
 */
import { logLevels, type LogLevel } from "../controller/logger.js";
import type { BindAddress } from "./bind-address.js";
import type { FlagSpec, FlagValues } from "./flags.js";

export interface ServingConfig {
  /** Where `/metrics` is served; "off" when not. */
  readonly metricsBindAddress: BindAddress;
  /** Where `/healthz`, `/livez` and `/readyz` are served; "off" when not. */
  readonly healthProbeBindAddress: BindAddress;
  /** Log lines below this level are dropped. */
  readonly logLevel: LogLevel;
  /** How long a SIGTERM/SIGINT shutdown may take before the process exits anyway. */
  readonly gracefulShutdownTimeoutMs: number;
}

export const servingDefaults = { logLevel: "info", gracefulShutdownTimeoutMs: 10_000 } as const;

type ServingFlag =
  "metrics-bind-address" | "health-probe-bind-address" | "log-level" | "graceful-shutdown-timeout";

/**
 * The shared flags of the program whose environment variables start with `prefix`
 * (`FLOTILLA_HUB`); with `metricsPort`, also the compatibility flag `--metrics-port`.
 */
export function servingFlags<P extends boolean>(
  prefix: string,
  options: { readonly metricsPort: P },
): Record<ServingFlag | (P extends true ? "metrics-port" : never), FlagSpec> {
  const flags: Record<string, FlagSpec> = {
    "metrics-bind-address": {
      env: `${prefix}_METRICS_BIND_ADDRESS`,
      kind: "bind-address",
      note: "/metrics; off when absent",
    },
    "health-probe-bind-address": {
      env: `${prefix}_HEALTH_PROBE_BIND_ADDRESS`,
      kind: "bind-address",
      note: "/healthz, /livez, /readyz; off when absent",
    },
    ...(options.metricsPort
      ? {
          "metrics-port": {
            env: `${prefix}_METRICS_PORT`,
            kind: "port",
            note: "kept for compatibility: both addresses on 127.0.0.1:<port>",
          } satisfies FlagSpec,
        }
      : {}),
    "log-level": {
      env: `${prefix}_LOG_LEVEL`,
      kind: "choice",
      choices: logLevels,
      default: servingDefaults.logLevel,
    },
    "graceful-shutdown-timeout": {
      env: `${prefix}_GRACEFUL_SHUTDOWN_TIMEOUT`,
      kind: "duration",
      default: `${servingDefaults.gracefulShutdownTimeoutMs / 1000}s`,
      note: "then exit anyway (code 1)",
    },
  };
  return flags;
}

/**
 * The shared settings from flags read against `servingFlags` with the same `metricsPort`
 * (problems go to `flags.problems`).
 */
export function readServing(
  flags: FlagValues<string>,
  options: { readonly metricsPort: boolean },
): ServingConfig {
  const address = (name: ServingFlag): BindAddress =>
    (flags.read(name) as BindAddress | undefined) ?? "off";
  const portGiven = options.metricsPort && flags.given("metrics-port");
  const port = portGiven ? flags.read("metrics-port") : undefined;
  const shorthand: BindAddress | undefined =
    typeof port === "number" ? { host: "127.0.0.1", port } : undefined;
  const both = ["metrics-bind-address", "health-probe-bind-address"] as const;
  const conflicting = both.filter((name) => flags.given(name));
  if (portGiven && conflicting.length > 0)
    flags.problems.push(
      `--metrics-port cannot be combined with --${conflicting.join(" or --")}: ` +
        "it is the old shorthand for both on 127.0.0.1:<port>",
    );
  return {
    metricsBindAddress: shorthand ?? address("metrics-bind-address"),
    healthProbeBindAddress: shorthand ?? address("health-probe-bind-address"),
    logLevel: (flags.read("log-level") as LogLevel | undefined) ?? servingDefaults.logLevel,
    gracefulShutdownTimeoutMs:
      (flags.read("graceful-shutdown-timeout") as number | undefined) ??
      servingDefaults.gracefulShutdownTimeoutMs,
  };
}
