/**
 * gateway: cluster-gateway's published benchmark (oam-dev/cluster-gateway, README
 * "Performance" and e2e/benchmark/configmap.go: 100 rounds of ConfigMap create → update →
 * delete against one member, direct vs through the gateway), plus 64 concurrent clients
 * listing ConfigMaps and 500 concurrent watches through the gateway.
 *
 * One fleet (hub `local` + `member-1`); the gateway runs as its own process (`node --import
 * tsx gateway/main.ts`, what `npx tsx gateway/main.ts` runs), so its RSS is its own. member-1
 * is registered through its credential Secret with the token of a member-1 ServiceAccount bound
 * to `cluster-admin`, the same credential the direct way uses, so member-1 does the same work
 * either way. Three ways to member-1, all with the same HTTPS client code, a bearer token and
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
 * BENCH_GATEWAY_NODE_ARGS adds node options to the gateway process only;
 * BENCH_GATEWAY_MEMBER_CREDENTIAL=x509 registers member-1 with its admin certificate instead;
 * BENCH_GATEWAY_ROUNDS and BENCH_GATEWAY_WATCHES change the 100 rounds and 500 watches.
 */
import https from "node:https";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { registerApiService, waitApiServiceAvailable } from "../gateway/apiservice.js";
import { ensureBinaries } from "../test/fleet/build/binaries.js";
import type { ClusterRecord } from "../core/cluster/types.js";
import { startFleet, type Fleet } from "../test/fleet/fleet.js";
import type { ServingCertificate } from "../test/fleet/pki.js";
import { freePorts } from "../test/fleet/ports.js";
import { startProcess, stopPids, type StartedProcess } from "../test/fleet/processes.js";
import { waitFor } from "../test/fleet/wait.js";
import { openWatch, type OpenWatch } from "../test/gateway/streams.js";
import * as s from "../test/gateway/support.js";
import { rssMiB } from "./rss.js";

const MEMBER = "member-1";
const SA_NAMESPACE = "bench";
const SA_NAME = "client";
const CRUD_NS = "bench-crud";
const LIST_NS = "bench-list";
const WATCH_NS = "bench-watch";

const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 100);
const WARMUP_ROUNDS = 10;
const CLIENTS = 64;
const LIST_BLOCK_MS = 5_000;
const WATCHES = Number(process.env.BENCH_GATEWAY_WATCHES ?? 500);

const MEMBER_CREDENTIAL = process.env.BENCH_GATEWAY_MEMBER_CREDENTIAL === "x509" ? "x509" : "token";
const NODE_ARGS = (process.env.BENCH_GATEWAY_NODE_ARGS ?? "").split(" ").filter(Boolean);

const targets = { mean_ratio: 1.1, p99_ratio: 1.25, throughput_ratio: 0.85, gateway_rss_mib: 150 };

/** One way to member-1: where to send, whom to trust, which token, and the path prefix. */
interface Way {
  readonly name: "direct" | "gateway" | "aggregated";
  readonly base: string;
  readonly caPem: string;
  readonly token: string;
  /** "" for member-1 itself, the clustergateways proxy path otherwise. */
  readonly prefix: string;
  readonly agent: https.Agent;
}

const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
const log = (line: string): void => console.error(`[gateway-bench] ${line}`);
const loadAvg = (): number[] => os.loadavg().map((l) => round(l, 2));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function way(name: Way["name"], base: string, caPem: string, token: string): Way {
  const prefix = name === "direct" ? "" : s.proxied(MEMBER, "");
  return { name, base, caPem, token, prefix, agent: new https.Agent({ keepAlive: true }) };
}

/** One request on `way` with an optional JSON body; throws unless the status is `expect`. */
async function send(
  w: Way,
  method: string,
  urlPath: string,
  request: { expect: number; body?: unknown },
): Promise<s.Reply> {
  const reply = await s.call(w.base, w.caPem, `${w.prefix}${urlPath}`, {
    method,
    token: w.token,
    agent: w.agent,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  if (reply.status !== request.expect)
    throw new Error(`${w.name} ${method} ${urlPath}: HTTP ${reply.status}: ${reply.text}`);
  return reply;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

// ---- statistics ----

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

interface Summary {
  readonly n: number;
  readonly mean_ms: number;
  readonly sd_ms: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
}

function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  const variance = sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, sorted.length - 1);
  return {
    n: sorted.length,
    mean_ms: round(mean),
    sd_ms: round(Math.sqrt(variance)),
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(percentile(sorted, 0.99)),
    min_ms: round(sorted[0] ?? 0),
    max_ms: round(sorted.at(-1) ?? 0),
  };
}

// ---- CRUD: cluster-gateway's create → update → delete ----

interface ConfigMapJson {
  metadata: { name: string };
  data?: Record<string, string>;
}

/** One round: create, update, delete of one ConfigMap; the three times in ms. */
async function crudRound(w: Way, name: string): Promise<number[]> {
  const collection = `/api/v1/namespaces/${CRUD_NS}/configmaps`;
  const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { version: "1" } };
  const created = await timed(() => send(w, "POST", collection, { expect: 201, body }));
  const object = created.value.json<ConfigMapJson>();
  object.data = { version: "2" };
  const item = `${collection}/${name}`;
  const updated = await timed(() => send(w, "PUT", item, { expect: 200, body: object }));
  const deleted = await timed(() => send(w, "DELETE", item, { expect: 200 }));
  return [created.ms, updated.ms, deleted.ms];
}

