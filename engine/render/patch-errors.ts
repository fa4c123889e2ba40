/**
 * The errors of patching. Both are InvalidInput (house style §6): a patch that cannot be
 * applied is a problem in a trait's template or properties, not in Flotilla. `path` is the
 * field, relative to the patch root, in the form formatPath gives (`spec.containers[0].image`).
 */
import { InvalidInputError } from "../../core/errors.js";
import type { JsonValue } from "../../core/json.js";
import { formatPath } from "./patch-annotations.js";

export type Segments = readonly (string | number)[];

/** A patch that cannot be applied; `path` is the field, relative to the patch root. */
export class PatchError extends InvalidInputError {
  readonly path: string;
  readonly segments: Segments;
  constructor(segments: Segments, problem: string, options?: { cause?: unknown }) {
    super(`${formatPath(segments) || "(root)"}: ${problem}`, options);
    this.name = "PatchError";
    this.path = formatPath(segments);
    this.segments = segments;
  }
}

/** What collided: two different scalars, two kinds of value, or list lengths. */
export type ConflictReason = "values" | "kinds" | "listLengths";

/** The patch and the object disagree where they must unify (as CUE's "conflicting values"). */
export class PatchConflictError extends PatchError {
  readonly reason: ConflictReason;
  constructor(segments: Segments, reason: ConflictReason, problem: string) {
    super(segments, problem);
    this.name = "PatchConflictError";
    this.reason = reason;
  }
}

/** The conflict between two values that do not unify, worded like CUE's. */
export function conflictBetween(
  base: JsonValue,
  patch: JsonValue,
  at: Segments,
): PatchConflictError {
  const [patchKind, baseKind] = [kindOf(patch), kindOf(base)];
  const values = `conflicting values ${show(patch)} and ${show(base)}`;
  if (patchKind === baseKind) return new PatchConflictError(at, "values", values);
  return new PatchConflictError(
    at,
    "kinds",
    `${values} (mismatched types ${patchKind} and ${baseKind})`,
  );
}

function kindOf(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  return typeof value === "object" ? "struct" : typeof value;
}

function show(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
