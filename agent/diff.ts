/**
 * When is a report new? Two reports are the same when everything but `observedTime` is equal
 * (house style §5: compute, deep-compare, write only if changed). Object key order does not
 * matter, so a report read back from the hub compares equal to the one computed. Pure.
 */

/** Deep equality of JSON values (key order ignored, array order significant). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** `report` without `observedTime` (anything that is not an object counts as empty). */
export function withoutObservedTime(report: unknown): Record<string, unknown> {
  if (typeof report !== "object" || report === null || Array.isArray(report)) return {};
  return Object.fromEntries(Object.entries(report).filter(([key]) => key !== "observedTime"));
}

/** True when the two reports differ in anything but `observedTime`. */
export function reportChanged(previous: unknown, next: unknown): boolean {
  return !jsonEqual(withoutObservedTime(previous), withoutObservedTime(next));
}
