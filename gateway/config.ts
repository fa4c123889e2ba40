/**
 * The gateway's configuration, parsed once at the edge (house style §10): command-line flags
 * win over `FLOTILLA_GATEWAY_*` environment variables, which win over defaults. Every problem
 * is reported at once in one `InvalidInputError`. Nothing here reads files.
 */
import { parseArgs } from "node:util";
import { InvalidInputError } from "../core/errors.js";

export interface GatewayConfig {
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

type Kind = "string" | "port" | "boolean" | "duration";

interface FlagSpec {
  readonly env: string;
  readonly kind: Kind;
  readonly default?: string;
  readonly required?: boolean;
}

/** Every flag: its environment variable, kind and default. */
export const gatewayFlags = {
  kubeconfig: { env: "KUBECONFIG", kind: "string" },
  "listen-host": { env: "FLOTILLA_GATEWAY_LISTEN_HOST", kind: "string", default: "127.0.0.1" },
  port: { env: "FLOTILLA_GATEWAY_PORT", kind: "port", default: "9443" },
  "tls-cert-file": { env: "FLOTILLA_GATEWAY_TLS_CERT_FILE", kind: "string", required: true },
  "tls-key-file": { env: "FLOTILLA_GATEWAY_TLS_KEY_FILE", kind: "string", required: true },
  audience: { env: "FLOTILLA_GATEWAY_AUDIENCE", kind: "string", default: "flotilla-gateway" },
  issuer: { env: "FLOTILLA_GATEWAY_ISSUER", kind: "string" },
  impersonate: { env: "FLOTILLA_GATEWAY_IMPERSONATE", kind: "boolean", default: "false" },
  "probe-interval": { env: "FLOTILLA_GATEWAY_PROBE_INTERVAL", kind: "duration", default: "30s" },
  "authorization-cache-ttl": {
    env: "FLOTILLA_GATEWAY_AUTHZ_CACHE_TTL",
    kind: "duration",
    default: "10s",
  },
} as const satisfies Record<string, FlagSpec>;

type Flag = keyof typeof gatewayFlags;

/** Milliseconds of a duration such as `500ms`, `30s`, `5m`, `1h` (pure); undefined if invalid. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) return undefined;
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as "ms" | "s" | "m" | "h"];
  return Math.round(Number(match[1]) * unit);
}

const converters: Record<Kind, (raw: string) => string | number | boolean | undefined> = {
  string: (raw) => raw,
  port: (raw) => (/^\d{1,5}$/.test(raw) && Number(raw) <= 65535 ? Number(raw) : undefined),
  boolean: (raw) => ({ true: true, "1": true, false: false, "0": false })[raw.toLowerCase()],
  duration: (raw) => {
    const ms = parseDuration(raw);
    return ms !== undefined && ms > 0 ? ms : undefined;
  },
};

function parseFlags(argv: readonly string[], problems: string[]): Record<string, unknown> {
  const options = Object.fromEntries(
    Object.entries(gatewayFlags).map(([name, spec]) => [
      name,
      { type: spec.kind === "boolean" ? ("boolean" as const) : ("string" as const) },
    ]),
  );
  try {
    return parseArgs({ args: [...argv], options, strict: true }).values;
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return {};
  }
}

/**
 * Parses flags (`argv` without node and script) and environment into the configuration;
 * `InvalidInputError` lists every problem.
 */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[]): GatewayConfig {
  const problems: string[] = [];
  const given = parseFlags(argv, problems);
  const read = (name: Flag): string | number | boolean | undefined => {
    const spec: FlagSpec = gatewayFlags[name];
    const flag = given[name];
    if (typeof flag === "boolean") return flag;
    const raw = typeof flag === "string" ? flag : (env[spec.env] ?? spec.default);
    if (raw === undefined || raw === "") {
      if (spec.required === true) problems.push(`--${name} (or ${spec.env}) is required`);
      return undefined;
    }
    const value = converters[spec.kind](raw);
    if (value === undefined)
      problems.push(`--${name} (or ${spec.env}): invalid ${spec.kind} "${raw}"`);
    return value;
  };
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
  };
  if (problems.length > 0) {
    throw new InvalidInputError(`invalid gateway configuration:\n- ${problems.join("\n- ")}`);
  }
  return config as unknown as GatewayConfig;
}
