/**
 * A JSON merge patch (RFC 7386) that turns `previous` into `next` (pure): objects are patched
 * key by key, and a key `previous` has but `next` lacks is sent as `null`, so it is removed
 * (a plain merge patch of `next` alone would leave it behind, e.g. a workflow message that no
 * longer applies). Arrays and scalars are replaced whole.
 */
import { isObject } from "../../core/json.js";

export function mergePatchFrom(previous: unknown, next: unknown): unknown {
  if (!isObject(previous) || !isObject(next)) return next;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(previous)) {
    if (!(key in next)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(next)) {
    patch[key] = mergePatchFrom(previous[key], value);
  }
  return patch;
}
