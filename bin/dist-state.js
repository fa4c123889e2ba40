// Whether dist/ holds a build of the current sources. bin/flotilla.js asks before it runs
// dist/cli/main.js, so a stale build is named instead of run; the tests that need dist/ ask
// before they build it. Plain JavaScript, run on every `flotilla` start: two stats per source.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** What tsconfig.build.json leaves out of the build (its `exclude`, as path tests). */
const excluded = (file) => file.endsWith(".test.ts") || file.split(path.sep).includes("testing");

const isSource = (file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !excluded(file);

const mtimeMs = (file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** The folders `npm run build` compiles (tsconfig.build.json's `include`), or none. */
function buildFolders(root) {
  const config = path.join(root, "tsconfig.build.json");
  if (!existsSync(config)) return []; // an installation without the sources
  return JSON.parse(readFileSync(config, "utf8")).include;
}

/**
 * The state of `<root>/dist`: `missing` without dist/cli/main.js; `stale` (naming the first
 * source found) when a compiled source has no output or is newer than it; else `fresh`.
 * @param {string} root the repository: it holds tsconfig.build.json and dist/
 * @returns {{ state: "fresh" | "missing" } | { state: "stale", source: string }}
 */
export function distState(root) {
  if (!existsSync(path.join(root, "dist", "cli", "main.js"))) return { state: "missing" };
  for (const folder of buildFolders(root)) {
    const files = readdirSync(path.join(root, folder), { recursive: true }).filter(isSource);
    for (const file of files) {
      const source = path.join(folder, file);
      const built = mtimeMs(path.join(root, "dist", source.replace(/\.ts$/, ".js")));
      if (built === undefined || mtimeMs(path.join(root, source)) > built) {
        return { state: "stale", source };
      }
    }
  }
  return { state: "fresh" };
}
