/**
 * agent: the compiled agent (`node dist/agent/main.js`, rebuilt by `npm run build` when stale)
 * on a fresh fleet (hub `local`; member `edge-1` with 4 kwok nodes in 2 OpenYurt pools), with
 * its default timing (heartbeat 2 s, report 10 s, threshold 10 s) and the hub's real health
 * tracker watching it (bench/agent/world.ts). Phases:
 *
 * 1. idle: once the report is complete, the agent's RSS (VmRSS every second) and CPU (utime +
 *    stime) over a window (BENCH_AGENT_WINDOW_S, default 60 s);
 * 2. 1,000 nodes (BENCH_AGENT_NODES): kwok nodes added to the member in batches, split over
 *    the pools `beijing` and `shanghai`; time until the report counts them all Ready, RSS and
 *    CPU on the way, then the same window again;
 * 3. bytes to the hub: the agent's hub kubeconfig points at a counting TCP proxy in front of
 *    the hub's API server; bytes per minute each way over both windows (TLS included);
 * 4. detection: BENCH_AGENT_FAILURES (default 20) failures, rotating BENCH_AGENT_KINDS
 *    (default `kill,stop,partition`; see bench/agent/failures.ts), each timed from injection
 *    until the tracker says Unknown, then repaired until Ready.
 *
 * Targets (issue 8): detection max <= 15 s; agent <= 100 MiB RSS at 1,000 nodes (checked
 * against the process's peak, VmHWM, which includes taking the nodes in).
 * Quick check: BENCH_AGENT_FAILURES=3 BENCH_AGENT_WINDOW_S=15 npm run bench -- agent
 */
import os from "node:os";
import { EDGE, readReport } from "../test/support/agent-world.js";
import { waitFor } from "../fleet/wait.js";
import { ensureCompiledAgent } from "./agent/build.js";
import {
  detectionReport,
  FAILURE_KINDS,
  injectFailures,
  type FailureKind,
} from "./agent/failures.js";
import { addNodes } from "./agent/nodes.js";
import { measureWindow, type WindowFigures } from "./agent/sample.js";
import { log, startAgentWorld, type AgentProcess, type AgentWorld } from "./agent/world.js";
import { loadAvg, round, sleep } from "./hub-scale/probe.js";
import { peakRssMiB } from "./rss.js";

const targets = { detection_max_s: 15, agent_rss_mib_at_1000_nodes: 100 };
/** After the report is complete: let the last write and start-up work pass before a window. */
const SETTLE_MS = 10_000;

