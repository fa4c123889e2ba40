/**
 * gateway: cluster-gateway's published benchmark (oam-dev/cluster-gateway, README
 * "Performance" and e2e/benchmark/configmap.go: 100 rounds of ConfigMap create → update →
 * delete against one member, direct vs through the gateway), plus 64 concurrent clients
 * listing ConfigMaps and 500 concurrent watches through the gateway.
 *
 * One fleet (hub `local` + `member-1`); the gateway runs as its own process, compiled as a
 * deployment runs it (`npm run build`, then `node dist/gateway/main.js`), so its RSS is its
 * own. member-1 is registered through its credential Secret with the token of a member-1
 * ServiceAccount bound to `cluster-admin`, the same credential the direct way uses, so
 * member-1 does the same work either way. Three ways to member-1, all with the same HTTPS client code, a bearer token and
 * one keep-alive agent each:
 *
 * - direct: member-1's kube-apiserver, with that member-1 ServiceAccount token;
 * - gateway: the standalone path, with a hub ServiceAccount token for the gateway's audience
 *   and RBAC on `clustergateways/proxy` (what the ratios compare with direct);
 * - aggregated: through the hub's aggregator (an APIService pointing at the gateway), with a
 *   hub-audience token of the same hub ServiceAccount; an extra figure. cluster-gateway's own
 *   table measured this path (its client goes through the hub).
 *
 * CRUD rounds rotate which way goes first; list throughput runs in direct/gateway/gateway/
 * direct blocks, so drift in the machine's load hits both ways alike.
 * Targets (issue 5): mean_ratio <= 1.10, p99_ratio <= 1.25, throughput_ratio >= 0.85, gateway
 * RSS <= 150 MiB holding 500 watches.
 *
 * Environment: BENCH_GATEWAY_CPU_PROF=<dir> writes a V8 CPU profile of the gateway process;
 * BENCH_GATEWAY_ENTRY=<file> runs another gateway entry point (a candidate fix, or a compiled
 * bundle: `.ts` files run with `--import tsx`, others with plain node);
 * BENCH_GATEWAY_NODE_ARGS sets the gateway process's node options (default
 * `--max-semi-space-size=2`, as docs/gateway.md recommends; "" for none);
 * BENCH_GATEWAY_MEMBER_CREDENTIAL=x509 registers member-1 with its admin certificate instead;
 * BENCH_GATEWAY_ROUNDS and BENCH_GATEWAY_WATCHES change the 100 rounds and 500 watches.
 * The phases live in bench/gateway/ (set-up, CRUD, throughput, watches).
 */
import os from "node:os";
import { crudPhase, type CrudResult } from "./gateway/crud.js";
import { setUp, tearDown, type World } from "./gateway/setup.js";
import { throughputPhase } from "./gateway/throughput.js";
import { watchPhase } from "./gateway/watches.js";
import {
  CLIENTS,
  LIST_BLOCK_MS,
  MEMBER,
  MEMBER_CREDENTIAL,
  NODE_ARGS,
  ROUNDS,
  WARMUP_ROUNDS,
  WATCHES,
  loadAvg,
  log,
  round,
  targets,
} from "./gateway/way.js";
import { peakRssMiB, rssMiB } from "./rss.js";

async function measure(world: World) {
  const { direct, gateway, aggregated } = world.ways;
  const pid = world.gateway.process.pid;
  const rssIdle = rssMiB(pid);
  const load = { start: loadAvg(), crud: [] as number[], list: [] as number[], watch: [] };
  log(`CRUD: ${WARMUP_ROUNDS} warm-up + ${ROUNDS} rounds × (create, update, delete) per way`);
  const crud = await crudPhase([direct, gateway, ...(aggregated ? [aggregated] : [])]);
  load.crud = loadAvg();
  log(`list throughput: ${CLIENTS} clients, 2 × ${LIST_BLOCK_MS / 1000} s per way`);
  const apiserver = world.fleet.cluster(MEMBER).processes.find((p) => /apiserver/.test(p.name));
  const pids = { gateway: pid, member_apiserver: apiserver?.pid ?? -1, etcd: world.fleet.etcd.pid };
  const list = await throughputPhase(direct, gateway, pids);
  load.list = loadAvg();
  const rssAfterLoad = rssMiB(pid);
  log(`watches: ${WATCHES} through the gateway`);
  const watch = await watchPhase(gateway, direct, pid);
  const loadAll = { ...load, watch: loadAvg() };
  return { crud, list, watch, load: loadAll, rssIdle, rssAfterLoad, pid, entry: world.entry };
}

