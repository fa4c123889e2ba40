/**
 * Builds the CUE programs that evaluate a WorkflowStepDefinition's template one action at a
 * time (pure). The template goes inside the hidden field `_t` with `context` (and the step's
 * `inputs`, when it has some) declared in its scope, the step's properties are unified with
 * `_t.parameter`, and each performed action's result is unified back into its field
 * (`_t: "apply": { workload: … }`). Only the fields the caller selects are regular, so the
 * rest of the template may stay incomplete (actions not yet performed) without failing the
 * export.
 *
 * `import "vela/op"` (also aliased, or inside an `import ( … )` block) is replaced by the op
 * library; other imports are kept, re-emitted one per line, since CUE requires that and the Li
 * Auto seed writes `import ("vela/op" "encoding/json")` on one line.
 */
import { splitImports } from "../../cue/program.js";
import { InvalidInputError } from "../../../core/errors.js";
import type { JsonObject } from "../../../core/json.js";
import { opLibrary } from "./op-library.js";

/** A template split once into what every program of the step shares. */
export interface PreparedTemplate {
  /** Kept imports and the op library, for the top of the file. */
  readonly head: string;
  /** The template without its imports. */
  readonly body: string;
}

/** An action's result, unified into the template at the action's field path. */
export interface Fill {
  readonly path: readonly string[];
  readonly value: JsonObject;
}

export interface StepProgramInput {
  readonly template: PreparedTemplate;
  readonly parameter: unknown;
  readonly context: JsonObject;
  readonly inputs?: Record<string, unknown>;
  readonly fills: readonly Fill[];
  /** Declarations added inside the template's own scope (e.g. `valueFrom` expressions). */
  readonly scoped?: string;
  /** The regular fields to export, as CUE text. */
  readonly select: string;
}

interface ImportSpec {
  readonly alias?: string;
  readonly path: string;
}

function importSpecs(imports: readonly string[]): ImportSpec[] {
  const text = imports.join("\n").replace(/\bimport\b/g, " ");
  return [...text.matchAll(/(?:([\w$]+)\s+)?"([^"]+)"/g)].map((m) => ({
    ...(m[1] === undefined ? {} : { alias: m[1] }),
    path: m[2] ?? "",
  }));
}

/**
 * Splits imports off the template and stands the op library in for `vela/op`. Throws
 * `InvalidInputError` for another `vela/…` package (KubeVela 1.7's `vela/kube`, `vela/http`,
 * …), which Flotilla does not provide. `where` names the definition in that error.
 */
export function prepareTemplate(template: string, where: string): PreparedTemplate {
  const { imports, body } = splitImports(template);
  const specs = importSpecs(imports);
  const other = specs.find((s) => s.path.startsWith("vela/") && s.path !== "vela/op");
  if (other !== undefined) {
    throw new InvalidInputError(
      `${where}: import "${other.path}" is not supported; Flotilla provides "vela/op" (op.#Apply, op.#Read, op.#HTTPDo, …)`,
    );
  }
  const kept = specs.filter((s) => !s.path.startsWith("vela/"));
  const libraries = specs.filter((s) => s.path === "vela/op").map((s) => opLibrary(s.alias));
  const lines = kept.map((s) => `\t${s.alias === undefined ? "" : s.alias + " "}"${s.path}"`);
  const head = [lines.length === 0 ? "" : `import (\n${lines.join("\n")}\n)`, ...libraries];
  return { head: head.join("\n"), body };
}

/** A label as CUE source (always quoted, which is valid for every regular field). */
export const label = (name: string): string => JSON.stringify(name);

/** A reference to a field of the template: `_t["apply"]["workload"]`. */
export function selector(path: readonly string[]): string {
  return "_t" + path.map((segment) => `[${label(segment)}]`).join("");
}

// No properties leave `parameter` as the template declares it (defaults apply), as KubeVela
// does and as engine/cue/program.ts does for components.
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

/** The whole program for one evaluation. */
export function stepProgram(input: StepProgramInput): string {
  const inputs = isEmpty(input.inputs) ? [] : [`inputs: ${JSON.stringify(input.inputs)}`];
  const parameter = isEmpty(input.parameter)
    ? []
    : [`_t: parameter: ${JSON.stringify(input.parameter)}`];
  const fills = input.fills.map(
    (f) => `_t: ${f.path.map(label).join(": ")}: ${JSON.stringify(f.value)}`,
  );
  return [
    input.template.head,
    "_t: {",
    `context: ${JSON.stringify(input.context)}`,
    ...inputs,
    input.template.body,
    input.scoped ?? "",
    "}",
    ...parameter,
    ...fills,
    input.select,
    "",
  ].join("\n");
}

/** The export that lists the actions directly under `path`, in field order. */
export function probeSelect(path: readonly string[]): string {
  return `$probe: [ for k, v in ${selector(path)} if v.#do != _|_ { [k, v.#do] } ]`;
}

/** The export of one action's (or field's) value. */
export function valueSelect(path: readonly string[]): string {
  return `$value: ${selector(path)}`;
}
