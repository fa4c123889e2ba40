/**
 * The benchmark measures the compiled agent (`node dist/agent/main.js`), as it would run in a
 * container, not the tsx loader the local fleet uses. `ensureCompiledAgent` builds dist/ first
 * when it is missing or older than the sources, as the tests that run the build do
 * (test/support/build.ts, bin/dist-state.js).
 */
import path from "node:path";
import { ensureBuild, repoRoot } from "../../test/support/build.js";

export const compiledAgent = path.join(repoRoot, "dist", "agent", "main.js");

/**
 * Runs `npm run build` unless dist/ is fresh and returns the compiled agent's entry point;
 * throws when the build fails (even one that emitted the agent).
 */
export function ensureCompiledAgent(log: (line: string) => void): string {
  ensureBuild(log);
  return compiledAgent;
}
