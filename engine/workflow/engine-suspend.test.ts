import { describe, expect, it } from "vitest";
import { appWith, at, driver, phases, recorder, T0 } from "../testing/workflow-engine.js";
import type { StepOutcome, WorkflowStatus } from "./types.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});
const resume = (s: WorkflowStatus): WorkflowStatus => ({ ...s, suspend: false });

describe("advance: suspend and resume", () => {
  it("runs nothing after a suspend step until the caller resumes", async () => {
    const rec = recorder();
    const d = await driver(
      appWith([noop("a"), { name: "approve", type: "suspend" }, noop("b")]),
      rec.runnerFor,
    );
    const first = await d.step();
    expect(first.status).toMatchObject({ phase: "suspending", suspend: true, finished: false });
    expect(first.status.steps[1]).toMatchObject({ phase: "suspending", reason: "Suspend" });
    expect(first.status.message).toBe('step "approve" waits for a manual resume');
    expect(first.requeueAfterMs).toBeUndefined();
    expect(first.events.map((e) => e.reason)).toContain("WorkflowSuspended");
    await d.step(at(60));
    await d.step(at(120));
    expect(rec.calls).toEqual(["a"]);
    const resumed = await d.step(at(180), { edit: resume });
    expect(rec.calls).toEqual(["a", "b"]);
    expect(phases(resumed.status)).toEqual({
      a: "succeeded",
      approve: "succeeded",
      b: "succeeded",
    });
    expect(resumed.status).toMatchObject({ phase: "succeeded", suspend: false });
    expect(resumed.events.map((e) => e.reason)).toEqual(["WorkflowResumed", "WorkflowSucceeded"]);
  });

  it("accepts KubeVela's resume form (the step set to running)", async () => {
    const rec = recorder();
    const d = await driver(
      appWith([{ name: "approve", type: "suspend" }, noop("b")]),
      rec.runnerFor,
    );
    await d.step();
    const edit = (s: WorkflowStatus): WorkflowStatus => ({
      ...s,
      suspend: false,
      steps: s.steps.map((step) => ({ ...step, phase: "running" })),
    });
    expect((await d.step(at(1), { edit })).status.phase).toBe("succeeded");
  });

  it("resumes itself after properties.duration", async () => {
    const rec = recorder();
    const steps = [{ name: "soak", type: "suspend", properties: { duration: "1m30s" } }, noop("b")];
    const d = await driver(appWith(steps), rec.runnerFor);
    const first = await d.step();
    expect(first.requeueAfterMs).toBe(90_000);
    expect(first.status.steps[0]?.message).toBe(`step "soak" resumes at ${at(90).toISOString()}`);
    const early = await d.step(at(60));
    expect(early.status.phase).toBe("suspending");
    expect(early.requeueAfterMs).toBe(30_000);
    expect(rec.calls).toEqual([]);
    const late = await d.step(at(90));
    expect(rec.calls).toEqual(["b"]);
    expect(late.status.phase).toBe("succeeded");
    expect(late.status.steps[0]?.message).toBe("resumed after 1m30s");
  });

  it("holds everything while the caller suspends the workflow", async () => {
    let ready = false;
    const rec = recorder({
      a: (): StepOutcome => (ready ? { phase: "succeeded" } : { phase: "running", reason: "Wait" }),
    });
    const d = await driver(appWith([noop("a"), noop("b")]), rec.runnerFor);
    await d.step();
    ready = true;
    const held = await d.step(at(1), { edit: (s) => ({ ...s, suspend: true }) });
    expect(held.status.phase).toBe("suspending");
    expect(held.requeueAfterMs).toBeUndefined();
    expect(rec.calls).toEqual(["a"]);
    const again = await d.step(at(2), { edit: resume });
    expect(again.status.phase).toBe("succeeded");
    expect(rec.calls).toEqual(["a", "a", "b"]);
  });

  it("re-runs a runner's suspended step while suspended and tells it about a manual resume", async () => {
    const seen: string[] = [];
    const rec = recorder({
      gate: (ctx): StepOutcome => {
        seen.push(ctx.stepStatus.phase);
        return ctx.stepStatus.phase === "running" && seen.length > 1
          ? { phase: "succeeded" }
          : { phase: "suspending", message: "approve in the console" };
      },
    });
    const d = await driver(appWith([noop("gate"), noop("b")]), rec.runnerFor);
    expect((await d.step()).status).toMatchObject({
      phase: "suspending",
      message: "approve in the console",
    });
    await d.step(at(1));
    const done = await d.step(at(2), { edit: resume });
    expect(seen).toEqual(["running", "suspending", "running"]);
    expect(done.status.phase).toBe("succeeded");
  });

  it("runs nothing after a suspend in a DAG until resume", async () => {
    const rec = recorder();
    const steps = [{ name: "hold", type: "suspend" }, noop("after", { dependsOn: ["hold"] })];
    const d = await driver(appWith(steps, { mode: { steps: "DAG" } }), rec.runnerFor);
    expect((await d.step()).status.phase).toBe("suspending");
    expect(rec.calls).toEqual([]);
    expect((await d.step(at(1), { edit: resume })).status.phase).toBe("succeeded");
    expect(rec.calls).toEqual(["after"]);
  });
});

