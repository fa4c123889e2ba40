/**
 * The hub's cluster health against a real hub API server: the tracker follows heartbeat
 * Leases and ClusterReports written as an agent writes them, turns a cluster Unknown within
 * the bound once its heartbeat stops (and not before the grace), back to Ready when it
 * resumes, writes the Ready condition on the ClusterReport, keeps its transition time over a
 * hub restart, and `flotilla cluster list` shows the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../core/controller/clock.js";
import { silentLogger } from "../../core/controller/logger.js";
import { loadHub } from "../../cli/cluster/hub.js";
import { clusterList } from "../../cli/cluster/list.js";
import { loadCliConfig } from "../../cli/config.js";
import type { StatusCondition } from "../../hub/cluster-health/contract.js";
import type { HealthState } from "../../hub/cluster-health/state.js";
import {
  createClusterHealth,
  type ClusterHealthTracker,
} from "../../hub/cluster-health/tracker.js";
import { hubOf } from "../../fleet/gateway.js";
import { waitFor } from "../../fleet/wait.js";
import {
  fakeAgent,
  register,
  reportBody,
  setUpHealthWorld,
  type FakeAgent,
  type HealthWorld,
} from "../support/health-world.js";

const HEARTBEAT_MS = 2_000;
const STARTUP_GRACE_MS = 6_000;

let world: HealthWorld;
let tracker: ClusterHealthTracker;
let agent: FakeAgent;
let silent: FakeAgent;
const changes: string[] = [];

/** With `registry`, the cluster names come from the caller (as the hub's cluster view). */
const startTracker = async (registry?: () => string[]): Promise<ClusterHealthTracker> => {
  const t = createClusterHealth({
    ...(registry === undefined ? {} : { registry }),
    hub: world.hubKc,
    clock: systemClock,
    log: silentLogger,
    onChange: (cluster) => changes.push(`${cluster}:${t.health(cluster)?.state ?? "gone"}`),
    options: { startupGraceMs: STARTUP_GRACE_MS },
  });
  await t.start();
  return t;
};

const state = (cluster: string): HealthState | undefined => tracker.health(cluster)?.state;

const until = <T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> =>
  waitFor(what, async () => check(), { timeoutMs: 30_000, intervalMs: 100 });

const ready = (conditions: StatusCondition[]): StatusCondition | undefined =>
  conditions.find((c) => c.type === "Ready");

const conditionIs = (a: FakeAgent, status: string, reason: string): Promise<StatusCondition> =>
  until(`Ready=${status} (${reason})`, async () => {
    const c = ready(await a.conditions());
    return c?.status === status && c.reason === reason ? c : undefined;
  });

beforeAll(async () => {
  world = await setUpHealthWorld();
  await register(world, "member-a");
  await register(world, "member-b");
  agent = await fakeAgent(world, "member-a");
  silent = await fakeAgent(world, "member-b"); // provisioned, but its agent never starts
  await agent.report(reportBody(true, ["beijing"]));
  await agent.beat(HEARTBEAT_MS);
  tracker = await startTracker();
});

afterAll(async () => {
  await agent?.stopBeating();
  await tracker?.stop();
  await world?.stop();
});

