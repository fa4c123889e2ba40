import { describe, expect, it } from "vitest";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import { resolveTopology } from "../../core/cluster/topology.js";
import { InvalidInputError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../oam/types.js";
import { checkPlacements } from "./placement-check.js";
import { offlineResolver, type ClusterResolver } from "./targets.js";

const report = (name: string, labels: Record<string, string>): NodePoolReport => ({
  name,
  type: "Edge",
  readyNodes: 1,
  notReadyNodes: 0,
  labels,
  taints: [],
});

const reports: Record<string, NodePoolReport[]> = {
  "edge-1": [report("beijing", { region: "north" }), report("shanghai", { region: "east" })],
};
const inventory = (cluster: string): NodePoolReport[] | undefined => reports[cluster];

const registry: Array<{ name: string; labels: Record<string, string> }> = [
  { name: "edge-1", labels: { kind: "edge" } },
  { name: "edge-2", labels: { kind: "edge" } },
  { name: "local", labels: {} },
];
const resolve: ClusterResolver = (props) => resolveTopology(props, registry).clusters;

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

describe("checkPlacements offline (dry-run)", () => {
  it("refuses what the hub refuses: clusters: [] and a malformed selector", () => {
    expect(() =>
      checkPlacements(
        app({ clusters: [], clusterLabelSelector: { kind: "edge" } }),
        offlineResolver,
      ),
    ).toThrow(`${where}: clusters is an empty list, so it targets no cluster`);
    expect(() => checkPlacements(app({ clusterSelector: "kind=edge" }), offlineResolver)).toThrow(
      `${where}: malformed cluster selector "kind=edge"`,
    );
  });

  it("accepts a selector it cannot resolve offline (it stands for the clusters it would match)", () => {
    expect(() =>
      checkPlacements(app({ clusterLabelSelector: { kind: "cloud" } }), offlineResolver),
    ).not.toThrow();
  });
});
