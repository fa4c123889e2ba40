/**
 * Checks, when a definition is loaded, that its CUE template compiles: syntax errors and
 * references to nothing (typically a package used without its `import`, as the Li Auto
 * seed's `apply-base` step does with `json.Marshal`) are reported then, naming the
 * definition and where it came from, instead of surfacing later in some render.
 * KubeVela's own packages (`vela/op`, …) are not CUE's and are stood in for here; the
 * workflow engine provides them for real.
 */
import { CueEvaluationError, type CueEngine } from "../cue/engine.js";
import { splitImports, templateProgram } from "../cue/program.js";
import { InvalidInputError } from "../../core/errors.js";
import type { Definition } from "./types.js";

/** CUE standard packages by the identifier a template uses for them. */
const stdlib: Record<string, string> = {
  json: "encoding/json",
  yaml: "encoding/yaml",
  base64: "encoding/base64",
  hex: "encoding/hex",
  strings: "strings",
  strconv: "strconv",
  math: "math",
  list: "list",
  regexp: "regexp",
  time: "time",
  net: "net",
  path: "path",
  struct: "struct",
};

/** Removes `vela/…` imports and declares their identifiers as open values (pure). */
export function standInVelaPackages(template: string): { template: string; prelude: string } {
  const { imports, body } = splitImports(template);
  const specs = [
    ...imports
      .join("\n")
      .replace(/\bimport\b/g, " ")
      .matchAll(/(?:(\w+)\s+)?"([^"]+)"/g),
  ].map((m) => ({
    alias: m[1],
    path: m[2] ?? "",
  }));
  const vela = specs.filter((s) => s.path.startsWith("vela/"));
  const kept = specs.filter((s) => !s.path.startsWith("vela/"));
  const lines = kept.map((s) => `import ${s.alias === undefined ? "" : s.alias + " "}"${s.path}"`);
  const names = vela.map((s) => s.alias ?? s.path.split("/").pop() ?? s.path);
  return {
    template: [...lines, body].join("\n"),
    prelude: names.map((n) => `let ${n} = _`).join("\n"),
  };
}

/** A hint for a reference to a known package that was not imported (pure). */
export function missingImportHint(detail: string): string {
  const name = /reference "(\w+)" not found/.exec(detail)?.[1];
  const pkg = name === undefined ? undefined : stdlib[name];
  return pkg === undefined ? "" : ` (is an import missing? add: import "${pkg}")`;
}

/** Throws `InvalidInputError` when the definition's CUE template does not compile. */
export function checkDefinitionCompiles(engine: CueEngine, definition: Definition): void {
  if (definition.cueTemplate === undefined) return;
  const { template, prelude } = standInVelaPackages(definition.cueTemplate);
  try {
    engine.evaluate(
      templateProgram({ template, prelude, parameter: undefined, context: {}, select: [] }),
    );
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    const detail = error.detail.replace(/_t\./g, "");
    throw new InvalidInputError(
      `${definition.kind} "${definition.name}" (${definition.source}): template does not compile: ${detail}${missingImportHint(detail)}`,
      { cause: error },
    );
  }
}