function report(m: Awaited<ReturnType<typeof measure>>): Record<string, unknown> {
  const d = m.crud.get("direct") as CrudResult;
  const g = m.crud.get("gateway") as CrudResult;
  const a = m.crud.get("aggregated");
  const figures = {
    direct_mean_ms: d.ops.mean_ms,
    gateway_mean_ms: g.ops.mean_ms,
    aggregated_mean_ms: a?.ops.mean_ms ?? null,
    mean_ratio: round(g.ops.mean_ms / d.ops.mean_ms),
    direct_p99_ms: d.ops.p99_ms,
    gateway_p99_ms: g.ops.p99_ms,
    p99_ratio: round(g.ops.p99_ms / d.ops.p99_ms),
    direct_list_rps: m.list.direct.rps,
    gateway_list_rps: m.list.gateway.rps,
    throughput_ratio: round(m.list.gateway.rps / m.list.direct.rps),
    gateway_rss_mib: m.watch.rssMiB,
  };
  const met = {
    mean_ratio: figures.mean_ratio <= targets.mean_ratio,
    p99_ratio: figures.p99_ratio <= targets.p99_ratio,
    throughput_ratio: figures.throughput_ratio >= targets.throughput_ratio,
    gateway_rss_mib: figures.gateway_rss_mib <= targets.gateway_rss_mib,
    watches_all_received: m.watch.received === m.watch.watches,
  };
  return {
    bench: "gateway",
    ...figures,
    gateway_entry: m.entry,
    watches: m.watch.watches,
    watches_received: m.watch.received,
    watch_fanout_ms: m.watch.fanoutMs,
    watch_open_ms: m.watch.openMs,
    gateway_rss_idle_mib: round(m.rssIdle, 1),
    gateway_rss_after_list_mib: round(m.rssAfterLoad, 1),
    gateway_rss_peak_mib: round(peakRssMiB(m.pid), 1),
    crud: Object.fromEntries(m.crud),
    list: m.list,
    direct_credential: "member-1 ServiceAccount token (cluster-admin on member-1)",
    gateway_credential: "hub ServiceAccount token (gateway audience, RBAC on clustergateways)",
    gateway_member_credential:
      MEMBER_CREDENTIAL === "x509"
        ? "member-1 admin certificate"
        : "the same member-1 ServiceAccount token",
    gateway_node_args: NODE_ARGS,
    load_avg: m.load,
    cpus: os.cpus().length,
    targets,
    met,
    within_targets: Object.values(met).every(Boolean),
  };
}

function printFigures(r: Record<string, unknown>): void {
  console.log(
    `CRUD per op: direct ${String(r.direct_mean_ms)} ms, gateway ${String(r.gateway_mean_ms)} ms` +
      ` (×${String(r.mean_ratio)}), aggregated ${String(r.aggregated_mean_ms)} ms;` +
      ` p99 direct ${String(r.direct_p99_ms)} ms, gateway ${String(r.gateway_p99_ms)} ms (×${String(r.p99_ratio)})`,
  );
  console.log(
    `list with ${CLIENTS} clients: direct ${String(r.direct_list_rps)}/s, gateway ${String(r.gateway_list_rps)}/s (×${String(r.throughput_ratio)})`,
  );
  console.log(
    `watches: ${String(r.watches_received)}/${String(r.watches)} got the event in ${String(r.watch_fanout_ms)} ms; gateway RSS ${String(r.gateway_rss_mib)} MiB (idle ${String(r.gateway_rss_idle_mib)}, peak ${String(r.gateway_rss_peak_mib)})`,
  );
}

export async function gatewayBench(): Promise<Record<string, unknown>> {
  log(`load average ${loadAvg().join(" ")} on ${os.cpus().length} cores`);
  const world = await setUp();
  let result: Record<string, unknown>;
  try {
    result = report(await measure(world));
  } finally {
    await tearDown(world);
  }
  printFigures(result);
  return result;
}
