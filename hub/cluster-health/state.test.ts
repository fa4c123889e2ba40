import { describe, expect, it } from "vitest";
import {
  advanceHealth,
  conditionStatusOf,
  defaultHealthTiming,
  evaluateHealth,
  healthTiming,
  reportFacts,
  type ClusterHealth,
  type HealthInput,
} from "./state.js";

const s = (seconds: number): number => seconds * 1000;

/** Replays heartbeats (seconds) and judges at `at` seconds, from a hub started at 0. */
function judgeAt(
  at: number,
  beats: number[],
  apiReady?: boolean,
): ReturnType<typeof evaluateHealth> {
  const seen = beats.filter((b) => b <= at);
  const last = seen[seen.length - 1];
  const input: HealthInput = {
    ...(last === undefined ? {} : { heartbeatAt: s(last) }),
    ...(apiReady === undefined ? {} : { apiReady }),
    since: 0,
    now: s(at),
  };
  return evaluateHealth(input);
}

describe("cluster health state machine", () => {
  it("is Ready while heartbeats arrive, and one or two missed heartbeats never flip it", () => {
    const beats = [0, 2, 4, 10, 12]; // 6 and 8 missed
    for (let t = 0; t <= 13; t += 0.5) {
      expect([t, judgeAt(t, beats, true).state]).toEqual([t, "Ready"]);
    }
    expect(judgeAt(5, beats, true)).toMatchObject({
      reason: "ClusterReady",
      lastSeen: s(4),
      nextCheckAt: s(14),
    });
  });

  it("turns Unknown exactly when the grace period runs out, with the last-seen time", () => {
    expect(judgeAt(13.9, [0, 2, 4], true).state).toBe("Ready");
    const unknown = judgeAt(14, [0, 2, 4], true);
    expect(unknown).toMatchObject({
      state: "Unknown",
      reason: "ClusterStatusUnknown",
      lastSeen: s(4),
    });
    expect(unknown.message).toContain("none for 10s since 1970-01-01T00:00:04.000Z");
    expect(unknown.nextCheckAt).toBeUndefined();
  });

  it("detects a dead agent within 15 s, wherever between two heartbeats it dies", () => {
    for (let death = 100; death < 102; death += 0.25) {
      const beats = Array.from({ length: 51 }, (_, i) => i * 2).filter((b) => b <= death);
      let t = death;
      while (judgeAt(t, beats, true).state === "Ready") t += 0.1;
      expect(judgeAt(t, beats, true).state).toBe("Unknown");
      expect(t - death).toBeLessThanOrEqual(15 - 0.5); // 0.5 s: the tracker's timer resolution
      expect(t - beats[beats.length - 1]!).toBeGreaterThanOrEqual(10 - 1e-9);
    }
  });

  it("keeps a never-heard-from cluster Pending during the startup grace, then Unknown", () => {
    const pending = evaluateHealth({ since: s(100), now: s(129) });
    expect(pending).toMatchObject({
      state: "Pending",
      reason: "ClusterStatusPending",
      nextCheckAt: s(130),
    });
    expect(pending.lastSeen).toBeUndefined();
    expect(evaluateHealth({ since: s(100), now: s(130) })).toMatchObject({
      state: "Unknown",
      reason: "ClusterStatusNeverUpdated",
    });
    expect(conditionStatusOf("Pending")).toBe("Unknown");
  });

  it("gives no new startup grace to a cluster already judged Unknown (a hub restart)", () => {
    const input = { since: s(100), now: s(101), previous: "Unknown" as const };
    expect(evaluateHealth(input)).toMatchObject({
      state: "Unknown",
      reason: "ClusterStatusNeverUpdated",
    });
    expect(evaluateHealth({ ...input, previous: "Ready" }).state).toBe("Pending");
  });

  it("is Unknown (ClusterNotReachable) while the agent beats but cannot reach the API", () => {
    const reportedAt = s(0.5);
    const lost = evaluateHealth({
      heartbeatAt: s(4),
      apiReady: false,
      reportedAt,
      since: 0,
      now: s(5),
    });
    expect(lost).toMatchObject({
      state: "Unknown",
      reason: "ClusterNotReachable",
      lastSeen: reportedAt,
      nextCheckAt: s(14),
    });
    expect(lost.message).toBe(
      "the agent is alive but cannot reach the cluster's API server (reported at 1970-01-01T00:00:00.500Z)",
    );
    // Stable while the outage lasts: later heartbeats change neither message nor lastSeen.
    const later = evaluateHealth({
      heartbeatAt: s(8),
      apiReady: false,
      reportedAt,
      since: 0,
      now: s(9),
    });
    expect([later.message, later.lastSeen]).toEqual([lost.message, lost.lastSeen]);
    // Without the report's time, the heartbeat stands in.
    expect(judgeAt(1, [0], false)).toMatchObject({ state: "Unknown", lastSeen: 0 });
    // When the heartbeat stops too, the silent agent is what is reported.
    expect(judgeAt(11, [0], false)).toMatchObject({
      state: "Unknown",
      reason: "ClusterStatusUnknown",
    });
    expect(conditionStatusOf("Unknown")).toBe("Unknown");
    expect(judgeAt(1, [0]).message).toContain("has not reported yet");
  });

  it("is NotReady when the API answers but the cluster has nodes and none is Ready", () => {
    const base = { heartbeatAt: 0, apiReady: true, since: 0, now: s(1) };
    expect(evaluateHealth({ ...base, nodes: { total: 3, ready: 0 } })).toMatchObject({
      state: "NotReady",
      reason: "ClusterNotReady",
      message: "the API server answers but none of the cluster's 3 node(s) is Ready",
      lastSeen: 0,
      nextCheckAt: s(10),
    });
    expect(evaluateHealth({ ...base, nodes: { total: 3, ready: 1 } }).state).toBe("Ready");
    expect(evaluateHealth({ ...base, nodes: { total: 0, ready: 0 } }).state).toBe("Ready");
    expect(conditionStatusOf("NotReady")).toBe("False");
  });

  it("reads the facts it judges from an agent report", () => {
    expect(reportFacts(undefined)).toEqual({});
    expect(
      reportFacts({
        apiReady: false,
        observedTime: "2026-01-02T03:04:05Z",
        nodes: { total: 2, ready: 1, notReady: 1 },
        nodePools: [],
      }),
    ).toEqual({
      apiReady: false,
      reportedAt: Date.parse("2026-01-02T03:04:05Z"),
      nodes: { total: 2, ready: 1, notReady: 1 },
    });
    expect(reportFacts({ observedTime: "garbage", nodePools: [] })).toEqual({});
  });

  it("recovers to Ready on the next heartbeat", () => {
    expect(judgeAt(20, [0], true).state).toBe("Unknown");
    expect(judgeAt(21, [0, 21], true)).toMatchObject({ state: "Ready", lastSeen: s(21) });
  });

  it("keeps lastTransitionTime while the state holds and sets it on a change", () => {
    const steps: Array<[number, number[], boolean]> = [
      [1, [0], true],
      [3, [0, 2], true],
      [5, [0, 2, 4], false],
      [7, [0, 2, 4, 6], false],
      [17, [0, 2, 4, 6], false],
      [30, [0, 2, 4, 6], false],
      [31, [0, 2, 4, 6, 31], true],
    ];
    let health: ClusterHealth | undefined;
    const seen: Array<[string, number]> = [];
    for (const [at, beats, ready] of steps) {
      health = advanceHealth("m", health, judgeAt(at, beats, ready), s(at));
      seen.push([health.state, health.lastTransitionTime / 1000]);
    }
    // Losing the API and then the heartbeat is one Unknown spell: its time is kept.
    expect(seen).toEqual([
      ["Ready", 1],
      ["Ready", 1],
      ["Unknown", 5],
      ["Unknown", 5],
      ["Unknown", 5],
      ["Unknown", 5],
      ["Ready", 31],
    ]);
  });

  it("validates its timing, naming the setting", () => {
    expect(healthTiming({})).toEqual(defaultHealthTiming);
    expect(() => healthTiming({ gracePeriodMs: 4_000 })).toThrow(
      /gracePeriodMs \(4000\) must be longer than two heartbeat intervals \(4000\)/,
    );
    expect(() => healthTiming({ startupGraceMs: 0 })).toThrow(/startupGraceMs must be a positive/);
  });
});
