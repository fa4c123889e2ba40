import { describe, expect, it } from "vitest";
import { NODEPOOL_LABEL } from "../core/cluster/agent-contract.js";
import { KWOK_NODE_ANNOTATION } from "../core/cluster/node-kind.js";
import {
  buildReport,
  type NodePoolSummary,
  summariseNode,
  summariseNodePool,
  summarisePod,
  type NodeSummary,
} from "./report.js";

const node = (name: string, ready: string, pool?: string, kwok = false) => ({
  metadata: {
    name,
    labels: pool === undefined ? {} : { [NODEPOOL_LABEL]: pool },
    ...(kwok ? { annotations: { [KWOK_NODE_ANNOTATION]: "fake" } } : {}),
  },
  status: {
    conditions: [
      { type: "MemoryPressure", status: "False" },
      { type: "Ready", status: ready },
    ],
    allocatable: { cpu: "16", memory: "64Gi", pods: "110" },
  },
});

const container = (cpu?: string, memory?: string, restartPolicy?: string) => ({
  name: "c",
  ...(restartPolicy === undefined ? {} : { restartPolicy }),
  resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
});

describe("summaries", () => {
  it("a node: Ready True, simulated or real, its pool, allocatable", () => {
    expect(summariseNode(node("n", "True", "beijing"))).toEqual({
      ready: true,
      simulated: false,
      pool: "beijing",
      cpuMillis: 16_000,
      memoryBytes: 64 * 2 ** 30,
    });
    expect(summariseNode(node("n", "Unknown")).ready).toBe(false);
    expect(summariseNode(node("n", "True", "beijing", true)).simulated).toBe(true);
    expect(summariseNode({ metadata: { name: "bare" } })).toEqual({
      ready: false,
      simulated: false,
      cpuMillis: 0,
      memoryBytes: 0,
    });
  });

  it("a pod: only bound, non-terminal pods count, with the scheduler's effective requests", () => {
    const spec = {
      nodeName: "n1",
      containers: [container("100m", "64Mi"), container("200m")],
      initContainers: [container("500m", "32Mi"), container("50m", "16Mi", "Always")],
      overhead: { cpu: "10m" },
    };
    // app + sidecar: 350m / 80Mi; largest plain init: 500m / 32Mi; + overhead 10m
    expect(summarisePod({ spec, status: { phase: "Running" } })).toEqual({
      cpuMillis: 510,
      memoryBytes: 80 * 2 ** 20,
    });
    expect(summarisePod({ spec: { ...spec, nodeName: "" } })).toBeUndefined();
    expect(summarisePod({ spec, status: { phase: "Succeeded" } })).toBeUndefined();
    expect(summarisePod({ spec, status: { phase: "Failed" } })).toBeUndefined();
  });

  it("an unparsable quantity counts as zero instead of failing the report", () => {
    const pod = { spec: { nodeName: "n", containers: [container("lots", "1Gi")] } };
    expect(summarisePod(pod)).toEqual({ cpuMillis: 0, memoryBytes: 2 ** 30 });
  });

  it("a NodePool: name, type, its own labels, taints", () => {
    const pool = {
      metadata: { name: "beijing", labels: { region: "north", bad: 3 } },
      spec: {
        type: "Edge",
        labels: { "node-label": "x" },
        taints: [
          { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
          { key: "k", effect: "NoExecute" },
          { value: "no key" },
        ],
      },
    };
    expect(summariseNodePool(pool)).toEqual({
      name: "beijing",
      type: "Edge",
      labels: { region: "north" },
      taints: [
        { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
        { key: "k", effect: "NoExecute" },
      ],
    });
  });
});

describe("buildReport", () => {
  const nodes: NodeSummary[] = [
    summariseNode(node("p", "True")),
    summariseNode(node("b0", "True", "beijing", true)),
    summariseNode(node("b1", "False", "beijing", true)),
    summariseNode(node("s0", "True", "shanghai")),
    summariseNode(node("orphan", "True", "no-such-pool")),
  ];
  const pools: NodePoolSummary[] = [
    { name: "shanghai", type: "Edge", labels: {}, taints: [] },
    { name: "beijing", type: "Edge", labels: { a: "b" }, taints: [] },
    { name: "empty", type: "Cloud", labels: {}, taints: [] },
  ];

  it("counts nodes and pools, sums resources, sorts pools by name", () => {
    const report = buildReport({
      kubernetesVersion: "v1.36.3",
      apiReady: true,
      nodes,
      pods: [
        { cpuMillis: 250, memoryBytes: 2 ** 30 },
        { cpuMillis: 250, memoryBytes: 2 ** 29 },
      ],
      pools,
    });
    expect(report).toEqual({
      kubernetesVersion: "v1.36.3",
      apiReady: true,
      nodes: { total: 5, ready: 4, notReady: 1, kwok: 2 },
      resources: {
        allocatable: { cpu: "80", memory: "320Gi" },
        requested: { cpu: "500m", memory: "1536Mi" },
      },
      nodePools: [
        {
          name: "beijing",
          type: "Edge",
          readyNodes: 1,
          notReadyNodes: 1,
          labels: { a: "b" },
          taints: [],
        },
        { name: "empty", type: "Cloud", readyNodes: 0, notReadyNodes: 0, labels: {}, taints: [] },
        { name: "shanghai", type: "Edge", readyNodes: 1, notReadyNodes: 0, labels: {}, taints: [] },
      ],
    });
  });

  it("reports an empty cluster with zero quantities and no pools", () => {
    const report = buildReport({
      kubernetesVersion: "",
      apiReady: false,
      nodes: [],
      pods: [],
      pools: [],
    });
    expect(report.nodes).toEqual({ total: 0, ready: 0, notReady: 0, kwok: 0 });
    expect(report.resources.requested).toEqual({ cpu: "0", memory: "0" });
    expect(report.nodePools).toEqual([]);
  });
});
