/**
 * The hub's small HTTP endpoint on 127.0.0.1: `/metrics` (the process's prom-client
 * Registry), `/healthz` (the process runs) and `/readyz`: 200 once the controller's informers
 * have listed, and 200 "standby" for a replica waiting for the leader Lease (it is healthy,
 * just not working); 503 while starting. Off when no port is configured.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "../core/controller/logger.js";

export type HubReadiness = "ready" | "standby" | "starting";

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly port?: number;
  readonly metrics: Registry;
  readonly readiness: () => HubReadiness;
  readonly log: Logger;
}

async function answer(options: MetricsServerOptions, url: string): Promise<[number, string]> {
  if (url === "/healthz") return [200, "ok"];
  if (url === "/readyz") {
    const state = options.readiness();
    return [state === "starting" ? 503 : 200, state];
  }
  if (url === "/metrics") return [200, await options.metrics.metrics()];
  return [404, "not found"];
}

export async function serveMetrics(
  options: MetricsServerOptions,
): Promise<MetricsServer | undefined> {
  if (options.port === undefined) return undefined;
  const server = http.createServer((req, res) => {
    void answer(options, req.url ?? "").then(([code, body]) => {
      res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  options.log.info("serving metrics", { url: `http://127.0.0.1:${port}/metrics` });
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
