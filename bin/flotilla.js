#!/usr/bin/env node
// Entry point of the `flotilla` command: runs the compiled CLI, dist/cli/main.js, with plain
// node: no TypeScript loader at run time, so the command starts in about a tenth of a second
// (ADR 0011). `npm ci` builds dist/ (the `prepare` script); when dist/ is missing or older
// than the sources, this says so instead of running old code.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { distState } from "./dist-state.js";

const root = path.join(import.meta.dirname, "..");
const dist = distState(root);
if (dist.state !== "fresh") {
  const why =
    dist.state === "missing"
      ? "dist/ is missing"
      : `dist/ is older than the sources (${dist.source} changed)`;
  process.stderr.write(`flotilla: ${why}; build it with \`npm run build\` in ${root}\n`);
  process.exit(1);
}
const { runFlotilla } = await import(pathToFileURL(path.join(root, "dist", "cli", "main.js")).href);
await runFlotilla();
