/**
 * cli-startup (issue 16): wall time of the `flotilla` command from a process spawn to its exit,
 * as a user runs it (`node bin/flotilla.js`, which checks dist/ is fresh and runs
 * dist/cli/main.js): `--help`, and `def list` (cue-wasm and the built-in definitions). The
 * same run measures `node -e 0` as the floor, `node dist/cli/main.js --help` (the cost of the
 * freshness check is the difference) and the TypeScript sources through tsx's loader (how
 * bin/flotilla.js ran before ADR 0011) for comparison.
 *
 * Each variant runs BENCH_CLI_RUNS times (default 20) after one warm-up, interleaved round by
 * round so a change in the machine's load touches every variant alike. Reports the median and
 * spread (min, max, standard deviation) per variant and the load average before and after.
 * Target (issue 16): `flotilla --help` median <= 0.3 s (`vela --help` answers in 0.11 s).
 */
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { ensureBuild, repoRoot } from "../test/support/build.js";
import { summarize, type Summary } from "./stats.js";

const target = { help_median_ms: 300 };

const bin = path.join(repoRoot, "bin", "flotilla.js");

/** Each variant: its name and node's arguments. */
const variants: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["node -e 0", ["-e", "0"]],
  ["flotilla --help", [bin, "--help"]],
  ["flotilla def list", [bin, "def", "list"]],
  ["node dist/cli/main.js --help", [path.join(repoRoot, "dist", "cli", "main.js"), "--help"]],
  [
    "tsx cli/main.ts --help",
    ["--import", import.meta.resolve("tsx"), path.join(repoRoot, "cli", "main.ts"), "--help"],
  ],
];

const loadAvg = (): number[] => os.loadavg().map((l) => Number(l.toFixed(2)));

function runs(): number {
  const text = process.env.BENCH_CLI_RUNS ?? "20";
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`BENCH_CLI_RUNS: an integer >= 1, got "${text}"`);
  }
  return n;
}

/** Milliseconds from spawning node with `args` to its exit; rejects unless it exits 0. */
function timeOnce(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(" ")} exited ${code}`));
    });
  });
}

/** `n` samples per variant, one warm-up run each first, interleaved round by round. */
async function sample(n: number): Promise<number[][]> {
  for (const [, args] of variants) await timeOnce(args);
  const samples = variants.map((): number[] => []);
  for (let round = 0; round < n; round++) {
    for (const [i, [, args]] of variants.entries()) samples[i]?.push(await timeOnce(args));
  }
  return samples;
}

function line(name: string, s: Summary): string {
  const ms = (n: number): string => n.toFixed(0).padStart(5);
  const spread = `min ${ms(s.min_ms)}   max ${ms(s.max_ms)}   sd ${ms(s.sd_ms)}`;
  return `  ${name.padEnd(30)} median ${ms(s.p50_ms)} ms   ${spread}`;
}

export async function cliStartupBench(): Promise<Record<string, unknown>> {
  ensureBuild((message) => console.error(message));
  const n = runs();
  const loadStart = loadAvg();
  console.log(
    `${n} runs per variant; load average ${loadStart.join(" ")} on ${os.cpus().length} cores`,
  );
  const summaries = (await sample(n)).map((samples) => summarize(samples));
  variants.forEach(([name], i) => console.log(line(name, summaries[i] as Summary)));
  const loadEnd = loadAvg();
  console.log(`load average after: ${loadEnd.join(" ")}`);
  const [floor, help] = summaries.map((s) => s.p50_ms) as [number, number];
  return {
    bench: "cli-startup",
    runs: n,
    cores: os.cpus().length,
    load_start: loadStart,
    load_end: loadEnd,
    variants: Object.fromEntries(variants.map(([name], i) => [name, summaries[i]])),
    help_median_ms: help,
    help_over_node_ms: Number((help - floor).toFixed(1)),
    targets: target,
    withinTargets: help <= target.help_median_ms,
  };
}
