import { describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import type { RenderedObject } from "../../engine/render/render.js";
import type { ClusterHealth } from "../cluster-health/state.js";
import { withClusterHealth } from "./cluster-staleness.js";

const service = (cluster: string, replicaKey?: string): ServiceStatus => ({
  name: "web",
  namespace: "default",
  cluster,
  ...(replicaKey === undefined ? {} : { replicaKey }),
  healthy: true,
});

const health = (cluster: string, state: ClusterHealth["state"], lastSeen?: number, reason = "r") =>
  ({
    cluster,
    state,
    reason,
    message: "m",
    lastTransitionTime: 0,
    ...(lastSeen === undefined ? {} : { lastSeen }),
  }) as ClusterHealth;

const pooled = (cluster: string, pool: string): RenderedObject => ({
  target: { cluster, namespace: "default", replicaKey: pool, pool: { name: pool } },
  component: "web",
  object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `web-${pool}` } },
});

const report = (name: string, readyNodes: number, notReadyNodes: number): NodePoolReport => ({
  name,
  type: "Edge",
  readyNodes,
  notReadyNodes,
  labels: {},
  taints: [],
});

describe("withClusterHealth", () => {
  const seen = Date.parse("2026-11-25T10:00:00Z");
  const byName: Record<string, ClusterHealth> = {
    lost: health("lost", "Unknown", seen),
    cut: health("cut", "Unknown", seen, "ClusterNotReachable"),
    sick: health("sick", "NotReady", seen, "ClusterNotReady"),
    never: health("never", "Unknown"),
    fine: health("fine", "Ready", seen),
  };
  const input = { health: (c: string) => byName[c], nodePools: () => undefined, rendered: [] };

  it("marks services on a cluster whose agent went silent stale and not healthy", () => {
    const [lost, fine] = withClusterHealth([service("lost"), service("fine")], input);
    expect(lost).toMatchObject({
      healthy: false,
      stale: true,
      lastSeen: "2026-11-25T10:00:00.000Z",
    });
    expect(lost?.message).toContain("cluster lost is Unknown");
    expect(fine).toEqual(service("fine"));
  });

  it("marks services stale when the agent is alive but cannot reach the API server", () => {
    const [cut] = withClusterHealth([{ ...service("cut"), message: "cannot read" }], input);
    expect(cut).toMatchObject({
      healthy: false,
      stale: true,
      lastSeen: "2026-11-25T10:00:00.000Z",
    });
    expect(cut?.message).toBe(
      "stale: cluster cut is Unknown, its agent cannot reach the API server (reported at 2026-11-25T10:00:00.000Z); last read: cannot read",
    );
  });

  it("does not mark a NotReady cluster's services stale: the hub still reads it", () => {
    expect(withClusterHealth([service("sick")], input)).toEqual([service("sick")]);
  });

  it("leaves clusters that never had an agent, or are not judged, as the hub read them", () => {
    expect(withClusterHealth([service("never"), service("other")], input)).toEqual([
      service("never"),
      service("other"),
    ]);
  });

  it("adds the pool's readiness to pool copies; a pool with no Ready node is not healthy", () => {
    const pools = [report("beijing", 0, 2), report("shanghai", 3, 0)];
    const result = withClusterHealth(
      [service("fine", "beijing"), service("fine", "shanghai"), service("fine", "copy-a")],
      {
        ...input,
        nodePools: (c) => (c === "fine" ? pools : undefined),
        rendered: [pooled("fine", "beijing"), pooled("fine", "shanghai")],
      },
    );
    expect(result[0]).toMatchObject({
      healthy: false,
      nodePool: { name: "beijing", ready: false, readyNodes: 0, notReadyNodes: 2 },
    });
    expect(result[0]?.message).toContain("node pool beijing has no Ready node (2 NotReady)");
    expect(result[1]).toMatchObject({ healthy: true, nodePool: { name: "shanghai", ready: true } });
    expect(result[2]).toEqual(service("fine", "copy-a"));
  });

  it("names a pool that is not reported yet without judging it", () => {
    const [only] = withClusterHealth([service("fine", "beijing")], {
      ...input,
      rendered: [pooled("fine", "beijing")],
    });
    expect(only).toEqual({ ...service("fine", "beijing"), nodePool: { name: "beijing" } });
  });
});
