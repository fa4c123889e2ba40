/**
 * One scale of the hub-scale benchmark on a fresh world (so no scale inherits another's
 * objects, caches or hub memory): the hub started with a 30-minute state-keep period (nothing
 * but the benchmark's own changes wakes it while it is measured), the applications created,
 * time until all are running, the hub's RSS and CPU on the way and idle afterwards, the
 * distribution latency, then the restarted hub's sweeps (sweeps.ts).
 */
import { ensureNamespace } from "../../core/cluster/kube.js";
import { peakRssMiB, rssMiB } from "../rss.js";
import { countRunning, createApps, waitAllRunning, waitServed } from "./apps.js";
import { distributionPhase, type DistributionResult } from "./distribution.js";
import {
  between,
  loadAvg,
  log,
  mark,
  markWhenQuiet,
  rssSampler,
  round,
  sleep,
  type Mark,
} from "./probe.js";
import { sweepPhase, type SweepResult } from "./sweeps.js";
import { heapSnapshot, startHubProcess, startWorld, type HubProcess, type World } from "./world.js";

export const CHANGES = Number(process.env.BENCH_HUB_SCALE_CHANGES ?? 50);
const IDLE_WINDOW_MS = 10_000;

export interface ScaleResult {
  readonly apps: number;
  readonly create_s: number;
  readonly all_running_s: number;
  readonly deliver: ReturnType<typeof between>;
  /** Ready (no application yet), running (all running, settled and idle), peak (VmHWM). */
  readonly hub_rss_mib: { ready: number; running: number; peak: number; sampled_max: number };
  /** From all running until no reconcile finished for 3 s. */
  readonly settle: ReturnType<typeof between>;
  readonly idle: ReturnType<typeof between>;
  readonly distribution: DistributionResult;
  readonly sweeps: SweepResult;
  readonly running_after_sweeps: number;
  readonly load_avg: { start: number[]; end: number[] };
}

/** Creation to all running, with the hub's CPU and memory on the way. */
async function deliverPhase(world: World, hub: HubProcess, namespace: string, count: number) {
  await waitServed(world.hubKc, namespace);
  const start = await mark(hub, world.groups);
  await createApps(world.hubKc, namespace, count);
  const createS = (performance.now() - start.at) / 1000;
  log(`${count} applications created in ${round(createS, 1)} s`);
  const runningAt = await waitAllRunning(world.hubKc, namespace, count, count * 2_000 + 300_000);
  const running = await mark(hub, world.groups);
  const allRunningS = (runningAt - start.at) / 1000;
  log(`all ${count} running ${round(allRunningS, 1)} s after the first create`);
  return { create_s: round(createS, 1), all_running_s: round(allRunningS, 1), start, running };
}

/**
 * After all are running: the reconciles still coming (each new application is reconciled a
 * second time, woken by the finalizer the first one added) until none finished for 3 s, then
 * the hub idle for 10 s.
 */
async function settleAndIdle(world: World, hub: HubProcess, running: Mark) {
  const quiet = await markWhenQuiet(hub, world.groups, 3_000, 600_000);
  const before = await mark(hub, world.groups);
  await sleep(IDLE_WINDOW_MS);
  return { settle: between(running, quiet), idle: between(before, await mark(hub, world.groups)) };
}

async function measure(world: World, count: number): Promise<ScaleResult> {
  const namespace = `hub-scale-${count}`;
  const loadStart = loadAvg();
  await ensureNamespace(world.hubKc, namespace);
  const hub = await startHubProcess(world, "30m");
  const rss = rssSampler(hub.pid);
  const rssReady = rssMiB(hub.pid);
  try {
    const phase = await deliverPhase(world, hub, namespace, count);
    const { settle, idle } = await settleAndIdle(world, hub, phase.running);
    const rssRunning = rssMiB(hub.pid);
    const distribution = await distributionPhase(world, namespace, count, CHANGES);
    const hubRss = {
      ready: round(rssReady, 1),
      running: round(rssRunning, 1),
      peak: round(peakRssMiB(hub.pid), 1),
      sampled_max: round(rss.stop(), 1),
    };
    await heapSnapshot(hub);
    await hub.stop();
    const sweeps = await sweepPhase(world, count);
    return {
      apps: count,
      create_s: phase.create_s,
      all_running_s: phase.all_running_s,
      deliver: between(phase.start, phase.running),
      hub_rss_mib: hubRss,
      settle,
      idle,
      distribution,
      sweeps,
      running_after_sweeps: await countRunning(world.hubKc, namespace),
      load_avg: { start: loadStart, end: loadAvg() },
    };
  } finally {
    rss.stop();
    await hub.stop();
  }
}

export async function runScale(count: number): Promise<ScaleResult> {
  log(`--- ${count} applications: starting a fleet (local, member-1, member-2) and the gateway`);
  const world = await startWorld();
  try {
    return await measure(world, count);
  } finally {
    await world.stop();
  }
}
