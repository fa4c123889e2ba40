#!/usr/bin/env node
// Entry point of the `flotilla` command: loads the TypeScript CLI through tsx so the
// command works straight after `npm ci`, with no build step.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../cli/main.ts", import.meta.url);
process.exitCode = await main(process.argv);
