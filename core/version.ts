/**
 * Flotilla's version: the `version` of its package.json (the asset root, core/assets.ts), or
 * `unknown` when it cannot be read. Read once per process.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { assetRoot } from "./assets.js";

let cached: string | undefined;

export function flotillaVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const manifest = JSON.parse(readFileSync(path.join(assetRoot(), "package.json"), "utf8")) as {
      version?: unknown;
    };
    cached = typeof manifest.version === "string" ? manifest.version : "unknown";
  } catch {
    cached = "unknown";
  }
  return cached;
}
