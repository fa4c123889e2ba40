import { describe, expect, it } from "vitest";
import type { Application } from "../oam/types.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import { inventoryPoolResolver } from "./node-pools.js";
import { RenderError } from "./render-error.js";
import { componentTargets, offlineResolver } from "./targets.js";

const app = (spec: Partial<Application["spec"]>): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "a", namespace: "apps" },
  spec: {
    components: [
      { name: "web", type: "webservice" },
      { name: "nginx", type: "helm" },
    ],
    ...spec,
  },
});

describe("componentTargets", () => {
  it("defaults to the hub in the application's namespace", () => {
    expect(componentTargets(app({})).map((t) => t.target)).toEqual([
      { cluster: "local", namespace: "apps", replicaKey: "" },
      { cluster: "local", namespace: "apps", replicaKey: "" },
    ]);
  });

  it("replicates selected components per key, only for policies the deploy steps name", () => {
    const targets = componentTargets(
      app({
        policies: [
          {
            name: "r",
            type: "replication",
            properties: { keys: ["beijing", "shanghai"], selector: ["nginx"] },
          },
          {
            name: "t",
            type: "topology",
            properties: { clusters: ["member-1"], namespace: "prod" },
          },
          { name: "unused", type: "topology", properties: { clusters: ["member-2"] } },
        ],
        workflow: { steps: [{ name: "d", type: "deploy", properties: { policies: ["t", "r"] } }] },
      }),
    );
    expect(
      targets.map(
        (t) => `${t.component}@${t.target.cluster}/${t.target.namespace}/${t.target.replicaKey}`,
      ),
    ).toEqual([
      "web@member-1/prod/",
      "nginx@member-1/prod/beijing",
      "nginx@member-1/prod/shanghai",
    ]);
  });

  it("without a workflow, makes one unit per topology with every override (KubeVela's default)", () => {
    const targets = componentTargets(
      app({
        policies: [
          { name: "east", type: "topology", properties: { clusters: ["member-1"] } },
          { name: "west", type: "topology", properties: { clusters: ["member-2"] } },
          {
            name: "img",
            type: "override",
            properties: { components: [{ name: "web", properties: { image: "nginx:1.20" } }] },
          },
        ],
      }),
    );
    expect(targets.map((t) => `${t.component}@${t.target.cluster}`)).toEqual([
      "web@member-1",
      "nginx@member-1",
      "web@member-2",
      "nginx@member-2",
    ]);
    expect(targets.filter((t) => t.component === "web").map((t) => t.spec.properties)).toEqual([
      { image: "nginx:1.20" },
      { image: "nginx:1.20" },
    ]);
  });

  it("applies a deploy step's overrides only to that step's clusters", () => {
    const targets = componentTargets(
      app({
        policies: [
          { name: "local", type: "topology", properties: { clusters: ["local"] } },
          { name: "prod", type: "topology", properties: { clusters: ["member-1"] } },
          {
            name: "ha",
            type: "override",
            properties: {
              components: [
                { type: "webservice", traits: [{ type: "scaler", properties: { replicas: 3 } }] },
              ],
              selector: ["web"],
            },
          },
        ],
        workflow: {
          steps: [
            { name: "dev", type: "deploy", properties: { policies: ["local"] } },
            { name: "prod", type: "deploy", properties: { policies: ["prod", "ha"] } },
          ],
        },
      }),
    );
    expect(
      targets.map(
        (t) => `${t.component}@${t.target.cluster}:${JSON.stringify(t.spec.traits ?? [])}`,
      ),
    ).toEqual([
      "web@local:[]",
      "nginx@local:[]",
      'web@member-1:[{"type":"scaler","properties":{"replicas":3}}]',
    ]);
  });

  describe("node pools", () => {
    const report = (name: string, labels: Record<string, string>): NodePoolReport => ({
      name,
      type: "Edge",
      readyNodes: 1,
      notReadyNodes: 0,
      labels,
      taints: [{ key: "apps.openyurt.io/example", value: name, effect: "NoSchedule" }],
    });
    const inventory: Record<string, NodePoolReport[] | undefined> = {
      "edge-1": [report("beijing", { region: "north" }), report("shanghai", { region: "east" })],
      "edge-2": [report("shanghai", { region: "east" })],
    };
    const resolvePools = inventoryPoolResolver((c) => inventory[c]);
    const pooled = (properties: Record<string, unknown>): Application =>
      app({ policies: [{ name: "edge", type: "topology", properties }] });
    const where = (targets: ReturnType<typeof componentTargets>): string[] =>
      targets.map((t) => `${t.component}@${t.target.cluster}/${t.target.replicaKey}`);

    it("makes each named pool of each cluster a target, with the pool as replicaKey", () => {
      const targets = componentTargets(
        pooled({ clusters: ["edge-1", "edge-2"], nodePools: ["beijing", "shanghai"] }),
        undefined,
        resolvePools,
      );
      expect(where(targets)).toEqual([
        "web@edge-1/beijing",
        "nginx@edge-1/beijing",
        "web@edge-1/shanghai",
        "nginx@edge-1/shanghai",
        "web@edge-2/shanghai",
        "nginx@edge-2/shanghai",
      ]);
      expect(targets[0]?.target).toEqual({
        cluster: "edge-1",
        namespace: "apps",
        replicaKey: "beijing",
        pool: { name: "beijing", taints: inventory["edge-1"]?.[0]?.taints },
      });
    });

    it("selects pools with expressions over their labels", () => {
      const targets = componentTargets(
        pooled({
          clusters: ["edge-1", "edge-2"],
          nodePoolSelector: {
            matchExpressions: [{ key: "region", operator: "In", values: ["north"] }],
          },
        }),
        undefined,
        resolvePools,
      );
      expect(where(targets)).toEqual(["web@edge-1/beijing", "nginx@edge-1/beijing"]);
    });

    it("targets named pools of a cluster not reported yet, without taints; a selector waits", () => {
      const named = componentTargets(
        pooled({ clusters: ["edge-3"], nodePools: ["beijing"] }),
        undefined,
        resolvePools,
      );
      expect(named.map((t) => t.target.pool)).toEqual([{ name: "beijing" }, { name: "beijing" }]);
      const selected = componentTargets(
        pooled({ clusters: ["edge-3"], nodePoolSelector: { region: "north" } }),
        undefined,
        resolvePools,
      );
      expect(selected).toEqual([]);
    });

    it("offline (dry-run): the named pools and a placeholder for the selector", () => {
      const targets = componentTargets(
        pooled({
          clusters: ["edge-1"],
          nodePools: ["beijing"],
          nodePoolSelector: { region: "east" },
        }),
      );
      expect(where(targets)).toEqual([
        "web@edge-1/beijing",
        "nginx@edge-1/beijing",
        "web@edge-1/selector(region=east)",
        "nginx@edge-1/selector(region=east)",
      ]);
    });

    it("rejects replication of a component in the same unit, naming the policies", () => {
      const both = app({
        policies: [
          {
            name: "edge",
            type: "topology",
            properties: { clusters: ["edge-1"], nodePools: ["x"] },
          },
          { name: "copies", type: "replication", properties: { keys: ["a"], selector: ["web"] } },
        ],
      });
      expect(() => componentTargets(both)).toThrow(RenderError);
      expect(() => componentTargets(both)).toThrow(
        /^application "a", policy "copies": replication cannot be combined with the node pools of topology policy "edge"/,
      );
    });

    it("allows replication in another deploy unit than the pools", () => {
      const targets = componentTargets(
        app({
          policies: [
            {
              name: "edge",
              type: "topology",
              properties: { clusters: ["edge-1"], nodePools: ["x"] },
            },
            { name: "hub", type: "topology", properties: { clusters: ["local"] } },
            {
              name: "copies",
              type: "replication",
              properties: { keys: ["k"], selector: ["nginx"] },
            },
          ],
          workflow: {
            steps: [
              { name: "pools", type: "deploy", properties: { policies: ["edge"] } },
              { name: "hub", type: "deploy", properties: { policies: ["hub", "copies"] } },
            ],
          },
        }),
      );
      expect(where(targets)).toEqual([
        "web@edge-1/x",
        "nginx@edge-1/x",
        "web@local/",
        "nginx@local/k",
      ]);
    });
  });
});

describe("offlineResolver", () => {
  it("names the clusters, else a placeholder for the selector (* when it matches all), else the hub", () => {
    expect(offlineResolver({ clusters: ["a", "b"] })).toEqual(["a", "b"]);
    expect(offlineResolver({ clusterSelector: { env: "prod" } })).toEqual(["selector(env=prod)"]);
    expect(
      offlineResolver({
        clusterSelector: {
          matchLabels: { env: "prod" },
          matchExpressions: [{ key: "region", operator: "Exists" }],
        },
      }),
    ).toEqual(["selector(env=prod+expressions)"]);
    expect(offlineResolver({ clusterLabelSelector: { tier: "edge" } })).toEqual([
      "selector(tier=edge)",
    ]);
    expect(offlineResolver({})).toEqual(["local"]);
    expect(offlineResolver({ clusterSelector: {} })).toEqual(["selector(*)"]);
    expect(offlineResolver({ clusters: [], clusterSelector: { env: "prod" } })).toEqual([]);
  });
});
