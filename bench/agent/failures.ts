/**
 * Failure-detection latency: `count` failures injected one after another, each timed from the
 * injection until the hub's tracker judges the cluster Unknown, then repaired and Ready again
 * before the next. Kinds (rotating):
 *
 * - `kill`: SIGKILL of the agent (a crash); repaired by starting a new agent process;
 * - `stop`: SIGSTOP of the agent (a hung process); repaired by SIGCONT;
 * - `partition`: the proxy cuts the agent's connections to the hub and resets new ones;
 *   repaired by letting them through again.
 *
 * Stopping the member's API server is not a kind: the agent keeps renewing its Lease and
 * reports `apiReady: false`, which the hub shows as NotReady, never Unknown (hub/cluster-health/state.ts).
 *
 * Each injection happens at a chosen offset after a heartbeat the hub saw, the offsets spread
 * evenly over one heartbeat interval, so the samples cover the best and the worst moment to
 * fail (right after a heartbeat the hub still waits a whole grace period).
 */
import { round, sleep } from "../hub-scale/probe.js";
import { summarize } from "../stats.js";
import type { AgentProcess, AgentWorld } from "./world.js";
import { log } from "./world.js";

export const FAILURE_KINDS = ["kill", "stop", "partition"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** The agent's default heartbeat interval (agent/config.ts), which the benchmark runs with. */
const HEARTBEAT_MS = 2_000;
const DETECT_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 90_000;

export interface Detection {
  readonly kind: FailureKind;
  /** Injection after the last heartbeat the hub saw (ms). */
  readonly offset_ms: number;
  /** Injection → Unknown; null when it was not Unknown within 60 s. */
  readonly detected_s: number | null;
  /** Repair → Ready again. */
  readonly recovered_s: number;
}

/** The i-th of n injection offsets, spread evenly over one heartbeat interval — pure. */
export const injectionOffsetMs = (i: number, n: number, intervalMs = HEARTBEAT_MS): number =>
  Math.round((i * intervalMs) / Math.max(1, n)) % intervalMs;

interface Run {
  readonly world: AgentWorld;
  agent: AgentProcess;
}

const inject: Record<FailureKind, (run: Run) => void> = {
  kill: (run) => run.agent.signal("SIGKILL"),
  stop: (run) => run.agent.signal("SIGSTOP"),
  partition: (run) => run.world.proxy.partition(true),
};

const repair: Record<FailureKind, (run: Run) => Promise<void>> = {
  kill: async (run) => {
    await run.agent.process.exited;
    run.agent = await run.world.startAgent();
  },
  stop: (run) => Promise.resolve(run.agent.signal("SIGCONT")),
  partition: (run) => Promise.resolve(run.world.proxy.partition(false)),
};

/** Resolves right after the hub sees the next heartbeat (its `lastSeen` changes). */
async function nextHeartbeat(world: AgentWorld): Promise<void> {
  const seen = world.health.lastSeen();
  const deadline = performance.now() + 4 * HEARTBEAT_MS;
  while (world.health.lastSeen() === seen && performance.now() < deadline) await sleep(10);
}

async function injectOne(run: Run, kind: FailureKind, offsetMs: number): Promise<Detection> {
  await nextHeartbeat(run.world);
  await sleep(offsetMs);
  const unknown = run.world.health.when("Unknown", DETECT_TIMEOUT_MS);
  const injectedAt = performance.now();
  inject[kind](run);
  const detectedAt = await unknown.catch((error: unknown) => {
    log(`${kind}: ${String(error)}`);
    return undefined;
  });
  const repairAt = performance.now();
  await repair[kind](run);
  const readyAt = await run.world.health.when("Ready", READY_TIMEOUT_MS);
  return {
    kind,
    offset_ms: offsetMs,
    detected_s: detectedAt === undefined ? null : round((detectedAt - injectedAt) / 1000, 3),
    recovered_s: round((readyAt - repairAt) / 1000, 2),
  };
}

/**
 * Injects `count` failures of `kinds` (rotating) into the running `agent`; returns the
 * detections and the agent running at the end (a `kill` replaces it).
 */
export async function injectFailures(
  world: AgentWorld,
  agent: AgentProcess,
  count: number,
  kinds: readonly FailureKind[],
): Promise<{ detections: Detection[]; agent: AgentProcess }> {
  const run: Run = { world, agent };
  const detections: Detection[] = [];
  await world.health.when("Ready", READY_TIMEOUT_MS);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] as FailureKind;
    // A few regular heartbeats before each failure, so none is judged on a recovering agent.
    await sleep(2 * HEARTBEAT_MS);
    const d = await injectOne(run, kind, injectionOffsetMs(i, count));
    detections.push(d);
    log(
      `failure ${i + 1}/${count} (${kind}, ${d.offset_ms} ms after a heartbeat): ` +
        `Unknown after ${d.detected_s ?? "never"} s, Ready again ${d.recovered_s} s after repair`,
    );
  }
  return { detections, agent: run.agent };
}

export interface DetectionSummary {
  readonly n: number;
  readonly undetected: number;
  readonly p50_s: number | null;
  readonly max_s: number | null;
  readonly min_s: number | null;
}

/** p50 / max / min of the detected latencies; undetected ones are counted apart — pure. */
export function summarizeDetections(detections: readonly Detection[]): DetectionSummary {
  const seconds = detections.flatMap((d) => (d.detected_s === null ? [] : [d.detected_s]));
  const s = seconds.length === 0 ? undefined : summarize(seconds.map((x) => x * 1000));
  const inSeconds = (ms: number | undefined): number | null =>
    ms === undefined ? null : round(ms / 1000, 3);
  return {
    n: detections.length,
    undetected: detections.length - seconds.length,
    p50_s: inSeconds(s?.p50_ms),
    max_s: inSeconds(s?.max_ms),
    min_s: inSeconds(s?.min_ms),
  };
}

/** The summary overall and per kind — pure. */
export function detectionReport(detections: readonly Detection[]) {
  const byKind = Object.fromEntries(
    FAILURE_KINDS.filter((k) => detections.some((d) => d.kind === k)).map((k) => [
      k,
      summarizeDetections(detections.filter((d) => d.kind === k)),
    ]),
  );
  return { ...summarizeDetections(detections), by_kind: byKind };
}