function positiveInt(name: string, fallback: number): number {
  const text = process.env[name];
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: a positive integer, got "${text}"`);
  return n;
}

function settings() {
  const kindsText = process.env.BENCH_AGENT_KINDS ?? FAILURE_KINDS.join(",");
  const kinds = kindsText.split(",").map((k) => k.trim());
  const bad = kinds.filter((k) => !(FAILURE_KINDS as readonly string[]).includes(k));
  if (bad.length > 0 || kinds.length === 0)
    throw new Error(
      `BENCH_AGENT_KINDS: comma-separated ${FAILURE_KINDS.join("|")}, got "${kindsText}"`,
    );
  return {
    failures: positiveInt("BENCH_AGENT_FAILURES", 20),
    windowS: positiveInt("BENCH_AGENT_WINDOW_S", 60),
    nodes: positiveInt("BENCH_AGENT_NODES", 1000),
    kinds: kinds as FailureKind[],
  };
}

/** Waits until the agent's report counts every node of the member Ready, then settles. */
async function reportComplete(world: AgentWorld, agent: AgentProcess): Promise<void> {
  await waitFor(
    "the agent's first complete report",
    async () => {
      const { report } = await readReport(world.fleet);
      const nodes = report?.nodes;
      return (nodes !== undefined && nodes.total > 0 && nodes.ready === nodes.total) || undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, processes: [agent.process] },
  );
  await sleep(SETTLE_MS);
}

const windowLine = (name: string, w: WindowFigures): string =>
  `${name}: agent RSS mean ${w.rss_mib_mean} MiB, max ${w.rss_mib_max} MiB, CPU ${w.cpu_pct} % ` +
  `of a core; to the hub ${w.hub_bytes_per_min} B/min, from the hub ` +
  `${w.hub_bytes_from_hub_per_min} B/min (${w.heartbeats} heartbeats, ${w.report_writes} ` +
  `report writes, ${w.hub_connections} new connections in ${w.seconds} s)`;

async function measure(world: AgentWorld, s: ReturnType<typeof settings>) {
  const first = await world.startAgent();
  const watched = (a: AgentProcess) => ({
    pid: a.pid,
    metricsUrl: a.metricsUrl,
    proxy: world.proxy,
  });
  await world.health.when("Ready", 60_000);
  await reportComplete(world, first);
  log(`idle window (${s.windowS} s)`);
  const idle = await measureWindow(watched(first), s.windowS);
  console.log(windowLine("idle", idle));
  log(`adding ${s.nodes} nodes to ${EDGE}`);
  const ingest = await addNodes(world, first, s.nodes);
  console.log(
    `${ingest.added_nodes} nodes added in ${ingest.create_s} s, all reported Ready after ` +
      `${ingest.reported_s} s (agent RSS max ${ingest.rss_mib_max} MiB, CPU ${ingest.cpu_pct} %)`,
  );
  await sleep(SETTLE_MS);
  const loaded = await measureWindow(watched(first), s.windowS);
  console.log(windowLine(`${ingest.total_nodes} nodes`, loaded));
  const peak = round(peakRssMiB(first.pid), 1);
  log(`${s.failures} failures (${s.kinds.join(", ")})`);
  const { detections } = await injectFailures(world, first, s.failures, s.kinds);
  return { idle, ingest, loaded, peak, detections };
}

export async function agentBench(): Promise<Record<string, unknown>> {
  const s = settings();
  const loadStart = loadAvg();
  log(`load average ${loadStart.join(" ")} on ${os.cpus().length} cores`);
  const compiled = ensureCompiledAgent(log);
  const world = await startAgentWorld(compiled);
  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure(world, s);
  } finally {
    await world.stop();
  }
  const detection = detectionReport(m.detections);
  console.log(
    `detection over ${detection.n} failures: p50 ${detection.p50_s} s, max ${detection.max_s} s` +
      ` (min ${detection.min_s} s, ${detection.undetected} undetected)`,
  );
  const peakAtNodes = Math.max(m.peak, m.ingest.rss_mib_max, m.loaded.rss_mib_max);
  const met = {
    detection_max_s:
      detection.undetected === 0 &&
      detection.max_s !== null &&
      detection.max_s <= targets.detection_max_s,
    agent_rss_mib_at_1000_nodes:
      s.nodes >= 1000 ? peakAtNodes <= targets.agent_rss_mib_at_1000_nodes : null,
  };
  return {
    bench: "agent",
    agent_idle_rss_mib: m.idle.rss_mib_max,
    agent_idle_cpu_pct: m.idle.cpu_pct,
    agent_1000_nodes_rss_mib: m.loaded.rss_mib_max,
    agent_1000_nodes_peak_rss_mib: peakAtNodes,
    agent_1000_nodes_cpu_pct: m.loaded.cpu_pct,
    hub_bytes_per_min_idle: m.idle.hub_bytes_per_min,
    hub_bytes_per_min_1000_nodes: m.loaded.hub_bytes_per_min,
    hub_bytes_from_hub_per_min_idle: m.idle.hub_bytes_from_hub_per_min,
    hub_bytes_from_hub_per_min_1000_nodes: m.loaded.hub_bytes_from_hub_per_min,
    detection_p50_s: detection.p50_s,
    detection_max_s: detection.max_s,
    detection,
    added_nodes: m.ingest.added_nodes,
    ingest: m.ingest,
    windows: { idle: m.idle, nodes: m.loaded },
    detections: m.detections,
    cpus: os.cpus().length,
    load_avg: { start: loadStart, end: loadAvg() },
    targets,
    met,
    targets_met: Object.values(met).every((v) => v !== false),
  };
}
