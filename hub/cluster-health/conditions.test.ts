import { describe, expect, it } from "vitest";
import {
  conditionsToWrite,
  conditionTime,
  previousFromConditions,
  readyCondition,
} from "./conditions.js";
import {
  agentLeaseName,
  clusterOfLease,
  conditionsOf,
  heartbeatOf,
  reportOf,
  type StatusCondition,
} from "./contract.js";
import { healthyOnly } from "../clusters/placement-filter.js";
import type { ClusterHealth, HealthState } from "./state.js";

const health = (cluster: string, state: HealthState, reason = "ClusterReady"): ClusterHealth => ({
  cluster,
  state,
  reason,
  message: `${state} message`,
  lastTransitionTime: Date.parse("2026-03-01T10:00:00.250Z"),
});

describe("the agent contract readers", () => {
  it("names Leases after clusters and reads the cluster back", () => {
    expect(agentLeaseName("edge-1")).toBe("flotilla-agent-edge-1");
    expect(clusterOfLease("flotilla-agent-edge-1")).toBe("edge-1");
    expect(clusterOfLease("flotilla-hub")).toBeUndefined();
    expect(clusterOfLease("flotilla-agent-")).toBeUndefined();
  });

  it("reads a heartbeat from the server's MicroTime text, and none from a pre-created Lease", () => {
    const renewTime = "2026-03-01T10:00:02.123456Z" as unknown as Date;
    expect(heartbeatOf({ spec: { renewTime } })).toEqual({
      renewTime: "2026-03-01T10:00:02.123456Z",
      renewedAt: Date.parse("2026-03-01T10:00:02.123Z"),
    });
    expect(heartbeatOf({ spec: { holderIdentity: "flotilla-agent/edge-1" } })).toBeUndefined();
    expect(heartbeatOf(undefined)).toBeUndefined();
  });

  it("reads a report tolerantly: bad fields are left out, pools without names dropped", () => {
    const report = reportOf({
      status: {
        report: {
          kubernetesVersion: "v1.36.3",
          apiReady: "yes",
          nodes: { total: 3, ready: 2, notReady: "1" },
          nodePools: [
            {
              name: "beijing",
              type: "Edge",
              readyNodes: 2,
              notReadyNodes: 0,
              labels: { zone: "bj", bad: 1 },
              taints: [{ key: "edge", value: "true", effect: "NoSchedule" }, { key: "x" }],
            },
            { type: "Cloud" },
          ],
        },
      },
    });
    expect(report).toEqual({
      kubernetesVersion: "v1.36.3",
      nodes: { total: 3, ready: 2, notReady: 0 },
      nodePools: [
        {
          name: "beijing",
          type: "Edge",
          readyNodes: 2,
          notReadyNodes: 0,
          labels: { zone: "bj" },
          taints: [{ key: "edge", value: "true", effect: "NoSchedule" }],
        },
      ],
    });
    expect(reportOf({ status: {} })).toBeUndefined();
    expect(reportOf({ status: { report: { apiReady: false } } })).toEqual({
      apiReady: false,
      nodePools: [],
    });
  });

  it("reads the kwok node count when the agent wrote one, and none from an older agent", () => {
    const nodes = (counts: object) => reportOf({ status: { report: { nodes: counts } } })?.nodes;
    expect(nodes({ total: 3, ready: 3, notReady: 0, kwok: 2 })).toEqual({
      total: 3,
      ready: 3,
      notReady: 0,
      kwok: 2,
    });
    expect(nodes({ total: 3, ready: 3, notReady: 0 })).toEqual({ total: 3, ready: 3, notReady: 0 });
    expect(nodes({ total: 3, ready: 3, notReady: 0, kwok: "2" })).not.toHaveProperty("kwok");
  });
});

describe("the Ready condition on the ClusterReport", () => {
  const stored: StatusCondition[] = [
    { type: "Other", status: "True", reason: "X", message: "", lastTransitionTime: "" },
  ];

  it("is built from the health, with second-precision times and the report's generation", () => {
    expect(readyCondition(health("m", "NotReady", "ClusterNotReady"), 3)).toEqual({
      type: "Ready",
      status: "False",
      reason: "ClusterNotReady",
      message: "NotReady message",
      lastTransitionTime: "2026-03-01T10:00:00Z",
      observedGeneration: 3,
    });
    expect(readyCondition(health("m", "Pending", "ClusterStatusPending")).status).toBe("Unknown");
    expect(conditionTime(Date.parse("2026-03-01T10:00:00Z"))).toBe("2026-03-01T10:00:00Z");
  });

  it("is written only when it differs, keeping the other conditions", () => {
    const desired = readyCondition(health("m", "Ready"), 1);
    const first = conditionsToWrite(stored, desired);
    expect(first).toEqual([...stored, desired]);
    expect(conditionsToWrite(first!, desired)).toBeUndefined();
    const unknown = readyCondition(health("m", "Unknown", "ClusterStatusUnknown"), 1);
    expect(conditionsToWrite(first!, unknown)).toEqual([...stored, unknown]);
  });

  it("is read back after a restart as the previous state and transition time", () => {
    const ready = readyCondition(health("m", "Ready"));
    expect(previousFromConditions([...stored, ready])).toEqual({
      state: "Ready",
      lastTransitionTime: Date.parse("2026-03-01T10:00:00Z"),
    });
    const pending = readyCondition(health("m", "Pending", "ClusterStatusPending"));
    expect(previousFromConditions([pending])?.state).toBe("Pending");
    const never = readyCondition(health("m", "Unknown", "ClusterStatusNeverUpdated"));
    expect(previousFromConditions([never])?.state).toBe("Unknown");
    const unreachable = readyCondition(health("m", "Unknown", "ClusterNotReachable"));
    expect(unreachable.status).toBe("Unknown");
    expect(previousFromConditions([unreachable])?.state).toBe("Unknown");
    expect(previousFromConditions(stored)).toBeUndefined();
    expect(
      conditionsOf({ status: { conditions: [ready, { type: "Ready", status: "Maybe" }] } }),
    ).toEqual([ready]);
  });
});

describe("skipping unhealthy clusters in placement", () => {
  const records = ["local", "ready", "not-ready", "unknown", "pending", "new", "placed"].map(
    (name) => ({ name }),
  );
  const states: Record<string, HealthState> = {
    ready: "Ready",
    "not-ready": "NotReady",
    unknown: "Unknown",
    pending: "Pending",
    placed: "Unknown",
  };
  const lookup = (c: string): ClusterHealth | undefined =>
    states[c] === undefined ? undefined : health(c, states[c]);

  it("keeps every cluster when off (the default)", () => {
    expect(healthyOnly(records, lookup, { skipUnhealthy: false })).toEqual(records);
  });

  it("keeps local, Ready clusters and those the app is already on when on", () => {
    const kept = healthyOnly(records, lookup, { skipUnhealthy: true }, new Set(["placed"]));
    expect(kept.map((r) => r.name)).toEqual(["local", "ready", "placed"]);
  });
});
