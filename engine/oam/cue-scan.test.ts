import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { matchingBrace, topLevelBlock } from "./cue-scan.js";

const bracesInStrings = readFileSync(
  path.join(import.meta.dirname, "..", "..", "test", "fixtures", "cue", "braces-in-strings.cue"),
  "utf8",
);

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

  it("keeps a } inside a raw string as part of the block (the review's case)", () => {
    const src = 'template: {\n  s: #"a " } b"#\n  x: 1\n}\n';
    const block = topLevelBlock(src, "template");
    expect(block).toEqual({ open: src.indexOf("{"), close: src.lastIndexOf("}") });
  });

  it("keeps the whole template whatever string or comment holds a }", () => {
    const block = topLevelBlock(bracesInStrings, "template");
    const body = bracesInStrings.slice((block?.open ?? 0) + 1, block?.close);
    for (const part of ['##"c "# } d"##', '} in a raw "" multi-line string', 'last: "x"']) {
      expect(body).toContain(part);
    }
    expect(bracesInStrings.slice((block?.close ?? 0) + 1)).toBe("\n");
    const patch = bracesInStrings.indexOf("annotations: {") + "annotations: ".length;
    expect(matchingBrace(bracesInStrings, patch)).toBe(
      bracesInStrings.indexOf("\n\tparameter") - 1,
    );
  });

  it("finds a label whose { is on the next line, and not one in a comment or string", () => {
    const src = '// template: { a: 1 }\nx: "template: { b: 2 }"\ntemplate:\n{\n  c: 3\n}\n';
    const block = topLevelBlock(src, "template");
    expect(src.slice((block?.open ?? 0) + 1, block?.close).trim()).toBe("c: 3");
  });

  it("does not take a nested template label", () => {
    expect(topLevelBlock("a: { template: { x: 1 } }", "template")).toBeUndefined();
  });

  it("reports unbalanced braces", () => {
    expect(matchingBrace("{ a: { b: 1 }", 0)).toBe(-1);
  });
});
