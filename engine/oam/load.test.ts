import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cueEngine } from "../cue/engine.js";
import { checkDefinitionCompiles } from "./compile-check.js";
import { loadBuiltinDefinitions, loadDefinitions } from "./load.js";

describe("loading definitions", () => {
  it("loads every built-in definition, and each one compiles", async () => {
    const engine = await cueEngine();
    const builtins = await loadBuiltinDefinitions(engine);
    expect(builtins.length).toBe(33);
    for (const definition of builtins) {
      expect(definition.source.startsWith("builtin:")).toBe(true);
      expect(() => checkDefinitionCompiles(engine, definition), definition.name).not.toThrow();
    }
  });

  it("compile-checks loaded definitions unless told not to", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-defs-"));
    const file = path.join(dir, "bad.cue");
    await writeFile(
      file,
      '"bad": { type: "trait" }\ntemplate: { patch: x: strings.ToUpper("a") }\n',
    );
    const engine = await cueEngine();
    await expect(loadDefinitions(engine, [dir])).rejects.toThrow(
      'TraitDefinition "bad" (' + file + "): template does not compile",
    );
    expect((await loadDefinitions(engine, [dir], { check: false })).map((d) => d.name)).toEqual([
      "bad",
    ]);
  });
});
