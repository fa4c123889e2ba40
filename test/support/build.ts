/**
 * Tests that run Flotilla from its build (`bin/flotilla.js`, `node dist/...`) call
 * `ensureBuild()` first: it runs `npm run build` when dist/ is missing or older than the
 * sources (bin/dist-state.js), and does nothing when it is fresh (after `npm ci`, or a build).
 * Other tests run the sources and need no build.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { distState } from "../../bin/dist-state.js";

/** The repository: it holds package.json, the sources and dist/. */
export const repoRoot = path.join(import.meta.dirname, "..", "..");

/** Builds dist/ unless it is fresh; throws when the build fails. */
export function ensureBuild(log: (line: string) => void = () => undefined): void {
  const dist = distState(repoRoot);
  if (dist.state === "fresh") return;
  log(`dist/ is ${dist.state}: npm run build`);
  execFileSync("npm", ["run", "--silent", "build"], { cwd: repoRoot, stdio: "inherit" });
}
