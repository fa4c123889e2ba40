import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { ENGINE_KEY } from "./data.js";
import { advance } from "./engine.js";
import {
  appWith,
  at,
  driver,
  phases,
  recorder,
  sharedCue,
  T0,
} from "../testing/workflow-engine.js";
import { stepId } from "./spec.js";
import type { StepOutcome, WorkflowStatus } from "./types.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});

describe("advance: StepByStep", () => {
  it("runs the steps in order in one call and succeeds", async () => {
    const rec = recorder();
    const d = await driver(appWith([noop("a"), noop("b"), noop("c")]), rec.runnerFor);
    const { status, events, requeueAfterMs } = await d.step();
    expect(rec.calls).toEqual(["a", "b", "c"]);
    expect(status).toMatchObject({
      appRevision: "shop-v1",
      mode: "StepByStep-DAG",
      phase: "succeeded",
      finished: true,
      terminated: false,
      suspend: false,
      startTime: T0.toISOString(),
      endTime: T0.toISOString(),
      contextBackend: {
        apiVersion: "v1",
        kind: "ConfigMap",
        name: "workflow-shop-context",
        namespace: "prod",
      },
    });
    expect(status.steps.map((s) => [s.name, s.id, s.phase])).toEqual([
      ["a", stepId("a"), "succeeded"],
      ["b", stepId("b"), "succeeded"],
      ["c", stepId("c"), "succeeded"],
    ]);
    expect(status.steps[0]).toMatchObject({
      firstExecuteTime: T0.toISOString(),
      lastExecuteTime: T0.toISOString(),
    });
    expect(events.map((e) => e.reason)).toEqual(["WorkflowStarted", "WorkflowSucceeded"]);
    expect(requeueAfterMs).toBeUndefined();
  });

  it("stops at a waiting step, requeues, and continues when it succeeds", async () => {
    let ready = false;
    const rec = recorder({
      b: (): StepOutcome =>
        ready
          ? { phase: "succeeded" }
          : { phase: "running", reason: "Wait", message: "not ready", retryAfterMs: 2_000 },
    });
    const d = await driver(appWith([noop("a"), noop("b"), noop("c")]), rec.runnerFor);
    const first = await d.step();
    expect(phases(first.status)).toEqual({ a: "succeeded", b: "running" });
    expect(first.status.steps[1]).toMatchObject({ reason: "Wait", message: "not ready" });
    expect(first.status.phase).toBe("executing");
    expect(first.requeueAfterMs).toBe(2_000);
    ready = true;
    const second = await d.step(at(2));
    expect(rec.calls).toEqual(["a", "b", "b", "c"]);
    expect(second.status.phase).toBe("succeeded");
    expect(second.status.steps[1]?.firstExecuteTime).toBe(T0.toISOString());
    expect(second.status.steps[1]?.lastExecuteTime).toBe(at(2).toISOString());
  });

  it("waits with KubeVela's backoff when the runner gives no retry time", async () => {
    const rec = recorder({ a: () => ({ phase: "running", reason: "Wait" }) });
    const d = await driver(appWith([noop("a")]), rec.runnerFor);
    expect((await d.step()).requeueAfterMs).toBe(1_000);
    for (let i = 1; i < 10; i++) await d.step(at(i));
    expect(d.last?.requeueAfterMs).toBe(51_200);
    expect((await d.step(at(20))).requeueAfterMs).toBe(60_000);
  });

  it("skips the steps after a failed one, runs if: always, and ends failed", async () => {
    const rec = recorder({
      b: () => ({ phase: "failed", reason: "Action", message: "config center said no" }),
    });
    const steps = [noop("a"), noop("b"), noop("c"), noop("notify", { if: "always" }), noop("d")];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status, events } = await d.step();
    expect(rec.calls).toEqual(["a", "b", "notify"]);
    expect(phases(status)).toEqual({
      a: "succeeded",
      b: "failed",
      c: "skipped",
      notify: "succeeded",
      d: "skipped",
    });
    expect(status.steps[2]).toMatchObject({
      reason: "Skip",
      message: 'skipped: step "b" is failed',
    });
    expect(status).toMatchObject({ phase: "failed", finished: true, terminated: true });
    expect(status.message).toBe('step "b" failed: config center said no');
    expect(events.map((e) => e.reason)).toContain("WorkflowStepFailed");
    expect(events.at(-1)).toMatchObject({ type: "Warning", reason: "FailedWorkflow" });
  });

  it("lets a skipped step pass in StepByStep mode but not through dependsOn", async () => {
    const rec = recorder();
    const steps = [noop("a", { if: "false" }), noop("b"), noop("c", { dependsOn: ["a"] })];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status } = await d.step();
    expect(phases(status)).toEqual({ a: "skipped", b: "succeeded", c: "skipped" });
    expect(status.steps[2]?.message).toBe('skipped: dependency "a" is skipped');
    expect(status.phase).toBe("succeeded");
  });

  it("holds a step whose type has no runner, naming the type, until it has one", async () => {
    const rec = recorder();
    let known = false;
    const runnerFor = (type: string) =>
      known ? rec.runnerFor(type === "late" ? "x" : type) : undefined;
    const d = await driver(appWith([{ name: "x", type: "late" }]), runnerFor);
    const { status, requeueAfterMs } = await d.step();
    expect(status.steps[0]).toMatchObject({
      phase: "running",
      reason: "UnknownType",
      message:
        'unknown workflow step type "late": waiting for a WorkflowStepDefinition of that name',
    });
    expect(status.phase).toBe("executing");
    expect(requeueAfterMs).toBe(10_000);
    known = true;
    expect((await d.step()).status.phase).toBe("succeeded");
  });

  it("retries a runner that throws with backoff, then fails after 10 errors", async () => {
    const rec = recorder({
      a: () => {
        throw new Error("connection refused");
      },
    });
    const d = await driver(appWith([noop("a"), noop("b")]), rec.runnerFor);
    const first = await d.step();
    expect(first.status.steps[0]).toMatchObject({
      phase: "failed",
      reason: "Execute",
      message: "connection refused",
    });
    expect(first.status.phase).toBe("executing");
    expect(first.requeueAfterMs).toBe(1_000);
    expect(first.context[ENGINE_KEY]).toEqual({ steps: { a: { failures: 1 } } });
    const early = await d.step(at(0.5));
    expect(rec.calls).toEqual(["a"]);
    expect(early.requeueAfterMs).toBe(500);
    expect((await d.step(at(1))).requeueAfterMs).toBe(2_000);
    let t = 1;
    for (let i = 2; i < 10; i++) {
      t += (d.last?.requeueAfterMs ?? 0) / 1_000;
      await d.step(at(t));
    }
    expect(rec.calls.filter((c) => c === "a")).toHaveLength(10);
    expect(d.last?.status.steps[0]).toMatchObject({
      phase: "failed",
      reason: "FailedAfterRetries",
    });
    expect(d.last?.status.steps[0]?.message).toContain("failed 10 times, last: connection refused");
    expect(d.last?.status.phase).toBe("failed");
    expect(d.last?.context[ENGINE_KEY]).toBeUndefined();
  });

  it("rejects an invalid workflow with InvalidInputError naming the application", async () => {
    const rec = recorder();
    const app = appWith([noop("a", { dependsOn: ["ghost"] })]);
    const input = {
      app,
      context: {},
      now: T0,
      cue: await sharedCue(),
      runnerFor: rec.runnerFor,
      revision: "r1",
    };
    await expect(advance(input)).rejects.toThrow(InvalidInputError);
    await expect(advance(input)).rejects.toThrow(
      /application "prod\/shop".*step "a" field "dependsOn": step "ghost" does not exist/,
    );
  });
});

