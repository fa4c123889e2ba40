import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cueEngine } from "../cue/engine.js";
import { parseDefinitionFile } from "./definition-file.js";

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
