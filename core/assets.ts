/**
 * Where Flotilla's files that are not code live: the built-in `definitions/`, the chart's
 * CRDs under `charts/` and the fleet's own CRDs under `fleet/crds/`. They are found through
 * one asset root, the folder holding Flotilla's `package.json`, so the same code works run
 * from the sources (`core/assets.ts`) and from the build (`dist/core/assets.js`), one folder
 * deeper. The build copies no asset: `dist/` holds only compiled code.
 *
 * Code is the other way round: the programs the local fleet starts sit beside the running
 * code (`codeRoot()`), the sources or `dist/`, so a fleet run from the build starts the
 * built programs.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const isFlotillaRoot = (dir: string): boolean => {
  const manifest = path.join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "flotilla";
  } catch {
    return false;
  }
};

/**
 * The nearest folder at or above `from` (default: this module's folder) that holds Flotilla's
 * package.json. Throws when there is none: the installation is incomplete.
 */
export function assetRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isFlotillaRoot(dir)) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`no Flotilla package.json above ${from}: the installation is incomplete`);
    }
  }
}

/** True when this code runs from the build (`dist/`), not from the TypeScript sources. */
export const runsFromBuild = (): boolean => import.meta.filename.endsWith(".js");

/**
 * The folder holding the running code's top-level folders (`core/`, `hub/`, `cli/` …): the
 * repository when run from the sources, `dist/` when run from the build.
 */
export const codeRoot = (): string => path.dirname(import.meta.dirname);

/** The built-in X-Definitions (`definitions/`). */
export const builtinDefinitionsDir = (): string => path.join(assetRoot(), "definitions");

/** The hub chart's CustomResourceDefinitions (`charts/flotilla/crds/`). */
export const chartCrdsDir = (): string => path.join(assetRoot(), "charts", "flotilla", "crds");

/** The local fleet's own CRDs (`fleet/crds/`, e.g. OpenYurt's NodePool). */
export const fleetCrdsDir = (): string => path.join(assetRoot(), "fleet", "crds");