describe("cluster health on the hub", () => {
  it("judges a heartbeating cluster Ready, a silent one Pending then Unknown, local Ready", async () => {
    expect(tracker.synced()).toBe(true);
    await until("member-a Ready", () => (state("member-a") === "Ready" ? true : undefined));
    expect(state("local")).toBe("Ready");
    expect(tracker.pools("member-a")?.map((p) => p.name)).toEqual(["beijing"]);
    expect(tracker.pools("member-b")).toBeUndefined();
    expect(tracker.all().map((h) => h.cluster)).toEqual(["local", "member-a", "member-b"]);
    expect(await conditionIs(agent, "True", "ClusterReady")).toMatchObject({ type: "Ready" });

    expect(state("member-b")).toBe("Pending");
    expect((await conditionIs(silent, "Unknown", "ClusterStatusPending")).message).toContain(
      "waiting for the agent's first heartbeat",
    );
    await until("member-b Unknown", () => (state("member-b") === "Unknown" ? true : undefined));
    expect(tracker.health("member-b")?.reason).toBe("ClusterStatusNeverUpdated");
    await conditionIs(silent, "Unknown", "ClusterStatusNeverUpdated");
    expect(changes).toContain("member-b:Unknown");
  });

  it("follows the report: Unknown when the API cannot be reached, NotReady with no Ready node", async () => {
    changes.length = 0;
    await agent.report(reportBody(false, ["beijing", "shanghai"]));
    await until("member-a Unknown", () => (state("member-a") === "Unknown" ? true : undefined));
    expect(tracker.health("member-a")?.reason).toBe("ClusterNotReachable");
    expect(tracker.pools("member-a")?.map((p) => p.name)).toEqual(["beijing", "shanghai"]);
    await conditionIs(agent, "Unknown", "ClusterNotReachable");
    await agent.report({
      ...reportBody(true, ["beijing", "shanghai"]),
      nodes: { total: 2, ready: 0, notReady: 2 },
    });
    await until("member-a NotReady", () => (state("member-a") === "NotReady" ? true : undefined));
    await conditionIs(agent, "False", "ClusterNotReady");
    await agent.report(reportBody(true, ["beijing", "shanghai"]));
    await until("member-a Ready", () => (state("member-a") === "Ready" ? true : undefined));
    expect(changes).toEqual(["member-a:Unknown", "member-a:NotReady", "member-a:Ready"]);
  });

  it("turns Unknown within 15 s of the last heartbeat, not before the grace, and back", async () => {
    const readySince = (await conditionIs(agent, "True", "ClusterReady")).lastTransitionTime;
    const last = await agent.stopBeating();
    const samples: Array<[number, HealthState | undefined]> = [];
    const detectedAt = await waitFor(
      "member-a Unknown",
      () => {
        samples.push([Date.now() - last, state("member-a")]);
        return Promise.resolve(state("member-a") === "Unknown" ? Date.now() : undefined);
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const early = samples.filter(([ms, s]) => ms < 9_500 && s !== "Ready");
    expect(early).toEqual([]); // several missed heartbeats, still Ready
    expect(detectedAt - last).toBeGreaterThanOrEqual(9_500);
    expect(detectedAt - last).toBeLessThanOrEqual(15_000);
    const lost = await conditionIs(agent, "Unknown", "ClusterStatusUnknown");
    expect(lost.lastTransitionTime > readySince).toBe(true);
    expect(tracker.health("member-a")?.lastSeen).toBeGreaterThanOrEqual(last - 1_000);

    const resumed = Date.now();
    await agent.beat(HEARTBEAT_MS);
    await until("member-a Ready again", () => (state("member-a") === "Ready" ? true : undefined));
    expect(Date.now() - resumed).toBeLessThan(5_000);
    await conditionIs(agent, "True", "ClusterReady");
  });

  it("keeps states and transition times over a hub restart", async () => {
    const before = ready(await agent.conditions());
    const neverBefore = ready(await silent.conditions());
    await tracker.stop();
    // Restarted as the hub runs it: cluster names from its registry view, not a Secret watch.
    const registered = ["member-a", "member-b"];
    tracker = await startTracker(() => registered);
    expect(state("member-a")).toBe("Ready");
    expect(state("member-b")).toBe("Unknown"); // no new startup grace for a lost cluster
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(ready(await agent.conditions())).toEqual(before);
    expect(ready(await silent.conditions())).toEqual(neverBefore);
    registered.pop();
    tracker.registryChanged();
    expect(tracker.all().map((h) => h.cluster)).toEqual(["local", "member-a"]);
    registered.push("member-b");
    tracker.registryChanged();
    expect(state("member-b")).toBe("Unknown");
  });

  it("shows READY, VERSION, NODES, POOLS and LAST-SEEN in `flotilla cluster list`", async () => {
    const hub = await loadHub(loadCliConfig({}), hubOf(world.fleet).kubeconfigFile);
    const out: string[] = [];
    const err: string[] = [];
    await clusterList(hub, "table", { out: (l) => out.push(l), err: (l) => err.push(l) });
    const rows = out.join("\n").split("\n");
    expect(rows[0]).toMatch(/^NAME\s+ALIAS\s+READY\s+VERSION\s+NODES\s+POOLS\s+LAST-SEEN\s/);
    expect(rows[1]).toMatch(/^local\s+-\s+Ready\s+v\d+\.\d+\.\d+\s+-\s+-\s+-\s+Internal\s/);
    expect(rows[2]).toMatch(/^member-a\s+-\s+Ready\s+v1\.36\.3\s+2\/2\s+beijing,shanghai\s+\ds\s/);
    expect(rows[3]).toMatch(/^member-b\s+-\s+Unknown\s+-\s+-\s+-\s+-\s+ServiceAccountToken\s/);
    expect(err).toEqual([]);

    out.length = 0;
    await clusterList(hub, "json", { out: (l) => out.push(l), err: (l) => err.push(l) });
    const views = JSON.parse(out.join("\n")) as Array<{ name: string; health: object }>;
    expect(views.find((v) => v.name === "member-b")?.health).toMatchObject({
      state: "Unknown",
      reason: "ClusterStatusNeverUpdated",
    });
  });
});
