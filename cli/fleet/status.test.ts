import { describe, expect, it } from "vitest";
import type { ClusterProbe } from "../../fleet/probe.js";
import { statusRow } from "./status.js";
import type { FleetStateCluster } from "./state.js";

const cluster = (pools: string[] = []): FleetStateCluster => ({
  name: "member-1",
  hub: false,
  server: "https://127.0.0.1:6443",
  kubeconfigFile: "/tmp/member-1.kubeconfig",
  nodes: 2,
  pools,
  pids: [],
});
const probe = (nodes: ClusterProbe["nodes"]): ClusterProbe => ({
  ready: true,
  version: "v1.36.3",
  nodes,
});

describe("fleet status rows", () => {
  it("shows ready/total alone for a cluster of real nodes only", () => {
    expect(statusRow(cluster(), probe({ ready: 2, total: 2, kwok: 0 }))).toEqual([
      "member-1",
      "member",
      "Ready",
      "v1.36.3",
      "2/2",
      "-",
      "https://127.0.0.1:6443",
    ]);
  });

  it("adds the real and kwok counts when kwok simulates some nodes", () => {
    const row = statusRow(cluster(["beijing"]), probe({ ready: 3, total: 3, kwok: 2 }));
    expect(row[4]).toBe("3/3 (1 real, 2 kwok)");
    expect(row[5]).toBe("beijing");
  });

  it("shows an unreachable cluster as NotReady with no nodes", () => {
    const row = statusRow(cluster(), { ready: false, nodes: { ready: 0, total: 0, kwok: 0 } });
    expect(row.slice(2, 5)).toEqual(["NotReady", "-", "0/0"]);
  });
});
