/**
 * KubeVela's `.cue` definition-file format (what `vela def init` writes and `vela def apply`
 * reads):
 *
 *     import "strings"            // optional; belongs to the template
 *     "my-trait": {
 *       type: "trait"             // component | trait | policy | workflow-step
 *       description: "…"
 *       attributes: { appliesToWorkloads: [...], podDisruptive: true, status: {...} }
 *     }
 *     template: { patch: {...}, parameter: {...} }
 *
 * The header is concrete CUE and is evaluated; the template body is kept as text for later
 * evaluation with each component's properties.
 */
import type { CueEngine } from "../cue/engine.js";
import { CueEvaluationError } from "../cue/engine.js";
import { splitImports } from "../cue/program.js";
import { InvalidInputError } from "../../core/errors.js";
import { topLevelBlock } from "./cue-scan.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type Definition, type DefinitionKind } from "./types.js";

const kinds: Record<string, DefinitionKind> = {
  component: "ComponentDefinition",
  trait: "TraitDefinition",
  policy: "PolicyDefinition",
  "workflow-step": "WorkflowStepDefinition",
};

/** A definition file cut into its header (to evaluate) and its template (kept as text). */
interface SplitFile {
  readonly source: string;
  readonly header: string;
  readonly template: string;
}

function splitFile(text: string, source: string): SplitFile {
  const block = topLevelBlock(text, "template");
  if (block === undefined) {
    throw new InvalidInputError(`${source}: no top-level "template: { ... }" block`);
  }
  const body = dedent(text.slice(block.open + 1, block.close));
  const rest =
    text.slice(0, block.open).replace(/template\s*:\s*$/, "") + text.slice(block.close + 1);
  const { imports, body: header } = splitImports(rest);
  return { source, header, template: [...imports, body].join("\n") };
}

/** Parses one `.cue` definition file; `source` names it in errors. */
export function parseDefinitionFile(engine: CueEngine, text: string, source: string): Definition {
  const file = splitFile(text, source);
  return fromHeader(file, evaluateHeader(engine, file.header, source));
}

/**
 * Parses many `.cue` definition files with one CUE evaluation for all their headers (each
 * header under a quoted field that no header can refer to), which saves a compile per file at start-up. When
 * the combined evaluation fails, each file is parsed on its own so the error names its file.
 */
export function parseDefinitionFiles(
  engine: CueEngine,
  files: ReadonlyArray<{ readonly text: string; readonly source: string }>,
): Definition[] {
  const split = files.map((f) => splitFile(f.text, f.source));
  const program = split.map((f, i) => `"flotilla-header-${i}": {\n${f.header}\n}`).join("\n");
  let headers: unknown;
  try {
    headers = engine.evaluate(program);
  } catch {
    return split.map((f) => fromHeader(f, evaluateHeader(engine, f.header, f.source)));
  }
  const all = isObject(headers) ? headers : {};
  return split.map((f, i) => {
    const header = all[`flotilla-header-${i}`];
    return fromHeader(f, isObject(header) ? header : {});
  });
}

function fromHeader(file: SplitFile, header: JsonObject): Definition {
  const { source } = file;
  const entries = Object.entries(header);
  const [name, meta] = entries[0] ?? [];
  if (entries.length !== 1 || name === undefined || !isObject(meta)) {
    throw new InvalidInputError(
      `${source}: expected exactly one definition header "<name>": { type: ... } before template`,
    );
  }
  const kind = kinds[String(meta.type)];
  if (kind === undefined) {
    throw new InvalidInputError(
      `${source}: definition "${name}" has type ${JSON.stringify(meta.type)}; expected one of ${Object.keys(kinds).join(", ")}`,
    );
  }
  return fromAttributes({ kind, name, meta, source, cueTemplate: file.template });
}

function evaluateHeader(engine: CueEngine, header: string, source: string): JsonObject {
  try {
    const value = engine.evaluate(header);
    return isObject(value) ? value : {};
  } catch (error) {
    const detail = error instanceof CueEvaluationError ? error.detail : String(error);
    throw new InvalidInputError(`${source}: definition header: ${detail}`, { cause: error });
  }
}

interface Parts {
  readonly kind: DefinitionKind;
  readonly name: string;
  readonly meta: JsonObject;
  readonly source: string;
  readonly cueTemplate: string;
}

function fromAttributes({ kind, name, meta, source, cueTemplate }: Parts): Definition {
  const attributes = isObject(meta.attributes) ? meta.attributes : {};
  const status = isObject(attributes.status) ? attributes.status : undefined;
  const workload = isObject(attributes.workload) ? attributes.workload : undefined;
  return {
    kind,
    name,
    description: typeof meta.description === "string" ? meta.description : undefined,
    cueTemplate,
    workload: workload,
    appliesToWorkloads: stringList(attributes.appliesToWorkloads),
    conflictsWith: stringList(attributes.conflictsWith),
    podDisruptive: attributes.podDisruptive === true,
    status: status,
    source,
  };
}

/** Removes the indentation common to every non-blank line, and blank edges (pure). */
export function dedent(text: string): string {
  const lines = text
    .replace(/^\s*\n/, "")
    .replace(/\s+$/, "")
    .split("\n");
  const indents = lines
    .filter((l) => l.trim() !== "")
    .map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return (
    lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join("\n") + "\n"
  );
}

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map(String) : undefined;
