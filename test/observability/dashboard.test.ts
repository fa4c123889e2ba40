/**
 * The Grafana dashboard (charts/flotilla/dashboards/flotilla.json) queries only metrics the
 * programs register: renaming a metric without fixing the dashboard fails here. The names are
 * read from real registries built as the hub, the gateway and the agent build theirs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { agentMetrics } from "../../agent/metrics.js";
import { assetRoot } from "../../core/assets.js";
import { controllerMetrics } from "../../core/controller/metrics.js";
import { registerProcessMetrics } from "../../core/controller/process-metrics.js";
import { createGatewayMetrics } from "../../gateway/metrics.js";
import { hubMetrics } from "../../hub/metrics/hub-metrics.js";

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: ReadonlyArray<{ readonly expr: string }>;
  readonly datasource?: { readonly uid: string };
}

const dashboard = JSON.parse(
  readFileSync(path.join(assetRoot(), "charts/flotilla/dashboards/flotilla.json"), "utf8"),
) as { panels: Panel[]; templating: { list: Array<{ name: string; type: string }> } };

/** PromQL words that are not metric names. */
const promql = new Set(
  "sum by without on ignoring group_left group_right rate irate increase histogram_quantile count avg min max topk bottomk and or unless bool offset label_values".split(
    " ",
  ),
);

/** The metric names in `expr`: identifiers outside matchers, ranges, strings and `by (...)`. */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, "")
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, "");
  const words = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return words.filter((w) => !promql.has(w));
}

async function registeredNames(): Promise<Set<string>> {
  const hub = new Registry();
  hubMetrics(hub, { apps: () => [], clusters: () => [] });
  controllerMetrics(hub, "application");
  registerProcessMetrics(hub, "test");
  const agent = new Registry();
  agentMetrics(agent);
  const registries = [hub, createGatewayMetrics().registry, agent];
  const metrics = (await Promise.all(registries.map((r) => r.getMetricsAsJSON()))).flat();
  const names = new Set<string>();
  for (const metric of metrics) {
    const suffixes = String(metric.type) === "histogram" ? ["", "_bucket", "_sum", "_count"] : [""];
    for (const suffix of suffixes) names.add(metric.name + suffix);
  }
  return names;
}

describe("Grafana dashboard", () => {
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it("reads the metric names out of PromQL", () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, cluster) (rate(x_bucket{verb!="watch"}[5m])))',
      ),
    ).toEqual(["x_bucket"]);
    expect(metricNamesIn("a / b == 0")).toEqual(["a", "b"]);
  });

  it("queries only metrics the programs register", async () => {
    const known = await registeredNames();
    const unknown = queries.flatMap(metricNamesIn).filter((name) => !known.has(name));
    expect(unknown).toEqual([]);
    expect(queries.length).toBeGreaterThan(20);
  });

  it("has a Prometheus data source variable every panel uses", () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: "datasource", type: "datasource" }),
    );
    const panels = dashboard.panels.filter((p) => p.type !== "row");
    for (const panel of panels) expect(panel.datasource?.uid, panel.title).toBe("${datasource}");
  });

  it("covers every area the hub, gateway and agents report", () => {
    const used = new Set(queries.flatMap(metricNamesIn));
    for (const name of [
      "flotilla_reconcile_total",
      "application_phase_number",
      "cluster_isconnected",
      "cluster_cpu_allocatable",
      "flotilla_dispatch_duration_seconds_bucket",
      "flotilla_workflow_step_duration_seconds_bucket",
      "flotilla_gateway_request_duration_seconds_bucket",
      "process_resident_memory_bytes",
      "process_cpu_seconds_total",
    ])
      expect(used, name).toContain(name);
  });
});
