import { describe, expect, it } from "vitest";
import { cueEngine, CueEvaluationError, fieldPathOf } from "./engine.js";
import { parameterProgram, splitImports, templateProgram } from "./program.js";

const template = `
import "strings"
output: {
  kind: "Deployment"
  metadata: name: context.name
  spec: image: strings.ToLower(parameter.image)
}
parameter: { image: string, port: *80 | int }
`;

describe("template programs", () => {
  it("hoists single and grouped imports and drops a package clause", () => {
    const split = splitImports(
      'package x\nimport "strings"\nimport (\n  "encoding/json"\n  m "math"\n)\na: 1',
    );
    expect(split.imports).toEqual([
      'import "strings"',
      "import (",
      '"encoding/json"',
      'm "math"',
      ")",
    ]);
    expect(split.body.trim()).toBe("a: 1");
  });

  it("evaluates a template with parameters and context, selecting only present fields", async () => {
    const engine = await cueEngine();
    const program = templateProgram({
      template,
      parameter: { image: "NGINX" },
      context: { name: "web" },
      select: ["output", "outputs", "patch"],
    });
    expect(engine.evaluate(program)).toEqual({
      output: { kind: "Deployment", metadata: { name: "web" }, spec: { image: "nginx" } },
    });
  });

  it("reports a missing required parameter at parameter.<name>", async () => {
    const engine = await cueEngine();
    const program = parameterProgram({ template, parameter: {}, context: { name: "web" } });
    try {
      engine.evaluate(program);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CueEvaluationError);
      expect((error as CueEvaluationError).path).toBe("parameter.image");
    }
  });

  it("keeps evaluations independent", async () => {
    const engine = await cueEngine();
    engine.evaluate("a: 1\nb: a");
    expect(() => engine.evaluate("c: a")).toThrow(/reference "a" not found/);
  });

  it("finds the field path in CUE's messages", () => {
    expect(fieldPathOf("_t.parameter.image: conflicting values string and 3")).toBe(
      "_t.parameter.image",
    );
    expect(
      fieldPathOf(
        'cue: marshal error: output.spec.image: cannot convert incomplete value "string"',
      ),
    ).toBe("output.spec.image");
    expect(fieldPathOf("expected '}', found 'EOF'")).toBeUndefined();
  });
});
