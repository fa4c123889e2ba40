import { describe, expect, it } from "vitest";
import { actionPatchAnnotations } from "./action-patch.js";
import { memoIn } from "./actions.js";
import { preferInput } from "./perform.js";
import { prepareTemplate, selector, stepProgram } from "./step-program.js";

describe("prepareTemplate", () => {
  it("replaces vela/op by the op library and keeps other imports, one per line", () => {
    const { head, body } = prepareTemplate(
      'import ("vela/op" "encoding/json")\nparameter: {}\nx: op.#Log\n',
      "here",
    );
    expect(head).toMatch(/^import \(\n\t"encoding\/json"\n\)\nlet op = \{/);
    expect(head).toContain("_flotillaUsesop: op");
    expect(body.trim()).toBe("parameter: {}\nx: op.#Log");
  });

  it("declares the library under the import's alias", () => {
    const { head } = prepareTemplate('import (\n  vop "vela/op"\n  "strings"\n)\n', "here");
    expect(head).toContain("let vop = {");
    expect(head).toContain('\t"strings"');
    expect(head).not.toContain("let op =");
  });

  it("rejects other vela packages, naming the definition", () => {
    expect(() => prepareTemplate('import "vela/http"\n', 'WorkflowStepDefinition "x"')).toThrow(
      'WorkflowStepDefinition "x": import "vela/http" is not supported',
    );
  });
});

describe("stepProgram", () => {
  it("places context and inputs inside the template, parameter and fills after it", () => {
    const program = stepProgram({
      template: { head: "", body: "a: 1" },
      parameter: { p: 1 },
      context: { name: "app" },
      inputs: { ip: "1.2.3.4" },
      fills: [{ path: ["apply", "x-y"], value: { v: true } }],
      select: `out: ${selector(["apply", "x-y"])}`,
    });
    expect(program.split("\n")).toEqual([
      "",
      "_t: {",
      'context: {"name":"app"}',
      'inputs: {"ip":"1.2.3.4"}',
      "a: 1",
      "",
      "}",
      '_t: parameter: {"p":1}',
      '_t: "apply": "x-y": {"v":true}',
      'out: _t["apply"]["x-y"]',
      "",
    ]);
  });
});

describe("actionPatchAnnotations", () => {
  const template = `apply: op.#ApplyComponent & {
  workload: patch: spec: template: spec: {
    containers: [{
      // patchKey=name
      env: [{name: "A", value: "1"}]
    }, ...]
  }
}
group: op.#Steps & {
  again: op.#ApplyComponent & {
    patch: spec: {
      // +patchStrategy=retainKeys
      selector: {}
      // +patchKey=name
      // +patchStrategy=replace
      volumes: []
    }
  }
}
`;

  it("finds annotations under workload.patch, with or without the +", () => {
    expect(actionPatchAnnotations(template, ["apply"])).toMatchObject([
      { root: "patch", path: "spec.template.spec.containers[*].env", patchKey: "name" },
    ]);
  });

  it("finds them under patch, for nested actions too", () => {
    expect(actionPatchAnnotations(template, ["group", "again"])).toMatchObject([
      { path: "spec.selector", patchStrategy: "retainKeys" },
      { path: "spec.volumes", patchKey: "name", patchStrategy: "replace" },
    ]);
    expect(actionPatchAnnotations(template, ["group"])).toEqual([]);
  });
});

describe("preferInput", () => {
  it("keeps what the template wrote and adds what the server added", () => {
    const server = { spec: { replicas: 2, cpu: "500m" }, status: { ready: true }, list: [1, 2] };
    const input = { spec: { cpu: "0.5" }, list: [1], patch: { a: 1 } };
    expect(preferInput(server, input)).toEqual({
      spec: { replicas: 2, cpu: "0.5" },
      status: { ready: true },
      list: [1],
      patch: { a: 1 },
    });
    expect(preferInput(server, undefined)).toBe(server);
  });
});

describe("memoIn", () => {
  it("stores copies in the record it is given", () => {
    const record: Record<string, unknown> = {};
    const memo = memoIn(record);
    const value = { a: [1] };
    void memo.set("s/x", value);
    value.a.push(2);
    expect(record).toEqual({ "s/x": { a: [1] } });
    expect(memo.get("s/x")).toEqual({ a: [1] });
    expect(memo.get("toString")).toBeUndefined();
  });
});
