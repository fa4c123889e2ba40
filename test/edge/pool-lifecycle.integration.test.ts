/**
 * Node pools that come and go (issue 8): "a pool that appears later receives the app, a
 * removed pool has it removed". The world is the smallest that shows it: hub `local` and
 * `edge-1` with one pool, `beijing` (one kwok node), the gateway, the hub controller and
 * `edge-1`'s agent with its default timing (it lists NodePools every 10 s).
 *
 * A webservice is placed on `edge-1` by `nodePoolSelector: {matchLabels: {tier: edge}}`.
 * Only `beijing` carries the label at first: one copy, `Deployment/web-beijing`. Then a pool
 * `hangzhou` (labelled, one node) is created on `edge-1`: its copy appears, with its pool's
 * nodeSelector, and its pod runs on the hangzhou node; its label removed, the copy goes; the
 * label back, it returns; the pool and its node deleted, it goes for good. Each change is
 * asserted within 60 s (agent report + hub reconcile), and the beijing copy is never touched
 * (same uid throughout). Tests run in order.
 */
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import { readReport } from "../support/agent-world.js";
import { waitFor } from "../../fleet/wait.js";
import { applyApp, deployment, phase, readApp } from "../support/hub-world.js";
import {
  addNodePool,
  conditionIs,
  memberKubeConfig,
  patchNodePoolLabels,
  removeNodePool,
  servicesOf,
  setUpEdgeWorld,
  type EdgeWorld,
} from "../support/edge-world.js";

const EDGE = "edge-1";
const NS = "default";
const POOL_LABEL = "apps.openyurt.io/nodepool";
const TIER = { tier: "edge" };
/** Agent report (NodePools listed every 10 s) plus hub reconcile, with room for a busy machine. */
const BOUND_MS = 60_000;

let world: EdgeWorld;
let beijingUid: string;

beforeAll(async () => {
  world = await setUpEdgeWorld([
    { name: "local", hub: true, nodes: 1, pools: [] },
    { name: EDGE, nodes: 0, pools: [{ name: "beijing", nodes: 1 }] },
  ]);
  await conditionIs(world, EDGE, "True", "ClusterReady");
  await patchNodePoolLabels(world, EDGE, "beijing", TIER);
  await reportedPools("beijing labelled tier=edge in the report", ["beijing"]);
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

const within = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> =>
  waitFor(what, check, { timeoutMs: BOUND_MS, intervalMs: 250 });

/** Waits until edge-1's ClusterReport lists exactly `pools` as labelled tier=edge. */
function reportedPools(what: string, pools: readonly string[]): Promise<true> {
  return within(what, async () => {
    const report = (await readReport(world.fleet, EDGE)).report;
    const tiered = report?.nodePools.filter((p) => p.labels.tier === "edge").map((p) => p.name);
    return JSON.stringify(tiered) === JSON.stringify(pools) ? true : undefined;
  });
}

const webApp: JsonObject = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "web", namespace: NS },
  spec: {
    components: [
      {
        name: "web",
        type: "webservice",
        properties: { image: "nginx:1.29", ports: [{ port: 80, expose: true }] },
      },
    ],
    policies: [
      {
        name: "edge",
        type: "topology",
        properties: { clusters: [EDGE], nodePoolSelector: { matchLabels: TIER } },
      },
    ],
  },
};

interface PodSpecView {
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{ key?: string; value?: string }>;
}

const podSpecOf = (live: JsonObject): PodSpecView =>
  (live.spec as { template: { spec: PodSpecView } }).template.spec;

const uidOf = (live: JsonObject | undefined): string | undefined =>
  (live?.metadata as { uid?: string } | undefined)?.uid;

const liveCopy = (pool: string) => world.direct(EDGE).read(deployment(NS, `web-${pool}`));

/** The pools of the app's copies on edge-1, from its `status.services`. */
const copies = (services: readonly ServiceStatus[] | undefined) =>
  services
    ?.filter((s) => s.cluster === EDGE && s.replicaKey !== undefined)
    .map((s) => s.replicaKey);

