/** List throughput: concurrent clients listing ConfigMaps, with the CPU each process spends. */
import { readFileSync } from "node:fs";
import * as s from "../../test/support/gateway-world.js";
import { summarize } from "../stats.js";
import { CLIENTS, LIST_BLOCK_MS, LIST_NS, round, type Way } from "./way.js";

export interface CpuPids {
  readonly gateway: number;
  readonly member_apiserver: number;
  readonly etcd: number;
}

/** CPU ms used so far by each process of interest, and the machine's busy/total ticks. */
function cpuSample(pids: CpuPids): { ms: Record<string, number>; busy: number; total: number } {
  const procMs = (pid: number): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, USER_HZ
    } catch {
      return 0;
    }
  };
  const self = process.cpuUsage();
  const ms: Record<string, number> = { client: (self.user + self.system) / 1000 };
  for (const [name, pid] of Object.entries(pids) as Array<[string, number]>) ms[name] = procMs(pid);
  const ticks = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/).slice(1) ?? [];
  const values = ticks.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { ms, busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
}

interface LoadTally {
  requests: number;
  errors: number;
  ms: number;
  latencies: number[];
  cpuMs: Record<string, number>;
  busy: number;
  total: number;
}

const newTally = (): LoadTally => ({
  requests: 0,
  errors: 0,
  ms: 0,
  latencies: [],
  cpuMs: {},
  busy: 0,
  total: 0,
});

/** `CLIENTS` concurrent loops of GET list for `ms`; adds into `tally`. */
async function listLoad(w: Way, ms: number, tally: LoadTally, pids: CpuPids): Promise<void> {
  const listPath = `${w.prefix}/api/v1/namespaces/${LIST_NS}/configmaps`;
  const before = cpuSample(pids);
  const start = performance.now();
  const deadline = start + ms;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t = performance.now();
      const reply = await s.call(w.base, w.caPem, listPath, { token: w.token, agent: w.agent });
      tally.latencies.push(performance.now() - t);
      if (reply.status === 200) tally.requests++;
      else tally.errors++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  tally.ms += performance.now() - start;
  const after = cpuSample(pids);
  for (const [name, used] of Object.entries(after.ms))
    tally.cpuMs[name] = (tally.cpuMs[name] ?? 0) + used - (before.ms[name] ?? 0);
  tally.busy += after.busy - before.busy;
  tally.total += after.total - before.total;
}

function loadFigures(t: LoadTally) {
  return {
    requests: t.requests,
    errors: t.errors,
    rps: round((t.requests / t.ms) * 1000, 1),
    latency: summarize(t.latencies),
    cpu_ms_per_request: Object.fromEntries(
      Object.entries(t.cpuMs).map(([name, ms]) => [name, round(ms / Math.max(1, t.requests))]),
    ),
    machine_busy_pct: round((100 * t.busy) / Math.max(1, t.total), 1),
  };
}

export async function throughputPhase(direct: Way, gateway: Way, pids: CpuPids) {
  await listLoad(gateway, 2_000, newTally(), pids); // opens the sockets on both hops
  await listLoad(direct, 2_000, newTally(), pids);
  const tallies = { direct: newTally(), gateway: newTally() };
  for (const w of [direct, gateway, gateway, direct]) {
    await listLoad(w, LIST_BLOCK_MS, tallies[w.name as "direct" | "gateway"], pids);
  }
  return { direct: loadFigures(tallies.direct), gateway: loadFigures(tallies.gateway) };
}

// ---- 500 watches through the gateway ----
