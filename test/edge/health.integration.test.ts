/**
 * Cluster health end to end on a real fleet: hub `local`, `member-1` and `member-2` (one node
 * each), the gateway, the hub controller and one agent per member with the agent's default
 * timing (heartbeat 2 s, health threshold 10 s) and the hub's default grace (10 s).
 *
 * Stopping member-1's API server turns it Unknown (`ClusterNotReachable`) within 15 s and its
 * application entries stale while member-2 stays Ready; a change made meanwhile reaches
 * member-2 at once and member-1 once its API server is back, when it is Ready and its entries
 * fresh again. Killing member-2's agent (SIGKILL) turns member-2 Unknown within 15 s. Tests
 * run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import { waitFor } from "../../fleet/wait.js";
import { applyApp, deployment, eventually, imageOf, phase, readApp } from "../support/hub-world.js";
import {
  conditionIs,
  flotilla,
  readyCondition,
  servicesOf,
  setUpEdgeWorld,
  type EdgeWorld,
  type ReadyCondition,
} from "../support/edge-world.js";

const NS = "default";
/** The bound: a lost cluster is Unknown within this long. */
const BOUND_MS = 15_000;

let world: EdgeWorld;

beforeAll(async () => {
  world = await setUpEdgeWorld([
    { name: "local", hub: true, nodes: 1, pools: [] },
    { name: "member-1", hub: false, nodes: 1, pools: [] },
    { name: "member-2", hub: false, nodes: 1, pools: [] },
  ]);
  await conditionIs(world, "member-1", "True", "ClusterReady");
  await conditionIs(world, "member-2", "True", "ClusterReady");
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

const helloApp = (image: string): JsonObject => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "hello", namespace: NS },
  spec: {
    components: [{ name: "hello", type: "webservice", properties: { image } }],
    policies: [
      { name: "both", type: "topology", properties: { clusters: ["member-1", "member-2"] } },
    ],
  },
});

const entryOn = (services: readonly ServiceStatus[] | undefined, cluster: string) =>
  services?.find((s) => s.cluster === cluster);

/**
 * Polls the cluster's `Ready` condition every 250 ms until `until` holds; returns how long
 * that took from `since`, and every condition `other` had meanwhile.
 */
async function detect(
  cluster: string,
  until: (c: ReadyCondition | undefined) => boolean,
  since: number,
  other: string,
): Promise<{ afterMs: number; other: Array<string | undefined> }> {
  const seen: Array<string | undefined> = [];
  const afterMs = await waitFor(
    `${cluster}'s verdict`,
    async () => {
      seen.push((await readyCondition(world, other))?.status);
      return until(await readyCondition(world, cluster)) ? Date.now() - since : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  return { afterMs, other: [...new Set(seen)] };
}

describe("a member's API server stops and restarts", () => {
  it("is delivered to both members first", async () => {
    await applyApp(world, helloApp("nginx:1.28"));
    const app = await phase(world, NS, "hello", "running");
    expect(app.status?.services.map((s) => [s.cluster, s.healthy, s.stale])).toEqual([
      ["member-1", true, undefined],
      ["member-2", true, undefined],
    ]);
  });

  it("turns the member Unknown within 15 s while the other stays Ready", async () => {
    const stoppedAt = Date.now();
    await world.fleet.cluster("member-1").stopApiServer();
    const lost = await detect(
      "member-1",
      (c) => c?.status === "Unknown" && c.reason === "ClusterNotReachable",
      stoppedAt,
      "member-2",
    );
    expect(lost.afterMs).toBeLessThanOrEqual(BOUND_MS);
    expect(lost.other).toEqual(["True"]);
    const condition = await readyCondition(world, "member-1");
    expect(condition?.message).toContain("the agent is alive but cannot reach");

    const list = await flotilla(world, "cluster", "list", "-o", "json");
    const views = JSON.parse(list.out) as Array<{ name: string; health: unknown }>;
    expect(views.find((v) => v.name === "member-1")?.health).toMatchObject({
      state: "Unknown",
      reason: "ClusterNotReachable",
    });
    expect(views.find((v) => v.name === "member-2")?.health).toMatchObject({ state: "Ready" });
  });

  it("marks the member's application entries stale, and the phase says so", async () => {
    const services = await eventually("member-1's entry stale", async () => {
      const current = await servicesOf(world, "hello");
      return entryOn(current, "member-1")?.stale === true ? current : undefined;
    });
    const stale = entryOn(services, "member-1");
    expect(stale).toMatchObject({ healthy: false, stale: true });
    expect(Date.parse(stale?.lastSeen ?? "")).toBeLessThanOrEqual(Date.now());
    expect(stale?.message).toMatch(
      /^stale: cluster member-1 is Unknown, its agent cannot reach the API server/,
    );
    expect(entryOn(services, "member-2")).toMatchObject({ healthy: true });
    expect(entryOn(services, "member-2")?.stale).toBeUndefined();
    const app = await eventually("the app's phase", () => readAppStatus());
    expect(app.status).not.toBe("running");
    const healthy = app.conditions.find((c) => c.type === "Healthy");
    expect(healthy?.status).toBe("False");
    expect(healthy?.message).toContain("hello@member-1: stale: cluster member-1 is Unknown");
  });

  it("delivers a change made during the outage once the API server is back", async () => {
    await applyApp(world, helloApp("nginx:1.29"));
    await eventually("member-2 updated", async () =>
      imageOf(await world.direct("member-2").read(deployment(NS, "hello"))) === "nginx:1.29"
        ? true
        : undefined,
    );

    await world.fleet.cluster("member-1").restartApiServer();
    await conditionIs(world, "member-1", "True", "ClusterReady");
    await eventually("member-1 updated", async () =>
      imageOf(await world.direct("member-1").read(deployment(NS, "hello"))) === "nginx:1.29"
        ? true
        : undefined,
    );
    const app = await phase(world, NS, "hello", "running");
    for (const cluster of ["member-1", "member-2"]) {
      const entry = entryOn(app.status?.services, cluster);
      expect(entry).toMatchObject({ healthy: true });
      expect(entry?.stale).toBeUndefined();
    }
  });
});

describe("a member's agent is killed", () => {
  it("turns its cluster Unknown within 15 s and its entries stale", async () => {
    const agent = world.agents.get("member-2");
    expect(agent).toBeDefined();
    const killedAt = Date.now();
    process.kill(agent!.process.pid, "SIGKILL");
    const lost = await detect(
      "member-2",
      (c) => c?.status === "Unknown" && c.reason === "ClusterStatusUnknown",
      killedAt,
      "member-1",
    );
    expect(lost.afterMs).toBeLessThanOrEqual(BOUND_MS);
    expect(lost.other).toEqual(["True"]);
    const services = await eventually("member-2's entry stale", async () => {
      const current = await servicesOf(world, "hello");
      return entryOn(current, "member-2")?.stale === true ? current : undefined;
    });
    expect(entryOn(services, "member-2")?.message).toMatch(
      /^stale: cluster member-2 is Unknown, no agent heartbeat since /,
    );
    expect(entryOn(services, "member-1")?.stale).toBeUndefined();
  });
});

/** The app's phase and conditions once the hub has reported on its current generation. */
async function readAppStatus() {
  const app = await readApp(world, NS, "hello");
  const status = app?.status;
  if (status === undefined || status.observedGeneration !== app?.metadata.generation) return;
  return status;
}
