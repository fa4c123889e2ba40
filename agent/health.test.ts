import { describe, expect, it } from "vitest";
import { initialHealth, settleHealth, type HealthState } from "./health.js";
import { buildReport, type NodeSummary } from "./report.js";

const T = 4_000;
const n = (ready: boolean, pool = "beijing"): NodeSummary => ({
  ready,
  simulated: true,
  pool,
  cpuMillis: 1000,
  memoryBytes: 1024,
});
const observe = (ready: [boolean, boolean], apiReady = true) => ({
  apiReady,
  nodes: new Map([
    ["b0", n(ready[0])],
    ["b1", n(ready[1])],
  ]),
});
const poolOf = (nodes: readonly NodeSummary[]) =>
  buildReport({
    kubernetesVersion: "v1",
    apiReady: true,
    nodes,
    pods: [],
    pools: [{ name: "beijing", type: "Edge", labels: {}, taints: [] }],
  }).nodePools[0];

describe("settleHealth", () => {
  it("a pool whose nodes all go NotReady is published NotReady only after the threshold", () => {
    let s = settleHealth(initialHealth, observe([true, true]), 0, T);
    expect(poolOf(s.nodes)).toMatchObject({ readyNodes: 2, notReadyNodes: 0 });
    s = settleHealth(s.state, observe([false, false]), 1_000, T);
    expect(poolOf(s.nodes)).toMatchObject({ readyNodes: 2, notReadyNodes: 0 });
    expect(s.nextDue).toBe(5_000);
    s = settleHealth(s.state, observe([false, false]), 5_000, T);
    expect(poolOf(s.nodes)).toMatchObject({ readyNodes: 0, notReadyNodes: 2 });
    expect(s.nextDue).toBeUndefined();
  });

  it("a flap shorter than the threshold changes nothing", () => {
    let state: HealthState = settleHealth(initialHealth, observe([true, true]), 0, T).state;
    state = settleHealth(state, observe([false, true], false), 1_000, T).state;
    const back = settleHealth(state, observe([true, true]), 3_000, T);
    const later = settleHealth(back.state, observe([true, true]), 9_000, T);
    expect(later.apiReady).toBe(true);
    expect(poolOf(later.nodes)).toMatchObject({ readyNodes: 2, notReadyNodes: 0 });
    expect(later.nextDue).toBeUndefined();
  });

  it("holds API readiness the same way and reports when to look again", () => {
    let s = settleHealth(initialHealth, observe([true, true]), 0, T);
    s = settleHealth(s.state, observe([true, true], false), 2_000, T);
    expect(s.apiReady).toBe(true);
    expect(s.nextDue).toBe(6_000);
    s = settleHealth(s.state, observe([true, true], false), 6_000, T);
    expect(s.apiReady).toBe(false);
  });

  it("counts nodes that appear or disappear at once", () => {
    let s = settleHealth(initialHealth, observe([true, true]), 0, T);
    s = settleHealth(s.state, { apiReady: true, nodes: new Map([["b0", n(true)]]) }, 100, T);
    expect(s.nodes).toHaveLength(1);
    s = settleHealth(s.state, observe([true, false]), 200, T);
    expect(poolOf(s.nodes)).toMatchObject({ readyNodes: 1, notReadyNodes: 1 });
  });
});
