/**
 * The gateway's metrics, in its own prom-client Registry (no global default registry):
 * `flotilla_gateway_requests_total` and `flotilla_gateway_request_duration_seconds`, labelled
 * with the cluster, the member-side verb and resource of the proxied path, and the HTTP code.
 * A watch or an upgraded connection is observed once, when it ends.
 */
import { Counter, Histogram, Registry } from "prom-client";

export interface RequestLabels {
  readonly cluster: string;
  readonly verb: string;
  readonly resource: string;
  readonly code: number;
}

export interface GatewayMetrics {
  readonly registry: Registry;
  observeRequest(labels: RequestLabels, seconds: number): void;
}

const labelNames = ["cluster", "verb", "resource", "code"] as const;

export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics {
  const total = new Counter({
    name: "flotilla_gateway_requests_total",
    help: "Requests handled by the cluster gateway, by cluster, verb, resource and HTTP code.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "flotilla_gateway_request_duration_seconds",
    help: "Time from receiving a gateway request until its response (or stream) ended.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  return {
    registry,
    observeRequest(labels, seconds) {
      const values = { ...labels, code: String(labels.code) };
      total.inc(values);
      duration.observe(values, seconds);
    },
  };
}
