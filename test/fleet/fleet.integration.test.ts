/**
 * The fleet against real control planes: a hub and an edge cluster start, Deployments become
 * ready through kwok's fake nodes, pool scheduling follows OpenYurt's labels and taints,
 * kubectl works with the written kubeconfig, and stop() leaves no process or port behind.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries, type BinaryPaths } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { isPortFree } from "../../fleet/ports.js";
import { isAlive } from "../../fleet/processes.js";
import { fleetVersions } from "../../fleet/versions.js";
import { waitFor } from "../../fleet/wait.js";

const run = promisify(execFile);

let fleet: Fleet;
let binaries: BinaryPaths;

const clientsFor = (name: string): { core: CoreV1Api; apps: AppsV1Api } => {
  const kc = new KubeConfig();
  kc.loadFromFile(fleet.cluster(name).kubeconfigFile);
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
};

beforeAll(async () => {
  binaries = await ensureBinaries();
  fleet = await startFleet({
    binaries,
    clusters: [
      { name: "local", nodes: 1 },
      {
        name: "edge-1",
        nodes: 2,
        pools: [
          { name: "beijing", nodes: 2 },
          { name: "shanghai", nodes: 1 },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await fleet?.stop();
});

describe("a 2-cluster fleet", () => {
  it("starts both clusters with all their nodes Ready", async () => {
    expect(fleet.clusters.map((c) => c.name)).toEqual(["local", "edge-1"]);
    const nodes = await clientsFor("edge-1").core.listNode();
    expect(nodes.items).toHaveLength(5);
    for (const node of nodes.items) {
      const ready = node.status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status, node.metadata?.name).toBe("True");
    }
  });

  it("brings a 3-replica Deployment to readyReplicas 3", async () => {
    const { apps } = clientsFor("edge-1");
    const labels = { app: "web" };
    await apps.createNamespacedDeployment({
      namespace: "default",
      body: {
        metadata: { name: "web" },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
          },
        },
      },
    });
    const ready = await waitFor(
      "web to have 3 ready replicas",
      async () => {
        const d = await apps.readNamespacedDeployment({ name: "web", namespace: "default" });
        return d.status?.readyReplicas === 3 ? d.status.readyReplicas : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(ready).toBe(3);
  });

  it("schedules a pod selecting the beijing pool onto a beijing node", async () => {
    const { core } = clientsFor("edge-1");
    const pod: V1Pod = {
      metadata: { name: "in-beijing" },
      spec: {
        nodeSelector: { "apps.openyurt.io/nodepool": "beijing" },
        tolerations: [
          {
            key: "apps.openyurt.io/example",
            operator: "Equal",
            value: "beijing",
            effect: "NoSchedule",
          },
        ],
        containers: [{ name: "c", image: "busybox" }],
      },
    };
    await core.createNamespacedPod({ namespace: "default", body: pod });
    const nodeName = await waitFor(
      "in-beijing to be running",
      async () => {
        const p = await core.readNamespacedPod({ name: "in-beijing", namespace: "default" });
        return p.status?.phase === "Running" ? p.spec?.nodeName : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const node = await core.readNode({ name: nodeName ?? "" });
    expect(node.metadata?.labels?.["apps.openyurt.io/nodepool"]).toBe("beijing");
  });

  it("keeps a pool's taint: a pod without the toleration never lands in the pool", async () => {
    const { core } = clientsFor("edge-1");
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "no-toleration" },
        spec: {
          nodeSelector: { "apps.openyurt.io/nodepool": "shanghai" },
          containers: [{ name: "c", image: "busybox" }],
        },
      },
    });
    const reason = await waitFor(
      "no-toleration to be reported unschedulable",
      async () => {
        const p = await core.readNamespacedPod({ name: "no-toleration", namespace: "default" });
        return p.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False")
          ?.reason;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(reason).toBe("Unschedulable");
  });

  it("serves kubectl with the written kubeconfig, reporting the real server version", async () => {
    const kubeconfig = fleet.cluster("edge-1").kubeconfigFile;
    const version = await run(binaries.kubectl, [
      "--kubeconfig",
      kubeconfig,
      "version",
      "-o",
      "json",
    ]);
    const parsed = JSON.parse(version.stdout) as { serverVersion: { gitVersion: string } };
    expect(parsed.serverVersion.gitVersion).toBe(`v${fleetVersions.kubernetes}`);
    const pools = await run(binaries.kubectl, [
      "--kubeconfig",
      kubeconfig,
      "get",
      "nodepools",
      "-o",
      "name",
    ]);
    expect(pools.stdout.trim().split("\n").sort()).toEqual([
      "nodepool.apps.openyurt.io/beijing",
      "nodepool.apps.openyurt.io/shanghai",
    ]);
    const beijing = await run(binaries.kubectl, [
      "--kubeconfig",
      kubeconfig,
      "get",
      "nodepool",
      "beijing",
      "-o",
      "json",
    ]);
    const pool = JSON.parse(beijing.stdout) as {
      spec: { taints: unknown[] };
      status: { readyNodeNum: number; nodes: string[] };
    };
    expect(pool.status.readyNodeNum).toBe(2);
    expect(pool.status.nodes.sort()).toEqual(["edge-1-beijing-0", "edge-1-beijing-1"]);
    expect(pool.spec.taints).toEqual([
      { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
    ]);
  });

  it("runs the hub with the aggregation layer's front-proxy CA", async () => {
    const hub = fleet.cluster("local");
    const cm = await clientsFor("local").core.readNamespacedConfigMap({
      name: "extension-apiserver-authentication",
      namespace: "kube-system",
    });
    expect(cm.data?.["requestheader-client-ca-file"]?.trim()).toBe(hub.frontProxyCaPem?.trim());
    expect(cm.data?.["requestheader-allowed-names"]).toContain("front-proxy-client");
    expect(fleet.cluster("edge-1").frontProxyCaPem).toBeUndefined();
  });

  it("leaves no process and no port behind after stop()", async () => {
    const pids = fleet.pids();
    const ports = fleet.ports();
    expect(pids.every(isAlive)).toBe(true);
    await fleet.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    for (const port of ports) expect(await isPortFree(port), `port ${port}`).toBe(true);
  });
});
