/**
 * `objectDigest`: a short content digest of a rendered object (core/digest.ts: SHA-256 of its
 * canonical JSON, 16 hex digits). Recorded in the resource tracker for every applied object,
 * so a restarted hub can tell what is already delivered without applying it again. Keys are
 * sorted before hashing, so the digest does not depend on the order a render (CUE, patches)
 * happens to emit them: equal objects have equal digests.
 */
import { contentDigest } from "../../core/digest.js";
import type { JsonObject } from "../../core/json.js";

/** The digest of `object` as the tracker records it. */
export function objectDigest(object: JsonObject): string {
  return contentDigest(object);
}
