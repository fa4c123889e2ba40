import { describe, expect, it } from "vitest";
import { createGatewayMetrics, gatewayMetricNames } from "./metrics.js";

describe("gateway metrics", () => {
  it("counts a request under Flotilla's and cluster-gateway's names", async () => {
    const metrics = createGatewayMetrics();
    const labels = { cluster: "member-1", verb: "list", resource: "pods", code: 200 };
    metrics.observeRequest(labels, 0.03);
    metrics.observeRequest({ ...labels, cluster: "member-2", code: 503 }, 0.5);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      `${gatewayMetricNames.requests}{cluster="member-1",verb="list",resource="pods",code="200"} 1`,
    );
    expect(text).toContain(`${gatewayMetricNames.ocmByCluster}{cluster="member-2",code="503"} 1`);
    expect(text).toContain(
      `${gatewayMetricNames.ocmByResource}{resource="pods",verb="list",code="200"} 1`,
    );
    expect(text).toMatch(
      /ocm_proxy_proxied_request_duration_seconds_bucket\{le="0.05",cluster="member-1",verb="list",resource="pods",code="200"\} 1/,
    );
  });
});
