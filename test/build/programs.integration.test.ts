/**
 * Every program runs from the build (`npm run build` writes dist/) with plain node, no
 * TypeScript loader: the hub, gateway and agent as a fleet run from dist/ starts them
 * (dist/fleet/programs.js), each refusing an unknown flag with its clear error; the CLI
 * (bin/flotilla.js) prints its help loading no package but commander, and lists the built-in
 * definitions through the asset root from any working directory. An integration test because
 * it builds dist/ when it is missing or stale (about 15 s); then it takes a few seconds.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuild, repoRoot } from "../support/build.js";

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node with `args`; resolves with the exit code and output, whatever the code. */
function node(args: readonly string[], cwd = repoRoot): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

const dist = path.join(repoRoot, "dist");
const bin = path.join(repoRoot, "bin", "flotilla.js");
const recorder = path.join(import.meta.dirname, "testdata", "record-imports.js");

/** The JSON of `expression` evaluated by a node process that imported dist/`module` as `m`. */
async function fromDist(module: string, expression: string): Promise<unknown> {
  const url = JSON.stringify(pathToFileURL(path.join(dist, module)).href);
  const script = `const m = await import(${url}); console.log(JSON.stringify(${expression}));`;
  const ran = await node(["--input-type=module", "-e", script]);
  expect(ran.stderr).toBe("");
  return JSON.parse(ran.stdout);
}

/** `@scope/name` or `name` of a module URL under node_modules, else undefined. */
function packageOf(url: string): string | undefined {
  const rest = url.split("/node_modules/").at(-1);
  if (rest === undefined || rest === url) return undefined;
  const parts = rest.split("/");
  return rest.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

beforeAll(() => ensureBuild((line) => process.stderr.write(`${line}\n`)), 600_000);

describe("the programs built into dist/", () => {
  it("find definitions/ and the CRDs through the asset root, code beside them in dist/", async () => {
    const found = await fromDist(
      "core/assets.js",
      "[m.runsFromBuild(), m.codeRoot(), m.builtinDefinitionsDir(), m.chartCrdsDir(), m.fleetCrdsDir()]",
    );
    expect(found).toEqual([
      true,
      dist,
      path.join(repoRoot, "definitions"),
      path.join(repoRoot, "charts", "flotilla", "crds"),
      path.join(repoRoot, "fleet", "crds"),
    ]);
  });

  it.each(["hub", "gateway", "agent"])(
    "%s starts from dist/ with plain node, as the fleet starts it, and names a bad flag",
    async (program) => {
      const start = (await fromDist(
        "fleet/programs.js",
        `m.programCommand(${JSON.stringify(program)}, { args: ["--no-such-flag"] })`,
      )) as { command: string; args: string[] };
      expect(start.args).toContain(path.join(dist, program, "main.js"));
      expect(start.args).not.toContain("--import");
      const ran = await node(start.args);
      expect(ran.stderr).toContain(`invalid ${program} configuration`);
      expect(ran.stderr).toContain("Unknown option '--no-such-flag'");
      expect(ran.code).toBe(2);
    },
  );
});

describe("the flotilla command (bin/flotilla.js)", () => {
  it("prints its help from dist/, loading no package but commander", async () => {
    const ran = await node(["--import", pathToFileURL(recorder).href, bin, "--help"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: flotilla /);
    expect(ran.stdout).toContain("workflow");
    const loaded = ran.stderr
      .split("\n")
      .filter((line) => line.startsWith("loaded "))
      .map((line) => line.slice("loaded ".length));
    // the recorder saw the CLI itself (guards against a recorder that sees nothing)
    expect(loaded).toContain(pathToFileURL(path.join(dist, "cli", "main.js")).href);
    expect(loaded).toContain(pathToFileURL(path.join(dist, "cli", "cluster", "command.js")).href);
    const packages = new Set(loaded.map(packageOf).filter((p) => p !== undefined));
    expect([...packages]).toEqual(["commander"]);
  });

  it("lists the built-in definitions, from any working directory", async () => {
    const ran = await node([bin, "def", "list"], os.tmpdir());
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/^webservice\s+component\s+builtin\s/m);
    expect(ran.code).toBe(0);
  });

  it("names a missing or stale dist/ and how to build it, instead of running it", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "flotilla-bin-"));
    await cp(path.join(repoRoot, "bin"), path.join(root, "bin"), { recursive: true });
    await writeFile(path.join(root, "tsconfig.build.json"), '{ "include": ["cli"] }');
    await mkdir(path.join(root, "cli"));
    await writeFile(path.join(root, "cli", "main.ts"), "");
    const missing = await node([path.join(root, "bin", "flotilla.js"), "--help"]);
    expect(missing.stderr).toContain("dist/ is missing; build it with `npm run build`");
    expect(missing.code).toBe(1);

    await mkdir(path.join(root, "dist", "cli"), { recursive: true });
    const built = path.join(root, "dist", "cli", "main.js");
    await writeFile(built, "");
    const before = new Date(Date.now() - 60_000);
    await utimes(built, before, before);
    const stale = await node([path.join(root, "bin", "flotilla.js"), "--help"]);
    expect(stale.stderr).toContain(
      `dist/ is older than the sources (${path.join("cli", "main.ts")} changed)`,
    );
    expect(stale.code).toBe(1);
  });
});
