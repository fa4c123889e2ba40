import { describe, expect, it } from "vitest";
import { defaultFleetConfig, FleetConfigError, parseFleetConfig } from "./config.js";

describe("parseFleetConfig", () => {
  it("applies defaults: local is the hub, plain clusters get 2 nodes, pools get the seed taint", () => {
    const config = parseFleetConfig(`
clusters:
  - name: local
  - name: member-1
  - name: edge-1
    pools:
      - name: beijing
`);
    expect(config.clusters.map((c) => [c.name, c.hub, c.nodes])).toEqual([
      ["local", true, 2],
      ["member-1", false, 2],
      ["edge-1", false, 0],
    ]);
    expect(config.clusters[2]?.pools).toEqual([
      {
        name: "beijing",
        nodes: 2,
        type: "Edge",
        taints: [{ key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" }],
      },
    ]);
  });

  it("keeps explicit taints, including none", () => {
    const config = parseFleetConfig({
      clusters: [{ name: "e", pools: [{ name: "p", nodes: 1, taints: [] }] }],
    });
    expect(config.clusters[0]?.pools[0]?.taints).toEqual([]);
  });

  it("reports every problem at once, with its path", () => {
    const attempt = (): unknown =>
      parseFleetConfig({
        clusters: [
          { name: "Bad_Name" },
          { name: "m", nodes: -1 },
          { name: "m" },
          { name: "e", pools: [{ name: "p", taints: [{ key: "k", effect: "Sometimes" }] }] },
        ],
      });
    expect(attempt).toThrow(FleetConfigError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as FleetConfigError).problems;
      expect(problems).toContain(
        'clusters[0].name: must be a DNS label (lower-case letters, digits and "-"), got "Bad_Name"',
      );
      expect(problems).toContain("clusters[1].nodes: must be a whole number from 0 to 100, got -1");
      expect(problems).toContain('clusters: duplicate name "m"');
      expect(problems.some((p) => p.startsWith("clusters[3].pools[0].taints[0]"))).toBe(true);
    }
  });

  it("reserves local for the hub and allows one hub only", () => {
    expect(() => parseFleetConfig({ clusters: [{ name: "local", hub: false }] })).toThrow(
      /"local" is reserved for the hub/,
    );
    expect(() =>
      parseFleetConfig({
        clusters: [
          { name: "a", hub: true },
          { name: "b", hub: true },
        ],
      }),
    ).toThrow(/at most one hub, found a, b/);
  });

  it("rejects an empty fleet and a cluster without nodes", () => {
    expect(() => parseFleetConfig("clusters: []")).toThrow(/non-empty list/);
    expect(() => parseFleetConfig({ clusters: [{ name: "a", nodes: 0 }] })).toThrow(
      /needs at least one node/,
    );
  });

  it("accepts its own default fleet", () => {
    const again = parseFleetConfig(defaultFleetConfig);
    expect(again.clusters.map((c) => c.name)).toEqual(["local", "member-1", "member-2", "edge-1"]);
    expect(again.clusters.find((c) => c.name === "edge-1")?.pools.map((p) => p.name)).toEqual([
      "beijing",
      "shanghai",
    ]);
  });
});

describe("fleet cluster labels", () => {
  it("gives the default members region and env labels", () => {
    const labels = Object.fromEntries(defaultFleetConfig.clusters.map((c) => [c.name, c.labels]));
    expect(labels["member-1"]).toEqual({ region: "beijing", env: "staging" });
    expect(labels["edge-1"]?.env).toBe("edge");
    expect(labels.local).toBeUndefined();
  });

  it("validates labels and names each bad one", () => {
    expect(() =>
      parseFleetConfig({
        clusters: [{ name: "m", labels: { "bad key!": "x", ok: 3, good: "yes" } }],
      }),
    ).toThrow(
      /clusters\[0\]\.labels\.bad key!: .*\n.*clusters\[0\]\.labels\.ok: value must be a string/,
    );
    const parsed = parseFleetConfig({ clusters: [{ name: "m", labels: { env: "dev" } }] });
    expect(parsed.clusters[0]?.labels).toEqual({ env: "dev" });
  });

  it("counts real nodes apart: none unless asked, at most 8, and they count as nodes", () => {
    const config = parseFleetConfig({
      clusters: [{ name: "local" }, { name: "m", nodes: 0, realNodes: 1 }],
    });
    expect(config.clusters.map((c) => c.realNodes)).toEqual([0, 1]);
    expect(() => parseFleetConfig({ clusters: [{ name: "m", realNodes: 9 }] })).toThrow(
      /clusters\[0\]\.realNodes: must be a whole number from 0 to 8, got 9/,
    );
    expect(defaultFleetConfig.clusters.filter((c) => c.realNodes > 0).map((c) => c.name)).toEqual([
      "local",
      "member-1",
    ]);
  });
});
