/**
 * Data passing between steps (pure). The workflow context is KubeVela's `vars`: a plain
 * object of outputs by name (the caller persists it, KubeVela keeps it in the ConfigMap
 * `workflow-<app>-context`). A step's input `from` is an output name, or a dotted path into
 * one (`from: endpoint.ip`); `parameterKey` is a dotted path into the step's `properties`
 * where the value is written (`env[0].value` and `a.b.c` both work; missing objects are
 * created). One key, `ENGINE_KEY`, holds the engine's own retry counters.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import type { PlannedStep } from "./spec.js";

/** The context key of the engine's bookkeeping (never an output name: those cannot start with `$`). */
export const ENGINE_KEY = "$flotilla";

function segments(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  for (const piece of path.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(piece);
    if (match === null) {
      parts.push(piece);
      continue;
    }
    if (match[1] !== "") parts.push(match[1] ?? piece);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/** The value at a dotted path (with `[n]` list indices), or `undefined`. */
export function readPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of segments(path)) {
    if (typeof key === "number") value = Array.isArray(value) ? value[key] : undefined;
    else value = isObject(value) ? value[key] : undefined;
    if (value === undefined) return undefined;
  }
  return value;
}

/** Writes `value` at a dotted path in `target`, creating objects (or lists) on the way. */
export function writePath(target: JsonObject, path: string, value: unknown): void {
  const keys = segments(path);
  let node: unknown = target;
  keys.forEach((key, i) => {
    const container = node as Record<string | number, unknown>;
    if (i === keys.length - 1) {
      container[key] = value;
      return;
    }
    const existing = container[key];
    if (typeof existing !== "object" || existing === null)
      container[key] = typeof keys[i + 1] === "number" ? [] : {};
    node = container[key];
  });
}

/** The value of an input: an output stored under exactly that name, else a dotted path. */
export function inputValue(context: Record<string, unknown>, from: string): unknown {
  if (from in context && !from.startsWith("$")) return context[from];
  if (from.startsWith("$")) return undefined;
  return readPath(context, from);
}

export type ResolvedInputs =
  | { readonly ok: true; readonly values: Record<string, unknown>; readonly properties: JsonObject }
  | { readonly ok: false; readonly missing: string };

/** The step's input values and its properties with them filled in, or the first missing one. */
export function resolveInputs(step: PlannedStep, context: Record<string, unknown>): ResolvedInputs {
  if (step.inputs.length === 0) return { ok: true, values: {}, properties: step.properties };
  const values: Record<string, unknown> = {};
  for (const input of step.inputs) {
    const value = inputValue(context, input.from);
    if (value === undefined) return { ok: false, missing: input.from };
    values[input.from] = value;
  }
  const properties = structuredClone(step.properties);
  for (const input of step.inputs) {
    if (input.parameterKey !== undefined && input.parameterKey !== "")
      writePath(properties, input.parameterKey, structuredClone(values[input.from]));
  }
  return { ok: true, values, properties };
}

/** The context with a step's outputs stored by name (a new object; `$`-names are ignored). */
export function withOutputs(
  context: Record<string, unknown>,
  outputs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (outputs === undefined) return context;
  const next = { ...context };
  for (const [name, value] of Object.entries(outputs)) {
    if (!name.startsWith("$") && value !== undefined) next[name] = value;
  }
  return next;
}
