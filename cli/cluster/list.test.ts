import type { V1Lease } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { ClusterRecord } from "../../core/cluster/types.js";
import { describeUses } from "./detach.js";
import { memberHealth, type ClusterHealthView } from "./health-view.js";
import { clusterTable, clusterViews } from "./list.js";
import { serviceAccountManifests } from "./service-account.js";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();

/** A Lease as the API server returns it (MicroTime as text). */
const lease = (renewedSecondsAgo: number | undefined, durationSeconds = 10): V1Lease => ({
  metadata: { name: "flotilla-agent-x" },
  spec: {
    leaseDurationSeconds: durationSeconds,
    ...(renewedSecondsAgo === undefined
      ? {}
      : { renewTime: ago(renewedSecondsAgo).replace("Z", "000Z") as unknown as Date }),
  },
});

const report = (
  ready: { status: string; reason: string } | undefined,
  apiReady = true,
): object => ({
  metadata: { name: "x" },
  status: {
    report: {
      kubernetesVersion: "v1.36.3",
      apiReady,
      nodes: { total: 3, ready: 2, notReady: 1 },
      nodePools: [
        { name: "beijing", type: "Edge", readyNodes: 2, notReadyNodes: 0 },
        { name: "shanghai", type: "Edge", readyNodes: 0, notReadyNodes: 1 },
      ],
    },
    ...(ready === undefined ? {} : { conditions: [{ type: "Ready", message: "m", ...ready }] }),
  },
});

const records: ClusterRecord[] = [
  {
    name: "member-1",
    alias: "eu",
    endpoint: "https://m1:6443",
    credential: { type: "ServiceAccountToken", token: "secret-token" },
    labels: { tier: "prod", region: "eu" },
    createdAt: "2026-01-01T00:00:00Z",
  },
  {
    name: "member-2",
    endpoint: "https://m2:6443",
    credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
    labels: {},
  },
];

