/**
 * Field paths as KubeVela's apply-once `strategy.path` writes them (crossplane's fieldpath
 * syntax), pure: dot-separated fields, `[n]` list indexes, and `[key]` or `["key"]` for keys
 * that contain dots — `spec.template.spec.containers[0].resources`,
 * `metadata.annotations[example.com/owner]`. `*` (the whole object) is handled by callers.
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject } from "../../core/json.js";

export type PathSegment = string | number;

function bracket(path: string, at: number): { segment: PathSegment; next: number } {
  const close = path.indexOf("]", at);
  if (close < 0) throw new InvalidInputError(`field path "${path}": unclosed "["`);
  const inner = path.slice(at + 1, close);
  const quoted = /^"(.*)"$/.exec(inner) ?? /^'(.*)'$/.exec(inner);
  if (quoted !== null) return { segment: quoted[1] ?? "", next: close + 1 };
  if (inner === "") throw new InvalidInputError(`field path "${path}": empty "[]"`);
  return { segment: /^\d+$/.test(inner) ? Number(inner) : inner, next: close + 1 };
}

/** Splits a field path into fields and indexes; an empty or malformed path is InvalidInput. */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let at = 0;
  while (at < path.length) {
    if (path[at] === "[") {
      const { segment, next } = bracket(path, at);
      segments.push(segment);
      at = next;
    } else {
      const end = path.slice(at).search(/[.[]/);
      const field = end < 0 ? path.slice(at) : path.slice(at, at + end);
      if (field === "") throw new InvalidInputError(`field path "${path}": empty field name`);
      segments.push(field);
      at += field.length;
    }
    if (path[at] === ".") {
      at += 1;
      if (at === path.length) throw new InvalidInputError(`field path "${path}": ends with "."`);
    }
  }
  if (segments.length === 0) throw new InvalidInputError("field path is empty");
  return segments;
}

function child(value: unknown, segment: PathSegment): unknown {
  if (typeof segment === "number") return Array.isArray(value) ? value[segment] : undefined;
  return isObject(value) ? value[segment] : undefined;
}

/** The value at `segments`, or undefined when any step is missing. */
export function getAtPath(root: unknown, segments: readonly PathSegment[]): unknown {
  return segments.reduce<unknown>((value, segment) => child(value, segment), root);
}

/**
 * Sets `value` at `segments` in `root` (mutated), creating missing objects on the way; false
 * when a step is a list index that does not exist or crosses a non-object.
 */
export function setAtPath(
  root: Record<string, unknown>,
  segments: readonly PathSegment[],
  value: unknown,
): boolean {
  let node: unknown = root;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (typeof segment === "number") {
      if (!Array.isArray(node) || segment >= node.length) return false;
      if (last) node[segment] = value;
      else node = node[segment];
      continue;
    }
    if (!isObject(node)) return false;
    if (last) node[segment] = value;
    else node = node[segment] ??= typeof segments[i + 1] === "number" ? [] : {};
  }
  return true;
}
