/**
 * `flotilla dry-run -f app.yaml [-d file-or-dir]... [-o yaml|json]`: renders an application
 * offline with the built-in definitions plus any given ones, and prints every object. Bad
 * input ends with one located message (see `RenderError`).
 */
import { readFile } from "node:fs/promises";
import { cueEngine } from "../../engine/cue/engine.js";
import { checkDefinitionCompiles } from "../../engine/oam/compile-check.js";
import { loadBuiltinDefinitions, loadDefinitions } from "../../engine/oam/load.js";
import { parseManifests } from "../../engine/oam/manifests.js";
import { definitionSet } from "../../engine/render/definition-set.js";
import { convertEnvBinding, usesEnvBinding } from "../../engine/render/env-binding.js";
import { checkPlacements } from "../../engine/render/placement-check.js";
import { renderApplication } from "../../engine/render/render.js";
import { offlineResolver } from "../../engine/render/targets.js";
import { stringify } from "yaml";
import { CliError, type Output } from "../output.js";
import { formatRendered } from "./output.js";

export interface DryRunOptions {
  readonly file: string;
  readonly definitions: readonly string[];
  readonly output: string;
}

export async function dryRun(options: DryRunOptions, io: Output): Promise<void> {
  if (options.output !== "yaml" && options.output !== "json") {
    throw new CliError(`--output must be yaml or json, got "${options.output}"`);
  }
  const text = await readFile(options.file, "utf8").catch(() => {
    throw new CliError(`cannot read ${options.file}`);
  });
  const manifests = parseManifests(text, options.file);
  const app = manifests.applications[0];
  if (app === undefined) throw new CliError(`${options.file}: no Application found`);
  const engine = await cueEngine();
  const builtins = await loadBuiltinDefinitions(engine);
  // Definitions in the application's own file are checked like those loaded with -d.
  for (const definition of manifests.definitions) checkDefinitionCompiles(engine, definition);
  const extra = await loadDefinitions(engine, options.definitions);
  const definitions = definitionSet(builtins, manifests.definitions, extra);
  // The hub's placement check, offline: a topology that targets nothing or has a malformed
  // selector is refused here as the hub would refuse it, instead of printing nothing.
  checkPlacements(app, offlineResolver);
  const objects = renderApplication({ engine, definitions, app });
  if (usesEnvBinding(app)) {
    const { policies, workflow } = convertEnvBinding(app).spec;
    io.err(
      "note: env-binding is rendered as the topology + override policies that replaced it in KubeVela; the equivalent spec:\n" +
        stringify({ policies, workflow }).trimEnd(),
    );
  }
  io.out(formatRendered(objects, options.output).trimEnd());
}
