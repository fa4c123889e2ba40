/**
 * Loading definitions from files and folders (the I/O edge of the render engine): `.cue`
 * files in KubeVela's definition-file format, and `.yaml`/`.yml` files holding definition
 * custom resources. Folders are read recursively in name order, so loading is deterministic.
 * The built-in definitions are the `.cue` files under the repository's `definitions/`.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { CueEngine } from "../cue/engine.js";
import { builtinDefinitionsDir } from "../../core/assets.js";
import { InvalidInputError } from "../../core/errors.js";
import { checkDefinitionCompiles } from "./compile-check.js";
import { parseDefinitionFiles } from "./definition-file.js";
import { parseManifests } from "./manifests.js";
import type { Definition } from "./types.js";

async function filesUnder(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) throw new InvalidInputError(`${target}: no such file or directory`);
  if (!info.isDirectory()) return [target];
  const entries = (await readdir(target, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? filesUnder(path.join(target, e.name))
        : Promise.resolve([path.join(target, e.name)]),
    ),
  );
  return nested.flat().filter((f) => /\.(cue|ya?ml)$/.test(f));
}

/**
 * Definitions from files or folders, in the order given, each compile-checked unless
 * `check` is false (the built-ins, which a test checks instead of every start).
 */
export async function loadDefinitions(
  engine: CueEngine,
  targets: readonly string[],
  options: { check?: boolean } = {},
): Promise<Definition[]> {
  const files = (await Promise.all(targets.map(filesUnder))).flat();
  const texts = await Promise.all(files.map((file) => readFile(file, "utf8")));
  const cueFiles = files.flatMap((source, i) =>
    source.endsWith(".cue") ? [{ source, text: texts[i] ?? "" }] : [],
  );
  const fromCue = new Map(
    parseDefinitionFiles(engine, cueFiles).map((d, i) => [cueFiles[i]?.source, [d]]),
  );
  // Keep the files' order: each file contributes its definitions where it was listed.
  const definitions = files.flatMap(
    (file, i) => fromCue.get(file) ?? parseManifests(texts[i] ?? "", file).definitions,
  );
  if (options.check !== false) {
    for (const definition of definitions) checkDefinitionCompiles(engine, definition);
  }
  return definitions;
}

/**
 * The built-in definitions, each with source `builtin:<relative path>`. They ship with the
 * code and are compile-checked by engine/oam/load.test.ts, not at every start.
 */
export async function loadBuiltinDefinitions(engine: CueEngine): Promise<Definition[]> {
  const builtin = builtinDefinitionsDir();
  const defs = await loadDefinitions(engine, [builtin], { check: false });
  return defs.map((d) => ({
    ...d,
    source: `builtin:${path.relative(builtin, d.source)}`,
  }));
}
