/**
 * `startGateway(options)`: builds every dependency of the gateway against a hub and starts it
 * on one HTTPS listener. `main.ts` calls it with the parsed configuration; integration tests
 * call it in-process (with their own clock, impersonation setting or port 0). Settings left
 * out take the program's defaults (`config.ts`).
 *
 * Start-up reads the hub's request-header settings (without them the aggregated path is off),
 * the token issuer (unless configured) and lists the cluster Secrets once; then the Secret
 * watch and the health probes run in the background until `close()`.
 */
import type { AddressInfo } from "node:net";
import { registerProcessMetrics } from "../core/controller/process-metrics.js";
import { createKubeClient, type KubeClient } from "../core/kube/client.js";
import { resolveConnection, type ConnectionSource } from "../core/kube/connect.js";
import type { KubeConnection } from "../core/kube/connection.js";
import { createGatewayApp, type GatewayApp } from "./app.js";
import { createAuthenticator } from "./authn/authenticate.js";
import { requestHeaderNames, type RequestHeaderConfig } from "./authn/request-header.js";
import { createTokenVerifier } from "./authn/token.js";
import { createAccessReviewAuthorizer } from "./authz/access-review.js";
import { defaults } from "./config.js";
import { errorText, jsonLogger, systemClock, type Clock, type Logger } from "./deps.js";
import { createHealthProber, type HealthProber } from "./health.js";
import { createHubClient, type HubClient } from "./hub.js";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.js";
import { createProxyPool, type ProxyPool } from "./proxy/pool.js";
import { probeReadyz } from "./proxy/probe.js";
import {
  createClusterCache,
  type ClusterCache,
  type SecretSink,
} from "./registry/cluster-cache.js";
import { localClusterRecord } from "./registry/local-cluster.js";
import { watchClusterSecrets, type SecretWatch } from "./registry/secret-watch.js";
import { createGatewayServer, type GatewayServer } from "./server.js";

