/**
 * KubeVela's `kube` schematic (pure): a fixed Kubernetes object plus `parameters`, each
 * setting the user's value at one or more field paths (`spec.template.spec.containers[0].image`).
 * Parameters have an optional `type` (string, number, boolean) and `required`; properties
 * that no parameter declares are rejected, since the schema is closed.
 */
import type { JsonObject } from "../../core/json.js";
import type { KubeSchematic } from "../oam/types.js";
import { RenderError, type RenderLocation } from "./render-error.js";

type Segment = string | number;

/** `a.b[0].c` → `["a", "b", 0, "c"]` (pure). */
export function parseFieldPath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (match === null) throw new Error(`invalid field path "${path}"`);
    if (match[1] !== "") segments.push(match[1] ?? "");
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** Returns a copy of `object` with `value` at `path`, creating objects (not lists) on the way. */
export function setAtPath(object: JsonObject, path: Segment[], value: unknown): JsonObject {
  const copy = structuredClone(object);
  let node: unknown = copy;
  path.forEach((segment, i) => {
    const container = node as Record<string | number, unknown>;
    if (i === path.length - 1) {
      container[segment] = value;
      return;
    }
    container[segment] ??= typeof path[i + 1] === "number" ? [] : {};
    node = container[segment];
  });
  return copy;
}

const typeMatches = (type: string | undefined, value: unknown): boolean =>
  type === undefined || typeof value === type;

/** The workload of a `kube` component for the given properties. */
export function renderKubeSchematic(
  kube: KubeSchematic,
  properties: JsonObject | undefined,
  at: RenderLocation,
): JsonObject {
  const props = properties ?? {};
  const declared = kube.parameters ?? [];
  const unknown = Object.keys(props).filter((k) => !declared.some((p) => p.name === k));
  if (unknown.length > 0) {
    const known = declared.map((p) => p.name).join(", ");
    throw new RenderError(
      { ...at, field: `parameter.${unknown[0]}` },
      `unknown parameter "${unknown.join('", "')}" (known: ${known || "none"})`,
    );
  }
  let workload = structuredClone(kube.template);
  for (const parameter of declared) {
    const value = props[parameter.name];
    const field = `parameter.${parameter.name}`;
    if (value === undefined) {
      if (parameter.required === true)
        throw new RenderError(
          { ...at, field },
          `required parameter "${parameter.name}" is missing`,
        );
      continue;
    }
    if (!typeMatches(parameter.type, value)) {
      throw new RenderError(
        { ...at, field },
        `parameter "${parameter.name}" must be a ${parameter.type}, got ${JSON.stringify(value)}`,
      );
    }
    for (const path of parameter.fieldPaths)
      workload = setAtPath(workload, parseFieldPath(path), value);
  }
  return workload;
}
