import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../../engine/oam/types.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import { applicationsTargeting } from "../../core/cluster/topology.js";
import { checkPlacements, registryPoolResolver, registryResolver } from "./placement.js";

const report = (name: string, labels: Record<string, string>): NodePoolReport => ({
  name,
  type: "Edge",
  readyNodes: 1,
  notReadyNodes: 0,
  labels,
  taints: [{ key: "apps.openyurt.io/example", value: name, effect: "NoSchedule" }],
});

const reports: Record<string, NodePoolReport[]> = {
  "edge-1": [report("beijing", { region: "north" }), report("shanghai", { region: "east" })],
};
const inventory = (cluster: string): NodePoolReport[] | undefined => reports[cluster];

const resolve = registryResolver([
  { name: "edge-1", labels: { kind: "edge" } },
  { name: "edge-2", labels: { kind: "edge" } },
]);

const app = (properties: JsonObject): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "shop", namespace: "apps" },
  spec: {
    components: [{ name: "web", type: "webservice" }],
    policies: [{ name: "edge", type: "topology", properties }],
  },
});

const where = 'application "shop", policy "edge" (topology)';

describe("registryPoolResolver", () => {
  it("selects each cluster's reported pools; named pools stand until a cluster reports", () => {
    const pools = registryPoolResolver(inventory);
    const props = { nodePools: ["beijing"], nodePoolSelector: { region: "east" } };
    expect(pools("edge-1", props).map((p) => p.name)).toEqual(["beijing", "shanghai"]);
    expect(pools("edge-2", props)).toEqual([{ name: "beijing" }]);
  });
});

describe("checkPlacements with node pools", () => {
  it("accepts a topology whose pools match in some cluster", () => {
    const props = { clusterLabelSelector: { kind: "edge" }, nodePoolSelector: { region: "east" } };
    expect(() => checkPlacements(app(props), resolve, inventory)).not.toThrow();
  });

  it("rejects a malformed nodePoolSelector, naming application, policy and field", () => {
    const bad = app({
      clusters: ["edge-1"],
      nodePoolSelector: { matchExpressions: [{ key: "region", operator: "In" }] },
    });
    expect(() => checkPlacements(bad, resolve)).toThrow(InvalidInputError);
    expect(() => checkPlacements(bad, resolve)).toThrow(
      `${where}: field nodePoolSelector is not a valid label selector`,
    );
  });

  it("rejects nodePools that is not a list of names", () => {
    expect(() =>
      checkPlacements(app({ clusters: ["edge-1"], nodePools: "beijing" }), resolve),
    ).toThrow(`${where}: field nodePools must be a list of node pool names, got "beijing"`);
  });

  it("rejects a selection matching no pool, saying which clusters have not reported", () => {
    const props = { clusterLabelSelector: { kind: "edge" }, nodePoolSelector: { region: "west" } };
    expect(() => checkPlacements(app(props), resolve, inventory)).toThrow(
      `${where}: no node pool matches {"nodePoolSelector":{"region":"west"}} in clusters edge-1, edge-2; node pools not reported yet by: edge-2 (set allowEmpty: true to allow an empty placement)`,
    );
    expect(() =>
      checkPlacements(app({ ...props, allowEmpty: true }), resolve, inventory),
    ).not.toThrow();
  });

  it("does not check pool emptiness without an inventory", () => {
    const props = { clusters: ["edge-1"], nodePoolSelector: { region: "west" } };
    expect(() => checkPlacements(app(props), resolve)).not.toThrow();
  });
});

describe("checkPlacements of clusters", () => {
  it("rejects clusters: [] (it targets nothing, its selector ignored) unless allowEmpty", () => {
    const empty = { clusters: [], clusterLabelSelector: { kind: "edge" } };
    expect(() => checkPlacements(app(empty), resolve)).toThrow(
      `${where}: clusters is an empty list, so it targets no cluster (a cluster selector next to it is ignored, as in KubeVela) (set allowEmpty: true to allow an empty placement)`,
    );
    expect(() => checkPlacements(app({ ...empty, allowEmpty: true }), resolve)).not.toThrow();
  });

  it("rejects a malformed selector and one matching no cluster, quoting it", () => {
    expect(() => checkPlacements(app({ clusterSelector: "kind=edge" }), resolve)).toThrow(
      `${where}: malformed cluster selector "kind=edge"`,
    );
    expect(() =>
      checkPlacements(app({ clusterLabelSelector: { kind: "cloud" } }), resolve),
    ).toThrow(
      `${where}: no cluster matches {"kind":"cloud"} (set allowEmpty: true to allow an empty placement)`,
    );
  });
});

describe("the hub's placement and the in-use check behind cluster detach", () => {
  const registry = [
    { name: "prod-1", labels: { env: "prod" } },
    { name: "dev-1", labels: { env: "dev" } },
  ];
  const topologies: JsonObject[] = [
    { clusters: [], clusterLabelSelector: { env: "prod" } },
    { clusters: [] },
    { clusters: ["dev-1"], clusterLabelSelector: { env: "prod" } },
    { clusters: [7, "prod-1"] },
    { clusterLabelSelector: { env: "prod" } },
    { clusterSelector: { matchExpressions: [{ key: "env", operator: "NotIn", values: ["x"] }] } },
    { clusterLabelSelector: {} },
    { clusterLabelSelector: "env=prod" },
    { clusterLabelSelector: null, clusterSelector: { env: "dev" } },
    {},
  ];

  it.each(topologies)("agree on which clusters %j targets", (properties) => {
    const hub = registryResolver(registry)(properties);
    for (const cluster of [...registry, { name: "local", labels: {} }]) {
      const uses = applicationsTargeting([app(properties)], cluster);
      expect(uses.length > 0, cluster.name).toBe(hub.includes(cluster.name));
    }
  });
});
