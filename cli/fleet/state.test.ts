import { describe, expect, it } from "vitest";
import { parseFleetState, statePids, type FleetState } from "./state.js";

const state: FleetState = {
  version: 1,
  startedAt: "2026-01-01T00:00:00Z",
  workDir: "/tmp/w",
  logDir: "/tmp/w/logs",
  etcdPid: 10,
  clusters: [
    {
      name: "local",
      hub: true,
      server: "s",
      kubeconfigFile: "k",
      nodes: 1,
      pools: [],
      pids: [11, 12],
    },
    { name: "m", hub: false, server: "s", kubeconfigFile: "k", nodes: 1, pools: [], pids: [13] },
  ],
};

describe("fleet state", () => {
  it("round-trips and lists every pid, etcd first", () => {
    const parsed = parseFleetState(JSON.stringify(state), "state.json");
    expect(statePids(parsed)).toEqual([10, 11, 12, 13]);
  });

  it("names the file when it is not a fleet state", () => {
    expect(() => parseFleetState('{"version":2}', "/home/u/.flotilla/fleet/state.json")).toThrow(
      "/home/u/.flotilla/fleet/state.json is not a Flotilla fleet state file",
    );
  });
});
