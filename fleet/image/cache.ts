/**
 * Where built images are cached: `~/.cache/flotilla/images/` (`$XDG_CACHE_HOME` honoured), as
 * docker-archive tarballs named by a hash of what went into them, so an unchanged input never
 * builds twice and a changed one never reuses a stale image.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function imageCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache");
  return path.join(base, "flotilla", "images");
}

/** A short hash of strings (pure). */
export function hashOf(parts: readonly string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The hash of every file under `entries` (files or folders, relative to `root`), by path and
 * content, skipping the relative paths `skip` says to. Sorted, so the order of the walk never
 * matters.
 */
export function contentHash(
  root: string,
  entries: readonly string[],
  skip: (relativePath: string) => boolean = () => false,
): string {
  const files: string[] = [];
  const walk = (rel: string): void => {
    const full = path.join(root, rel);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full)) {
        const child = path.join(rel, name);
        if (!skip(child)) walk(child);
      }
    } else files.push(rel);
  };
  for (const entry of entries) walk(entry);
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}
