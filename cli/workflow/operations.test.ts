import { describe, expect, it } from "vitest";
import { ConflictError } from "../../core/errors.js";
import type { LiveApplication } from "../app/live-app.js";
import { planOperation, type WorkflowOperation } from "./operations.js";

type Flags = { phase: string; suspend?: boolean; terminated?: boolean; finished?: boolean };

const appWith = (workflow: Flags | undefined): LiveApplication => ({
  metadata: { name: "shop", namespace: "prod" },
  spec: {},
  status:
    workflow === undefined
      ? { status: "running" }
      : {
          status: "runningWorkflow",
          workflow: {
            mode: "StepByStep-DAG",
            suspend: false,
            terminated: false,
            finished: false,
            steps: [],
            ...workflow,
          },
        },
});

const running: Flags = { phase: "executing" };
const suspended: Flags = { phase: "suspending", suspend: true };
const heldByCaller: Flags = { phase: "executing", suspend: true };
const succeeded: Flags = { phase: "succeeded", finished: true };
const terminated: Flags = { phase: "terminated", finished: true, terminated: true };
const terminating: Flags = { phase: "executing", terminated: true };

const refusal = (op: WorkflowOperation, flags: Flags | undefined): string => {
  try {
    planOperation(op, appWith(flags));
  } catch (error) {
    expect(error).toBeInstanceOf(ConflictError);
    return (error as Error).message;
  }
  throw new Error(`${op} was not refused`);
};

describe("workflow operations", () => {
  it("patches the status subresource with the field the engine understands", () => {
    expect(planOperation("suspend", appWith(running))).toEqual({
      patch: { status: { workflow: { suspend: true } } },
      done: "Successfully suspend workflow: shop",
    });
    expect(planOperation("resume", appWith(suspended))).toEqual({
      patch: { status: { workflow: { suspend: false } } },
      done: "Successfully resume workflow: shop",
    });
    expect(planOperation("terminate", appWith(suspended))).toEqual({
      patch: { status: { workflow: { terminated: true } } },
      done: "Successfully terminate workflow: shop",
    });
  });

  it("restarts by removing status.workflow and the context ConfigMap", () => {
    for (const state of [running, succeeded, terminated]) {
      expect(planOperation("restart", appWith(state))).toEqual({
        patch: { status: { workflow: null } },
        deleteConfigMap: "workflow-shop-context",
        done: "Successfully restart workflow: shop",
      });
    }
  });

  it("resumes a workflow held by the caller and suspends a suspended one again", () => {
    expect(planOperation("resume", appWith(heldByCaller)).patch).toEqual({
      status: { workflow: { suspend: false } },
    });
    expect(planOperation("suspend", appWith(suspended)).patch).toEqual({
      status: { workflow: { suspend: true } },
    });
    expect(planOperation("terminate", appWith(terminating)).patch).toEqual({
      status: { workflow: { terminated: true } },
    });
  });

  it("refuses every operation on an application without workflow status", () => {
    for (const op of ["suspend", "resume", "terminate", "restart"] as const) {
      expect(refusal(op, undefined)).toBe(
        `cannot ${op} the workflow of application "shop" in namespace "prod": it has no ` +
          "workflow status (no spec.workflow steps, or the hub has not run them yet)",
      );
    }
  });

  it("refuses what the workflow's state rules out, naming the state", () => {
    expect(refusal("suspend", succeeded)).toBe(
      'cannot suspend the workflow of application "shop" in namespace "prod": ' +
        "it has finished (phase succeeded, finished)",
    );
    expect(refusal("suspend", terminating)).toContain(
      "it was terminated (phase executing, terminated)",
    );
    expect(refusal("resume", running)).toContain("it is not suspended (phase executing)");
    expect(refusal("resume", succeeded)).toContain("it is not suspended");
    expect(refusal("resume", { ...suspended, terminated: true })).toContain("it was terminated");
    expect(refusal("terminate", terminated)).toContain(
      "it has finished (phase terminated, finished, terminated)",
    );
  });
});
