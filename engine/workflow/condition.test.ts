import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { evaluateIf, statusView } from "./condition.js";
import { appWith, driver, phases, recorder, sharedCue } from "../testing/workflow-engine.js";
import { parseWorkflow } from "./spec.js";
import type { StepStatus } from "./types.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});

const plan = parseWorkflow(
  appWith([
    noop("deploy-base", { meta: { alias: "base" } }),
    noop("apply", { properties: { component: "proxy" } }),
    noop("later"),
  ]),
);
const statuses: Record<string, StepStatus> = {
  "deploy-base": {
    id: "1",
    name: "deploy-base",
    type: "noop",
    phase: "failed",
    reason: "Timeout",
    message: "slow",
  },
  apply: { id: "2", name: "apply", type: "noop", phase: "succeeded" },
};
const view = statusView(plan?.byName.values() ?? [], (n) => statuses[n]);

async function holds(expression: string, inputs: Record<string, unknown> = {}): Promise<boolean> {
  return evaluateIf({ step: "s", expression, status: view, inputs, cue: await sharedCue() });
}

describe("statusView", () => {
  it("shows every step with KubeVela's flags, by name, alias and component", () => {
    expect(view["deploy-base"]).toMatchObject({
      phase: "failed",
      failed: true,
      succeeded: false,
      skipped: false,
      timeout: true,
      terminate: false,
      message: "slow",
    });
    expect(view.base).toBe(view["deploy-base"]);
    expect(view.proxy).toBe(view.apply);
    expect(view.later).toMatchObject({ phase: "pending", succeeded: false, failed: false });
  });
});

describe("evaluateIf", () => {
  it("treats always as true", async () => {
    expect(await holds("always")).toBe(true);
  });

  it("evaluates status expressions, dashed names and aliases", async () => {
    expect(await holds('status["deploy-base"].phase == "failed"')).toBe(true);
    expect(await holds("status.base.timeout && status.apply.succeeded")).toBe(true);
    expect(await holds('status.proxy.phase != "succeeded"')).toBe(false);
    expect(await holds("status.later.succeeded")).toBe(false);
  });

  it("evaluates inputs expressions", async () => {
    expect(await holds('inputs.env == "prod"', { env: "prod" })).toBe(true);
    expect(await holds('inputs["cfg.replicas"] > 2', { "cfg.replicas": 3 })).toBe(true);
    expect(await holds('inputs.env == "prod"', { env: "dev" })).toBe(false);
  });

  it("rejects expressions that are not bools or do not evaluate, naming step and expression", async () => {
    await expect(holds('"yes"')).rejects.toThrow(InvalidInputError);
    await expect(holds('"yes"')).rejects.toThrow(
      'step "s" field "if" ("\\"yes\\""): must be a bool, got "yes"',
    );
    await expect(holds("status.nobody.phase == 1")).rejects.toThrow(
      /step "s" field "if" \("status.nobody.phase == 1"\): cannot be evaluated/,
    );
    await expect(holds("status.apply.phase ==")).rejects.toThrow(/cannot be evaluated/);
  });
});

describe("if in a workflow", () => {
  it("runs a step by a status condition and fails a step whose if is not a bool", async () => {
    const rec = recorder({ a: () => ({ phase: "failed", reason: "Action", message: "no" }) });
    const steps = [
      noop("a"),
      noop("on-failure", { if: 'status.a.phase == "failed"' }),
      noop("on-success", { if: "status.a.succeeded" }),
      noop("broken", { if: "status.a.phase" }),
    ];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status, events } = await d.step();
    expect(rec.calls).toEqual(["a", "on-failure"]);
    expect(phases(status)).toEqual({
      a: "failed",
      "on-failure": "succeeded",
      "on-success": "skipped",
      broken: "failed",
    });
    expect(status.steps[3]).toMatchObject({ reason: "Condition" });
    expect(status.steps[3]?.message).toContain(
      'step "broken" field "if" ("status.a.phase"): must be a bool, got "failed"',
    );
    expect(events.filter((e) => e.reason === "WorkflowStepFailed")).toHaveLength(2);
  });

  it("decides with inputs from earlier outputs", async () => {
    const rec = recorder({ probe: () => ({ phase: "succeeded", outputs: { env: "prod" } }) });
    const steps = [
      noop("probe", { outputs: [{ name: "env", valueFrom: "x" }] }),
      noop("prod-only", { if: 'inputs.env == "prod"', inputs: [{ from: "env" }] }),
      noop("dev-only", { if: 'inputs.env == "dev"', inputs: [{ from: "env" }] }),
    ];
    const d = await driver(appWith(steps), rec.runnerFor);
    const { status } = await d.step();
    expect(phases(status)).toEqual({
      probe: "succeeded",
      "prod-only": "succeeded",
      "dev-only": "skipped",
    });
  });
});
