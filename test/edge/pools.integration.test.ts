/**
 * Edge node pools on a real fleet: hub `local` and `edge-1` (one plain node; OpenYurt pools
 * `beijing` with two nodes and `shanghai` with one, tainted as in the seed), the gateway, the
 * hub controller and `edge-1`'s agent with its default timing (health threshold 10 s).
 *
 * The seed's edge application delivers one HelmRelease per pool to `edge-1`, each carrying
 * its pool's selector; a webservice placed with `nodePools` runs each copy's pods on its
 * pool's nodes only, and `flotilla status --tree` shows cluster → pool → resource; a node
 * flap shorter than the agent's threshold changes no health at the hub; a pool whose nodes all
 * go NotReady is NotReady in the application's status. Tests run in order.
 */
import { readFile } from "node:fs/promises";
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import { withoutObservedTime } from "../../agent/diff.js";
import { readReport, readyOf, setKwokManaged, setReady } from "../support/agent-world.js";
import { applyApp, eventually, phase } from "../support/hub-world.js";
import {
  conditionIs,
  flotilla,
  installFluxCrds,
  installSeedTraits,
  memberKubeConfig,
  readyCondition,
  seedFile,
  servicesOf,
  setUpEdgeWorld,
  sleep,
  type EdgeWorld,
} from "../support/edge-world.js";

const EDGE = "edge-1";
const NS = "default";
const POOL_LABEL = "apps.openyurt.io/nodepool";
const beijingNodes = [`${EDGE}-beijing-0`, `${EDGE}-beijing-1`];
const shanghaiNode = `${EDGE}-shanghai-0`;
/** The agent's default health threshold. */
const THRESHOLD_MS = 10_000;

let world: EdgeWorld;

beforeAll(async () => {
  world = await setUpEdgeWorld([
    { name: "local", hub: true, nodes: 1, pools: [] },
    {
      name: EDGE,
      nodes: 1,
      pools: [
        { name: "beijing", nodes: 2 },
        { name: "shanghai", nodes: 1 },
      ],
    },
  ]);
  await installFluxCrds(world, EDGE);
  await installSeedTraits(world, ["edge-nginx.cue", "gateway-nginx.cue"]);
  await conditionIs(world, EDGE, "True", "ClusterReady");
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

const status = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Plays Flux: marks a HelmRelease or HelmRepository on edge-1 Ready. */
async function fluxReady(plural: string, group: string, version: string, name: string) {
  const body = {
    status: { conditions: [{ type: "Ready", status: "True", reason: "Test", message: "ok" }] },
  };
  await memberKubeConfig(world, EDGE)
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObjectStatus(
      { group, version, plural, namespace: NS, name, body },
      status,
    );
}

interface HelmValues {
  controller: { nodeSelector?: Record<string, string>; tolerations?: Array<{ value?: string }> };
  defaultBackend: { nodeSelector?: Record<string, string> };
}

describe("the edge seed application", () => {
  it("deploys to edge-1 with one HelmRelease per pool, each with its pool's selector", async () => {
    const seed = parse(await readFile(seedFile("application.yaml"), "utf8")) as JsonObject;
    const spec = seed.spec as {
      policies: JsonObject[];
      workflow: { steps: Array<{ properties: { policies: string[] } }> };
    };
    // The seed names no cluster (KubeVela delivers it to the hub); send it to edge-1.
    spec.policies.push({ name: "edge", type: "topology", properties: { clusters: [EDGE] } });
    spec.workflow.steps[0]!.properties.policies = ["edge", "replication"];
    await applyApp(world, { ...seed, metadata: { name: "edge-ingress", namespace: NS } });

    const release = { apiVersion: "helm.toolkit.fluxcd.io/v2beta1", kind: "HelmRelease" };
    for (const pool of ["beijing", "shanghai"]) {
      const name = `ingress-nginx-${pool}`;
      const live = await eventually(`HelmRelease ${name} on ${EDGE}`, () =>
        world.direct(EDGE).read({ ...release, namespace: NS, name }),
      );
      const values = (live.spec as { values: HelmValues }).values;
      expect(values.controller.nodeSelector).toEqual({ [POOL_LABEL]: pool });
      expect(values.defaultBackend.nodeSelector).toEqual({ [POOL_LABEL]: pool });
      expect(values.controller.tolerations?.map((t) => t.value)).toEqual([pool]);
      await fluxReady("helmreleases", "helm.toolkit.fluxcd.io", "v2beta1", name);
    }
    await fluxReady("helmrepositories", "source.toolkit.fluxcd.io", "v1beta2", "ingress-nginx");
    const app = await phase(world, NS, "edge-ingress", "running");
    expect(app.status?.services.map((s) => [s.cluster, s.replicaKey, s.healthy])).toEqual([
      [EDGE, "beijing", true],
      [EDGE, "shanghai", true],
    ]);
  });
});

const webApp = (): JsonObject => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "web", namespace: NS },
  spec: {
    components: [
      {
        name: "web",
        type: "webservice",
        properties: { image: "nginx:1.29", ports: [{ port: 80, expose: true }] },
        traits: [{ type: "scaler", properties: { replicas: 2 } }],
      },
    ],
    policies: [
      {
        name: "edge",
        type: "topology",
        properties: { clusters: [EDGE], nodePools: ["beijing", "shanghai"] },
      },
    ],
  },
});

