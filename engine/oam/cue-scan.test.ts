import { describe, expect, it } from "vitest";
import { matchingBrace, topLevelBlock } from "./cue-scan.js";

describe("cue-scan", () => {
  it("finds the top-level template block, ignoring braces in strings and comments", () => {
    const src = [
      '"t": { type: "trait", description: "uses { and }" }',
      "// template: { not this }",
      "template: {",
      '  patch: metadata: name: "x-\\(context.name)}"',
      '  s: """',
      "    } multi-line {",
      '    """',
      "}",
      "after: 1",
    ].join("\n");
    const block = topLevelBlock(src, "template");
    expect(block).toBeDefined();
    const body = src.slice((block?.open ?? 0) + 1, block?.close);
    expect(body).toContain("patch: metadata");
    expect(body).toContain("} multi-line {");
    expect(src.slice((block?.close ?? 0) + 1).trim()).toBe("after: 1");
  });

  it("does not take a nested template label", () => {
    expect(topLevelBlock("a: { template: { x: 1 } }", "template")).toBeUndefined();
  });

  it("reports unbalanced braces", () => {
    expect(matchingBrace("{ a: { b: 1 }", 0)).toBe(-1);
  });
});
