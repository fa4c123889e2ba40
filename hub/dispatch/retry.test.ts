import { describe, expect, it } from "vitest";
import { FakeClock } from "../../core/testing/fake-clock.js";
import { createClusterRetries, isDue, planRetries } from "./retry.js";

const backoff = { baseMs: 1_000, maxMs: 8_000 };

describe("planRetries", () => {
  it("backs each failing cluster off exponentially and forgets it after a success", () => {
    let plan = planRetries(
      new Map(),
      [
        { cluster: "a", ok: false },
        { cluster: "b", ok: true },
      ],
      0,
      backoff,
    );
    expect(plan.requeueAfterMs).toBe(1_000);
    expect(plan.state.get("a")).toEqual({ failures: 1, retryAt: 1_000 });
    expect(plan.state.has("b")).toBe(false);

    plan = planRetries(plan.state, [{ cluster: "a", ok: false }], 1_000, backoff);
    expect(plan.state.get("a")).toEqual({ failures: 2, retryAt: 3_000 });
    expect(plan.requeueAfterMs).toBe(2_000);
    for (const now of [3_000, 7_000, 15_000, 23_000])
      plan = planRetries(plan.state, [{ cluster: "a", ok: false }], now, backoff);
    expect(plan.requeueAfterMs).toBe(8_000);

    plan = planRetries(plan.state, [{ cluster: "a", ok: true }], 31_000, backoff);
    expect(plan).toEqual({ state: new Map() });
  });

  it("requeues at the earliest retry of all failing clusters", () => {
    const state = new Map([["slow", { failures: 3, retryAt: 10_000 }]]);
    const plan = planRetries(state, [{ cluster: "new", ok: false }], 5_000, backoff);
    expect(plan.requeueAfterMs).toBe(1_000);
    expect(isDue(plan.state, "slow", 9_999)).toBe(false);
    expect(isDue(plan.state, "slow", 10_000)).toBe(true);
    expect(isDue(plan.state, "never-failed", 0)).toBe(true);
  });
});

describe("createClusterRetries", () => {
  it("uses the injected clock", async () => {
    const clock = new FakeClock(100);
    const retries = createClusterRetries({ clock, backoff });
    expect(retries.record([{ cluster: "edge", ok: false }])).toEqual({ requeueAfterMs: 1_000 });
    expect(retries.isDue("edge")).toBe(false);
    expect(retries.failures("edge")).toBe(1);
    await clock.advance(1_000);
    expect(retries.isDue("edge")).toBe(true);
    expect(retries.record([{ cluster: "edge", ok: true }])).toEqual({});
    expect(retries.failures("edge")).toBe(0);
  });
});
