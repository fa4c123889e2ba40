/**
 * The hub's small HTTP endpoint on 127.0.0.1: `/metrics` (the controller's prom-client
 * Registry), `/healthz` (the process runs) and `/readyz` (every informer has listed). Off
 * when no port is configured.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../core/controller/logger.js";
import type { RunningHub } from "./start.js";

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  readonly port?: number;
  /** The running hub, once started. */
  readonly hub: () => RunningHub | undefined;
  readonly log: Logger;
}

async function answer(options: MetricsServerOptions, url: string): Promise<[number, string]> {
  const hub = options.hub();
  if (url === "/healthz") return [200, "ok"];
  if (url === "/readyz") return hub?.synced() === true ? [200, "ok"] : [503, "not synced"];
  if (url === "/metrics" && hub !== undefined) return [200, await hub.metrics.metrics()];
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