interface CrudResult {
  readonly ops: Summary;
  readonly byOp: Record<"create" | "update" | "delete", Summary>;
  /** Per round (create + update + delete), as cluster-gateway's table. */
  readonly rounds: Summary;
}

/** Warm-up rounds, then `ROUNDS` timed rounds; each round rotates which way goes first. */
async function crudPhase(ways: readonly Way[]): Promise<Map<string, CrudResult>> {
  const samples = new Map(ways.map((w) => [w.name, [] as number[][]]));
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const order = [...ways.slice(r % ways.length), ...ways.slice(0, r % ways.length)];
    for (const w of order) {
      const times = await crudRound(w, `cgw-${w.name}-${r}`);
      if (r >= WARMUP_ROUNDS) samples.get(w.name)?.push(times);
    }
  }
  const result = new Map<string, CrudResult>();
  for (const [name, rounds] of samples) {
    const column = (i: number): number[] => rounds.map((t) => t[i] ?? 0);
    result.set(name, {
      ops: summarize(rounds.flat()),
      byOp: {
        create: summarize(column(0)),
        update: summarize(column(1)),
        delete: summarize(column(2)),
      },
      rounds: summarize(rounds.map((t) => t.reduce((a, b) => a + b, 0))),
    });
  }
  return result;
}

// ---- throughput: 64 concurrent clients listing ConfigMaps ----

/** Processes whose CPU time is counted during the list blocks (the client is this process). */
interface CpuPids {
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

async function throughputPhase(direct: Way, gateway: Way, pids: CpuPids) {
  await listLoad(gateway, 2_000, newTally(), pids); // opens the sockets on both hops
  await listLoad(direct, 2_000, newTally(), pids);
  const tallies = { direct: newTally(), gateway: newTally() };
  for (const w of [direct, gateway, gateway, direct]) {
    await listLoad(w, LIST_BLOCK_MS, tallies[w.name as "direct" | "gateway"], pids);
  }
  return { direct: loadFigures(tallies.direct), gateway: loadFigures(tallies.gateway) };
}

// ---- 500 watches through the gateway ----

/** VmHWM (peak RSS) of a process in MiB. */
function peakRssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function openWatches(w: Way, resourceVersion: string): Promise<OpenWatch[]> {
  const url = `${w.base}${w.prefix}/api/v1/namespaces/${WATCH_NS}/configmaps?watch=true&resourceVersion=${resourceVersion}`;
  const watches: OpenWatch[] = [];
  for (let i = 0; i < WATCHES; i += 50) {
    const batch = Math.min(50, WATCHES - i);
    watches.push(
      ...(await Promise.all(Array.from({ length: batch }, () => openWatch(url, w.caPem, w.token)))),
    );
  }
  return watches;
}

async function watchPhase(gateway: Way, direct: Way, gatewayPid: number) {
  const list = await send(gateway, "GET", `/api/v1/namespaces/${WATCH_NS}/configmaps`, {
    expect: 200,
  });
  const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const opened = await timed(() => openWatches(gateway, rv));
  const watches = opened.value;
  log(`${watches.length} watches open in ${Math.round(opened.ms)} ms`);
  try {
    await sleep(1_000);
    const rssOpen = rssMiB(gatewayPid);
    const name = "watched";
    const created = performance.now();
    await send(direct, "POST", `/api/v1/namespaces/${WATCH_NS}/configmaps`, {
      expect: 201,
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name } },
    });
    const results = await Promise.allSettled(
      watches.map((wt) => wt.next((e) => e.object.metadata?.name === name, 30_000)),
    );
    const fanoutMs = performance.now() - created;
    const received = results.filter((r) => r.status === "fulfilled").length;
    const samples: number[] = [rssOpen];
    for (let i = 0; i < 3; i++) {
      await sleep(1_000);
      samples.push(rssMiB(gatewayPid));
    }
    return {
      watches: watches.length,
      received,
      fanoutMs: round(fanoutMs, 1),
      openMs: Math.round(opened.ms),
      rssMiB: round(Math.max(...samples), 1),
    };
  } finally {
    for (const wt of watches) wt.close();
  }
}

// ---- set-up ----

interface World {
  readonly fleet: Fleet;
  readonly hub: KubeConfig;
  readonly member: KubeConfig;
  readonly tls: ServingCertificate;
  readonly gatewayProcess: StartedProcess;
  /** The gateway's entry point, relative to the repository. */
  readonly entry: string;
  readonly ways: { direct: Way; gateway: Way; aggregated?: Way };
}

