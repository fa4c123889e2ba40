/**
 * `startGateway(options)`: builds every dependency of the gateway against a hub and starts it
 * on one HTTPS listener. `main.ts` calls it with the parsed configuration; integration tests
 * call it in-process (with their own clock, impersonation setting or port 0).
 *
 * Start-up reads the hub's request-header settings (without them the aggregated path is off),
 * the token issuer (unless configured) and lists the cluster Secrets once; then the Secret
 * watch and the health probes run in the background until `close()`.
 */
import type { AddressInfo } from "node:net";
import { createGatewayApp } from "./app.js";
import { createAuthenticator } from "./authn/authenticate.js";
import { requestHeaderNames, type RequestHeaderConfig } from "./authn/request-header.js";
import { createTokenVerifier } from "./authn/token.js";
import { createAccessReviewAuthorizer } from "./authz/access-review.js";
import { errorText, jsonLogger, systemClock, type Clock, type Logger } from "./deps.js";
import { createHealthProber, type HealthProber } from "./health.js";
import { createHubClient, type HubClient } from "./hub.js";
import { createKubeClient } from "../core/kube/client.js";
import { resolveConnection, type ConnectionSource } from "../core/kube/connect.js";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.js";
import { createProxyPool } from "./proxy/pool.js";
import { probeReadyz } from "./proxy/probe.js";
import { createClusterCache, type ClusterCache } from "./registry/cluster-cache.js";
import { localClusterRecord } from "./registry/local-cluster.js";
import { watchClusterSecrets } from "./registry/secret-watch.js";
import { createGatewayServer } from "./server.js";

export interface StartGatewayOptions {
  /**
   * The gateway's own hub credential: a `KubeConnection` (`core/kube/connect.ts` loads one from a
   * kubeconfig file or the in-cluster ServiceAccount) or a kubeconfig object with
   * `exportConfig()` (a client-node `KubeConfig`, as tests hold).
   */
  readonly kubeConfig: ConnectionSource;
  readonly certPem: string;
  readonly keyPem: string;
  readonly host: string;
  readonly port: number;
  readonly audience: string;
  /** Default: the hub's discovery document. */
  readonly issuer?: string;
  readonly impersonate: boolean;
  readonly probeIntervalMs: number;
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
  close(): Promise<void>;
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

/** The request-header settings (undefined: aggregated path off) and the token issuer. */
async function readHubSettings(
  hub: HubClient,
  issuer: string | undefined,
  log: Logger,
): Promise<{ requestHeader: RequestHeaderConfig | undefined; issuer: string }> {
  const requestHeader = await readRequestHeader(hub, log);
  return { requestHeader, issuer: issuer ?? (await hub.issuer()) };
}

/** Starts the gateway; on failure, whatever was started is stopped and the error rethrown. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? jsonLogger((line) => process.stderr.write(line + "\n"), clock);
  const connection = resolveConnection(options.kubeConfig);
  const kube = createKubeClient(connection, {
    clock,
    name: "hub",
    userAgent: "flotilla-gateway",
    // The gateway's own credential: its callers must not see its 401/403 as theirs.
    credentialErrors: "upstream",
  });
  const hub = createHubClient(kube);
  const { requestHeader, issuer } = await readHubSettings(hub, options.issuer, log).catch(
    (error: unknown) => {
      kube.close();
      throw error;
    },
  );
  const tokens = createTokenVerifier({
    issuer,
    audience: options.audience,
    fetchJwks: () => hub.jwks(),
    clock,
  });
  const registry = createClusterCache(localClusterRecord(connection), log);
  const watch = watchClusterSecrets({ client: kube, sink: registry, log, clock });
  const pool = createProxyPool(log);
  registry.subscribe((name, record) => {
    if (record === undefined) pool.forget(name);
  });
  const health = createHealthProber({
    registry,
    probe: (record) => probeReadyz(pool.targetFor(record)),
    clock,
    intervalMs: options.probeIntervalMs,
    log,
  });
  const metrics = createGatewayMetrics();
  const gateway = createGatewayApp({
    log,
    metrics,
    health,
    registry,
    pool,
    impersonate: options.impersonate,
    authenticator: createAuthenticator({
      ...(requestHeader ? { requestHeader } : {}),
      tokens,
      clock,
    }),
    authorizer: createAccessReviewAuthorizer({
      review: (spec) => hub.review(spec),
      clock,
      ...(options.authorizationCacheTtlMs === undefined
        ? {}
        : { ttlMs: options.authorizationCacheTtlMs }),
    }),
    ...(requestHeader ? { requestHeaderNames: requestHeaderNames(requestHeader) } : {}),
    ready: () => watch.synced(),
  });
  const server = createGatewayServer(gateway, {
    certPem: options.certPem,
    keyPem: options.keyPem,
    ...(requestHeader ? { clientCaPem: requestHeader.clientCaPem } : {}),
  });
  const close = async (): Promise<void> => {
    health.stop();
    await watch.stop();
    await server.close();
    pool.close();
    kube.close();
  };
  try {
    await watch.start();
    health.start();
    const address = await server.listen(options.host, options.port);
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    log.info("gateway listening", {
      address: `${host}:${address.port}`,
      issuer,
      aggregation: !!requestHeader,
    });
    return {
      address,
      url: `https://${host}:${address.port}`,
      registry,
      health,
      metrics,
      aggregation: !!requestHeader,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
