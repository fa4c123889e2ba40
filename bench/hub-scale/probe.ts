/**
 * Watching the hub process from outside: its CPU time (utime + stime of /proc/<pid>/stat)
 * beside that of the fleet's other processes and the whole machine's, its resident memory
 * (bench/rss.ts) sampled every second, and its controller metrics (`flotilla_reconcile_total`,
 * the duration histogram's sum, the work queue depth) scraped from `/metrics`.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { rssMiB } from "../rss.js";

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
export const log = (line: string): void => console.error(`[hub-scale] ${line}`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const loadAvg = (): number[] => os.loadavg().map((l) => round(l, 2));

/** CPU time (user + system) used so far by a process, in ms; 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100
  } catch {
    return 0;
  }
}

/** What the hub's `/metrics` says about the application controller. */
export interface HubCounters {
  /** Reconciles finished, every result (success, requeue, error, terminal). */
  readonly reconciles: number;
  readonly errors: number;
  /** Sum of reconcile durations, seconds. */
  readonly durationSum: number;
  /** Keys ready in the work queue. */
  readonly depth: number;
}

const series = (text: string, name: string, extra = ""): number =>
  text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes('controller="application"'))
    .filter((l) => extra === "" || l.includes(extra))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);

/** Scrapes the hub's controller counters. */
export async function hubCounters(metricsUrl: string): Promise<HubCounters> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return {
    reconciles: series(text, "flotilla_reconcile_total"),
    errors: series(text, "flotilla_reconcile_total", 'result="error"'),
    durationSum: series(text, "flotilla_reconcile_duration_seconds_sum"),
    depth: series(text, "flotilla_workqueue_depth"),
  };
}

/** Other processes whose CPU is worth showing beside the hub's, in groups. */
export type PidGroups = Readonly<Record<string, readonly number[]>>;

/** The machine's busy and total ticks since boot (/proc/stat; idle and iowait are not busy). */
function machineTicks(): { busy: number; total: number } {
  const ticks = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/).slice(1) ?? [];
  const values = ticks.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
}

/** A point in a phase: wall time, CPU time of the hub and the groups, the counters. */
export interface Mark {
  readonly at: number;
  readonly cpuMs: number;
  readonly groupsMs: Record<string, number>;
  readonly machine: { busy: number; total: number };
  readonly counters: HubCounters;
}

export async function mark(
  hub: { pid: number; metricsUrl: string },
  groups: PidGroups = {},
): Promise<Mark> {
  const counters = await hubCounters(hub.metricsUrl);
  const groupsMs = Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [name, pids.reduce((a, p) => a + cpuMs(p), 0)]),
  );
  return {
    at: performance.now(),
    cpuMs: cpuMs(hub.pid),
    groupsMs,
    machine: machineTicks(),
    counters,
  };
}

/** Cores used by each group between two marks. */
function groupCores(from: Mark, to: Mark, seconds: number): Record<string, number> {
  return Object.fromEntries(
    Object.entries(to.groupsMs).map(([name, ms]) => [
      name,
      round((ms - (from.groupsMs[name] ?? 0)) / 1000 / Math.max(seconds, 1e-3)),
    ]),
  );
}

/** The figures of the interval between two marks. */
export function between(from: Mark, to: Mark) {
  const seconds = (to.at - from.at) / 1000;
  const cpuSeconds = (to.cpuMs - from.cpuMs) / 1000;
  const reconciles = to.counters.reconciles - from.counters.reconciles;
  return {
    seconds: round(seconds, 1),
    reconciles,
    errors: to.counters.errors - from.counters.errors,
    reconciles_per_s: round(reconciles / Math.max(seconds, 1e-3), 1),
    cpu_s: round(cpuSeconds, 1),
    cpu_cores: round(cpuSeconds / Math.max(seconds, 1e-3)),
    cpu_ms_per_reconcile: round((cpuSeconds * 1000) / Math.max(1, reconciles), 1),
    mean_reconcile_ms: round(
      ((to.counters.durationSum - from.counters.durationSum) * 1000) / Math.max(1, reconciles),
      1,
    ),
    other_cores: groupCores(from, to, seconds),
    machine_busy_pct: round(
      (100 * (to.machine.busy - from.machine.busy)) /
        Math.max(1, to.machine.total - from.machine.total),
      1,
    ),
  };
}

/**
 * Polls the counters every 200 ms until `done` says so (or `timeoutMs` passes, which
 * throws); returns the mark at which it did and the smallest queue depth seen on the way.
 */
export async function markWhen(
  hub: { pid: number; metricsUrl: string },
  groups: PidGroups,
  done: (c: HubCounters) => boolean,
  timeoutMs: number,
): Promise<{ mark: Mark; minDepth: number }> {
  const deadline = performance.now() + timeoutMs;
  let minDepth = Infinity;
  for (;;) {
    const m = await mark(hub, groups);
    if (done(m.counters)) return { mark: m, minDepth };
    minDepth = Math.min(minDepth, m.counters.depth);
    if (performance.now() > deadline)
      throw new Error(`hub counters did not get there in time: ${JSON.stringify(m.counters)}`);
    await sleep(200);
  }
}

/** Polls until no reconcile finished for `quietMs`; returns the mark where the quiet began. */
export async function markWhenQuiet(
  hub: { pid: number; metricsUrl: string },
  groups: PidGroups,
  quietMs: number,
  timeoutMs: number,
): Promise<Mark> {
  const deadline = performance.now() + timeoutMs;
  let last = await mark(hub, groups);
  for (;;) {
    await sleep(250);
    const m = await mark(hub, groups);
    if (m.counters.reconciles !== last.counters.reconciles) last = m;
    else if (m.at - last.at >= quietMs) return last;
    if (performance.now() > deadline) throw new Error("the hub never went quiet");
  }
}

/** Samples a process's RSS every second until stopped; `max()` is the largest sample. */
export function rssSampler(pid: number): { max(): number; stop(): number } {
  let max = rssMiB(pid);
  const timer = setInterval(() => (max = Math.max(max, rssMiB(pid))), 1_000);
  return {
    max: () => max,
    stop() {
      clearInterval(timer);
      return (max = Math.max(max, rssMiB(pid)));
    },
  };
}
