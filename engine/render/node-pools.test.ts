import { describe, expect, it } from "vitest";
import {
  inventoryPoolResolver,
  offlinePoolResolver,
  selectNodePools,
  targetsNodePools,
} from "./node-pools.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";

const pool = (name: string, labels: Record<string, string> = {}): NodePoolReport => ({
  name,
  type: "Edge",
  readyNodes: 1,
  notReadyNodes: 0,
  labels,
  taints: [{ key: "apps.openyurt.io/example", value: name, effect: "NoSchedule" }],
});

const pools = [
  pool("shanghai", { region: "east", tier: "edge" }),
  pool("beijing", { region: "north", tier: "edge" }),
  pool("cloud", { tier: "cloud" }),
];

describe("targetsNodePools", () => {
  it("is true for named pools or a selector (even an empty one), false otherwise", () => {
    expect(targetsNodePools({ nodePools: ["beijing"] })).toBe(true);
    expect(targetsNodePools({ nodePoolSelector: {} })).toBe(true);
    expect(targetsNodePools({ nodePools: [] })).toBe(false);
    expect(targetsNodePools({ clusters: ["edge-1"] })).toBe(false);
  });
});

describe("selectNodePools", () => {
  it("targets named pools the cluster has, with their taints, sorted by name", () => {
    expect(selectNodePools({ nodePools: ["shanghai", "beijing", "gone"] }, pools)).toEqual([
      { name: "beijing", taints: pools[1]?.taints },
      { name: "shanghai", taints: pools[0]?.taints },
    ]);
  });

  it("selects by a plain label map or by matchExpressions, in union with named pools", () => {
    const names = (props: Record<string, unknown>): string[] =>
      selectNodePools(props, pools).map((p) => p.name);
    expect(names({ nodePoolSelector: { tier: "edge" } })).toEqual(["beijing", "shanghai"]);
    expect(
      names({
        nodePoolSelector: {
          matchLabels: { tier: "edge" },
          matchExpressions: [{ key: "region", operator: "NotIn", values: ["north"] }],
        },
      }),
    ).toEqual(["shanghai"]);
    expect(
      names({
        nodePools: ["cloud"],
        nodePoolSelector: {
          matchExpressions: [{ key: "region", operator: "In", values: ["north"] }],
        },
      }),
    ).toEqual(["beijing", "cloud"]);
    expect(names({ nodePoolSelector: {} })).toEqual(["beijing", "cloud", "shanghai"]);
  });

  it("matches nothing with a malformed selector", () => {
    const bad = { nodePoolSelector: { matchExpressions: [{ key: "a", operator: "In" }] } };
    expect(selectNodePools(bad, pools)).toEqual([]);
  });

  it("targets named pools without taints while the cluster has not reported; a selector waits", () => {
    expect(selectNodePools({ nodePools: ["b", "a", "b"] }, undefined)).toEqual([
      { name: "a" },
      { name: "b" },
    ]);
    expect(selectNodePools({ nodePoolSelector: { tier: "edge" } }, undefined)).toEqual([]);
  });

  it("targets nothing when the cluster reported no pools", () => {
    expect(selectNodePools({ nodePools: ["beijing"] }, [])).toEqual([]);
  });
});

describe("pool resolvers", () => {
  it("offline: named pools plus one placeholder named after the selector", () => {
    expect(
      offlinePoolResolver("edge-1", { nodePools: ["beijing"], nodePoolSelector: { tier: "edge" } }),
    ).toEqual([{ name: "beijing" }, { name: "selector(tier=edge)" }]);
    expect(offlinePoolResolver("edge-1", { nodePoolSelector: {} })).toEqual([
      { name: "selector(*)" },
    ]);
  });

  it("over an inventory: each cluster's own report", () => {
    const resolve = inventoryPoolResolver((c) => (c === "edge-1" ? pools : undefined));
    expect(resolve("edge-1", { nodePoolSelector: { tier: "cloud" } })).toEqual([
      { name: "cloud", taints: pools[2]?.taints },
    ]);
    expect(resolve("edge-2", { nodePoolSelector: { tier: "cloud" } })).toEqual([]);
  });
});

describe("inventoryPoolResolver over the agents' reports", () => {
  it("selects each cluster's reported pools; named pools stand until a cluster reports", () => {
    const reports: Record<string, NodePoolReport[]> = {
      "edge-1": [pool("beijing", { region: "north" }), pool("shanghai", { region: "east" })],
    };
    const resolve = inventoryPoolResolver((cluster) => reports[cluster]);
    const props = { nodePools: ["beijing"], nodePoolSelector: { region: "east" } };
    expect(resolve("edge-1", props).map((p) => p.name)).toEqual(["beijing", "shanghai"]);
    expect(resolve("edge-2", props)).toEqual([{ name: "beijing" }]);
  });
});
