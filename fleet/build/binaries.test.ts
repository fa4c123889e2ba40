import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { binaryDir, cachedBinaries, ensureBinaries, FleetBuildError } from "./binaries.js";
import { binaryNames } from "./cache-key.js";

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe("binary cache", () => {
  it("counts a cache directory as built only when every binary and the marker are there", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "flotilla-cache-"));
    const dir = binaryDir({ cacheRoot });
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, ".complete"), "");
    await writeFile(path.join(dir, "kwok-stages.yaml"), "");
    for (const name of binaryNames.filter((n) => n !== "kwok"))
      await writeFile(path.join(dir, name), "");
    expect(cachedBinaries({ cacheRoot })).toBeUndefined();
    await writeFile(path.join(dir, "kwok"), "");
    expect(cachedBinaries({ cacheRoot })?.kwok).toBe(path.join(dir, "kwok"));
  });

  it("says Go is missing and leaves no partial cache when it cannot build", async () => {
    const cacheRoot = await mkdtemp(path.join(os.tmpdir(), "flotilla-cache-"));
    process.env.PATH = "/nonexistent";
    const attempt = ensureBinaries({ cacheRoot, log: () => undefined });
    await expect(attempt).rejects.toThrow(FleetBuildError);
    await expect(attempt).rejects.toThrow(/Go toolchain \(go\) is not on PATH/);
    expect(existsSync(binaryDir({ cacheRoot }))).toBe(false);
    expect(await readdir(cacheRoot)).toEqual([]);
  });
});
