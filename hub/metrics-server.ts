/**
 * The hub's small HTTP endpoint on 127.0.0.1: `/metrics` (the process's prom-client
 * Registry), `/healthz` (the process runs) and `/readyz`: 200 once the controller's informers
 * have listed, and 200 "standby" for a replica waiting for the leader Lease (it is healthy,
 * just not working); 503 while starting. Off when no port is configured.
 */
import type { Registry } from "prom-client";
import type { Logger } from "../core/controller/logger.js";
import { serveStatus, type StatusServer } from "../core/controller/status-server.js";

export type HubReadiness = "ready" | "standby" | "starting";

export type MetricsServer = StatusServer;

export interface MetricsServerOptions {
  readonly port?: number;
  readonly metrics: Registry;
  readonly readiness: () => HubReadiness;
  readonly log: Logger;
}

export async function serveMetrics(
  options: MetricsServerOptions,
): Promise<MetricsServer | undefined> {
  if (options.port === undefined) return undefined;
  return serveStatus({
    port: options.port,
    log: options.log,
    routes: {
      "/healthz": () => [200, "ok"],
      "/readyz": () => {
        const state = options.readiness();
        return [state === "starting" ? 503 : 200, state];
      },
      "/metrics": async () => [200, await options.metrics.metrics()],
    },
  });
}
