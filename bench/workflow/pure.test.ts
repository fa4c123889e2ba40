/** The workflow benchmark's pure parts: what it applies, how it reads status, the baseline. */
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import { HELD_STEPS, noopSteps, workflowApp } from "./apps.js";
import { engineBaseline } from "./engine.js";
import { startupMarks } from "./hub-log.js";
import { describeWorkflow, stepSpanMs, succeeded } from "./status.js";

const withWorkflow = (workflow: JsonObject): JsonObject => ({
  metadata: { name: "shop", resourceVersion: "7" },
  status: { workflow },
});

const step = (name: string, phase: string, message?: string): JsonObject => ({
  name,
  phase,
  firstExecuteTime: "2025-01-01T00:00:00.000Z",
  lastExecuteTime: "2025-01-01T00:00:00.250Z",
  ...(message === undefined ? {} : { message }),
});

describe("workflow benchmark", () => {
  it("builds an application of N noop steps without components", () => {
    const app = workflowApp("fifty", noopSteps(50)) as {
      spec: { components: unknown[]; workflow: { steps: Array<{ name: string; type: string }> } };
    };
    expect(app.spec.components).toEqual([]);
    expect(app.spec.workflow.steps).toHaveLength(50);
    expect(app.spec.workflow.steps.at(-1)).toEqual({ name: "s50", type: "noop" });
    expect(HELD_STEPS.map((s) => s.type)).toEqual(["noop", "suspend", "noop"]);
  });

  it("reads a succeeded workflow, waits on a running one, names the failed step", () => {
    const done = withWorkflow({
      phase: "succeeded",
      finished: true,
      steps: [step("s1", "succeeded")],
    });
    expect(succeeded(done)?.phase).toBe("succeeded");
    expect(stepSpanMs(succeeded(done)!)).toBe(250);
    expect(
      succeeded(withWorkflow({ phase: "executing", finished: false, steps: [] })),
    ).toBeUndefined();
    const failed = withWorkflow({
      phase: "failed",
      finished: true,
      steps: [step("s1", "succeeded"), step("s2", "failed", 'unknown workflow step type "noop"')],
    });
    expect(() => succeeded(failed)).toThrow(
      'application "shop": workflow failed, step "s2" failed: unknown workflow step type "noop"',
    );
    expect(describeWorkflow(failed)).toBe(
      "resourceVersion 7, suspend=undefined phase=failed steps s1:succeeded,s2:failed",
    );
  });

  it("measures the engine with a trivial runner and with the CUE noop step", async () => {
    const figures = await engineBaseline(3, 2);
    expect(figures.steps).toBe(3);
    expect(figures.engine_ms_per_step).toBeGreaterThan(0);
    expect(figures.engine_cue_ms_per_step).toBeGreaterThan(0);
  });
});

describe("hub start-up marks", () => {
  const spawned = Date.parse("2025-01-01T00:00:10.000Z");
  const line = (seconds: number, message: string): string =>
    JSON.stringify({
      time: new Date(spawned + seconds * 1000).toISOString(),
      level: "info",
      message,
    });

  it("reads the marks of the process spawned last, ignoring an earlier process's lines", () => {
    const text = [
      line(-5, "serving metrics"),
      line(-4.9, "started leading"),
      line(-4, "hub started"),
      "not json",
      line(1.5, "serving metrics"),
      line(1.6, "started leading"),
      line(2.75, "hub started"),
    ].join("\n");
    expect(startupMarks(text, spawned)).toEqual({
      process_up_s: 1.5,
      leading_s: 1.6,
      hub_started_s: 2.75,
    });
  });

  it("gives nothing while a mark is missing", () => {
    expect(startupMarks(line(1, "serving metrics"), spawned)).toBeUndefined();
  });
});
