/**
 * The gateway's metrics, in its own prom-client Registry (no global default registry). Each
 * proxied request is counted twice, under two families of names:
 *
 * - Flotilla's: `flotilla_gateway_requests_total` and
 *   `flotilla_gateway_request_duration_seconds`, labelled with the cluster, the member-side verb
 *   and resource of the proxied path, and the HTTP code; buckets up to 30 min, for watches.
 * - cluster-gateway's (oam-dev/cluster-gateway `pkg/metrics/proxy.go`), so dashboards and
 *   alerts written for KubeVela's gateway work unchanged:
 *   `ocm_proxy_proxied_request_duration_seconds{resource,verb,cluster,code}`,
 *   `ocm_proxy_proxied_requests_by_cluster_total{cluster,code}` and
 *   `ocm_proxy_proxied_resource_requests_by_resource_total{resource,verb,code}`, with
 *   cluster-gateway's buckets (up to 30 s).
 *
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

/** Every metric name the gateway registers (besides the process ones). */
export const gatewayMetricNames = {
  requests: "flotilla_gateway_requests_total",
  duration: "flotilla_gateway_request_duration_seconds",
  ocmDuration: "ocm_proxy_proxied_request_duration_seconds",
  ocmByCluster: "ocm_proxy_proxied_requests_by_cluster_total",
  ocmByResource: "ocm_proxy_proxied_resource_requests_by_resource_total",
} as const;

const labelNames = ["cluster", "verb", "resource", "code"] as const;

function flotillaFamily(registry: Registry) {
  const registers = [registry];
  const total = new Counter({
    name: gatewayMetricNames.requests,
    help: "Requests handled by the cluster gateway, by cluster, verb, resource and HTTP code.",
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: gatewayMetricNames.duration,
    help: "Time from receiving a gateway request until its response (or stream) ended.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers,
  });
  return { total, duration };
}

function ocmFamily(registry: Registry) {
  const registers = [registry];
  const duration = new Histogram({
    name: gatewayMetricNames.ocmDuration,
    help: "Cluster proxy request time cost (cluster-gateway's name).",
    labelNames: ["resource", "verb", "cluster", "code"],
    buckets: [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
    registers,
  });
  const byCluster = new Counter({
    name: gatewayMetricNames.ocmByCluster,
    help: "Proxied requests by cluster and HTTP code (cluster-gateway's name).",
    labelNames: ["cluster", "code"],
    registers,
  });
  const byResource = new Counter({
    name: gatewayMetricNames.ocmByResource,
    help: "Proxied requests by resource, verb and HTTP code (cluster-gateway's name).",
    labelNames: ["resource", "verb", "code"],
    registers,
  });
  return { duration, byCluster, byResource };
}

export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics {
  const ours = flotillaFamily(registry);
  const ocm = ocmFamily(registry);
  return {
    registry,
    observeRequest(labels, seconds) {
      const values = { ...labels, code: String(labels.code) };
      ours.total.inc(values);
      ours.duration.observe(values, seconds);
      ocm.duration.observe(values, seconds);
      ocm.byCluster.inc({ cluster: values.cluster, code: values.code });
      ocm.byResource.inc({ resource: values.resource, verb: values.verb, code: values.code });
    },
  };
}
