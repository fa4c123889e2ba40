import { KubeConfig, type V1Lease } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import {
  candidateDelay,
  createLeaderElector,
  decideLease,
  defaultElectionTiming,
  electionTiming,
  microTime,
  nextRecord,
  observe,
  recordOf,
  releasedRecord,
  roleChange,
  type LeaseRecord,
  type Observation,
} from "./leader.js";

const start = Date.parse("2026-11-20T10:00:00Z");
const leaseDurationMs = defaultElectionTiming.leaseDurationMs;

/** A record written by `holder` at `renewTime` (text, as read from the server). */
const held = (holder: string, renewTime: string, more: Partial<LeaseRecord> = {}): LeaseRecord => ({
  holderIdentity: holder,
  leaseDurationSeconds: 15,
  acquireTime: "2026-11-20T09:00:00.000000Z",
  renewTime,
  leaseTransitions: 3,
  ...more,
});

/** Observes `record` on `clock` (keeping `previous` when unchanged) and decides for `identity`. */
function look(clock: FakeClock, previous: Observation | undefined, record: LeaseRecord) {
  const observation = observe(previous, record, clock.now());
  const decide = (identity: string) =>
    decideLease({ observation, identity, now: clock.now(), leaseDurationMs });
  return { observation, decide };
}

describe("decideLease", () => {
  it("acquires a Lease without a holder at once, and renews its own", () => {
    const clock = new FakeClock(start);
    const free = look(clock, undefined, held("", "2026-11-20T09:59:59.000000Z"));
    expect(free.decide("hub-a")).toEqual({ action: "acquire" });
    const own = look(clock, undefined, held("hub-a", "2026-11-20T09:59:59.000000Z"));
    expect(own.decide("hub-a")).toEqual({ action: "renew" });
  });

  it("waits a full lease duration by our clock from when the record was first seen", async () => {
    const clock = new FakeClock(start);
    const record = held("hub-b", "2026-11-20T09:59:59.000000Z");
    let seen = look(clock, undefined, record);
    expect(seen.decide("hub-a")).toEqual({
      action: "wait",
      holder: "hub-b",
      expiresAt: start + leaseDurationMs,
    });
    await clock.advance(leaseDurationMs - 1);
    seen = look(clock, seen.observation, { ...record });
    expect(seen.observation.observedAt).toBe(start);
    expect(seen.decide("hub-a").action).toBe("wait");
    await clock.advance(1);
    seen = look(clock, seen.observation, record);
    expect(seen.decide("hub-a")).toEqual({ action: "acquire" });
  });

  it("ignores the holder's timestamps: a renewTime long past or far ahead only counts as a change", async () => {
    const clock = new FakeClock(start);
    const stale = look(clock, undefined, held("hub-b", "2020-01-01T00:00:00.000000Z"));
    expect(stale.decide("hub-a").action).toBe("wait");
    const ahead = look(clock, undefined, held("hub-b", "2099-01-01T00:00:00.000000Z"));
    await clock.advance(leaseDurationMs);
    expect(look(clock, ahead.observation, ahead.observation.record).decide("hub-a").action).toBe(
      "acquire",
    );
  });

  it("restarts the wait whenever the holder renews", async () => {
    const clock = new FakeClock(start);
    let seen = look(clock, undefined, held("hub-b", "2026-11-20T10:00:00.000000Z"));
    await clock.advance(10_000);
    seen = look(clock, seen.observation, held("hub-b", "2026-11-20T10:00:10.000000Z"));
    expect(seen.observation.observedAt).toBe(start + 10_000);
    await clock.advance(10_000);
    expect(seen.decide("hub-a")).toMatchObject({ action: "wait", expiresAt: start + 25_000 });
  });

  it("waits for the holder's own lease duration when it is longer than ours", () => {
    const clock = new FakeClock(start);
    const record = held("hub-b", "2026-11-20T10:00:00.000000Z", { leaseDurationSeconds: 60 });
    const seen = look(clock, undefined, record);
    expect(seen.decide("hub-a")).toMatchObject({ expiresAt: start + 60_000 });
    const short = look(clock, undefined, { ...record, leaseDurationSeconds: 1 });
    expect(short.decide("hub-a")).toMatchObject({ expiresAt: start + leaseDurationMs });
  });
});

