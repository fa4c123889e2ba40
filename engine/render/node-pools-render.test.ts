/**
 * Node pools through the whole render, with the real CUE engine and the built-in definitions:
 * the topology schema accepts the new fields, each pool is a target, workloads are placed on
 * their pool, and the edge seed's trait sees the pool as `context.replicaKey`.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cueEngine, type CueEngine } from "../cue/engine.js";
import { loadBuiltinDefinitions, loadDefinitions } from "../oam/load.js";
import type { JsonObject } from "../../core/json.js";
import type { Application, ApplicationPolicy } from "../oam/types.js";
import { definitionSet, type DefinitionSet } from "./definition-set.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import { inventoryPoolResolver } from "./node-pools.js";
import { RenderError } from "./render-error.js";
import { renderApplication, type RenderedObject } from "./render.js";

const seed = path.join(
  import.meta.dirname,
  "..",
  "..",
  "test",
  "fixtures",
  "seeds",
  "seed-edge-nodepool",
);

let engine: CueEngine;
let definitions: DefinitionSet;

beforeAll(async () => {
  engine = await cueEngine();
  const seedTraits = await loadDefinitions(engine, [path.join(seed, "edge-nginx.cue")]);
  definitions = definitionSet(await loadBuiltinDefinitions(engine), seedTraits);
});

const webApp = (
  policies: ApplicationPolicy[],
  annotations?: Record<string, string>,
): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "shop", namespace: "apps", ...(annotations ? { annotations } : {}) },
  spec: {
    components: [
      {
        name: "web",
        type: "webservice",
        properties: { image: "nginx:1.27", ports: [{ port: 80, expose: true }] },
      },
    ],
    policies,
  },
});

const edge = (properties: JsonObject): ApplicationPolicy => ({
  name: "edge",
  type: "topology",
  properties: { clusters: ["edge-1"], ...properties },
});

const summary = (objects: RenderedObject[]): string[] =>
  objects.map((o) => {
    const meta = o.object.metadata as JsonObject;
    return `${o.target.cluster}/${o.target.replicaKey} ${String(o.object.kind)}/${String(meta.name)}`;
  });

const podSpecOf = (o: RenderedObject): JsonObject =>
  ((o.object.spec as JsonObject).template as JsonObject).spec as JsonObject;

const pools: NodePoolReport[] = ["beijing", "shanghai"].map((name) => ({
  name,
  type: "Edge",
  readyNodes: 2,
  notReadyNodes: 0,
  labels: { "apps.openyurt.io/example": `test-${name}` },
  taints: [{ key: "apps.openyurt.io/example", value: name, effect: "NoSchedule" }],
}));

describe("topology policy schema", () => {
  it("accepts nodePools and nodePoolSelector (a label map or a LabelSelector)", () => {
    for (const selector of [
      { tier: "edge" },
      { matchExpressions: [{ key: "tier", operator: "In", values: ["edge"] }] },
    ]) {
      const app = webApp([edge({ nodePools: ["beijing"], nodePoolSelector: selector })]);
      expect(() => renderApplication({ engine, definitions, app })).not.toThrow();
    }
  });

  it("rejects a malformed nodePools or nodePoolSelector, naming policy and field", () => {
    const bad = webApp([edge({ nodePools: "beijing" })]);
    expect(() => renderApplication({ engine, definitions, app: bad })).toThrow(RenderError);
    expect(() => renderApplication({ engine, definitions, app: bad })).toThrow(
      /application "shop", policy "edge" \(PolicyDefinition "topology", field parameter\.nodePools\)/,
    );
    const op = webApp([
      edge({ nodePoolSelector: { matchExpressions: [{ key: "a", operator: "Like" }] } }),
    ]);
    expect(() => renderApplication({ engine, definitions, app: op })).toThrow(
      /policy "edge" \(PolicyDefinition "topology", field parameter\.nodePoolSelector/,
    );
  });
});

describe("rendering to node pools", () => {
  it("offline (dry-run): one target per named pool, each workload named and placed for it", () => {
    const app = webApp([edge({ nodePools: ["beijing", "shanghai"] })]);
    const objects = renderApplication({ engine, definitions, app });
    expect(summary(objects)).toEqual([
      "edge-1/beijing Deployment/web-beijing",
      "edge-1/beijing Service/web",
      "edge-1/shanghai Deployment/web-shanghai",
    ]);
    const deployments = objects.filter((o) => o.object.kind === "Deployment");
    expect(deployments.map((o) => podSpecOf(o).nodeSelector)).toEqual([
      { "apps.openyurt.io/nodepool": "beijing" },
      { "apps.openyurt.io/nodepool": "shanghai" },
    ]);
    expect(deployments.map((o) => podSpecOf(o).tolerations)).toEqual([undefined, undefined]);
  });

  it("with the agents' reports: tolerations for each pool's taints, absent pools skipped", () => {
    const app = webApp([edge({ nodePools: ["beijing", "hangzhou"] })]);
    const objects = renderApplication({
      engine,
      definitions,
      app,
      resolvePools: inventoryPoolResolver(() => pools),
    });
    expect(summary(objects)).toEqual([
      "edge-1/beijing Deployment/web-beijing",
      "edge-1/beijing Service/web",
    ]);
    expect(podSpecOf(objects[0] as RenderedObject).tolerations).toEqual([
      {
        key: "apps.openyurt.io/example",
        operator: "Equal",
        value: "beijing",
        effect: "NoSchedule",
      },
    ]);
  });

  it("leaves an opted-out component's pod template as rendered", () => {
    const app = webApp([edge({ nodePools: ["beijing"] })], {
      "app.flotilla.dev/skip-nodepool-placement": "web",
    });
    const [deployment] = renderApplication({ engine, definitions, app });
    expect((deployment?.object.metadata as JsonObject).name).toBe("web-beijing");
    expect(podSpecOf(deployment as RenderedObject).nodeSelector).toBeUndefined();
  });

  it("gives the edge seed's trait the pool as context.replicaKey", () => {
    const app: Application = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "edge-ingress", namespace: "default" },
      spec: {
        components: [
          {
            name: "ingress-nginx",
            type: "helm",
            properties: {
              chart: "ingress-nginx",
              url: "https://kubernetes.github.io/ingress-nginx",
              repoType: "helm",
              version: "4.3.0",
            },
            traits: [{ type: "edge-nginx" }],
          },
        ],
        policies: [edge({ nodePoolSelector: { matchLabels: {} } })],
      },
    };
    const objects = renderApplication({
      engine,
      definitions,
      app,
      resolvePools: inventoryPoolResolver(() => pools),
    });
    const releases = objects.filter((o) => o.object.kind === "HelmRelease");
    expect(summary(releases)).toEqual([
      "edge-1/beijing HelmRelease/ingress-nginx-beijing",
      "edge-1/shanghai HelmRelease/ingress-nginx-shanghai",
    ]);
  });
});
