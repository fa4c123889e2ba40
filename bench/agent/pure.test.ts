/** The agent benchmark's pure helpers: figures of a window, detection summaries. */
import { describe, expect, it } from "vitest";
import { detectionReport, injectionOffsetMs, type Detection } from "./failures.js";
import { addedNodesSpec } from "./nodes.js";
import { counterValue, windowFigures, type Point } from "./sample.js";
import { viaProxy } from "./world.js";
import { parse } from "yaml";

describe("windowFigures", () => {
  const point = (at: number, cpuMs: number, bytes: [number, number], beats: number): Point => ({
    at,
    cpuMs,
    bytes: { toHub: bytes[0], fromHub: bytes[1], connections: 1 },
    counters: { heartbeats: beats, reportWrites: 2 },
  });
  it("turns two points and RSS samples into per-minute and per-core figures", () => {
    const w = windowFigures(
      point(0, 1_000, [100, 200], 5),
      point(30_000, 1_600, [3_100, 9_200], 20),
      [50, 52, 54],
    );
    expect(w).toEqual({
      seconds: 30,
      rss_mib_mean: 52,
      rss_mib_max: 54,
      cpu_pct: 2,
      hub_bytes_per_min: 6_000,
      hub_bytes_from_hub_per_min: 18_000,
      heartbeats: 15,
      report_writes: 0,
      hub_connections: 0,
    });
  });
});

describe("counterValue", () => {
  it("sums the series of one result", () => {
    const text = [
      "# HELP flotilla_agent_heartbeats_total x",
      'flotilla_agent_heartbeats_total{result="ok"} 7',
      'flotilla_agent_heartbeats_total{result="error"} 2',
      'flotilla_agent_report_writes_total{result="ok"} 100',
    ].join("\n");
    expect(counterValue(text, "flotilla_agent_heartbeats_total", "ok")).toBe(7);
    expect(counterValue(text, "flotilla_agent_heartbeats_total", "error")).toBe(2);
    expect(counterValue(text, "flotilla_agent_report_writes_total", "written")).toBe(0);
  });
});

describe("injectionOffsetMs", () => {
  it("spreads the offsets evenly over one heartbeat interval", () => {
    const offsets = Array.from({ length: 4 }, (_, i) => injectionOffsetMs(i, 4, 2_000));
    expect(offsets).toEqual([0, 500, 1_000, 1_500]);
  });
});

describe("detectionReport", () => {
  const d = (kind: Detection["kind"], detected_s: number | null): Detection => ({
    kind,
    offset_ms: 0,
    detected_s,
    recovered_s: 1,
  });
  it("gives p50 and max overall and per kind, counting undetected failures apart", () => {
    const r = detectionReport([d("kill", 9), d("stop", 10.5), d("kill", 8), d("partition", null)]);
    expect(r).toMatchObject({ n: 4, undetected: 1, p50_s: 9, max_s: 10.5, min_s: 8 });
    expect(r.by_kind.kill).toMatchObject({ n: 2, p50_s: 9, max_s: 9 });
    expect(r.by_kind.partition).toMatchObject({ n: 1, undetected: 1, max_s: null });
  });
});

describe("addedNodesSpec", () => {
  const pool = (name: string) => ({ name, nodes: 1, type: "Edge" as const, taints: [] });
  it("splits the nodes over the pools, the remainder to the first ones", () => {
    const spec = addedNodesSpec([pool("beijing"), pool("shanghai")], 1001);
    expect(spec.pools.map((p) => [p.name, p.nodes])).toEqual([
      ["beijing", 501],
      ["shanghai", 500],
    ]);
    expect(spec.nodes).toBe(0);
  });
  it("makes plain nodes when the member has no pools", () => {
    expect(addedNodesSpec([], 10)).toMatchObject({ nodes: 10, pools: [] });
  });
});

describe("viaProxy", () => {
  it("points every cluster entry of the kubeconfig at the proxy", () => {
    const yaml =
      "clusters:\n- name: hub\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: QQ==\n";
    const out = parse(viaProxy(yaml, "https://127.0.0.1:40000")) as {
      clusters: Array<{ cluster: Record<string, string> }>;
    };
    expect(out.clusters[0]?.cluster).toEqual({
      server: "https://127.0.0.1:40000",
      "certificate-authority-data": "QQ==",
    });
  });
});