describe("advance: durability", () => {
  it("resumes from the persisted status without repeating a finished step's runner", async () => {
    let sent = 0;
    let ready = false;
    const behaviours = {
      notify: (): StepOutcome => {
        sent++;
        return { phase: "succeeded", outputs: { ticket: "T-1" } };
      },
      wait: (): StepOutcome =>
        ready ? { phase: "succeeded" } : { phase: "running", reason: "Wait" },
    };
    const steps = [
      noop("notify", { outputs: [{ name: "ticket", valueFrom: "x" }] }),
      noop("wait"),
      noop("after", { inputs: [{ from: "ticket" }] }),
    ];
    const first = recorder(behaviours);
    const before = await driver(appWith(steps), first.runnerFor);
    const persisted = await before.step();
    expect(sent).toBe(1);

    // A new hub process: fresh runners, the status and context read back from the cluster.
    const second = recorder(behaviours);
    ready = true;
    const result = await advance({
      app: appWith(steps),
      previous: JSON.parse(JSON.stringify(persisted.status)) as WorkflowStatus,
      context: JSON.parse(JSON.stringify(persisted.context)) as Record<string, unknown>,
      now: at(5),
      cue: await sharedCue(),
      runnerFor: second.runnerFor,
      revision: "shop-v1",
    });
    expect(second.calls).toEqual(["wait", "after"]);
    expect(sent).toBe(1);
    expect(second.runs[1]?.inputs).toEqual({ ticket: "T-1" });
    expect(result.status.phase).toBe("succeeded");
    expect(result.status.startTime).toBe(T0.toISOString());

    const again = await advance({
      app: appWith(steps),
      previous: result.status,
      context: result.context,
      now: at(9),
      cue: await sharedCue(),
      runnerFor: second.runnerFor,
      revision: "shop-v1",
    });
    expect(second.calls).toHaveLength(2);
    expect(again.status).toEqual(result.status);
    expect(again.events).toEqual([]);
  });

  it("finishes 50 no-op steps in one call, well under 20 ms per step", async () => {
    const rec = recorder();
    const steps = Array.from({ length: 50 }, (_, i) => noop(`step-${i}`));
    const d = await driver(appWith(steps), rec.runnerFor);
    await d.step(); // warm-up
    const started = performance.now();
    const fresh = await driver(appWith(steps), rec.runnerFor);
    const { status } = await fresh.step();
    const perStep = (performance.now() - started) / 50;
    expect(status.phase).toBe("succeeded");
    expect(status.steps).toHaveLength(50);
    expect(rec.calls).toHaveLength(100);
    expect(perStep).toBeLessThan(5);
  });
});
