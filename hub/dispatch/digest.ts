/**
 * `objectDigest`: a short content digest of a rendered object (SHA-256 of its JSON, 16 hex
 * digits). Recorded in the resource tracker for every applied object, so a restarted hub can
 * tell what is already delivered without applying it again. The render is deterministic
 * (same inputs, same JSON with the same key order), so equal objects have equal digests.
 */
import { createHash } from "node:crypto";
import type { JsonObject } from "../../core/json.js";

export function objectDigest(object: JsonObject): string {
  return createHash("sha256").update(JSON.stringify(object)).digest("hex").slice(0, 16);
}
