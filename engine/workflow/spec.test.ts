import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import type { Application, WorkflowStep } from "../oam/types.js";
import { appWith } from "../testing/workflow-engine.js";
import { parseWorkflow, stepId } from "./spec.js";

const noop = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "noop",
  ...extra,
});

function problemOf(app: Application): string {
  try {
    parseWorkflow(app);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error("expected the workflow to be rejected");
}

describe("parseWorkflow", () => {
  it("returns undefined without steps (the hub delivers everything)", () => {
    const app = appWith([]);
    expect(parseWorkflow(app)).toBeUndefined();
    delete app.spec.workflow;
    expect(parseWorkflow(app)).toBeUndefined();
  });

  it("plans steps with ids, defaults and parsed timeouts", () => {
    const plan = parseWorkflow(
      appWith([
        noop("a", { timeout: "1m30s", meta: { alias: "first" } }),
        {
          name: "g",
          type: "step-group",
          subSteps: [noop("g1"), noop("g2", { dependsOn: ["g1"] })],
        },
      ]),
    );
    expect(plan?.mode).toEqual({ steps: "StepByStep", subSteps: "DAG" });
    expect(plan?.steps[0]).toMatchObject({
      id: stepId("a"),
      timeoutMs: 90_000,
      timeout: "1m30s",
      alias: "first",
    });
    expect(plan?.steps[1]?.subSteps.map((s) => [s.name, s.parent])).toEqual([
      ["g1", "g"],
      ["g2", "g"],
    ]);
    expect([...(plan?.byName.keys() ?? [])]).toEqual(["a", "g", "g1", "g2"]);
    expect(stepId("a")).toMatch(/^[0-9a-f]{10}$/);
    expect(stepId("a")).toBe(stepId("a"));
    expect(stepId("a")).not.toBe(stepId("b"));
  });

  it("reads timeouts in Go's duration grammar and refuses ones that are not positive", () => {
    const plan = parseWorkflow(appWith([noop("a", { timeout: "1h2m3.5s" })]));
    expect(plan?.steps[0]?.timeoutMs).toBe(3_723_500);
    const message = problemOf(
      appWith([
        noop("b", { timeout: "-1s" }),
        { name: "c", type: "suspend", properties: { duration: "0" } },
      ]),
    );
    expect(message).toContain('step "b" field "timeout": "-1s" is not a duration');
    expect(message).toContain('step "c" field "properties.duration": "0" is not a duration');
  });

  it("rejects a dependency cycle in DAG mode, naming it", () => {
    const app = appWith(
      [
        noop("a", { dependsOn: ["c"] }),
        noop("b", { dependsOn: ["a"] }),
        noop("c", { dependsOn: ["b"] }),
      ],
      {
        mode: { steps: "DAG" },
      },
    );
    expect(problemOf(app)).toMatch(
      /application "prod\/shop": invalid workflow: steps: dependency cycle a → c → b → a \(each waits for the next\)/,
    );
  });

  it("rejects a cycle made of an input and a dependsOn among sub-steps", () => {
    const app = appWith([
      {
        name: "g",
        type: "step-group",
        subSteps: [
          noop("x", { dependsOn: ["y"], outputs: [{ name: "vx", valueFrom: "a" }] }),
          noop("y", { inputs: [{ from: "vx" }] }),
        ],
      },
    ]);
    expect(problemOf(app)).toContain('subSteps of step "g": dependency cycle');
  });

  it("rejects unknown dependsOn, self-dependency, duplicate names and dependsOn across levels", () => {
    const message = problemOf(
      appWith([
        noop("a", { dependsOn: ["ghost"] }),
        noop("b", { dependsOn: ["b"] }),
        noop("a"),
        { name: "g", type: "step-group", subSteps: [noop("g1", { dependsOn: ["b"] })] },
      ]),
    );
    expect(message).toContain('step "a": the name is used twice');
    expect(message).toContain('step "a" field "dependsOn": step "ghost" does not exist');
    expect(message).toContain('step "b" field "dependsOn": the step depends on itself');
    expect(message).toContain('step "g1" field "dependsOn": "b" is not at the same level');
  });

  it("rejects waiting on a later step in StepByStep mode", () => {
    const message = problemOf(
      appWith([
        noop("a", { dependsOn: ["b"] }),
        noop("b", { outputs: [{ name: "o", valueFrom: "v" }] }),
        noop("c", { inputs: [{ from: "o" }] }),
      ]),
    );
    expect(message).toContain(
      'step "a" waits for step "b" (dependsOn), which runs after it in StepByStep mode',
    );
    expect(message).not.toContain('step "c"');
  });

  it("rejects bad field shapes, naming step and field", () => {
    const message = problemOf(
      appWith(
        [
          noop("a", { timeout: "soon", if: true, properties: [1] }),
          noop("b", { inputs: [{ parameterKey: "x" }], outputs: [{ name: "$x" }] }),
          noop("c", { inputs: [{ from: "nothing" }], meta: { alias: 3 } }),
          noop("d", { subSteps: [] }),
          { name: "e", type: "suspend", properties: { duration: "a while" } },
          {
            name: "f",
            type: "step-group",
            outputs: [{ name: "o" }],
            subSteps: [{ name: "f1", type: "step-group" }],
          },
          { type: "noop" } as unknown as WorkflowStep,
        ],
        { mode: { steps: "Parallel" } },
      ),
    );
    for (const part of [
      'field "mode.steps": "Parallel" is not StepByStep or DAG',
      'step "a" field "timeout": "soon" is not a duration',
      'step "a" field "if": must be a non-empty string',
      'step "a" field "properties": must be an object',
      'step "b" field "inputs"[0]: must be {from: <output name>',
      'step "b" field "outputs"[0]: must be {name: <name not starting with $>',
      'step "c" field "meta": must be {alias?: <string>}',
      'step "d" field "subSteps": only a step-group step has subSteps',
      'step "e" field "properties.duration": "a while" is not a duration',
      'step "f" field "outputs": a step-group has no outputs of its own',
      'step "f1" field "type": a step-group cannot be nested in step-group "f"',
      'steps[6]: needs a "name" and a "type"',
    ]) {
      expect(message).toContain(part);
    }
  });

  it("rejects an input that no step or component produces, and accepts a component output", () => {
    expect(problemOf(appWith([noop("c", { inputs: [{ from: "nothing.deep" }] })]))).toContain(
      'step "c" field "inputs": "nothing.deep" is not an output of any step or component',
    );
    const components = [
      { name: "db", type: "webservice", outputs: [{ name: "dbHost", valueFrom: "x" }] },
    ];
    expect(
      parseWorkflow(appWith([noop("c", { inputs: [{ from: "dbHost" }] })], { components })),
    ).toBeDefined();
  });

  it("rejects a group waiting on its own sub-step's output", () => {
    const app = appWith([
      {
        name: "g",
        type: "step-group",
        inputs: [{ from: "o" }],
        subSteps: [noop("g1", { outputs: [{ name: "o", valueFrom: "v" }] })],
      },
    ]);
    expect(problemOf(app)).toContain(
      'step "g" field "inputs": "o" comes from step "g1", which cannot finish before it starts',
    );
  });
});
