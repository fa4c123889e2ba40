/**
 * Helm, built from its Go module (`helm.sh/helm/v4`, the version pinned in versions.ts) with
 * the machine's Go toolchain and cached like the cluster binaries, under its own key
 * (`~/.cache/flotilla/bin/helm-<version>-<hash>/helm`), so a Helm bump never rebuilds
 * Kubernetes. The build goes to a work folder renamed into place, so a killed build never
 * leaves a cache that looks complete.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { toolVersions } from "../versions.js";
import { buildAtomically, defaultCacheRoot, goBuild, type Log } from "./binaries.js";

/** Bumped when the way Helm is built changes. */
const helmRecipe = 1;
const helmModule = "helm.sh/helm/v4";

export interface EnsureHelmOptions {
  readonly version?: string;
  /** Root of the cache; default as the cluster binaries'. */
  readonly cacheRoot?: string;
  readonly log?: Log;
}

/** The cache directory name for a Helm version (pure). */
export function helmCacheKey(version: string, platform: string): string {
  const text = JSON.stringify([version, helmRecipe, platform]);
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 12);
  return `helm-${version}-${hash}`;
}

/** Where the helm binary for `version` is (or will be) cached. */
export function helmPath(options: EnsureHelmOptions = {}): string {
  const version = options.version ?? toolVersions.helm;
  const key = helmCacheKey(version, `${process.platform}/${process.arch}`);
  return path.join(options.cacheRoot ?? defaultCacheRoot(), key, "helm");
}

/** The path of the cached helm binary, building it first when missing. Idempotent. */
export async function ensureHelm(options: EnsureHelmOptions = {}): Promise<string> {
  const binary = helmPath(options);
  const dir = path.dirname(binary);
  if (existsSync(path.join(dir, ".complete")) && existsSync(binary)) return binary;
  const version = options.version ?? toolVersions.helm;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = Date.now();
  log(`[fleet build] building helm v${version} into ${dir} (cold build: about 2-4 minutes)`);
  await buildAtomically(dir, (work) =>
    goBuild({
      label: `helm v${version}`,
      wrapper: {
        name: "flotilla.invalid/fleet/helm",
        go: "1.26.0",
        require: [[helmModule, `v${version}`]],
      },
      packages: [`${helmModule}/cmd/helm`],
      out: path.join(work, "helm"),
      workDir: work,
      ldflags: `-X ${helmModule}/internal/version.version=v${version} -s -w`,
      log,
    }),
  );
  log(`[fleet build] helm done in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}