/** Deployments named in the app's `status.appliedResources` on edge-1. */
async function appliedDeployments(): Promise<string[]> {
  const app = await readApp(world, NS, "web");
  return (app?.status?.appliedResources ?? [])
    .filter((r) => r.cluster === EDGE && r.kind === "Deployment")
    .map((r) => r.name)
    .sort();
}

/** Waits until the app's status has exactly the copies of `pools`, all healthy. */
function statusHasCopies(pools: readonly string[]) {
  return within(`the app's status listing copies ${pools.join(", ")}`, async () => {
    const services = await servicesOf(world, "web");
    const healthy = services?.every((s) => s.healthy) === true;
    const same = JSON.stringify(copies(services)) === JSON.stringify(pools);
    const applied = await appliedDeployments();
    const names = pools.map((p) => `web-${p}`);
    return healthy && same && JSON.stringify(applied) === JSON.stringify(names) ? true : undefined;
  });
}

/** Asserts the hangzhou copy appears (with its pool's placement) and the status lists it. */
async function expectHangzhouCopy(): Promise<JsonObject> {
  const live = await within("Deployment web-hangzhou on edge-1", () => liveCopy("hangzhou"));
  const pod = podSpecOf(live);
  expect(pod.nodeSelector).toEqual({ [POOL_LABEL]: "hangzhou" });
  expect(pod.tolerations?.map((t) => t.value)).toEqual(["hangzhou"]);
  await statusHasCopies(["beijing", "hangzhou"]);
  return live;
}

/** Asserts the hangzhou copy is deleted from edge-1 and gone from the status; beijing kept. */
async function expectHangzhouGone(): Promise<void> {
  await within("Deployment web-hangzhou gone from edge-1", async () =>
    (await liveCopy("hangzhou")) === undefined ? true : undefined,
  );
  await statusHasCopies(["beijing"]);
  expect(uidOf(await liveCopy("beijing"))).toBe(beijingUid);
}

describe("a webservice placed by nodePoolSelector on edge-1", () => {
  it("has one copy, in the one matching pool", async () => {
    await applyApp(world, webApp);
    const app = await phase(world, NS, "web", "running");
    expect(copies(app.status?.services)).toEqual(["beijing"]);
    expect(await appliedDeployments()).toEqual(["web-beijing"]);
    const live = await liveCopy("beijing");
    expect(podSpecOf(live ?? {}).nodeSelector).toEqual({ [POOL_LABEL]: "beijing" });
    beijingUid = uidOf(live) ?? "";
    expect(beijingUid).not.toBe("");
  });

  it("gets a copy in a matching pool that appears later, running on that pool's node", async () => {
    const [node] = await addNodePool(world, EDGE, { name: "hangzhou", labels: TIER });
    await expectHangzhouCopy();
    const core = memberKubeConfig(world, EDGE).makeApiClient(CoreV1Api);
    await within("the hangzhou copy's pod bound to the hangzhou node", async () => {
      const pods = await core.listNamespacedPod({
        namespace: NS,
        labelSelector: "app.oam.dev/component=web",
      });
      const hangzhou = pods.items.filter((p) => p.metadata?.name?.startsWith("web-hangzhou-"));
      return hangzhou.length === 1 && hangzhou[0]?.spec?.nodeName === node ? true : undefined;
    });
    expect(uidOf(await liveCopy("beijing"))).toBe(beijingUid);
  });

  it("removes the copy of a pool whose label no longer matches, and restores it", async () => {
    await patchNodePoolLabels(world, EDGE, "hangzhou", { tier: null });
    await expectHangzhouGone();
    await patchNodePoolLabels(world, EDGE, "hangzhou", TIER);
    await expectHangzhouCopy();
    expect(uidOf(await liveCopy("beijing"))).toBe(beijingUid);
  });

  it("removes the copy of a pool that is deleted, and keeps the other pool's", async () => {
    await removeNodePool(world, EDGE, "hangzhou");
    await expectHangzhouGone();
    await reportedPools("hangzhou gone from the report", ["beijing"]);
    await phase(world, NS, "web", "running");
  });
});
