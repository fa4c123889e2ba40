/**
 * Helpers for the patch tests: annotations written as dotted paths, inputs frozen so that
 * any mutation of them throws, and conflicts caught for inspection.
 */
import { applyPatch, PatchConflictError } from "../render/patch.js";
import type { PatchAnnotation, PatchStrategy } from "../render/patch-annotations.js";
import type { JsonMap } from "../../core/json.js";

/** An annotation at a dotted path (`[*]` for list elements). */
export function at(
  path: string,
  tags: { patchKey?: string; patchStrategy?: PatchStrategy },
): PatchAnnotation {
  const segments = path
    .replaceAll("[*]", ".[*]")
    .split(".")
    .filter((s) => s !== "");
  return { root: "patch", segments, path, line: 1, ...tags };
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/** Applies with frozen inputs, so any mutation of them throws. */
export function patched(
  base: Readonly<Record<string, unknown>>,
  patch: unknown,
  annotations: PatchAnnotation[] = [],
): JsonMap {
  return applyPatch(deepFreeze(base), deepFreeze(patch), annotations);
}

export function conflictOf(run: () => unknown): PatchConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof PatchConflictError) return error;
    throw error;
  }
  throw new Error("expected a PatchConflictError");
}

/** Fixture A: the talk seed's v1alpha2 sidecar trait template (containers merged by name). */
export const sidecarTemplate = `patch: {
  // +patchKey=name
  spec: template: spec: containers: [parameter]
}
parameter: {
  name: string
  image: string
  command?: [...string]
}`;
