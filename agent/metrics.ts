/**
 * The agent's metrics (its own prom-client Registry, house style §11) and its small HTTP
 * endpoints: `/metrics` on `--metrics-bind-address`; `/healthz`, `/livez` and `/readyz` on
 * `--health-probe-bind-address`, all three 200 while the last heartbeat succeeded within the
 * Lease duration, 503 otherwise, with the reason. One server when both addresses are the same;
 * nothing for one that is off.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { BindAddress } from "../core/config/bind-address.js";
import type { Logger } from "../core/controller/logger.js";
import {
  serveStatusEndpoints,
  type StatusAnswer,
  type StatusEndpoints,
} from "../core/controller/status-server.js";

export interface AgentMetrics {
  heartbeat(renewed: boolean, atMs: number): void;
  reportWrite(result: "written" | "unchanged" | "failed"): void;
  published(apiReady: boolean, ready: number, notReady: number): void;
}

export function agentMetrics(registry: Registry): AgentMetrics {
  const heartbeats = new Counter({
    name: "flotilla_agent_heartbeats_total",
    help: "Lease renewals attempted, by result (ok, error)",
    labelNames: ["result"],
    registers: [registry],
  });
  const lastBeat = new Gauge({
    name: "flotilla_agent_last_heartbeat_timestamp_seconds",
    help: "When the Lease was last renewed",
    registers: [registry],
  });
  const writes = new Counter({
    name: "flotilla_agent_report_writes_total",
    help: "Report publications, by result (written, failed); unchanged reports are not written",
    labelNames: ["result"],
    registers: [registry],
  });
  const apiReady = new Gauge({
    name: "flotilla_agent_api_ready",
    help: "1 when the published API readiness of the member is ready",
    registers: [registry],
  });
  const nodes = new Gauge({
    name: "flotilla_agent_nodes",
    help: "Nodes of the member by published readiness (ready, not_ready)",
    labelNames: ["state"],
    registers: [registry],
  });
  for (const result of ["ok", "error"]) heartbeats.inc({ result }, 0);
  for (const result of ["written", "failed"]) writes.inc({ result }, 0);
  return {
    heartbeat(renewed, atMs) {
      heartbeats.inc({ result: renewed ? "ok" : "error" });
      if (renewed) lastBeat.set(atMs / 1000);
    },
    reportWrite(result) {
      if (result !== "unchanged") writes.inc({ result });
    },
    published(ready, readyNodes, notReadyNodes) {
      apiReady.set(ready ? 1 : 0);
      nodes.set({ state: "ready" }, readyNodes);
      nodes.set({ state: "not_ready" }, notReadyNodes);
    },
  };
}

export type MetricsServer = StatusEndpoints;

export interface MetricsServerOptions {
  readonly metricsBindAddress: BindAddress;
  readonly healthProbeBindAddress: BindAddress;
  readonly registry: Registry;
  /** undefined when healthy, else why not. */
  readonly unhealthy: () => string | undefined;
  readonly log: Logger;
}

export function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  const heartbeat = (): StatusAnswer => {
    const problem = options.unhealthy();
    return problem === undefined ? [200, "ok"] : [503, problem];
  };
  return serveStatusEndpoints({
    metricsBindAddress: options.metricsBindAddress,
    healthProbeBindAddress: options.healthProbeBindAddress,
    log: options.log,
    metricsRoutes: { "/metrics": async () => [200, await options.registry.metrics()] },
    probeRoutes: { "/healthz": heartbeat, "/livez": heartbeat, "/readyz": heartbeat },
  });
}