/** Namespaces on member-1, and 20 small ConfigMaps to list. */
async function prepareMember(member: KubeConfig): Promise<void> {
  for (const ns of [CRUD_NS, LIST_NS, WATCH_NS]) await s.ensureNamespace(member, ns);
  const core = member.makeApiClient(CoreV1Api);
  for (let i = 0; i < 20; i++) {
    await core.createNamespacedConfigMap({
      namespace: LIST_NS,
      body: { metadata: { name: `list-${i}` }, data: { index: String(i), text: "x".repeat(200) } },
    });
  }
}

const repoRoot = path.join(import.meta.dirname, "..");
const entry = path.resolve(
  process.env.BENCH_GATEWAY_ENTRY ?? path.join(repoRoot, "gateway", "main.ts"),
);

/** Starts the gateway (`gateway/main.ts`) in its own node process and waits for `/readyz`. */
async function startGatewayProcess(
  fleet: Fleet,
  tls: ServingCertificate,
  port: number,
): Promise<StartedProcess> {
  const profDir = process.env.BENCH_GATEWAY_CPU_PROF;
  const proc = startProcess({
    name: "gateway",
    command: process.execPath,
    args: [
      ...(profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`]),
      ...NODE_ARGS,
      ...(entry.endsWith(".ts") ? ["--import", "tsx"] : []),
      entry,
      ...["--kubeconfig", fleet.cluster("local").kubeconfigFile],
      ...["--tls-cert-file", tls.serving.certFile, "--tls-key-file", tls.serving.keyFile],
      ...["--port", String(port), "--audience", s.AUDIENCE],
    ],
    logDir: fleet.logDir,
  });
  const url = `https://127.0.0.1:${port}`;
  await waitFor(
    "the gateway's /readyz",
    async () => ((await s.call(url, tls.ca.cert, "/readyz")).status === 200 ? true : undefined),
    { timeoutMs: 60_000, processes: [proc] },
  );
  return proc;
}

/** The aggregated path, or undefined (with a message) when the hub does not make it Available. */
async function aggregatedWay(hub: KubeConfig, fleet: Fleet, tls: ServingCertificate, port: number) {
  try {
    await registerApiService(hub, { port, caBundlePem: tls.ca.cert });
    await waitApiServiceAvailable(hub, { timeoutMs: 90_000 });
  } catch (error) {
    log(`aggregated path skipped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const token = await s.serviceAccountToken(hub, SA_NAMESPACE, SA_NAME);
  const local = fleet.cluster("local");
  return way("aggregated", local.server, local.caPem, token);
}

/**
 * member-1 as the gateway reaches it: by default with the same ServiceAccount token the direct
 * way uses, so member-1 does the same work either way; with
 * BENCH_GATEWAY_MEMBER_CREDENTIAL=x509, with its admin certificate (the integration test's
 * registration; kube-apiserver then verifies the certificate chain on every request).
 */
function memberRecord(fleet: Fleet, memberToken: string): ClusterRecord {
  const m = fleet.cluster(MEMBER);
  if (MEMBER_CREDENTIAL === "x509") return s.adminRecord(m);
  return {
    name: MEMBER,
    endpoint: m.server,
    caPem: m.caPem,
    credential: { type: "ServiceAccountToken", token: memberToken },
    labels: {},
  };
}

async function setUp(): Promise<World> {
  const binaries = await ensureBinaries({ log });
  log("starting the fleet (local + member-1)");
  const fleet = await startFleet({
    binaries,
    clusters: [{ name: "local", hub: true }, { name: MEMBER }],
  });
  try {
    const hub = s.kubeConfigOf(fleet.cluster("local"));
    const member = s.kubeConfigOf(fleet.cluster(MEMBER));
    await prepareMember(member);
    const memberToken = await s.serviceAccountToken(member, SA_NAMESPACE, SA_NAME);
    await s.bindClusterRole(member, SA_NAMESPACE, SA_NAME, "cluster-admin");
    await s.registerCluster(hub, memberRecord(fleet, memberToken));
    const gatewayToken = await s.serviceAccountToken(hub, SA_NAMESPACE, SA_NAME, [s.AUDIENCE]);
    await s.allowClusterGateways(hub, SA_NAMESPACE, SA_NAME);
    const tls = await s.gatewayServingCertificate(fleet.workDir);
    const [port] = (await freePorts(1, new Set(fleet.ports()))) as [number];
    log(`starting the gateway process on port ${port}`);
    const gatewayProcess = await startGatewayProcess(fleet, tls, port);
    const m = fleet.cluster(MEMBER);
    const ways = {
      direct: way("direct", m.server, m.caPem, memberToken),
      gateway: way("gateway", `https://127.0.0.1:${port}`, tls.ca.cert, gatewayToken),
      aggregated: await aggregatedWay(hub, fleet, tls, port),
    };
    return { fleet, hub, member, tls, gatewayProcess, entry: path.relative(repoRoot, entry), ways };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

async function tearDown(world: World): Promise<void> {
  for (const w of Object.values(world.ways)) w?.agent.destroy();
  await stopPids([world.gatewayProcess.pid], 10_000);
  await world.fleet.stop();
}

// ---- the benchmark ----

async function measure(world: World) {
  const { direct, gateway, aggregated } = world.ways;
  const pid = world.gatewayProcess.pid;
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
