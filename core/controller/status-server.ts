/**
 * A process's small plain-text HTTP endpoints (`/metrics`, `/healthz`, `/livez`, `/readyz`, as
 * each program defines them), shared by the hub and the agent (the gateway serves the same paths
 * in its own app). `serveStatus` is one server on one address; `serveStatusEndpoints` puts the
 * metrics routes on `--metrics-bind-address` and the probe routes on
 * `--health-probe-bind-address`, one server when both are the same address. Each route answers
 * a status code and a body; any other path is 404.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  formatAddress,
  sameAddress,
  type BindAddress,
  type ListenAddress,
} from "../config/bind-address.js";
import type { Logger } from "./logger.js";

export type StatusAnswer = readonly [code: number, body: string];

export type StatusRoutes = Readonly<Record<string, () => StatusAnswer | Promise<StatusAnswer>>>;

export interface StatusServer {
  /** The bound port (the one picked for port 0). */
  readonly port: number;
  /** `http://<host>:<port>` as bound (`[::]` or `0.0.0.0` for every interface). */
  readonly url: string;
  close(): Promise<void>;
}

export interface StatusServerOptions {
  /** Host "" listens on every interface; port 0 picks a free port. */
  readonly address: ListenAddress;
  /** Path → answer, e.g. `"/metrics": async () => [200, await registry.metrics()]`. */
  readonly routes: StatusRoutes;
  readonly log: Logger;
}

export async function serveStatus(options: StatusServerOptions): Promise<StatusServer> {
  const answer = async (url: string): Promise<StatusAnswer> => {
    const path = url.split("?")[0] ?? "";
    const route = Object.hasOwn(options.routes, path) ? options.routes[path] : undefined;
    return route === undefined ? [404, "not found"] : route();
  };
  const server = http.createServer((req, res) => {
    void answer(req.url ?? "")
      .catch((error: unknown): StatusAnswer => [500, String(error)])
      .then(([code, body]) => {
        res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8" });
        res.end(body);
      });
  });
  const { host, port: wanted } = options.address;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new Error(`cannot listen on ${formatAddress(options.address)}: ${error.message}`)),
    );
    // No host: every interface, IPv6 and IPv4 where the host has both (as Go's ":port").
    if (host === "") server.listen(wanted, resolve);
    else server.listen(wanted, host, resolve);
  });
  const bound = server.address() as AddressInfo;
  const url = `http://${formatAddress({ host: bound.address, port: bound.port })}`;
  options.log.info("serving status endpoints", { url, paths: Object.keys(options.routes) });
  return {
    port: bound.port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface StatusEndpointsOptions {
  readonly metricsBindAddress: BindAddress;
  readonly healthProbeBindAddress: BindAddress;
  /** Served on the metrics address (`/metrics`). */
  readonly metricsRoutes: StatusRoutes;
  /** Served on the probe address (`/healthz`, `/livez`, `/readyz`). */
  readonly probeRoutes: StatusRoutes;
  readonly log: Logger;
}

export interface StatusEndpoints {
  /** The metrics server's URL; undefined when off. */
  readonly metricsUrl?: string;
  /** The probe server's URL (the same as `metricsUrl` when shared); undefined when off. */
  readonly probesUrl?: string;
  close(): Promise<void>;
}

/** Serves the metrics and probe routes on their addresses; nothing for an address that is off. */
export async function serveStatusEndpoints(
  options: StatusEndpointsOptions,
): Promise<StatusEndpoints> {
  const { metricsBindAddress: metrics, healthProbeBindAddress: probes, log } = options;
  if (sameAddress(metrics, probes)) {
    const routes = { ...options.probeRoutes, ...options.metricsRoutes };
    const server = await serveStatus({ address: metrics as ListenAddress, routes, log });
    return { metricsUrl: server.url, probesUrl: server.url, close: () => server.close() };
  }
  const servers: StatusServer[] = [];
  const start = async (address: BindAddress, routes: StatusRoutes) => {
    if (address === "off") return undefined;
    const server = await serveStatus({ address, routes, log });
    servers.push(server);
    return server.url;
  };
  const close = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.close()));
  };
  try {
    const metricsUrl = await start(metrics, options.metricsRoutes);
    const probesUrl = await start(probes, options.probeRoutes);
    return {
      ...(metricsUrl === undefined ? {} : { metricsUrl }),
      ...(probesUrl === undefined ? {} : { probesUrl }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
