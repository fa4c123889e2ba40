import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { BUILD_INFO, processMetricNames, registerProcessMetrics } from "./process-metrics.js";

describe("registerProcessMetrics", () => {
  it("adds the default process and Node.js series and the build info", async () => {
    const registry = new Registry();
    registerProcessMetrics(registry, "1.2.3");
    const text = await registry.metrics();
    for (const name of processMetricNames) expect(text).toContain(`\n${name}`);
    expect(text).toContain(`${BUILD_INFO}{version="1.2.3"} 1`);
  });

  it("is a no-op the second time on the same registry", () => {
    const registry = new Registry();
    registerProcessMetrics(registry, "1");
    expect(() => registerProcessMetrics(registry, "1")).not.toThrow();
  });

  it("reads the version from package.json by default", async () => {
    const registry = new Registry();
    registerProcessMetrics(registry);
    const info = await registry.getSingleMetric(BUILD_INFO)?.get();
    expect(info?.values[0]?.labels.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