const copyIn = (services: readonly ServiceStatus[] | undefined, pool: string) =>
  services?.find((s) => s.cluster === EDGE && s.replicaKey === pool);

/** `status --tree` lines with runs of spaces squeezed and apply times masked. */
async function tree(): Promise<string[]> {
  const result = await flotilla(world, "status", "web", "--tree");
  expect(result.err).toBe("");
  expect(result.code).toBe(0);
  return result.out
    .split("\n")
    .map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, "<time>").replace(/ +/g, " "));
}

describe("a webservice placed on node pools", () => {
  it("runs each copy's pods on its own pool's nodes only", async () => {
    await applyApp(world, webApp());
    const app = await phase(world, NS, "web", "running");
    for (const [pool, readyNodes] of [
      ["beijing", 2],
      ["shanghai", 1],
    ] as const) {
      expect(copyIn(app.status?.services, pool)).toMatchObject({
        healthy: true,
        nodePool: { name: pool, ready: true, readyNodes, notReadyNodes: 0 },
      });
    }
    const core = memberKubeConfig(world, EDGE).makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    const poolOf = new Map(
      nodes.items.map((n) => [n.metadata?.name, n.metadata?.labels?.[POOL_LABEL]]),
    );
    const pods = await core.listNamespacedPod({
      namespace: NS,
      labelSelector: "app.oam.dev/component=web",
    });
    const placed = pods.items.map((p) => [
      p.metadata?.name?.split("-")[1],
      poolOf.get(p.spec?.nodeName),
    ]);
    expect(placed.filter(([copy]) => copy === "beijing")).toEqual([
      ["beijing", "beijing"],
      ["beijing", "beijing"],
    ]);
    expect(placed.filter(([copy]) => copy === "shanghai")).toEqual([
      ["shanghai", "shanghai"],
      ["shanghai", "shanghai"],
    ]);
  });

  it("shows cluster → pool → resource in `flotilla status --tree`", async () => {
    expect(await tree()).toEqual([
      "CLUSTER NODEPOOL NAMESPACE RESOURCE STATUS APPLY_TIME",
      "edge-1 ─┬─ - ─── default ─── Service/web updated <time>",
      " ├─ beijing (Ready) ─── default ─── Deployment/web-beijing updated <time>",
      " └─ shanghai (Ready) ─── default ─── Deployment/web-shanghai updated <time>",
    ]);
  });

  it("changes no health at the hub for a node flap shorter than the agent's threshold", async () => {
    const before = await readyCondition(world, EDGE);
    const reportBefore = (await readReport(world.fleet, EDGE)).report;
    const flapStart = Date.now();
    await setKwokManaged(world.fleet, [shanghaiNode], false);
    await setReady(world.fleet, [shanghaiNode], false);
    expect(await readyOf(world.fleet, shanghaiNode)).toBe("False");
    await sleep(3_000);
    await setKwokManaged(world.fleet, [shanghaiNode], true); // kwok makes it Ready again
    // Watch until well past the threshold: the report, the verdict and the pool stay put.
    while (Date.now() - flapStart < THRESHOLD_MS + 4_000) {
      const report = await readReport(world.fleet, EDGE);
      const shanghai = report.report?.nodePools.find((p) => p.name === "shanghai");
      expect(shanghai).toMatchObject({ readyNodes: 1, notReadyNodes: 0 });
      expect(await readyCondition(world, EDGE)).toEqual(before);
      expect(copyIn(await servicesOf(world, "web"), "shanghai")?.nodePool?.ready).not.toBe(false);
      await sleep(500);
    }
    // The node was real while kwok did not manage it, which the report may have shown
    // (nodes.kwok); now it is simulated again and the report is as before.
    const reportAfter = (await readReport(world.fleet, EDGE)).report;
    expect(withoutObservedTime(reportAfter)).toEqual(withoutObservedTime(reportBefore));
  });

  it("shows a pool whose nodes all went NotReady as NotReady in the app's status", async () => {
    await setKwokManaged(world.fleet, beijingNodes, false);
    await setReady(world.fleet, beijingNodes, false);
    const services = await eventually("the beijing copy NotReady", async () => {
      const current = await servicesOf(world, "web");
      return copyIn(current, "beijing")?.nodePool?.ready === false ? current : undefined;
    });
    expect(copyIn(services, "beijing")).toMatchObject({
      healthy: false,
      nodePool: { name: "beijing", ready: false, readyNodes: 0, notReadyNodes: 2 },
    });
    expect(copyIn(services, "beijing")?.message).toContain("node pool beijing has no Ready node");
    expect(copyIn(services, "shanghai")?.nodePool).toMatchObject({ ready: true, readyNodes: 1 });
    const app = await phase(world, NS, "web", "unhealthy");
    const healthy = app.status?.conditions.find((c) => c.type === "Healthy");
    expect(healthy?.message).toContain("node pool beijing has no Ready node");
    // The cluster itself keeps Ready nodes: it stays Ready.
    expect((await readyCondition(world, EDGE))?.status).toBe("True");
    expect((await tree())[2]).toBe(
      " ├─ beijing (NotReady) ─── default ─── Deployment/web-beijing updated <time>",
    );

    await setKwokManaged(world.fleet, beijingNodes, true);
    await eventually("the beijing copy's pool Ready again", async () => {
      const pool = copyIn(await servicesOf(world, "web"), "beijing")?.nodePool;
      return pool?.ready === true && pool.readyNodes === 2 ? true : undefined;
    });
  });
});
