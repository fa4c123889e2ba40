import { describe, expect, it } from "vitest";
import { isSimulatedNode } from "../core/cluster/node-kind.js";
import { defaultFleetConfig } from "./config.js";
import { clusterNodes, nodePoolManifest } from "./nodes.js";

const edge = defaultFleetConfig.clusters.find((c) => c.name === "edge-1");

describe("fleet nodes", () => {
  it("names, labels and taints pool nodes as OpenYurt's pool controller would", () => {
    if (edge === undefined) throw new Error("default fleet has no edge-1");
    const nodes = clusterNodes(edge, "1.36.3");
    expect(nodes.map((n) => n.metadata.name)).toEqual([
      "edge-1-beijing-0",
      "edge-1-beijing-1",
      "edge-1-shanghai-0",
      "edge-1-shanghai-1",
    ]);
    const first = nodes[0];
    expect(first?.metadata.labels["apps.openyurt.io/nodepool"]).toBe("beijing");
    expect(first?.metadata.annotations["kwok.x-k8s.io/node"]).toBe("fake");
    expect(first?.metadata.labels.type).toBe("kwok");
    expect(nodes.every(isSimulatedNode)).toBe(true);
    expect(first?.spec.taints).toEqual([
      { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
    ]);
    expect((first?.status.nodeInfo as { kubeletVersion: string }).kubeletVersion).toBe("v1.36.3");
  });

  it("gives plain nodes no pool label and no taints", () => {
    const nodes = clusterNodes({ name: "m", nodes: 2, pools: [] }, "1.36.3");
    expect(nodes.map((n) => n.metadata.name)).toEqual(["m-node-0", "m-node-1"]);
    expect(nodes[0]?.metadata.labels["apps.openyurt.io/nodepool"]).toBeUndefined();
    expect(nodes[0]?.spec.taints).toBeUndefined();
  });

  it("writes a v1beta1 NodePool with the pool's taints", () => {
    const pool = edge?.pools[1];
    if (pool === undefined) throw new Error("default edge-1 has no second pool");
    expect(nodePoolManifest(pool)).toMatchObject({
      apiVersion: "apps.openyurt.io/v1beta1",
      kind: "NodePool",
      metadata: { name: "shanghai" },
      spec: { type: "Edge", taints: [{ key: "apps.openyurt.io/example", value: "shanghai" }] },
    });
  });
});
