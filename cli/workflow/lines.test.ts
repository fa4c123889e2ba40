import { describe, expect, it } from "vitest";
import { workflowLines } from "./lines.js";
import { workflowView } from "./view.js";

const status = {
  workflow: {
    appRevision: "shop-v2",
    mode: "StepByStep-DAG",
    phase: "suspending",
    message: "waiting for approval",
    suspend: true,
    terminated: false,
    finished: false,
    steps: [
      { id: "a1", name: "deploy-local", type: "deploy", phase: "succeeded" },
      {
        id: "b2",
        name: "checks",
        type: "step-group",
        phase: "running",
        subSteps: [
          { id: "c3", name: "ping", type: "webhook", phase: "succeeded" },
          {
            id: "d4",
            name: "wait-db",
            type: "read-object",
            phase: "running",
            reason: "Wait",
            message: "db not ready\nretrying",
          },
        ],
      },
      {
        id: "e5",
        name: "hold",
        type: "suspend",
        phase: "suspending",
        message: "waiting for approval",
      },
    ],
  },
};

describe("workflow section of flotilla status", () => {
  it("prints the mode, phase, flags and every step, sub-steps indented", () => {
    const view = workflowView(status);
    expect(view).toBeDefined();
    expect(workflowLines(view!)).toEqual([
      "Workflow:",
      "",
      "  mode: StepByStep-DAG",
      "  phase: suspending",
      "  finished: false",
      "  Suspend: true",
      "  Terminated: false",
      "  message: waiting for approval",
      "  Steps",
      "  - name: deploy-local",
      "    id: a1",
      "    type: deploy",
      "    phase: succeeded",
      "  - name: checks",
      "    id: b2",
      "    type: step-group",
      "    phase: running",
      "    subSteps:",
      "      - name: ping",
      "        id: c3",
      "        type: webhook",
      "        phase: succeeded",
      "      - name: wait-db",
      "        id: d4",
      "        type: read-object",
      "        phase: running",
      "        reason: Wait",
      "        message: db not ready\n          retrying",
      "  - name: hold",
      "    id: e5",
      "    type: suspend",
      "    phase: suspending",
      "    message: waiting for approval",
    ]);
  });

  it("says when no step has started", () => {
    const view = workflowView({ workflow: { mode: "DAG-DAG", phase: "initializing", steps: [] } });
    expect(workflowLines(view!).slice(-2)).toEqual(["  Steps", "  No step started yet."]);
  });
});

describe("reading status.workflow defensively", () => {
  it("is undefined without a workflow object", () => {
    expect(workflowView(undefined)).toBeUndefined();
    expect(workflowView({})).toBeUndefined();
    expect(workflowView({ workflow: "junk" })).toBeUndefined();
  });

  it("skips malformed steps and defaults missing fields", () => {
    const view = workflowView({
      workflow: {
        suspend: "yes",
        steps: [{ name: "ok" }, "junk", { phase: "running" }, { name: "g", subSteps: {} }],
      },
    });
    expect(view).toEqual({
      mode: "-",
      suspend: false,
      terminated: false,
      finished: false,
      steps: [
        { name: "ok", type: "-", phase: "pending", subSteps: [] },
        { name: "g", type: "-", phase: "pending", subSteps: [] },
      ],
    });
  });
});
