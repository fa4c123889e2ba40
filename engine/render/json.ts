/**
 * The few pure helpers the patch code needs on JSON values (core/json.ts's types, as CUE
 * exports them): a runtime check that a value really is JSON, deep equality, deep copy and
 * own-key access that never reaches `Object.prototype`. The two RFC patch formats are in
 * json-patch.ts.
 *
 * Objects are built with `Object.fromEntries` or `defineProperty`, never by assignment, so a
 * key such as `__proto__` stays an ordinary own key instead of changing a prototype.
 */
import type { JsonMap, JsonPrimitive, JsonValue } from "../../core/json.js";

/** Strings, numbers, booleans and null: the values CUE unifies by equality. */
export function isJsonPrimitive(value: JsonValue | undefined): value is JsonPrimitive {
  return value === null || (typeof value !== "object" && value !== undefined);
}

/** The value of an own key, or undefined; inherited members such as `constructor` never count. */
export function member(object: JsonMap, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own key on an object this module owns (never on an input). */
export function setMember(object: JsonMap, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/** Builds an object from entries, keeping every key (including `__proto__`) as an own key. */
export function jsonObject(entries: Iterable<readonly [string, JsonValue]>): JsonMap {
  return Object.fromEntries<JsonValue>(entries);
}

/** A deep copy, so that a result never shares structure with an input. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/** Deep equality: objects by key set (order ignored), arrays element by element. */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (isJsonPrimitive(a) || isJsonPrimitive(b)) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i] as JsonValue));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const other = member(b, key);
    return other !== undefined && jsonEqual(a[key] as JsonValue, other);
  });
}

/**
 * Where `value` stops being JSON (a dotted path, "" for the value itself), or undefined when
 * it is JSON: null, booleans, finite numbers, strings, arrays and plain objects only.
 */
export function findNonJson(value: unknown, path = ""): string | undefined {
  if (value === null || typeof value !== "object") return isJsonScalar(value) ? undefined : path;
  if (Array.isArray(value)) return firstNonJson(value.entries(), path, true);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return path;
  return firstNonJson(Object.entries(value), path, false);
}

function isJsonScalar(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return value === null || typeof value === "string" || typeof value === "boolean";
}

function firstNonJson(
  entries: Iterable<[string | number, unknown]>,
  path: string,
  list: boolean,
): string | undefined {
  for (const [key, item] of entries) {
    const at = list ? `${path}[${key}]` : path === "" ? String(key) : `${path}.${key}`;
    const found = findNonJson(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
