import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cueEngine } from "../cue/engine.js";
import { parseDefinitionFile, parseDefinitionFiles } from "./definition-file.js";

const fixtures = path.join(import.meta.dirname, "..", "..", "test", "fixtures", "seeds");

describe("parseDefinitionFile", () => {
  it("reads the edge seed's edge-nginx trait", async () => {
    const file = path.join(fixtures, "seed-edge-nodepool", "edge-nginx.cue");
    const def = parseDefinitionFile(await cueEngine(), await readFile(file, "utf8"), file);
    expect(def).toMatchObject({
      kind: "TraitDefinition",
      name: "edge-nginx",
      appliesToWorkloads: ["helm"],
      podDisruptive: true,
    });
    expect(def.cueTemplate).toContain("// +patchStrategy=retainKeys");
    expect(def.cueTemplate).toContain("parameter: null");
  });

  it("keeps the whole template when its strings or comments hold a }", async () => {
    const file = path.join(fixtures, "..", "cue", "braces-in-strings.cue");
    const text = await readFile(file, "utf8");
    const [def] = parseDefinitionFiles(await cueEngine(), [{ text, source: file }]);
    expect(def?.name).toBe("braces");
    expect(def?.cueTemplate).toContain('last: "x"');
    expect(def?.cueTemplate).toContain("parameter: {}");
  });

  it("keeps imports with the template", async () => {
    const text =
      'import "strings"\n"up": { type: "trait", attributes: {} }\ntemplate: { patch: metadata: name: strings.ToUpper(context.name) }\n';
    const def = parseDefinitionFile(await cueEngine(), text, "up.cue");
    expect(def.cueTemplate?.startsWith('import "strings"')).toBe(true);
  });

  it("rejects an unknown definition type and a missing template", async () => {
    const engine = await cueEngine();
    expect(() =>
      parseDefinitionFile(engine, '"x": { type: "gadget" }\ntemplate: {}\n', "x.cue"),
    ).toThrow(
      'x.cue: definition "x" has type "gadget"; expected one of component, trait, policy, workflow-step',
    );
    expect(() => parseDefinitionFile(engine, '"x": { type: "trait" }\n', "x.cue")).toThrow(
      /no top-level "template/,
    );
  });
});

describe("parseDefinitionFiles", () => {
  const trait = (name: string, extra = ""): string =>
    `"${name}": { type: "trait", description: "${name} trait"${extra} }\ntemplate: { patch: {} }\n`;

  it("parses many files with one header evaluation, each keeping its own header", async () => {
    const engine = await cueEngine();
    let calls = 0;
    const counting = { evaluate: (source: string) => (calls++, engine.evaluate(source)) };
    const defs = parseDefinitionFiles(counting, [
      { source: "a.cue", text: trait("a", ", attributes: podDisruptive: true") },
      { source: "b.cue", text: `"b": { type: "component" }\ntemplate: { output: {} }\n` },
    ]);
    expect(calls).toBe(1);
    expect(defs.map((d) => [d.source, d.kind, d.name, d.podDisruptive])).toEqual([
      ["a.cue", "TraitDefinition", "a", true],
      ["b.cue", "ComponentDefinition", "b", false],
    ]);
  });

  it("names the file whose header is broken", async () => {
    const engine = await cueEngine();
    const files = [
      { source: "good.cue", text: trait("good") },
      { source: "bad.cue", text: `"bad": { type: "trait", description: 1 & 2 }\ntemplate: {}\n` },
    ];
    expect(() => parseDefinitionFiles(engine, files)).toThrow(/^bad\.cue: definition header: /);
  });
});
