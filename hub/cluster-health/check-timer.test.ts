import { describe, expect, it } from "vitest";
import { FakeClock } from "../../core/testing/fake-clock.js";
import { CHECK_RESOLUTION_MS, CheckTimer } from "./check-timer.js";

function timer(start = 10_000) {
  const clock = new FakeClock(start);
  const fired: number[] = [];
  const checks = new CheckTimer(clock, () => fired.push(clock.now()));
  return { clock, fired, checks };
}

describe("CheckTimer", () => {
  it("fires once at the requested time rounded up to the resolution", async () => {
    const { clock, fired, checks } = timer();
    checks.schedule(10_001);
    expect(clock.nextDelay()).toBe(CHECK_RESOLUTION_MS);
    await clock.advance(5_000);
    expect(fired).toEqual([10_000 + CHECK_RESOLUTION_MS]);
  });

  it("keeps one timer, for the earliest time asked", async () => {
    const { clock, fired, checks } = timer();
    checks.schedule(13_000);
    checks.schedule(11_000);
    checks.schedule(12_000);
    expect(clock.pending()).toBe(1);
    await clock.advance(1_000);
    expect(fired).toEqual([11_000]);
    // Fired, the timer is free again: a later time is scheduled anew.
    checks.schedule(12_000);
    await clock.advance(1_000);
    expect(fired).toEqual([11_000, 12_000]);
  });

  it("schedules nothing for an undefined time, and nothing after stop", async () => {
    const { clock, fired, checks } = timer();
    checks.schedule(undefined);
    expect(clock.pending()).toBe(0);
    checks.schedule(11_000);
    checks.stop();
    checks.schedule(10_500);
    expect(clock.pending()).toBe(0);
    await clock.advance(5_000);
    expect(fired).toEqual([]);
  });
});
