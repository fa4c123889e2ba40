import { describe, expect, it } from "vitest";
import {
  appWith,
  at,
  driver,
  phases,
  recorder,
  type Behaviour,
} from "../testing/workflow-engine.js";
import type { StepOutcome, StepStatus } from "./types.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});

/** Runners that take a macrotask to finish and count how many run at once. */
function concurrency(names: string[]): {
  behaviours: Record<string, Behaviour>;
  max: () => number;
} {
  let running = 0;
  let max = 0;
  const slow: Behaviour = async () => {
    running++;
    max = Math.max(max, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    return { phase: "succeeded" };
  };
  return { behaviours: Object.fromEntries(names.map((n) => [n, slow])), max: () => max };
}

const sub = (status: StepStatus | undefined): Record<string, string> =>
  Object.fromEntries((status?.subSteps ?? []).map((s) => [s.name, s.phase]));

describe("advance: DAG", () => {
  it("runs every ready step at once and a dependent step after its dependencies", async () => {
    const { behaviours, max } = concurrency(["a", "b", "c"]);
    const rec = recorder(behaviours);
    const steps = [noop("a"), noop("b"), noop("c"), noop("d", { dependsOn: ["a", "b"] })];
    const d = await driver(appWith(steps, { mode: { steps: "DAG" } }), rec.runnerFor);
    const { status } = await d.step();
    expect(max()).toBe(3);
    expect(rec.calls.slice(0, 3).sort()).toEqual(["a", "b", "c"]);
    expect(rec.calls[3]).toBe("d");
    expect(status).toMatchObject({ mode: "DAG-DAG", phase: "succeeded" });
  });

  it("keeps to maxParallel", async () => {
    const names = ["a", "b", "c", "d", "e"];
    const { behaviours, max } = concurrency(names);
    const rec = recorder(behaviours);
    const app = appWith(
      names.map((n) => noop(n)),
      { mode: { steps: "DAG" } },
    );
    const d = await driver(app, rec.runnerFor, { maxParallel: 2 });
    expect((await d.step()).status.phase).toBe("succeeded");
    expect(max()).toBe(2);
    expect(rec.calls).toHaveLength(5);
  });

  it("runs a diamond in order and records the waiting step as pending", async () => {
    let bReady = false;
    const rec = recorder({
      b: (): StepOutcome =>
        bReady ? { phase: "succeeded" } : { phase: "running", reason: "Wait" },
    });
    const steps = [
      noop("a"),
      noop("b", { dependsOn: ["a"] }),
      noop("c", { dependsOn: ["a"] }),
      noop("d", { dependsOn: ["b", "c"] }),
    ];
    const d = await driver(appWith(steps, { mode: { steps: "DAG" } }), rec.runnerFor);
    const first = await d.step();
    expect(phases(first.status)).toEqual({
      a: "succeeded",
      b: "running",
      c: "succeeded",
      d: "pending",
    });
    expect(first.status.steps[3]).toMatchObject({ message: "Pending on DependsOn: b" });
    expect(first.status.steps[3]?.firstExecuteTime).toBeUndefined();
    bReady = true;
    const second = await d.step(at(1));
    expect(rec.calls).toEqual(["a", "b", "c", "b", "d"]);
    expect(second.status.steps[3]?.firstExecuteTime).toBe(at(1).toISOString());
    expect(second.status.phase).toBe("succeeded");
  });

  it("skips the dependents of a failed step but keeps independent branches going", async () => {
    const rec = recorder({ b: () => ({ phase: "failed", reason: "Action", message: "no" }) });
    const steps = [
      noop("a"),
      noop("b", { dependsOn: ["a"] }),
      noop("c", { dependsOn: ["a"] }),
      noop("d", { dependsOn: ["b", "c"] }),
      noop("e", { dependsOn: ["d"] }),
      noop("cleanup", { dependsOn: ["d"], if: 'status.b.phase == "failed"' }),
    ];
    const d = await driver(appWith(steps, { mode: { steps: "DAG" } }), rec.runnerFor);
    const { status } = await d.step();
    expect(phases(status)).toEqual({
      a: "succeeded",
      b: "failed",
      c: "succeeded",
      d: "skipped",
      e: "skipped",
      cleanup: "succeeded",
    });
    expect(status.steps[3]?.message).toBe('skipped: dependency "b" is failed');
    expect(status.phase).toBe("failed");
  });

  it("starts a consumer as soon as its input is produced in the same call", async () => {
    const rec = recorder({ make: () => ({ phase: "succeeded", outputs: { token: "t-1" } }) });
    const steps = [
      noop("use", { inputs: [{ from: "token", parameterKey: "auth.token" }] }),
      noop("make", { outputs: [{ name: "token", valueFrom: "x" }] }),
    ];
    const d = await driver(appWith(steps, { mode: { steps: "DAG" } }), rec.runnerFor);
    const { status } = await d.step();
    expect(rec.calls).toEqual(["make", "use"]);
    expect(rec.runs[1]?.step.properties).toEqual({ auth: { token: "t-1" } });
    expect(status.phase).toBe("succeeded");
  });
});

describe("advance: step-group", () => {
  const group = (extra: Record<string, unknown> = {}) => ({
    name: "release",
    type: "step-group",
    subSteps: [noop("s1"), noop("s2"), noop("s3", { dependsOn: ["s1"] })],
    ...extra,
  });

  it("runs sub-steps as a DAG by default and derives the group's phase", async () => {
    let s2Ready = false;
    const rec = recorder({
      s2: (): StepOutcome =>
        s2Ready ? { phase: "succeeded" } : { phase: "running", reason: "Wait" },
    });
    const d = await driver(appWith([noop("before"), group(), noop("after")]), rec.runnerFor);
    const first = await d.step();
    expect(phases(first.status)).toEqual({ before: "succeeded", release: "running" });
    expect(sub(first.status.steps[1])).toEqual({ s1: "succeeded", s2: "running", s3: "succeeded" });
    expect(first.status.steps[1]).toMatchObject({ type: "step-group" });
    s2Ready = true;
    const second = await d.step(at(1));
    expect(phases(second.status)).toEqual({
      before: "succeeded",
      release: "succeeded",
      after: "succeeded",
    });
    expect(rec.calls).toEqual(["before", "s1", "s2", "s3", "s2", "after"]);
  });

  it("runs sub-steps in order with mode.subSteps StepByStep and fails with a failed child", async () => {
    const rec = recorder({ s2: () => ({ phase: "failed", reason: "Action", message: "bad" }) });
    const app = appWith(
      [group({ subSteps: [noop("s1"), noop("s2"), noop("s3")] }), noop("after")],
      {
        mode: { subSteps: "StepByStep" },
      },
    );
    const d = await driver(app, rec.runnerFor);
    const { status } = await d.step();
    expect(status.mode).toBe("StepByStep-StepByStep");
    expect(rec.calls).toEqual(["s1", "s2"]);
    expect(sub(status.steps[0])).toEqual({ s1: "succeeded", s2: "failed", s3: "skipped" });
    expect(status.steps[0]).toMatchObject({ phase: "failed", reason: "Action" });
    expect(phases(status)).toEqual({ release: "failed", after: "skipped" });
  });

  it("skips every sub-step when the group's if is false", async () => {
    const rec = recorder();
    const d = await driver(appWith([group({ if: "false" }), noop("after")]), rec.runnerFor);
    const { status } = await d.step();
    expect(rec.calls).toEqual(["after"]);
    expect(status.steps[0]?.phase).toBe("skipped");
    expect(sub(status.steps[0])).toEqual({ s1: "skipped", s2: "skipped", s3: "skipped" });
  });

  it("fails the group and its unfinished sub-steps on the group's timeout", async () => {
    const rec = recorder({ s2: () => ({ phase: "running", reason: "Wait" }) });
    const d = await driver(appWith([group({ timeout: "10s" })]), rec.runnerFor);
    await d.step();
    const { status } = await d.step(at(10));
    expect(status.steps[0]).toMatchObject({ phase: "failed", reason: "Timeout" });
    expect(status.steps[0]?.subSteps?.find((s) => s.name === "s2")).toMatchObject({
      phase: "failed",
      reason: "Timeout",
      message: 'step-group "release" did not finish within its timeout of 10s',
    });
    expect(status.phase).toBe("failed");
  });
});
