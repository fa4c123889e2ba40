/**
 * How the local fleet starts Flotilla's programs (hub, gateway, agent): one node process each,
 * by path, from beside the running code. A fleet run from the build (`flotilla fleet up`, which
 * runs `dist/cli/main.js`) starts `dist/<program>/main.js` with plain node; a fleet run from the
 * sources (vitest, benchmarks) starts `<program>/main.ts` through tsx's loader. This module is
 * the one place that makes that choice (ADR 0011).
 */
import path from "node:path";
import { codeRoot, runsFromBuild } from "../core/assets.js";

/** The programs the fleet starts. */
export type FleetProgram = "hub" | "gateway" | "agent";

/** node options a program runs with unless the caller gives its own. */
const defaultNodeArgs: Record<FleetProgram, readonly string[]> = {
  hub: [],
  // a small young generation: about 30 MiB less with 500 watches open (docs/gateway.md)
  gateway: ["--max-semi-space-size=2"],
  agent: [],
};

/** A process to start: the executable and its arguments. */
export interface ProgramCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export interface ProgramOptions {
  /** Another entry point: a `.ts` file runs through tsx, a `.js` file with plain node. */
  readonly entry?: string;
  /** node options instead of the program's defaults (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** The program's own flags. */
  readonly args?: readonly string[];
}

/** The program's entry point beside the running code: `dist/hub/main.js` or `hub/main.ts`. */
export function programEntry(program: FleetProgram): string {
  return path.join(codeRoot(), program, runsFromBuild() ? "main.js" : "main.ts");
}

/**
 * The command line that starts `program`: this node, its options, tsx's loader when the entry
 * is TypeScript, the entry, then the program's flags. Pure but for locating the entry.
 */
export function programCommand(
  program: FleetProgram,
  options: ProgramOptions = {},
): ProgramCommand {
  const entry = options.entry ?? programEntry(program);
  const loader = entry.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [];
  const nodeArgs = options.nodeArgs ?? defaultNodeArgs[program];
  return {
    command: process.execPath,
    args: [...nodeArgs, ...loader, entry, ...(options.args ?? [])],
  };
}