describe("cluster list output", () => {
  it("puts local first, shows health columns, and never shows credentials", () => {
    const health = (name: string): ClusterHealthView =>
      name === "member-1"
        ? memberHealth(
            { lease: lease(3), report: report({ status: "True", reason: "ClusterReady" }) },
            NOW,
          )
        : memberHealth({}, NOW);
    const views = clusterViews("https://hub:6443", records, health, "v1.36.3");
    expect(JSON.stringify(views)).not.toMatch(/secret-token|CERT|KEY/);
    expect(clusterTable(views, NOW).split("\n")).toEqual([
      "NAME       ALIAS   READY     VERSION   NODES   POOLS              LAST-SEEN   CREDENTIAL            ENDPOINT           LABELS",
      "local      -       Ready     v1.36.3   -       -                  -           Internal              https://hub:6443   -",
      "member-1   eu      Ready     v1.36.3   2/3     beijing,shanghai   3s          ServiceAccountToken   https://m1:6443    region=eu,tier=prod",
      "member-2   -       Unknown   -         -       -                  -           X509Certificate       https://m2:6443    -",
    ]);
    expect(views[1]?.health).toEqual({
      state: "Ready",
      reason: "ClusterReady",
      message: "m",
      kubernetesVersion: "v1.36.3",
      nodes: { total: 3, ready: 2, notReady: 1 },
      pools: [
        { name: "beijing", readyNodes: 2, notReadyNodes: 0 },
        { name: "shanghai", readyNodes: 0, notReadyNodes: 1 },
      ],
      lastSeen: ago(3).replace("Z", "000Z"),
    });
    expect(views[2]?.health).toMatchObject({ state: "Unknown", reason: "NoHeartbeat" });
  });

  it("prefers the hub's condition while the heartbeat is fresh", () => {
    const notReady = { status: "False", reason: "ClusterNotReady" };
    expect(memberHealth({ lease: lease(1), report: report(notReady) }, NOW).state).toBe("NotReady");
    const pending = { status: "Unknown", reason: "ClusterStatusPending" };
    expect(memberHealth({ lease: lease(undefined), report: report(pending) }, NOW).state).toBe(
      "Pending",
    );
    const cut = { status: "Unknown", reason: "ClusterNotReachable" };
    expect(memberHealth({ lease: lease(1), report: report(cut) }, NOW).reason).toBe(
      "ClusterNotReachable",
    );
    expect(memberHealth({ lease: lease(11), report: report(cut) }, NOW).reason).toBe(
      "HeartbeatExpired",
    );
    const lost = { status: "Unknown", reason: "ClusterStatusUnknown" };
    expect(memberHealth({ lease: lease(1), report: report(lost) }, NOW).reason).toBe(
      "ClusterStatusUnknown",
    );
  });

  it("never shows Ready for a heartbeat older than its Lease's duration, even if the hub said so", () => {
    const ready = { status: "True", reason: "ClusterReady" };
    expect(memberHealth({ lease: lease(11), report: report(ready) }, NOW)).toMatchObject({
      state: "Unknown",
      reason: "HeartbeatExpired",
      message: "no heartbeat for longer than the Lease's 10s",
    });
    expect(memberHealth({ lease: lease(11, 40), report: report(ready) }, NOW).state).toBe("Ready");
  });

  it("falls back to the heartbeat and the report when the hub wrote no condition", () => {
    expect(memberHealth({ lease: lease(2), report: report(undefined) }, NOW).state).toBe("Ready");
    expect(memberHealth({ lease: lease(2), report: report(undefined, false) }, NOW)).toMatchObject({
      state: "Unknown",
      reason: "ClusterNotReachable",
    });
    const noneReady = {
      status: { report: { apiReady: true, nodes: { total: 2, ready: 0, notReady: 2 } } },
    };
    expect(memberHealth({ lease: lease(2), report: noneReady }, NOW)).toMatchObject({
      state: "NotReady",
      reason: "ClusterNotReady",
      message: "the agent's heartbeat is current; none of the cluster's 2 node(s) is Ready",
    });
    // Ready from the first heartbeat, as the hub judges it, without claiming a report
    expect(memberHealth({ lease: lease(2) }, NOW)).toMatchObject({
      state: "Ready",
      message: "the agent's heartbeat is current; it has not reported yet",
    });
    expect(memberHealth({ lease: lease(2), report: report(undefined) }, NOW).message).toBe(
      "the agent's heartbeat is current; it reports the API server ready",
    );
    expect(memberHealth({ lease: lease(30) }, NOW).state).toBe("Unknown");
  });

  it("splits NODES into real and kwok nodes only when some are simulated", () => {
    const withNodes = (nodes: object): ClusterHealthView =>
      memberHealth({ lease: lease(1), report: { status: { report: { nodes } } } }, NOW);
    const mixed = withNodes({ total: 4, ready: 3, notReady: 1, kwok: 3 });
    const real = withNodes({ total: 2, ready: 2, notReady: 0, kwok: 0 });
    const older = withNodes({ total: 2, ready: 1, notReady: 1 });
    expect(mixed.nodes).toEqual({ total: 4, ready: 3, notReady: 1, real: 1, kwok: 3 });
    expect(real.nodes).toEqual({ total: 2, ready: 2, notReady: 0, real: 2, kwok: 0 });
    expect(older.nodes).toEqual({ total: 2, ready: 1, notReady: 1 });
    const views = [mixed, real, older];
    const rows = clusterTable(
      views.map((health, i) => ({
        ...clusterViews("h", [records[1]!], () => health)[1]!,
        name: `m${i}`,
      })),
      NOW,
    )
      .split("\n")
      .slice(1);
    expect(rows.map((row) => row.split(/\s{2,}/)[4])).toEqual([
      "3/4 (1 real, 3 kwok)",
      "2/2",
      "1/2",
    ]);
  });

  it("shows pool counts beyond three names and kubectl-style ages", () => {
    const many = {
      status: { report: { nodePools: ["a", "b", "c", "d"].map((name) => ({ name })) } },
    };
    const view = memberHealth({ lease: lease(150), report: many }, NOW);
    const [row] = clusterTable(
      clusterViews("h", [records[1]!], () => view),
      NOW,
    )
      .split("\n")
      .slice(2);
    expect(row).toMatch(/^member-2\s+-\s+Unknown\s+-\s+-\s+4\s+2m30s\s/);
  });
});

describe("detach and join helpers", () => {
  it("lists the applications that block a detach", () => {
    expect(
      describeUses([
        { namespace: "a", name: "web", policy: "eu", via: "selector" },
        { namespace: "b", name: "db", policy: "t", via: "name" },
      ]),
    ).toBe("a/web (policy eu, by labels), b/db (policy t, by name)");
  });

  it("binds the hub's ServiceAccount to cluster-admin and asks for a long-lived token", () => {
    const { serviceAccount, binding, secret } = serviceAccountManifests();
    expect(serviceAccount.metadata).toMatchObject({
      name: "flotilla-cluster-gateway",
      namespace: "kube-system",
    });
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "cluster-admin",
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "flotilla-cluster-gateway", namespace: "kube-system" },
    ]);
    expect(secret.type).toBe("kubernetes.io/service-account-token");
    expect(secret.metadata?.annotations).toEqual({
      "kubernetes.io/service-account.name": "flotilla-cluster-gateway",
    });
  });
});
