/**
 * JSON as every part of Flotilla reads it: one name for each shape and one guard each.
 *
 * - `JsonObject`: an object read from the wire or a manifest whose members are not checked
 *   yet (`unknown`); `isObject` tells one from null, lists and scalars.
 * - `JsonValue` / `JsonMap`: values known to be JSON all the way down (what CUE exports and
 *   the patch code builds); `isJsonMap` narrows a `JsonValue` to its object case.
 * - `str`, `nonEmpty`, `obj`: loose readers for optional fields of an unchecked object.
 */

/** An object whose members are not checked yet (decoded JSON, a manifest, a status). */
export type JsonObject = { [key: string]: unknown };

/** True for a plain JSON object (not null, not a list). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = JsonValue[];
/** An object whose members are JSON values all the way down. */
export interface JsonMap {
  [key: string]: JsonValue;
}
export type JsonValue = JsonPrimitive | JsonArray | JsonMap;

/** Narrows a JSON value to its object case. */
export function isJsonMap(value: JsonValue | undefined): value is JsonMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value when it is a string (the empty string included), else undefined. */
export const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** The value when it is a non-empty string, else undefined (an empty field counts as absent). */
export const nonEmpty = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The value when it is a plain object, else undefined. */
export const obj = (value: unknown): JsonObject | undefined =>
  isObject(value) ? value : undefined;
