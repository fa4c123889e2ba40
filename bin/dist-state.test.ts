import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { distState } from "./dist-state.js";

let root: string;

async function put(file: string, ageSeconds: number): Promise<void> {
  const full = path.join(root, file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, "");
  const time = Date.now() / 1000 - ageSeconds;
  await utimes(full, time, time);
}

describe("distState", () => {
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "flotilla-dist-"));
    await writeFile(path.join(root, "tsconfig.build.json"), '{ "include": ["core", "cli"] }');
    await put("core/errors.ts", 100);
    await put("cli/main.ts", 100);
    await put("dist/core/errors.js", 50);
    await put("dist/cli/main.js", 50);
  });

  it("is fresh when every compiled source has an output at least as new", () => {
    expect(distState(root)).toEqual({ state: "fresh" });
  });

  it("is missing without dist/cli/main.js", async () => {
    await rm(path.join(root, "dist", "cli", "main.js"));
    expect(distState(root)).toEqual({ state: "missing" });
  });

  it("is stale, naming the source, when a source is newer than its output", async () => {
    await put("core/errors.ts", 10);
    expect(distState(root)).toEqual({ state: "stale", source: path.join("core", "errors.ts") });
  });

  it("is stale when a new source has no output yet", async () => {
    await put("cli/fleet/up.ts", 100);
    expect(distState(root)).toEqual({ state: "stale", source: path.join("cli", "fleet", "up.ts") });
  });

  it("ignores tests and test support, which the build leaves out", async () => {
    await put("core/errors.test.ts", 1);
    await put("core/testing/fake-clock.ts", 1);
    expect(distState(root)).toEqual({ state: "fresh" });
  });

  it("is fresh for an installation without the sources (no tsconfig.build.json)", async () => {
    await rm(path.join(root, "tsconfig.build.json"));
    await put("core/errors.ts", 1);
    expect(distState(root)).toEqual({ state: "fresh" });
  });

  it("leaves out what the real build configuration leaves out", async () => {
    const config = JSON.parse(
      await readFile(path.join(import.meta.dirname, "..", "tsconfig.build.json"), "utf8"),
    ) as { exclude: string[] };
    expect(config.exclude).toEqual(["**/*.test.ts", "**/testing/**"]);
  });
});