describe("the records an elector writes", () => {
  it("acquires with a new acquireTime and one more transition; renews keeping both", () => {
    const previous = held("hub-b", "2026-11-20T09:59:59.000000Z");
    const acquired = nextRecord(previous, "hub-a", start, leaseDurationMs);
    expect(acquired).toEqual({
      holderIdentity: "hub-a",
      leaseDurationSeconds: 15,
      acquireTime: "2026-11-20T10:00:00.000000Z",
      renewTime: "2026-11-20T10:00:00.000000Z",
      leaseTransitions: 4,
    });
    const renewed = nextRecord(acquired, "hub-a", start + 2_345, leaseDurationMs);
    expect(renewed).toEqual({ ...acquired, renewTime: "2026-11-20T10:00:02.345000Z" });
    expect(nextRecord(undefined, "hub-a", start, 1_500)).toMatchObject({
      leaseDurationSeconds: 2,
      leaseTransitions: 0,
    });
  });

  it("releases by clearing the holder, keeping the transition count", () => {
    const released = releasedRecord(held("hub-a", "x"), start);
    expect(released).toEqual({
      holderIdentity: "",
      leaseDurationSeconds: 1,
      acquireTime: microTime(start),
      renewTime: microTime(start),
      leaseTransitions: 3,
    });
    expect(
      decideLease({
        observation: observe(undefined, released, start),
        identity: "hub-b",
        now: start,
        leaseDurationMs,
      }),
    ).toEqual({ action: "acquire" });
  });

  it("reads MicroTime as the server's text and Dates as ISO text", () => {
    const lease: V1Lease = {
      spec: {
        holderIdentity: "hub-a",
        renewTime: "2026-11-20T10:00:00.123456Z" as unknown as Date,
        acquireTime: new Date(start),
      },
    };
    expect(recordOf(lease)).toEqual({
      holderIdentity: "hub-a",
      leaseDurationSeconds: 0,
      acquireTime: "2026-11-20T10:00:00.000Z",
      renewTime: "2026-11-20T10:00:00.123456Z",
      leaseTransitions: 0,
    });
    expect(recordOf({}).holderIdentity).toBe("");
  });
});

describe("roles and timing", () => {
  it("starts leading on a held Lease, stops at once on another holder, not on a failure", () => {
    expect(roleChange(false, "held")).toBe("start");
    expect(roleChange(false, "other")).toBe("none");
    expect(roleChange(false, "failed")).toBe("none");
    expect(roleChange(true, "held")).toBe("none");
    expect(roleChange(true, "other")).toBe("stop");
    expect(roleChange(true, "failed")).toBe("none");
  });

  it("defaults to 15 s / 10 s / 2 s and rejects timings that cannot work", () => {
    expect(electionTiming({})).toEqual({
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(electionTiming({ retryPeriodMs: undefined, leaseDurationMs: 20_000 })).toMatchObject({
      leaseDurationMs: 20_000,
      retryPeriodMs: 2_000,
    });
    expect(() => electionTiming({ leaseDurationMs: 10_000 })).toThrow(RangeError);
    expect(() => electionTiming({ renewDeadlineMs: 2_400 })).toThrow(RangeError);
    expect(() => electionTiming({ retryPeriodMs: 0 })).toThrow(RangeError);
  });

  it("jitters a candidate's retries between 1 and 2.2 retry periods", () => {
    expect(candidateDelay(2_000, 0)).toBe(2_000);
    expect(candidateDelay(2_000, 0.5)).toBe(3_200);
    expect(candidateDelay(2_000, 0.999)).toBeLessThan(4_400);
  });
});

describe("createLeaderElector", () => {
  /** A kubeconfig for an API server that refuses connections (port 1). */
  const unreachable = (): KubeConfig => {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromOptions({
      clusters: [{ name: "c", server: "https://127.0.0.1:1", skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    return kubeconfig;
  };
  const base = {
    kubeconfig: unreachable(),
    namespace: "flotilla-system",
    name: "flotilla-hub",
    identity: "hub-a",
    onStartedLeading: () => {},
  };

  it("rejects an impossible timing when it is built", () => {
    expect(() => createLeaderElector({ ...base, renewDeadlineMs: 20_000 })).toThrow(RangeError);
  });

  it("does not lead while the API server is unreachable, logs, retries on its clock and stops cleanly", async () => {
    const clock = new FakeClock(start);
    const warnings: string[] = [];
    const log = { info: () => {}, error: () => {}, warn: (m: string) => void warnings.push(m) };
    const started = vi.fn();
    const elector = createLeaderElector({ ...base, clock, log, onStartedLeading: started });
    elector.start();
    // a refused connection is quick, but the request may take a while on a loaded machine
    const slow = { timeout: 15_000 };
    await vi.waitFor(() => expect(warnings).toEqual(["Lease request failed"]), slow);
    await vi.waitFor(() => expect(clock.pending()).toBe(1), slow);
    expect(clock.nextDelay()).toBeGreaterThanOrEqual(defaultElectionTiming.retryPeriodMs);
    // exactly to the retry: advancing further may also reach the retry that one schedules
    await clock.advance(clock.nextDelay() ?? 0);
    await vi.waitFor(() => expect(warnings).toHaveLength(2), slow);
    await expect(elector.stop()).resolves.toBeUndefined();
    expect(clock.pending()).toBe(0);
    expect(elector.isLeader()).toBe(false);
    expect(elector.leader()).toBeUndefined();
    expect(started).not.toHaveBeenCalled();
  }, 60_000);
});
