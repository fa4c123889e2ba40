import { describe, expect, it } from "vitest";
import { appWith, at, driver, phases, recorder } from "../testing/workflow-engine.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});

describe("advance: timeout", () => {
  it("fails a running step after its timeout with a message naming step and timeout", async () => {
    const rec = recorder({ a: () => ({ phase: "running", reason: "Wait", retryAfterMs: 60_000 }) });
    const d = await driver(appWith([noop("a", { timeout: "30s" }), noop("b")]), rec.runnerFor);
    const first = await d.step();
    expect(first.requeueAfterMs).toBe(30_000);
    expect((await d.step(at(20))).requeueAfterMs).toBe(10_000);
    const last = await d.step(at(30));
    expect(rec.calls).toEqual(["a", "a"]);
    expect(last.status.steps[0]).toMatchObject({
      phase: "failed",
      reason: "Timeout",
      message: 'step "a" did not finish within its timeout of 30s',
    });
    expect(phases(last.status)).toEqual({ a: "failed", b: "skipped" });
    expect(last.status.phase).toBe("failed");
  });

  it("lets an if on status.<step>.timeout react to it", async () => {
    const rec = recorder({ a: () => ({ phase: "running", reason: "Wait" }) });
    const steps = [noop("a", { timeout: "1m" }), noop("rollback", { if: "status.a.timeout" })];
    const d = await driver(appWith(steps), rec.runnerFor);
    await d.step();
    const { status } = await d.step(at(61));
    expect(phases(status)).toEqual({ a: "failed", rollback: "succeeded" });
  });
});

describe("advance: data passing", () => {
  it("passes outputs to later inputs, into a nested parameterKey", async () => {
    const rec = recorder({
      base: () => ({ phase: "succeeded", outputs: { ip: "10.0.0.7", meta: { port: 8080 } } }),
    });
    const steps = [
      noop("base", {
        outputs: [
          { name: "ip", valueFrom: "output.value.spec.clusterIP" },
          { name: "meta", valueFrom: "x" },
        ],
      }),
      noop("proxy", {
        properties: { image: "proxy:1", env: [{ name: "BackendIP" }] },
        inputs: [
          { from: "ip", parameterKey: "env[0].value" },
          { from: "meta.port", parameterKey: "backend.port" },
        ],
      }),
    ];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status, context } = await d.step();
    expect(status.phase).toBe("succeeded");
    expect(context).toEqual({ ip: "10.0.0.7", meta: { port: 8080 } });
    const proxy = rec.runs[1];
    expect(proxy?.inputs).toEqual({ ip: "10.0.0.7", "meta.port": 8080 });
    expect(proxy?.step.properties).toEqual({
      image: "proxy:1",
      env: [{ name: "BackendIP", value: "10.0.0.7" }],
      backend: { port: 8080 },
    });
    expect(steps[1]).toMatchObject({
      properties: { image: "proxy:1", env: [{ name: "BackendIP" }] },
    });
  });

  it("fails a consumer, naming input and producer, when the producer failed", async () => {
    const rec = recorder({ base: () => ({ phase: "failed", reason: "Action", message: "boom" }) });
    const steps = [
      noop("base", { outputs: [{ name: "ip", valueFrom: "x" }] }),
      noop("proxy", { if: "always", inputs: [{ from: "ip", parameterKey: "ip" }] }),
    ];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status } = await d.step();
    expect(rec.calls).toEqual(["base"]);
    expect(status.steps[1]).toMatchObject({
      phase: "failed",
      reason: "Input",
      message: 'input "ip" is not available: step "base" failed without producing it',
    });
  });

  it("waits for an input produced by a component until it is in the context", async () => {
    const rec = recorder();
    const components = [
      { name: "db", type: "webservice", outputs: [{ name: "dbHost", valueFrom: "x" }] },
    ];
    const steps = [
      noop("use", { inputs: [{ from: "dbHost", parameterKey: "host" }], timeout: "5m" }),
    ];
    const d = await driver(appWith(steps, { components }), rec.runnerFor);
    const first = await d.step();
    expect(first.status.steps[0]).toMatchObject({
      phase: "pending",
      message: "Pending on Input: dbHost",
    });
    expect(first.requeueAfterMs).toBe(300_000);
    expect(rec.calls).toEqual([]);
  });
});
