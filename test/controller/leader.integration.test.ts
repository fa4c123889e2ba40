/**
 * Leader election against a real kube-apiserver (one hub, `local`): of two electors on one
 * Lease exactly one leads; stopping it releases the Lease and the other takes over well
 * before a lease duration; a leader stops at once when another writer takes the Lease, and
 * after the renew deadline when the API server refuses its renewals (its RBAC binding is
 * deleted); a candidate ignores the holder's timestamps and waits a lease duration by its
 * own clock. Short timings keep it quick: the real clock drives everything.
 */
import {
  CoordinationV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  V1MicroTime,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLeaderElector,
  type LeaderElectionOptions,
  type LeaderElector,
} from "../../core/controller/leader.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { waitFor } from "../../fleet/wait.js";
import { clientsFor, type HubClients } from "../support/controller-hub.js";

const namespace = "flotilla-system";
/** Long lease, short retries: a takeover within a few retries can only come from a release. */
const timing = { leaseDurationMs: 10_000, renewDeadlineMs: 3_000, retryPeriodMs: 300 };

let fleet: Fleet;
let hub: HubClients;
let leases: CoordinationV1Api;
const electors: LeaderElector[] = [];

beforeAll(async () => {
  const binaries = await ensureBinaries();
  fleet = await startFleet({ binaries, clusters: [{ name: "local", hub: true }] });
  hub = clientsFor(fleet.cluster("local"));
  leases = hub.kubeconfig.makeApiClient(CoordinationV1Api);
  await hub.core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  await Promise.all(electors.map((e) => e.stop()));
  await fleet?.stop();
});

/** What an elector's callbacks saw. */
interface Watched {
  readonly elector: LeaderElector;
  readonly identity: string;
  readonly signals: AbortSignal[];
  stopped: number;
}

function elector(
  identity: string,
  lease: string,
  more: Partial<LeaderElectionOptions> = {},
): Watched {
  const watched = { identity, signals: [] as AbortSignal[], stopped: 0 };
  const created = createLeaderElector({
    kubeconfig: hub.kubeconfig,
    namespace,
    name: lease,
    identity,
    ...timing,
    onStartedLeading: (signal) => void watched.signals.push(signal),
    onStoppedLeading: () => void watched.stopped++,
    ...more,
  });
  electors.push(created);
  created.start();
  return Object.assign(watched, { elector: created });
}

const holderOf = async (name: string): Promise<string | undefined> =>
  (await leases.readNamespacedLease({ name, namespace })).spec?.holderIdentity;

