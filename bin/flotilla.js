#!/usr/bin/env node
// Entry point of the `flotilla` command: loads the TypeScript CLI through tsx so the
// command works straight after `npm ci`, with no build step.
import { tsImport } from "tsx/esm/api";

// A reader that stops early (`flotilla status app | head`) closes the pipe: stop quietly
// then, as other command-line tools do, instead of dying on the write's EPIPE.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const { main } = await tsImport("../cli/main.ts", import.meta.url);
process.exitCode = await main(process.argv);
