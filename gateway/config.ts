/**
 * The gateway's configuration, parsed once at the edge (house style §10): command-line flags
 * win over `FLOTILLA_GATEWAY_*` environment variables, which win over defaults. Every problem
 * is reported at once in one `InvalidInputError`. Nothing here reads files.
 */
import { parseDuration, readFlags, type FlagSpec, type FlagValue } from "../core/config/flags.js";
import { readServing, servingFlags, type ServingConfig } from "../core/config/serving.js";
import { InvalidInputError } from "../core/errors.js";

/**
 * The gateway's settings. `/healthz`, `/livez`, `/readyz` and `/metrics` are always served on
 * the HTTPS port (an aggregated API server is probed there); the shared serving settings add
 * the plain-HTTP metrics and probe addresses (off unless given), the log level and the
 * shutdown bound.
 */
export interface GatewayConfig extends ServingConfig {
  /** Hub kubeconfig; undefined means in-cluster configuration. */
  readonly kubeconfig?: string;
  readonly host: string;
  readonly port: number;
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  /** Audience standalone bearer tokens must carry. */
  readonly audience: string;
  /** Token issuer; undefined means the hub's `/.well-known/openid-configuration`. */
  readonly issuer?: string;
  /** Present callers to members with Impersonate-* headers (default off). */
  readonly impersonate: boolean;
  readonly probeIntervalMs: number;
  readonly authorizationCacheTtlMs: number;
}

/**
 * The gateway's defaults, in one place: the flag table below and `startGateway`'s fallbacks
 * (`start.ts`) both read them.
 */
export const defaults = {
  host: "127.0.0.1",
  port: 9443,
  audience: "flotilla-gateway",
  impersonate: false,
  probeIntervalMs: 30_000,
  authorizationCacheTtlMs: 10_000,
} as const;

/** Every flag: its environment variable, kind and default (durations in milliseconds). */
export const gatewayFlags = {
  kubeconfig: { env: "KUBECONFIG", kind: "string" },
  "listen-host": { env: "FLOTILLA_GATEWAY_LISTEN_HOST", kind: "string", default: defaults.host },
  port: { env: "FLOTILLA_GATEWAY_PORT", kind: "port", default: String(defaults.port) },
  "tls-cert-file": { env: "FLOTILLA_GATEWAY_TLS_CERT_FILE", kind: "string", required: true },
  "tls-key-file": { env: "FLOTILLA_GATEWAY_TLS_KEY_FILE", kind: "string", required: true },
  audience: { env: "FLOTILLA_GATEWAY_AUDIENCE", kind: "string", default: defaults.audience },
  issuer: { env: "FLOTILLA_GATEWAY_ISSUER", kind: "string" },
  impersonate: {
    env: "FLOTILLA_GATEWAY_IMPERSONATE",
    kind: "boolean",
    default: String(defaults.impersonate),
  },
  "probe-interval": {
    env: "FLOTILLA_GATEWAY_PROBE_INTERVAL",
    kind: "duration",
    default: `${defaults.probeIntervalMs}ms`,
  },
  "authorization-cache-ttl": {
    env: "FLOTILLA_GATEWAY_AUTHZ_CACHE_TTL",
    kind: "duration",
    default: `${defaults.authorizationCacheTtlMs}ms`,
  },
  ...servingFlags("FLOTILLA_GATEWAY", { metricsPort: false }),
} as const satisfies Record<string, FlagSpec>;

type Flag = keyof typeof gatewayFlags;

export { parseDuration };

/**
 * Parses flags (`argv` without node and script) and environment into the configuration;
 * `InvalidInputError` lists every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): GatewayConfig {
  const flags = readFlags<Flag>(gatewayFlags, env, argv);
  const { problems } = flags;
  const read = (name: Flag): FlagValue | undefined => flags.read(name);
  const optional = (name: Flag, key: string): Record<string, unknown> => {
    const value = read(name);
    return value === undefined ? {} : { [key]: value };
  };
  const config = {
    ...optional("kubeconfig", "kubeconfig"),
    host: read("listen-host"),
    port: read("port"),
    tlsCertFile: read("tls-cert-file"),
    tlsKeyFile: read("tls-key-file"),
    audience: read("audience"),
    ...optional("issuer", "issuer"),
    impersonate: read("impersonate"),
    probeIntervalMs: read("probe-interval"),
    authorizationCacheTtlMs: read("authorization-cache-ttl"),
    ...readServing(flags, { metricsPort: false }),
  };
  if (problems.length > 0) {
    throw new InvalidInputError(`invalid gateway configuration:\n- ${problems.join("\n- ")}`);
  }
  return config as unknown as GatewayConfig;
}
