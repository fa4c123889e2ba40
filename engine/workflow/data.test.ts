import { describe, expect, it } from "vitest";
import { ENGINE_KEY, inputValue, readPath, resolveInputs, withOutputs, writePath } from "./data.js";
import { appWith } from "../testing/workflow-engine.js";
import { parseWorkflow } from "./spec.js";

describe("paths", () => {
  it("reads dotted paths with list indices", () => {
    const root = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(readPath(root, "a.b[1].c")).toBe(2);
    expect(readPath(root, "a.b")).toEqual([{ c: 1 }, { c: 2 }]);
    expect(readPath(root, "a.x.c")).toBeUndefined();
    expect(readPath(root, "a.b[5]")).toBeUndefined();
  });

  it("writes dotted paths, creating objects and lists", () => {
    const target: Record<string, unknown> = { keep: true, env: [{ name: "A" }] };
    writePath(target, "spec.template.port", 80);
    writePath(target, "env[0].value", "x");
    writePath(target, "list[1]", "y");
    expect(target).toEqual({
      keep: true,
      env: [{ name: "A", value: "x" }],
      spec: { template: { port: 80 } },
      list: [undefined, "y"],
    });
  });
});

describe("inputs and outputs", () => {
  it("resolves inputs by name or path and never reads the engine's key", () => {
    const context = { ip: "10.0.0.1", svc: { port: 80 }, "a.b": 1, [ENGINE_KEY]: { steps: {} } };
    expect(inputValue(context, "ip")).toBe("10.0.0.1");
    expect(inputValue(context, "svc.port")).toBe(80);
    expect(inputValue(context, "a.b")).toBe(1);
    expect(inputValue(context, ENGINE_KEY)).toBeUndefined();
  });

  it("fills properties without touching the step as written, or names the missing input", () => {
    const plan = parseWorkflow(
      appWith([
        { name: "p", type: "noop", outputs: [{ name: "ip", valueFrom: "x" }] },
        {
          name: "c",
          type: "noop",
          properties: { a: { b: 1 } },
          inputs: [{ from: "ip", parameterKey: "a.ip" }],
        },
      ]),
    );
    const step = plan?.byName.get("c");
    if (step === undefined) throw new Error("no step c");
    expect(resolveInputs(step, {})).toEqual({ ok: false, missing: "ip" });
    const resolved = resolveInputs(step, { ip: "1.2.3.4" });
    expect(resolved).toEqual({
      ok: true,
      values: { ip: "1.2.3.4" },
      properties: { a: { b: 1, ip: "1.2.3.4" } },
    });
    expect(step.properties).toEqual({ a: { b: 1 } });
  });

  it("stores outputs by name in a new context", () => {
    const before = { old: 1 };
    const after = withOutputs(before, { ip: "x", $bad: 2, gone: undefined });
    expect(after).toEqual({ old: 1, ip: "x" });
    expect(before).toEqual({ old: 1 });
  });
});