describe("advance: terminate", () => {
  it("stops a terminated workflow: running steps fail with Terminate, later steps are skipped", async () => {
    const rec = recorder({ a: () => ({ phase: "running", reason: "Wait" }) });
    const steps = [noop("a"), noop("b"), noop("report", { if: "always" })];
    const d = await driver(appWith(steps), rec.runnerFor);
    await d.step();
    const { status, events, requeueAfterMs } = await d.step(at(1), {
      edit: (s) => ({ ...s, terminated: true }),
    });
    expect(rec.calls).toEqual(["a", "report"]);
    expect(status.steps[0]).toMatchObject({ phase: "failed", reason: "Terminate" });
    expect(phases(status)).toEqual({ a: "failed", b: "skipped", report: "succeeded" });
    expect(status).toMatchObject({ phase: "terminated", terminated: true, finished: true });
    expect(events.at(-1)).toMatchObject({ reason: "WorkflowTerminated" });
    expect(requeueAfterMs).toBeUndefined();
    await d.step(at(2));
    expect(rec.calls).toHaveLength(2);
  });

  it("terminates a suspended workflow", async () => {
    const rec = recorder();
    const d = await driver(
      appWith([{ name: "approve", type: "suspend" }, noop("b")]),
      rec.runnerFor,
    );
    await d.step();
    const { status } = await d.step(at(1), { edit: (s) => ({ ...s, terminated: true }) });
    expect(status).toMatchObject({ phase: "terminated", suspend: false });
    expect(rec.calls).toEqual([]);
  });
});

describe("advance: revisions and restart", () => {
  it("restarts from scratch with an empty context on a new revision", async () => {
    const rec = recorder({ a: () => ({ phase: "succeeded", outputs: { v: "one" } }) });
    const steps = [noop("a", { outputs: [{ name: "v", valueFrom: "x" }] }), noop("b")];
    const d = await driver(appWith(steps), rec.runnerFor);
    const first = await d.step();
    expect(first.context).toEqual({ v: "one" });
    const same = await d.step(at(5));
    expect(rec.calls).toEqual(["a", "b"]);
    expect(same.status.endTime).toBe(T0.toISOString());
    const next = await d.step(at(10), { revision: "shop-v2" });
    expect(rec.calls).toEqual(["a", "b", "a", "b"]);
    expect(next.status).toMatchObject({
      appRevision: "shop-v2",
      phase: "succeeded",
      startTime: at(10).toISOString(),
    });
    expect(next.status.contextBackend?.name).toBe("workflow-shop-context");
    expect(next.events[0]).toMatchObject({ reason: "WorkflowRestarted" });
  });

  it("restarts when the caller drops the status and context", async () => {
    const rec = recorder();
    const d = await driver(appWith([noop("a")]), rec.runnerFor);
    await d.step();
    const restarted = await d.step(at(1), { edit: () => undefined as unknown as WorkflowStatus });
    expect(rec.calls).toEqual(["a", "a"]);
    expect(restarted.events[0]).toMatchObject({ reason: "WorkflowStarted" });
  });
});
