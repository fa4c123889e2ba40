/**
 * Measuring the agent process from outside over a window: its resident memory (VmRSS, every
 * second, bench/rss.ts), its CPU time (utime + stime of /proc/<pid>/stat), the bytes it
 * exchanged with the hub (the counting proxy) and, from its own `/metrics`, how many
 * heartbeats and report writes happened meanwhile (what the bytes were spent on).
 */
import { rssMiB } from "../rss.js";
import { cpuMs, round, sleep } from "../hub-scale/probe.js";
import type { ByteCounts, CountingProxy } from "./proxy.js";

/** The agent's own counters, scraped from its `/metrics`. */
export interface AgentCounters {
  readonly heartbeats: number;
  readonly reportWrites: number;
}

/** One reading: wall time (ms), agent CPU time (ms), proxy bytes, agent counters. */
export interface Point {
  readonly at: number;
  readonly cpuMs: number;
  readonly bytes: ByteCounts;
  readonly counters: AgentCounters;
}

export interface WindowFigures {
  readonly seconds: number;
  readonly rss_mib_mean: number;
  readonly rss_mib_max: number;
  /** Percent of one core. */
  readonly cpu_pct: number;
  /** Agent → hub, bytes per minute (TLS included). */
  readonly hub_bytes_per_min: number;
  /** Hub → agent, bytes per minute (TLS included). */
  readonly hub_bytes_from_hub_per_min: number;
  readonly heartbeats: number;
  readonly report_writes: number;
  /** TCP connections the agent opened to the hub during the window. */
  readonly hub_connections: number;
}

/** Sum of a counter's series with `result="<result>"` in Prometheus text — pure. */
export function counterValue(text: string, name: string, result: string): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(`result="${result}"`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

export async function agentCounters(metricsUrl: string): Promise<AgentCounters> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return {
    heartbeats: counterValue(text, "flotilla_agent_heartbeats_total", "ok"),
    reportWrites: counterValue(text, "flotilla_agent_report_writes_total", "written"),
  };
}

/** The figures of a window between two points, with the RSS samples taken in it — pure. */
export function windowFigures(from: Point, to: Point, rssSamples: readonly number[]) {
  const seconds = Math.max((to.at - from.at) / 1000, 1e-3);
  const perMin = (n: number): number => Math.round((n * 60) / seconds);
  const mean = rssSamples.reduce((a, b) => a + b, 0) / Math.max(1, rssSamples.length);
  const figures: WindowFigures = {
    seconds: round(seconds, 1),
    rss_mib_mean: round(mean, 1),
    rss_mib_max: round(Math.max(0, ...rssSamples), 1),
    cpu_pct: round((100 * (to.cpuMs - from.cpuMs)) / 1000 / seconds),
    hub_bytes_per_min: perMin(to.bytes.toHub - from.bytes.toHub),
    hub_bytes_from_hub_per_min: perMin(to.bytes.fromHub - from.bytes.fromHub),
    heartbeats: to.counters.heartbeats - from.counters.heartbeats,
    report_writes: to.counters.reportWrites - from.counters.reportWrites,
    hub_connections: to.bytes.connections - from.bytes.connections,
  };
  return figures;
}

/** What is watched: the agent process (pid, metrics URL) and the proxy in front of the hub. */
export interface Watched {
  readonly pid: number;
  readonly metricsUrl: string;
  readonly proxy: CountingProxy;
}

async function point(w: Watched): Promise<Point> {
  const counters = await agentCounters(w.metricsUrl);
  return { at: performance.now(), cpuMs: cpuMs(w.pid), bytes: w.proxy.counts(), counters };
}

/** Samples the agent for `seconds` (RSS every second) and returns the window's figures. */
export async function measureWindow(w: Watched, seconds: number): Promise<WindowFigures> {
  const from = await point(w);
  const samples: number[] = [rssMiB(w.pid)];
  const end = from.at + seconds * 1000;
  while (performance.now() < end) {
    await sleep(Math.min(1_000, end - performance.now()));
    samples.push(rssMiB(w.pid));
  }
  return windowFigures(from, await point(w), samples);
}
