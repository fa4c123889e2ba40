/**
 * Evaluates one definition's CUE template with a component's or trait's properties and
 * turns CUE's failures into `RenderError`s that point at the template field. When the main
 * evaluation fails, the parameters alone are evaluated once more so that a missing or
 * mistyped property is reported as `parameter.<name>` rather than as the output field that
 * happened to use it.
 */
import { CueEvaluationError, type CueEngine } from "../cue/engine.js";
import { parameterProgram, splitImports, templateProgram } from "../cue/program.js";
import { topLevelBlock } from "../oam/cue-scan.js";
import type { JsonObject } from "../../core/json.js";
import type { Definition } from "../oam/types.js";
import { RenderError, type RenderLocation } from "./render-error.js";

export interface EvaluateInput {
  readonly engine: CueEngine;
  readonly definition: Definition;
  readonly properties: JsonObject | undefined;
  readonly context: JsonObject;
  /** Top-level template fields wanted (`output`, `outputs`, `patch`, `patchOutputs`, …). */
  readonly select: readonly string[];
  readonly at: RenderLocation;
}

/** The selected fields that the template defines (absent ones are omitted). */
export function evaluateTemplate(input: EvaluateInput): JsonObject {
  const template = input.definition.cueTemplate ?? "";
  const base = { template, parameter: input.properties, context: input.context };
  try {
    const value = input.engine.evaluate(templateProgram({ ...base, select: input.select }));
    return (value ?? {}) as JsonObject;
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    // The parameter block alone first; if it leans on the rest of the template (definitions
    // such as #EnvVar), the whole template with only the parameter selected.
    const alone = parameterFailure(input.engine, parameterCheck(base));
    const params =
      alone !== undefined && /reference "[^"]+" not found/.test(alone.detail)
        ? parameterFailure(input.engine, parameterProgram(base))
        : alone;
    throw explain(input, error, params);
  }
}

/**
 * A program that unifies the properties with the template's `parameter: { … }` block alone,
 * so that errors elsewhere in the template cannot mask a bad property. Templates whose
 * parameter is not a plain block are checked whole.
 */
function parameterCheck(base: {
  template: string;
  parameter: unknown;
  context: JsonObject;
}): string {
  const { imports, body } = splitImports(base.template);
  const block = topLevelBlock(body, "parameter");
  if (block === undefined) return parameterProgram(base);
  const schema = body.slice(block.open, block.close + 1);
  const values =
    base.parameter === undefined ? "" : `\nparameter: ${JSON.stringify(base.parameter)}`;
  return [...imports, `parameter: ${schema}${values}`, ""].join("\n");
}

function parameterFailure(engine: CueEngine, program: string): CueEvaluationError | undefined {
  try {
    engine.evaluate(program);
    return undefined;
  } catch (error) {
    return error instanceof CueEvaluationError ? error : undefined;
  }
}

/** Maps a CUE failure to a located error, preferring the parameter's own failure. */
function explain(
  input: EvaluateInput,
  main: CueEvaluationError,
  params?: CueEvaluationError,
): RenderError {
  const chosen = params ?? main;
  const field = templateField(chosen.path);
  const problem = describeProblem(chosen.detail, field, input.properties);
  const definition = `${input.definition.kind} "${input.definition.name}"`;
  return new RenderError({ ...input.at, definition, field }, problem, { cause: main });
}

/** `_t.parameter.image` → `parameter.image`; selected copies (`output.x`) stay as they are. */
export function templateField(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path.replace(/^_t\./, "");
}

/** A short, user-facing sentence for common CUE failures; CUE's text otherwise (pure). */
export function describeProblem(
  detail: string,
  field: string | undefined,
  properties?: JsonObject,
): string {
  const text = detail.replace(/^cue: marshal error: /, "");
  const rest = field === undefined ? text : text.replace(/^[^:]*:\s*/, "");
  if (!field?.startsWith("parameter.")) return rest;
  const name = field.slice("parameter.".length);
  if (/incomplete value|non-concrete value/.test(rest)) {
    return `required parameter "${name}" is missing (${rest})`;
  }
  if (/empty disjunction|conflicting values|mismatched types/.test(rest)) {
    const given = valueAt(properties, name.split("."));
    return `invalid value ${JSON.stringify(given)} for parameter "${name}" (${rest})`;
  }
  return rest;
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      typeof node === "object" && node !== null ? (node as JsonObject)[key] : undefined,
    value,
  );
}
