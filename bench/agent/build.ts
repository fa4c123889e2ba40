/**
 * The benchmark measures the compiled agent (`node dist/agent/main.js`), as it would run in a
 * container, not the tsx loader the local fleet uses. `ensureCompiledAgent` runs
 * `npm run build` when `dist/agent/main.js` is missing or older than any source it is built
 * from (`agent/`, `core/`, the tsconfig files).
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
export const compiledAgent = path.join(repoRoot, "dist", "agent", "main.js");

const SOURCE_DIRS = ["agent", "core"];
const SOURCE_FILES = ["tsconfig.json", "tsconfig.build.json"];

/** True when the output is missing (undefined) or older than the newest source — pure. */
export function isStale(outputMtimeMs: number | undefined, sourceMtimesMs: readonly number[]) {
  return outputMtimeMs === undefined || sourceMtimesMs.some((m) => m > outputMtimeMs);
}

const mtimeOf = (file: string): number | undefined => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** Modification times of the TypeScript sources under `dir` (tests excluded). */
function sourceMtimes(dir: string): number[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => statSync(path.join(e.parentPath, e.name)).mtimeMs);
}

/** Resolves with npm's exit code. */
function runBuild(log: (line: string) => void): Promise<number | null> {
  log("dist/agent/main.js is missing or stale: npm run build");
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "build"], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code));
  });
}

/**
 * Builds when needed; returns the path of the compiled agent entry point. tsc emits despite
 * type errors, so a build that failed elsewhere in the tree (work in progress) but rewrote the
 * agent is used, with a warning; one that left the agent missing or stale is an error.
 */
export async function ensureCompiledAgent(log: (line: string) => void): Promise<string> {
  const sources = [
    ...SOURCE_DIRS.flatMap((d) => sourceMtimes(path.join(repoRoot, d))),
    ...SOURCE_FILES.flatMap((f) => mtimeOf(path.join(repoRoot, f)) ?? []),
  ];
  if (!isStale(mtimeOf(compiledAgent), sources)) return compiledAgent;
  const code = await runBuild(log);
  if (isStale(mtimeOf(compiledAgent), sources))
    throw new Error(`npm run build (exit code ${code}) did not bring ${compiledAgent} up to date`);
  if (code !== 0) log(`WARNING: npm run build exited with ${code}; measuring the emitted agent`);
  return compiledAgent;
}
