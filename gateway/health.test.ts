import { describe, expect, it } from "vitest";
import type { ClusterRecord } from "../core/cluster/types.js";
import { FakeClock, flushPromises } from "../core/testing/fake-clock.js";
import { silentLogger, systemClock } from "./deps.js";
import { createHealthProber, healthFrom } from "./health.js";
import type { ProbeOutcome } from "./proxy/probe.js";
import type { ClusterCache } from "./registry/cluster-cache.js";

const at = Date.parse("2026-01-01T00:00:00Z");

describe("healthFrom", () => {
  it("is healthy only for a 200 from /readyz", () => {
    expect(healthFrom({ reachable: true, status: 200 }, at)).toEqual({
      healthy: true,
      reason: "Ready",
      lastProbeTime: "2026-01-01T00:00:00.000Z",
    });
    expect(healthFrom({ reachable: true, status: 500 }, at)).toMatchObject({
      healthy: false,
      reason: "NotReady",
    });
    expect(healthFrom({ reachable: false, error: "ECONNREFUSED" }, at)).toMatchObject({
      healthy: false,
      reason: "Unreachable",
      message: "ECONNREFUSED",
    });
  });
});

describe("createHealthProber", () => {
  it("probes every registered cluster and forgets removed ones", async () => {
    const record = (name: string) => ({ name }) as ClusterRecord;
    let clusters = [record("a"), record("b")];
    const registry = { list: () => clusters } as unknown as ClusterCache;
    const outcomes: Record<string, ProbeOutcome> = {
      a: { reachable: true, status: 200 },
      b: { reachable: false, error: "down" },
    };
    const prober = createHealthProber({
      registry,
      probe: (r) =>
        r.name === "a" ? Promise.resolve(outcomes.a!) : Promise.reject(new Error("boom")),
      clock: { ...systemClock, now: () => at },
      intervalMs: 60_000,
      log: silentLogger,
    });
    expect(prober.healthOf("a")).toBeUndefined();
    await prober.probeAll();
    expect(prober.healthOf("a")?.healthy).toBe(true);
    expect(prober.healthOf("b")).toMatchObject({
      healthy: false,
      reason: "Unreachable",
      message: "boom",
    });
    clusters = [record("a")];
    await prober.probeAll();
    expect(prober.healthOf("b")).toBeUndefined();
  });

  it("probes at once on start, then every interval, until stopped", async () => {
    const clock = new FakeClock(at);
    let probes = 0;
    const prober = createHealthProber({
      registry: { list: () => [{ name: "a" } as ClusterRecord] } as unknown as ClusterCache,
      probe: () => {
        probes++;
        return Promise.resolve({ reachable: true, status: 200 });
      },
      clock,
      intervalMs: 30_000,
      log: silentLogger,
    });
    prober.start();
    await flushPromises();
    expect(probes).toBe(1);
    await clock.advance(29_999);
    expect(probes).toBe(1);
    await clock.advance(1);
    expect(probes).toBe(2);
    prober.stop();
    await clock.advance(60_000);
    expect(probes).toBe(2);
  });
});
