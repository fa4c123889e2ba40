/**
 * Content digests of JSON values (pure): one canonical text, with object keys sorted so equal
 * values have equal text whatever their key order, and one short hash of it. The one place
 * both application revision hashes (engine/revision) and the digest the resource tracker
 * records of each applied object (hub/dispatch) are computed.
 */
import { createHash } from "node:crypto";
import { isObject } from "./json.js";

/**
 * JSON with object keys sorted (by UTF-16 code units), lists in order, no blanks. An
 * `undefined` value, a member's included, is written `null` (unlike `JSON.stringify`, which
 * drops such members): revision hashes have always been computed this way, and changing it
 * would change every stored hash.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 of `canonicalJson(value)`, as its first 16 hex digits. */
export function contentDigest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}
