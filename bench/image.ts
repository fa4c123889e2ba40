/**
 * image (issue 17): Flotilla's image — its size (target <= 250 MiB uncompressed), its build
 * time warm (archive cached: only the inputs are hashed) and rebuilt (archive removed: podman
 * builds again with its layer cache), and each program's start to ready inside a container
 * (targets: gateway and agent <= 2 s, hub <= 4 s with its definitions), with the same program
 * started from dist/ with plain node as the baseline, measured in the same run on one fleet
 * (hub `local`, `member-1`). Each start is repeated BENCH_IMAGE_RUNS times (default 3),
 * container and baseline alternating; medians, spreads and the load average are reported.
 * A cold build (empty cache, bases included) is measured when BENCH_IMAGE_COLD=1, in a
 * temporary cache directory.
 */
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import os from "node:os";
import type { ChildProcess } from "node:child_process";
import { startFleet, type Fleet } from "../fleet/fleet.js";
import { ensureFlotillaImage, type FlotillaImage } from "../fleet/image/flotilla-image.js";
import { podman } from "../fleet/image/podman.js";
import { freePorts } from "../fleet/ports.js";
import { ensureBuild } from "../test/support/build.js";
import {
  isReady,
  programArgs,
  spawnProgram,
  type Program,
  type ProgramFiles,
} from "./image/programs.js";
import { prepareFiles } from "./image/files.js";
import { summarize, type Summary } from "./stats.js";

const targets = {
  size_mib: 250,
  gateway_ready_ms: 2_000,
  agent_ready_ms: 2_000,
  hub_ready_ms: 4_000,
};
const programs: readonly Program[] = ["gateway", "agent", "hub"];
const loadAvg = (): number[] => os.loadavg().map((l) => Number(l.toFixed(2)));

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - started)];
}

/** A build from an empty cache (bases included), in a temporary cache directory. */
async function coldBuild(): Promise<number> {
  const saved = process.env.XDG_CACHE_HOME;
  const cache = await mkdtemp(path.join(os.tmpdir(), "flotilla-image-cold-"));
  process.env.XDG_CACHE_HOME = cache;
  try {
    const [, cold] = await timed(() => ensureFlotillaImage({ log: (l) => console.error(l) }));
    await podman(["system", "reset", "--force"]).catch(() => undefined);
    return cold;
  } finally {
    await rm(cache, { recursive: true, force: true });
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
}

async function buildTimes(): Promise<Record<string, number>> {
  const [, warm] = await timed(() => ensureFlotillaImage());
  await rm((await ensureFlotillaImage()).archive);
  const [, rebuilt] = await timed(() => ensureFlotillaImage());
  const times: Record<string, number> = { warm_ms: warm, rebuilt_ms: rebuilt };
  if (process.env.BENCH_IMAGE_COLD === "1") times.cold_ms = await coldBuild();
  return times;
}

/** Milliseconds from spawn to ready; the process is stopped afterwards. */
async function startToReady(program: Program, fleet: Fleet, files: ProgramFiles, image?: string) {
  const [port] = (await freePorts(1)) as [number];
  let child: ChildProcess | undefined;
  const started = performance.now();
  try {
    child = spawnProgram(program, programArgs(program, files, port), fleet, image);
    const deadline = started + 60_000;
    while (!(await isReady(program, port, files))) {
      if (performance.now() > deadline) throw new Error(`${program} not ready in 60 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return performance.now() - started;
  } finally {
    child?.kill("SIGTERM");
    if (child !== undefined && child.exitCode === null)
      await new Promise((r) => child?.once("exit", r));
  }
}

async function readyTimes(fleet: Fleet, image: FlotillaImage, runs: number) {
  const files = await prepareFiles(fleet);
  const samples = new Map(
    programs.flatMap((p) => [
      [`${p} container`, [] as number[]],
      [`${p} node`, [] as number[]],
    ]),
  );
  for (let round = 0; round < runs; round++)
    for (const program of programs) {
      samples
        .get(`${program} container`)
        ?.push(await startToReady(program, fleet, files, image.tag));
      samples.get(`${program} node`)?.push(await startToReady(program, fleet, files));
    }
  return Object.fromEntries([...samples].map(([k, v]) => [k, summarize(v)])) as Record<
    string,
    Summary
  >;
}

export async function imageBench(): Promise<Record<string, unknown>> {
  ensureBuild((line) => console.error(line));
  const runs = Number(process.env.BENCH_IMAGE_RUNS ?? "3");
  const loadStart = loadAvg();
  console.log(`load average ${loadStart.join(" ")} on ${os.cpus().length} cores`);
  const image = await ensureFlotillaImage({ log: (l) => console.error(l) });
  const inspect = JSON.parse(await podman(["image", "inspect", image.tag])) as Array<{
    Size: number;
  }>;
  const sizeMib = Number(((inspect[0]?.Size ?? 0) / 2 ** 20).toFixed(1));
  console.log(`${image.tag}: ${sizeMib} MiB uncompressed`);
  const builds = await buildTimes();
  console.log(`build: ${JSON.stringify(builds)}`);
  const fleet = await startFleet({
    clusters: [
      { name: "local", hub: true, nodes: 1 },
      { name: "member-1", nodes: 1 },
    ],
  });
  try {
    const ready = await readyTimes(fleet, image, runs);
    for (const [name, s] of Object.entries(ready))
      console.log(
        `  ${name.padEnd(20)} median ${s.p50_ms.toFixed(0)} ms  min ${s.min_ms.toFixed(0)}  max ${s.max_ms.toFixed(0)}`,
      );
    const median = (p: Program): number => ready[`${p} container`]?.p50_ms ?? Infinity;
    const loadEnd = loadAvg();
    console.log(`load average after: ${loadEnd.join(" ")}`);
    return {
      bench: "image",
      runs,
      cores: os.cpus().length,
      load_start: loadStart,
      load_end: loadEnd,
      size_mib: sizeMib,
      build: builds,
      ready,
      container_over_node: Object.fromEntries(
        programs.map((p) => [
          p,
          Number((median(p) / (ready[`${p} node`]?.p50_ms ?? 1)).toFixed(2)),
        ]),
      ),
      targets,
      withinTargets:
        sizeMib <= targets.size_mib &&
        median("gateway") <= targets.gateway_ready_ms &&
        median("agent") <= targets.agent_ready_ms &&
        median("hub") <= targets.hub_ready_ms,
    };
  } finally {
    await fleet.stop();
  }
}
