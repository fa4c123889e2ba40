/**
 * hub-scale: the hub controller with many applications (2 components each) over 2 member
 * clusters. Per scale (default 100 and 1,000 applications; BENCH_HUB_SCALE_APPS=100,1000,3000
 * to choose), on a fresh fleet (hub `local` + `member-1` + `member-2`), with the gateway and
 * the hub controller each in its own process:
 *
 * - time to all running: from the first create (20 in flight) until every application reports
 *   `running` for its generation (one LIST of the applications per poll);
 * - the hub process's RSS (ready, all running, peak) and CPU (cores while delivering, CPU per
 *   reconcile, idle afterwards), from /proc/<pid>;
 * - distribution latency: BENCH_HUB_SCALE_CHANGES (default 50) applications changed one at a
 *   time, from the update call returning to the new ConfigMap value seen by a watch on
 *   member-1; p50/p99;
 * - resync sweeps, read from the hub's `flotilla_reconcile_total` after a restart (see
 *   bench/hub-scale/sweeps.ts): the restart sweep (every application reconciled from an empty
 *   memory) and a state-keep sweep (every application re-applied with nothing changed).
 *
 * Targets (issue text): <= 1 GiB hub RSS at 3,000 applications, a sweep <= 2 min, p99
 * distribution <= 1 s at 100 applications. Anchor: KubeVela needed 0.5 core / 1 GiB and about
 * 10 minutes per resync sweep at 3,000 applications. A target whose scale was not run is
 * reported as null in `met`. BENCH_HUB_SCALE_CPU_PROF=<dir> writes the hub processes' V8 CPU
 * profiles there. The phases live in bench/hub-scale/.
 */
import os from "node:os";
import { CHANGES, runScale, type ScaleResult } from "./hub-scale/scale.js";
import { loadAvg, log } from "./hub-scale/probe.js";

const targets = {
  hub_rss_mib_at_3000: 1024,
  sweep_s: 120,
  distribution_p99_ms_at_100: 1000,
};

function scales(): number[] {
  const text = process.env.BENCH_HUB_SCALE_APPS ?? "100,1000";
  const counts = text.split(",").map((s) => Number(s.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_HUB_SCALE_APPS: comma-separated application counts, got "${text}"`);
  return counts;
}

/** The slower of the two sweeps (the restart sweep re-renders everything). */
const sweepS = (r: ScaleResult): number =>
  Math.max(r.sweeps.restart_sweep_s, r.sweeps.state_keep_sweep_s);

const peakRss = (r: ScaleResult): number =>
  Math.max(r.hub_rss_mib.peak, r.hub_rss_mib.sampled_max, r.sweeps.rss_peak_mib);

function met(results: readonly ScaleResult[]) {
  const at = (n: number): ScaleResult | undefined => results.find((r) => r.apps === n);
  const r3000 = at(3000);
  const r100 = at(100);
  return {
    hub_rss_mib_at_3000: r3000 === undefined ? null : peakRss(r3000) <= targets.hub_rss_mib_at_3000,
    sweep_s: results.every((r) => sweepS(r) <= targets.sweep_s),
    distribution_p99_ms_at_100:
      r100 === undefined
        ? null
        : r100.distribution.latency.p99_ms <= targets.distribution_p99_ms_at_100,
  };
}

function summaryLine(r: ScaleResult): string {
  const d = r.distribution.latency;
  const s = r.sweeps;
  return (
    `${r.apps} apps: all running in ${r.all_running_s} s (hub ${r.deliver.cpu_cores} cores, ` +
    `${r.deliver.cpu_ms_per_reconcile} ms CPU/reconcile); hub RSS ready ${r.hub_rss_mib.ready}, ` +
    `running ${r.hub_rss_mib.running}, peak ${peakRss(r)} MiB; idle ${r.idle.cpu_cores} cores (${r.idle.reconciles} reconciles in ${r.idle.seconds} s); ` +
    `distribution p50 ${d.p50_ms} ms, p99 ${d.p99_ms} ms; restart sweep ${s.restart_sweep_s} s ` +
    `(${s.restart.cpu_cores} cores), state-keep sweep ${s.state_keep_sweep_s} s ` +
    `(${s.state_keep.cpu_cores} cores, saturated ${String(s.state_keep.saturated)})`
  );
}

export async function hubScaleBench(): Promise<Record<string, unknown>> {
  const counts = scales();
  log(
    `scales ${counts.join(", ")}; load average ${loadAvg().join(" ")} on ${os.cpus().length} cores`,
  );
  const results: ScaleResult[] = [];
  for (const count of counts) {
    const result = await runScale(count);
    results.push(result);
    console.log(summaryLine(result));
  }
  const m = met(results);
  return {
    bench: "hub-scale",
    scales: results.map((r) => ({
      apps: r.apps,
      all_running_s: r.all_running_s,
      hub_rss_peak_mib: peakRss(r),
      hub_cpu_cores_delivering: r.deliver.cpu_cores,
      distribution_p50_ms: r.distribution.latency.p50_ms,
      distribution_p99_ms: r.distribution.latency.p99_ms,
      restart_sweep_s: r.sweeps.restart_sweep_s,
      state_keep_sweep_s: r.sweeps.state_keep_sweep_s,
    })),
    detail: results,
    components_per_app: 2,
    members: 2,
    changes: CHANGES,
    cpus: os.cpus().length,
    targets,
    met: m,
    within_targets: Object.values(m).every((v) => v !== false),
  };
}
