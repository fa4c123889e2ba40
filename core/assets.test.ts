import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  assetRoot,
  builtinDefinitionsDir,
  chartCrdsDir,
  codeRoot,
  fleetCrdsDir,
  runsFromBuild,
} from "./assets.js";

const repo = path.join(import.meta.dirname, "..");

describe("asset root", () => {
  it("is the folder holding Flotilla's package.json, from any folder below it", () => {
    expect(assetRoot()).toBe(repo);
    expect(assetRoot(path.join(repo, "dist", "core"))).toBe(repo);
  });

  it("skips another package's package.json on the way up", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-assets-"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "flotilla" }));
    const nested = path.join(dir, "node_modules", "other", "lib");
    await mkdir(nested, { recursive: true });
    await writeFile(path.join(dir, "node_modules", "other", "package.json"), '{"name":"other"}');
    expect(assetRoot(nested)).toBe(dir);
  });

  it("says the installation is incomplete when there is no Flotilla package.json above", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-assets-"));
    expect(() => assetRoot(dir)).toThrow(/installation is incomplete/);
  });

  it("finds the definitions, the chart's CRDs and the fleet's CRDs", () => {
    expect(existsSync(path.join(builtinDefinitionsDir(), "components"))).toBe(true);
    expect(existsSync(chartCrdsDir())).toBe(true);
    expect(existsSync(path.join(fleetCrdsDir(), "nodepool.yaml"))).toBe(true);
  });

  it("runs from the sources here: the code root is the repository", () => {
    expect(runsFromBuild()).toBe(false);
    expect(codeRoot()).toBe(repo);
  });
});