const until = <T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> =>
  waitFor(what, () => Promise.resolve(check()), { timeoutMs, intervalMs: 20 });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("leader election on a Lease", () => {
  it("lets exactly one of two electors lead, and hands over at once when it stops", async () => {
    const both = [elector("hub-a", "hub"), elector("hub-b", "hub")];
    const leader = await until("a leader", () => both.find((w) => w.elector.isLeader()));
    const other = both.find((w) => w !== leader) as Watched;
    await sleep(4 * timing.retryPeriodMs);
    expect(both.filter((w) => w.elector.isLeader())).toEqual([leader]);
    expect(leader.signals).toHaveLength(1);
    expect(other.signals).toHaveLength(0);
    expect(await holderOf("hub")).toBe(leader.identity);
    expect(other.elector.leader()).toBe(leader.identity);

    const stoppedAt = Date.now();
    await leader.elector.stop();
    expect(leader.stopped).toBe(1);
    expect(leader.signals[0]?.aborted).toBe(true);
    expect(leader.elector.isLeader()).toBe(false);
    await until("the other elector to lead", () => other.elector.isLeader() || undefined);
    // Without the release the other would wait the full lease duration (10 s).
    expect(Date.now() - stoppedAt).toBeLessThan(timing.leaseDurationMs / 2);
    expect(await holderOf("hub")).toBe(other.identity);
    const lease = await leases.readNamespacedLease({ name: "hub", namespace });
    expect(lease.spec?.leaseTransitions).toBe(1);
  });

  it("stops leading as soon as another writer takes the Lease", async () => {
    const c = elector("hub-c", "taken");
    await until("hub-c to lead", () => c.elector.isLeader() || undefined);
    const lease = await leases.readNamespacedLease({ name: "taken", namespace });
    const now = new V1MicroTime(Date.now());
    const spec = { ...lease.spec, holderIdentity: "intruder", acquireTime: now, renewTime: now };
    const takenAt = Date.now();
    await leases.replaceNamespacedLease({ name: "taken", namespace, body: { ...lease, spec } });

    await until("hub-c to stop leading", () => !c.elector.isLeader() || undefined);
    // Seen on its next renewal, not after the renew deadline.
    expect(Date.now() - takenAt).toBeLessThan(timing.renewDeadlineMs / 2);
    expect(c.stopped).toBe(1);
    expect(c.signals[0]?.aborted).toBe(true);
    await sleep(4 * timing.retryPeriodMs);
    expect(await holderOf("taken")).toBe("intruder");
    expect(c.elector.leader()).toBe("intruder");
  });

  it("stops leading after the renew deadline when the API server refuses renewals", async () => {
    const rbac = hub.kubeconfig.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: "lease-writer" },
        rules: [
          {
            apiGroups: ["coordination.k8s.io"],
            resources: ["leases"],
            verbs: ["get", "create", "update"],
          },
        ],
      },
    });
    const binding = { name: "hub-d", namespace };
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: binding.name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "lease-writer" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "hub-d" }],
      },
    });
    const d = elector("hub-d", "refused", { kubeconfig: impersonating(hub.kubeconfig, "hub-d") });
    await until("hub-d to lead", () => d.elector.isLeader() || undefined);

    await rbac.deleteNamespacedRoleBinding(binding);
    const revokedAt = Date.now();
    await until("hub-d to stop leading", () => !d.elector.isLeader() || undefined);
    const elapsed = Date.now() - revokedAt;
    // The last renewal was at most one retry period before the binding went.
    expect(elapsed).toBeGreaterThanOrEqual(timing.renewDeadlineMs - timing.retryPeriodMs - 100);
    expect(elapsed).toBeLessThan(timing.renewDeadlineMs + 2_000);
    expect(d.stopped).toBe(1);
    expect(d.signals[0]?.aborted).toBe(true);
    // Nobody else took it: the Lease still names hub-d, so the stop came from the deadline.
    expect(await holderOf("refused")).toBe("hub-d");
    await expect(d.elector.stop()).resolves.toBeUndefined();
    expect(await holderOf("refused")).toBe("hub-d");
  });

  it("waits a lease duration by its own clock, whatever the holder's renewTime says", async () => {
    const longAgo = new V1MicroTime(Date.now() - 3_600_000);
    await leases.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: "stale" },
        spec: {
          holderIdentity: "gone",
          leaseDurationSeconds: 1,
          acquireTime: longAgo,
          renewTime: longAgo,
          leaseTransitions: 0,
        },
      },
    });
    const leaseDurationMs = 4_000;
    const startedAt = Date.now();
    const e = elector("hub-e", "stale", { leaseDurationMs });
    await until("hub-e to see the holder", () => e.elector.leader());
    expect(e.elector.leader()).toBe("gone");
    await until("hub-e to lead", () => e.elector.isLeader() || undefined);
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(leaseDurationMs);
    expect(elapsed).toBeLessThan(leaseDurationMs + 3 * timing.retryPeriodMs + 1_000);
    const lease = await leases.readNamespacedLease({ name: "stale", namespace });
    expect(lease.spec).toMatchObject({ holderIdentity: "hub-e", leaseTransitions: 1 });
  });
});

/** The same API server and credential, acting as `user` (the admin may impersonate). */
function impersonating(kubeconfig: KubeConfig, user: string): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kubeconfig.clusters,
    users: kubeconfig.users.map((u) => ({ ...u, impersonateUser: user })),
    contexts: kubeconfig.contexts,
    currentContext: kubeconfig.currentContext,
  });
  return copy;
}
