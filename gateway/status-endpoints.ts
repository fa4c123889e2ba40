/**
 * The gateway's plain-HTTP endpoints, for a pod's probes and a Prometheus scrape that should
 * not need the gateway's TLS or authentication: `/metrics` on `--metrics-bind-address`,
 * `/healthz`, `/livez` (the process runs) and `/readyz` (the cluster registry has listed once)
 * on `--health-probe-bind-address`; one server when both are the same address, nothing for
 * one that is off (the default). The HTTPS port answers the same paths as well (app.ts).
 */
import type { BindAddress } from "../core/config/bind-address.js";
import {
  serveStatusEndpoints,
  type StatusAnswer,
  type StatusEndpoints,
} from "../core/controller/status-server.js";
import type { Logger } from "./deps.js";
import type { GatewayMetrics } from "./metrics.js";

export interface GatewayStatusOptions {
  readonly metricsBindAddress: BindAddress;
  readonly healthProbeBindAddress: BindAddress;
  readonly metrics: GatewayMetrics;
  readonly ready: () => boolean;
  readonly log: Logger;
}

export function serveGatewayStatus(options: GatewayStatusOptions): Promise<StatusEndpoints> {
  const alive = (): StatusAnswer => [200, "ok"];
  return serveStatusEndpoints({
    metricsBindAddress: options.metricsBindAddress,
    healthProbeBindAddress: options.healthProbeBindAddress,
    log: options.log,
    metricsRoutes: { "/metrics": async () => [200, await options.metrics.registry.metrics()] },
    probeRoutes: {
      "/healthz": alive,
      "/livez": alive,
      "/readyz": () =>
        options.ready() ? [200, "ok"] : [503, "not ready: cluster registry not synced"],
    },
  });
}
