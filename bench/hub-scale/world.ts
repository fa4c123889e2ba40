/**
 * The hub-scale benchmark's world, as test/hub/hub-support.ts builds it but with the hub in
 * its own process: a fleet (hub `local`, `member-1`, `member-2`, one node each), the gateway
 * process registered on the hub as the aggregated APIService, both members joined, and the
 * hub controller started by `startFleetHub` (`node --import tsx hub/main.ts --metrics-port …`).
 * BENCH_HUB_SCALE_CPU_PROF=<dir> makes each hub process write a V8 CPU profile there when it
 * stops (cpu-profile.js, preloaded through NODE_OPTIONS, which only the hub process gets);
 * BENCH_HUB_SCALE_HEAP_SNAPSHOT=<dir> takes a heap snapshot of the first hub once all its
 * figures are read; BENCH_HUB_SCALE_HUB_ARGS adds hub flags.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { KubeConfig } from "@kubernetes/client-node";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import {
  hubOf,
  kubeConfigOf,
  memberRecord,
  startFleetGateway,
  type FleetGateway,
} from "../../fleet/gateway.js";
import { startFleetHub } from "../../fleet/hub.js";
import { stopPids } from "../../fleet/processes.js";
import { log, sleep, type PidGroups } from "./probe.js";

export const MEMBERS = ["member-1", "member-2"] as const;
/** Extra hub flags for every hub process (e.g. `--workers 8`), from BENCH_HUB_SCALE_HUB_ARGS. */
export const HUB_ARGS = (process.env.BENCH_HUB_SCALE_HUB_ARGS ?? "").split(" ").filter(Boolean);

export interface HubProcess {
  readonly pid: number;
  readonly metricsUrl: string;
  readonly logFile: string;
  /** When the process was spawned (performance.now()). */
  readonly spawnedAt: number;
  stop(): Promise<void>;
}

export interface World {
  readonly fleet: Fleet;
  readonly gateway: FleetGateway;
  readonly hubKc: KubeConfig;
  /** The fleet's processes and the gateway, grouped for CPU figures. */
  readonly groups: PidGroups;
  member(name: string): KubeConfig;
  stop(): Promise<void>;
}

function pidGroups(fleet: Fleet, gateway: FleetGateway): PidGroups {
  const processes = fleet.clusters.flatMap((c) => c.processes);
  const apiservers = processes.filter((p) => p.name.endsWith("kube-apiserver"));
  return {
    gateway: [gateway.process.pid],
    apiservers: apiservers.map((p) => p.pid),
    etcd: [fleet.etcd.pid],
    rest_of_fleet: processes.filter((p) => !apiservers.includes(p)).map((p) => p.pid),
  };
}

export async function startWorld(): Promise<World> {
  const binaries = await ensureBinaries({ log });
  const fleet = await startFleet({
    binaries,
    clusters: [
      { name: "local", hub: true, nodes: 1, pools: [] },
      ...MEMBERS.map((name) => ({ name, hub: false, nodes: 1, pools: [] })),
    ],
  });
  try {
    const gateway = await startFleetGateway({ fleet, register: true });
    const hubKc = kubeConfigOf(hubOf(fleet));
    const registry = clusterRegistry({ hub: hubKc });
    for (const name of MEMBERS) await registry.create(memberRecord(fleet.cluster(name)));
    return {
      fleet,
      gateway,
      hubKc,
      groups: pidGroups(fleet, gateway),
      member: (name) => kubeConfigOf(fleet.cluster(name)),
      async stop() {
        await gateway.stop();
        await fleet.stop();
      },
    };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

const profiler = path.join(import.meta.dirname, "cpu-profile.js");
const HEAP_SNAPSHOT_DIR =
  process.env.BENCH_HUB_SCALE_HEAP_SNAPSHOT === undefined
    ? undefined
    : path.resolve(process.env.BENCH_HUB_SCALE_HEAP_SNAPSHOT);

/**
 * NODE_OPTIONS for the hub process: the profiling preload when BENCH_HUB_SCALE_CPU_PROF is
 * set; a heap snapshot on SIGUSR2 into BENCH_HUB_SCALE_HEAP_SNAPSHOT when that is set.
 */
function hubNodeOptions(): string | undefined {
  const options = [process.env.NODE_OPTIONS ?? ""];
  if (process.env.BENCH_HUB_SCALE_CPU_PROF !== undefined)
    options.push(`--import ${pathToFileURL(profiler).href}`);
  if (HEAP_SNAPSHOT_DIR !== undefined)
    options.push(`--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${HEAP_SNAPSHOT_DIR}`);
  return options.length === 1 ? undefined : options.join(" ").trim();
}

/**
 * Writes a heap snapshot of the hub process (when BENCH_HUB_SCALE_HEAP_SNAPSHOT is set) and
 * waits until the file stops growing. It doubles the process's memory for a while, so it is
 * taken after the RSS figures were read.
 */
export async function heapSnapshot(hub: HubProcess): Promise<void> {
  const dir = HEAP_SNAPSHOT_DIR;
  if (dir === undefined) return;
  const mine = (): string[] =>
    readdirSync(dir).filter((f) => f.endsWith(".heapsnapshot") && f.includes(`.${hub.pid}.`));
  const before = new Set(mine());
  process.kill(hub.pid, "SIGUSR2");
  let size = -1;
  for (const deadline = performance.now() + 600_000; performance.now() < deadline;) {
    await sleep(2_000);
    const file = mine().find((f) => !before.has(f));
    if (file === undefined) continue;
    const now = statSync(path.join(dir, file)).size;
    if (now === size) return log(`heap snapshot ${path.join(dir, file)}`);
    size = now;
  }
  log("no heap snapshot appeared within 10 minutes");
}

/**
 * Starts the hub controller (leader election on, its default, as deployed) with `--state-keep-interval
 * <stateKeep>` and waits for `/readyz` (every informer has listed).
 */
export async function startHubProcess(world: World, stateKeep: string): Promise<HubProcess> {
  if (HEAP_SNAPSHOT_DIR !== undefined) mkdirSync(HEAP_SNAPSHOT_DIR, { recursive: true });
  const spawnedAt = performance.now();
  const nodeOptions = hubNodeOptions();
  const saved = process.env.NODE_OPTIONS;
  if (nodeOptions !== undefined) process.env.NODE_OPTIONS = nodeOptions;
  let hub;
  try {
    hub = await startFleetHub({
      fleet: world.fleet,
      args: ["--state-keep-interval", stateKeep, ...HUB_ARGS],
      timeoutMs: 180_000,
    });
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
  const pid = hub.process.pid;
  log(`hub controller pid ${pid} ready (state-keep ${stateKeep}), metrics ${hub.metricsUrl}`);
  return {
    pid,
    metricsUrl: hub.metricsUrl,
    logFile: hub.process.logFile,
    spawnedAt,
    // A long grace period: the hub releases its Lease and writes its CPU profile on SIGTERM.
    stop: () => stopPids([pid], 30_000),
  };
}
