import { describe, expect, it } from "vitest";
import { mergePatchFrom } from "./merge-patch.js";

describe("mergePatchFrom", () => {
  it("sends null for keys that are gone, at any depth, and the rest as they are", () => {
    const previous = {
      status: "workflowSuspending",
      workflow: { phase: "suspending", message: "waits for a manual resume", steps: [{ a: 1 }] },
    };
    const next = { status: "running", workflow: { phase: "succeeded", steps: [{ a: 2 }] } };
    expect(mergePatchFrom(previous, next)).toEqual({
      status: "running",
      workflow: { phase: "succeeded", message: null, steps: [{ a: 2 }] },
    });
  });

  it("is the next value itself where the previous one is not an object", () => {
    expect(mergePatchFrom(undefined, { a: 1 })).toEqual({ a: 1 });
    expect(mergePatchFrom({ a: { b: 1 } }, { a: [1] })).toEqual({ a: [1] });
  });
});
