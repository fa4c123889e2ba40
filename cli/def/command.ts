/**
 * `flotilla def render <file.cue>` prints the custom resource of a `.cue` definition file;
 * `flotilla def list [-d path]...` lists the built-in and loaded definitions with their
 * parameters.
 */
import { readFile } from "node:fs/promises";
import { stringify } from "yaml";
import { cueEngine } from "../../engine/cue/engine.js";
import { checkDefinitionCompiles } from "../../engine/oam/compile-check.js";
import { parseDefinitionFile } from "../../engine/oam/definition-file.js";
import { toDefinitionResource } from "../../engine/oam/definition-resource.js";
import { loadBuiltinDefinitions, loadDefinitions } from "../../engine/oam/load.js";
import { templateParameters } from "../../engine/oam/parameters.js";
import type { Definition } from "../../engine/oam/types.js";
import { definitionSet } from "../../engine/render/definition-set.js";
import { CliError, type Output } from "../output.js";
import { formatTable } from "../table.js";

export async function defRender(file: string, io: Output): Promise<void> {
  const text = await readFile(file, "utf8").catch(() => {
    throw new CliError(`cannot read ${file}`);
  });
  const engine = await cueEngine();
  const definition = parseDefinitionFile(engine, text, file);
  checkDefinitionCompiles(engine, definition);
  io.out(stringify(toDefinitionResource(definition), { lineWidth: 0 }).trimEnd());
}

const kindNames: Record<Definition["kind"], string> = {
  ComponentDefinition: "component",
  TraitDefinition: "trait",
  PolicyDefinition: "policy",
  WorkflowStepDefinition: "workflow-step",
};

/** One line per parameter: `name` (required marked `*`), type, default. */
function parameterSummary(def: Definition): string {
  if (def.kube !== undefined && def.cueTemplate === undefined) {
    return (def.kube.parameters ?? [])
      .map((p) => `${p.name}${p.required === true ? "*" : ""}: ${p.type ?? "any"}`)
      .join(", ");
  }
  return templateParameters(def.cueTemplate ?? "")
    .map(
      (p) =>
        `${p.name}${p.required ? "*" : ""}: ${p.type}${p.default === undefined ? "" : ` = ${p.default}`}`,
    )
    .join(", ");
}

export async function defList(paths: readonly string[], io: Output): Promise<void> {
  const engine = await cueEngine();
  const defs = definitionSet(
    await loadBuiltinDefinitions(engine),
    await loadDefinitions(engine, paths),
  ).all();
  const rows = defs
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
    .map((d) => [
      d.name,
      kindNames[d.kind],
      d.source.startsWith("builtin:") ? "builtin" : d.source,
      parameterSummary(d) || "-",
    ]);
  io.out(formatTable(["NAME", "TYPE", "SOURCE", "PARAMETERS (* required)"], rows));
}