export interface StartGatewayOptions {
  /**
   * The gateway's own hub credential: a `KubeConnection` (`core/kube/connect.ts` loads one
   * from a kubeconfig file or the in-cluster ServiceAccount) or a kubeconfig object with
   * `exportConfig()` (a client-node `KubeConfig`, as tests hold).
   */
  readonly kubeConfig: ConnectionSource;
  readonly certPem: string;
  readonly keyPem: string;
  /** Default `defaults.host` (config.ts), as every setting below. */
  readonly host?: string;
  readonly port?: number;
  readonly audience?: string;
  /** Default: the hub's discovery document. */
  readonly issuer?: string;
  readonly impersonate?: boolean;
  readonly probeIntervalMs?: number;
  readonly authorizationCacheTtlMs?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export interface RunningGateway {
  readonly address: AddressInfo;
  /** `https://<host>:<port>` */
  readonly url: string;
  readonly registry: ClusterCache;
  readonly health: HealthProber;
  readonly metrics: GatewayMetrics;
  /** Whether the aggregated path is on (the hub's request-header CA was read). */
  readonly aggregation: boolean;
  /** Readiness, as `/readyz` answers it: the cluster registry has listed once. */
  ready(): boolean;
  /**
   * Stops listening, lets requests in flight finish for up to `drainMs` (default 0; watches
   * and upgraded streams close at once), then stops the watch, probes, proxies and clients.
   */
  close(options?: { readonly drainMs?: number }): Promise<void>;
}

/** What start-up reads from the hub. */
interface HubSettings {
  /** Undefined: the aggregated path is off. */
  readonly requestHeader: RequestHeaderConfig | undefined;
  readonly issuer: string;
}

/** The hub, with the gateway's own credential. */
interface Hub {
  readonly connection: KubeConnection;
  readonly kube: KubeClient;
  readonly api: HubClient;
}

/** The clusters the gateway serves: the registry, its Secret watch, proxies and probes. */
interface Clusters {
  readonly registry: ClusterCache & SecretSink;
  readonly watch: SecretWatch;
  readonly pool: ProxyPool;
  readonly health: HealthProber;
}

interface Context {
  readonly options: StartGatewayOptions;
  readonly clock: Clock;
  readonly log: Logger;
}

async function readRequestHeader(
  hub: HubClient,
  log: Logger,
): Promise<RequestHeaderConfig | undefined> {
  try {
    const config = await hub.requestHeaderConfig();
    if (config === undefined) log.warn("the hub has no request-header CA: aggregated path off");
    return config;
  } catch (error) {
    log.warn("cannot read the hub's request-header settings: aggregated path off", {
      error: errorText(error),
    });
    return undefined;
  }
}

/** The request-header settings and the token issuer; the client is closed on failure. */
async function readHubSettings(hub: Hub, { options, log }: Context): Promise<HubSettings> {
  try {
    const requestHeader = await readRequestHeader(hub.api, log);
    return { requestHeader, issuer: options.issuer ?? (await hub.api.issuer()) };
  } catch (error) {
    hub.kube.close();
    throw error;
  }
}

function connectHub({ options, clock }: Context): Hub {
  const connection = resolveConnection(options.kubeConfig);
  const kube = createKubeClient(connection, {
    clock,
    name: "hub",
    userAgent: "flotilla-gateway",
    // The gateway's own credential: its callers must not see its 401/403 as theirs.
    credentialErrors: "upstream",
  });
  return { connection, kube, api: createHubClient(kube) };
}

function trackClusters(hub: Hub, { options, clock, log }: Context): Clusters {
  const registry = createClusterCache(localClusterRecord(hub.connection), log);
  const watch = watchClusterSecrets({ client: hub.kube, sink: registry, log, clock });
  const pool = createProxyPool(log);
  registry.subscribe((name, record) => {
    if (record === undefined) pool.forget(name);
  });
  const health = createHealthProber({
    registry,
    probe: (record) => probeReadyz(pool.targetFor(record)),
    clock,
    intervalMs: options.probeIntervalMs ?? defaults.probeIntervalMs,
    log,
  });
  return { registry, watch, pool, health };
}

function buildApp(
  context: Context,
  hub: HubClient,
  settings: HubSettings,
  clusters: Clusters,
): { app: GatewayApp; metrics: GatewayMetrics } {
  const { options, clock, log } = context;
  const { requestHeader, issuer } = settings;
  const fetchJwks = (): ReturnType<HubClient["jwks"]> => hub.jwks();
  const tokens = createTokenVerifier({ issuer, audience: audienceOf(options), fetchJwks, clock });
  const metrics = createGatewayMetrics();
  registerProcessMetrics(metrics.registry);
  const app = createGatewayApp({
    log,
    metrics,
    health: clusters.health,
    registry: clusters.registry,
    pool: clusters.pool,
    impersonate: options.impersonate ?? defaults.impersonate,
    authenticator: createAuthenticator({
      ...(requestHeader ? { requestHeader } : {}),
      tokens,
      clock,
    }),
    authorizer: createAccessReviewAuthorizer({
      review: (spec) => hub.review(spec),
      clock,
      ttlMs: options.authorizationCacheTtlMs ?? defaults.authorizationCacheTtlMs,
    }),
    ...(requestHeader ? { requestHeaderNames: requestHeaderNames(requestHeader) } : {}),
    ready: () => clusters.watch.synced(), // as RunningGateway.ready
  });
  return { app, metrics };
}

const audienceOf = (options: StartGatewayOptions): string => options.audience ?? defaults.audience;

/** Starts the watch and the probes, then listens; resolves with the bound address. */
async function run(
  server: GatewayServer,
  clusters: Clusters,
  { options, log }: Context,
  settings: HubSettings,
): Promise<AddressInfo> {
  await clusters.watch.start();
  clusters.health.start();
  const address = await server.listen(options.host ?? defaults.host, options.port ?? defaults.port);
  log.info("gateway listening", {
    address: `${hostOf(address)}:${address.port}`,
    issuer: settings.issuer,
    aggregation: !!settings.requestHeader,
  });
  return address;
}

const hostOf = (address: AddressInfo): string =>
  address.family === "IPv6" ? `[${address.address}]` : address.address;

/** Starts the gateway; on failure, whatever was started is stopped and the error rethrown. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? jsonLogger((line) => process.stderr.write(line + "\n"), clock);
  const context: Context = { options, clock, log };
  const hub = connectHub(context);
  const settings = await readHubSettings(hub, context);
  const clusters = trackClusters(hub, context);
  const { app, metrics } = buildApp(context, hub.api, settings, clusters);
  const { requestHeader } = settings;
  const server = createGatewayServer(app, {
    certPem: options.certPem,
    keyPem: options.keyPem,
    ...(requestHeader ? { clientCaPem: requestHeader.clientCaPem } : {}),
  });
  const close = async (closing: { readonly drainMs?: number } = {}): Promise<void> => {
    // Requests in flight still use the registry and the proxies: they go last.
    await server.close(closing);
    clusters.health.stop();
    await clusters.watch.stop();
    clusters.pool.close();
    hub.kube.close();
  };
  const address = await run(server, clusters, context, settings).catch(async (error: unknown) => {
    await close();
    throw error;
  });
  const { registry, health } = clusters;
  const url = `https://${hostOf(address)}:${address.port}`;
  const ready = (): boolean => clusters.watch.synced();
  return { address, url, registry, health, metrics, aggregation: !!requestHeader, ready, close };
}
