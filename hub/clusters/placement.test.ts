import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../../engine/oam/types.js";
import { applicationsTargeting } from "../../core/cluster/topology.js";
import { registryResolver } from "./placement.js";

const app = (properties: JsonObject): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "shop", namespace: "apps" },
  spec: {
    components: [{ name: "web", type: "webservice" }],
    policies: [{ name: "edge", type: "topology", properties }],
  },
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
