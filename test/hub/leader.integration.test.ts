/**
 * Two hub controller processes on one hub cluster: exactly one holds the leader Lease and
 * works (the other is ready as "standby"); when the leader gets SIGTERM it exits 0 and releases
 * the Lease on its way out (the holder is cleared at once, not left to expire after the lease
 * duration), so the other takes the Lease within a retry period and delivers the next change.
 * Applications without a topology go to the hub itself, so no gateway or member is needed.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";
import { startFleetHub, type FleetHub } from "../../fleet/hub.js";
import { waitFor } from "../../fleet/wait.js";

let fleet: Fleet;
const identities = ["hub-a", "hub-b"];
const hubs: FleetHub[] = [];

beforeAll(async () => {
  fleet = await startFleet({
    binaries: await ensureBinaries(),
    clusters: [{ name: "local", hub: true, nodes: 1, pools: [] }],
  });
  for (const identity of identities) {
    // the second replica stays a standby while the first leads
    hubs.push(await startFleetHub({ fleet, args: ["--identity", identity], until: "serving" }));
  }
}, 240_000);

afterAll(async () => {
  for (const hub of hubs) await hub.stop();
  await fleet?.stop();
});

async function isLeader(hub: FleetHub): Promise<boolean> {
  const text = await (await fetch(`${hub.metricsUrl}/metrics`)).text();
  return /^flotilla_hub_leader 1$/m.test(text);
}

const app = (value: string) => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "settings", namespace: "default" },
  spec: {
    components: [
      {
        name: "settings",
        type: "k8s-objects",
        properties: {
          objects: [
            {
              apiVersion: "v1",
              kind: "ConfigMap",
              metadata: { name: "settings" },
              data: { value },
            },
          ],
        },
      },
    ],
  },
});

async function configValue(): Promise<string | undefined> {
  const core = kubeConfigOf(hubOf(fleet)).makeApiClient(CoreV1Api);
  const cm = await core
    .readNamespacedConfigMap({ namespace: "default", name: "settings" })
    .catch(() => undefined);
  return cm?.data?.value;
}

/** The hub Lease's holder ("" when released). */
async function leaseHolder(): Promise<string> {
  const coordination = kubeConfigOf(hubOf(fleet)).makeApiClient(CoordinationV1Api);
  const lease = await coordination.readNamespacedLease({
    namespace: "vela-system",
    name: "flotilla-hub",
  });
  return lease.spec?.holderIdentity ?? "";
}

const where = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };

describe("two hub replicas", () => {
  it("have one leader at a time, and the other takes over when it stops", async () => {
    const leaders = await waitFor(
      "one leader",
      async () => {
        const flags = await Promise.all(hubs.map(isLeader));
        return flags.filter(Boolean).length === 1 ? flags : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const leader = hubs[leaders.indexOf(true)]!;
    const follower = hubs[leaders.indexOf(false)]!;
    expect(await (await fetch(`${follower.metricsUrl}/readyz`)).text()).toBe("standby");

    const api = kubeConfigOf(hubOf(fleet)).makeApiClient(CustomObjectsApi);
    await api.createNamespacedCustomObject({ ...where, namespace: "default", body: app("one") });
    await waitFor(
      "the leader delivers",
      async () => ((await configValue()) === "one" ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );

    const [leaderName, followerName] = [
      identities[leaders.indexOf(true)]!,
      identities[leaders.indexOf(false)]!,
    ];
    expect(await leaseHolder()).toBe(leaderName);
    // SIGTERM (SIGKILL only after 5 s): the leader stops its work, releases the Lease, exits 0
    const stopped = Date.now();
    await leader.stop();
    expect(await leader.process.exited).toBe("exit code 0");
    // released: no holder, or already the follower; never the stopped leader until it expires
    expect(["", followerName]).toContain(await leaseHolder());
    await waitFor(
      "the follower leads",
      async () => ((await isLeader(follower)) ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // within a retry period (2 s + jitter), well before the 15 s lease duration would expire
    expect(Date.now() - stopped).toBeLessThan(10_000);
    expect(await leaseHolder()).toBe(followerName);
    await api.patchNamespacedCustomObject(
      { ...where, namespace: "default", name: "settings", body: { spec: app("two").spec } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await waitFor(
      "the new leader delivers",
      async () => ((await configValue()) === "two" ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
  });
});
