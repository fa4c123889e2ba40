/**
 * The hub's small HTTP endpoints: `/metrics` (the process's prom-client Registry) on
 * `--metrics-bind-address`; on `--health-probe-bind-address`, `/healthz` and `/livez` (the
 * process runs) and `/readyz`: 200 once the controller's informers have listed, and 200
 * "standby" for a replica waiting for the leader Lease (it is healthy, just not working); 503
 * while starting. One server when both addresses are the same; nothing for one that is off.
 */
import type { Registry } from "prom-client";
import type { BindAddress } from "../core/config/bind-address.js";
import type { Logger } from "../core/controller/logger.js";
import {
  serveStatusEndpoints,
  type StatusAnswer,
  type StatusEndpoints,
} from "../core/controller/status-server.js";

export type HubReadiness = "ready" | "standby" | "starting";

export type MetricsServer = StatusEndpoints;

export interface MetricsServerOptions {
  readonly metricsBindAddress: BindAddress;
  readonly healthProbeBindAddress: BindAddress;
  readonly metrics: Registry;
  readonly readiness: () => HubReadiness;
  readonly log: Logger;
}

export function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const alive = (): StatusAnswer => [200, "ok"];
  return serveStatusEndpoints({
    metricsBindAddress: options.metricsBindAddress,
    healthProbeBindAddress: options.healthProbeBindAddress,
    log: options.log,
    metricsRoutes: { "/metrics": async () => [200, await options.metrics.metrics()] },
    probeRoutes: {
      "/healthz": alive,
      "/livez": alive,
      "/readyz": () => {
        const state = options.readiness();
        return [state === "starting" ? 503 : 200, state];
      },
    },
  });
}
