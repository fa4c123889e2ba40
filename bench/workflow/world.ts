/**
 * The workflow benchmark's world: a one-cluster fleet (the hub cluster `local`, one node; no
 * member and no gateway, since noop and suspend steps touch no member) and Flotilla's hub
 * controller as its own process (`node --import tsx hub/main.ts`, leader election on, default
 * intervals: health poll 5 s, state-keep 5 min), which `stopHub` stops (SIGTERM: it
 * releases its Lease) and `startHub` spawns again. Waits for an application's status are
 * watch.ts's. BENCH_WORKFLOW_WAIT_MS bounds each wait (default 120 s).
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { JsonObject } from "../../core/json.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";
import { startFleetHub } from "../../fleet/hub.js";
import { stopPids } from "../../fleet/processes.js";
import { NAMESPACE } from "./apps.js";
import { appWatch, type AppWatch, type Until } from "./watch.js";

export const log = (line: string): void => console.error(`[workflow] ${line}`);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const GROUP = { group: "core.oam.dev", version: "v1beta1" } as const;
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const WAIT_MS = Number(process.env.BENCH_WORKFLOW_WAIT_MS ?? 120_000);
/** BENCH_WORKFLOW_KEEP_LOGS=1 keeps the fleet's work directory (the hub's log) after the run. */
const KEEP_LOGS = process.env.BENCH_WORKFLOW_KEEP_LOGS === "1";

export interface HubHandle {
  readonly pid: number;
  readonly metricsUrl: string;
  readonly logFile: string;
  /** performance.now() when the process was spawned and when /readyz answered. */
  readonly spawnedAt: number;
  readonly readyAt: number;
  /** Date.now() at the spawn, to compare with the log's timestamps. */
  readonly spawnedAtEpochMs: number;
}

export interface World {
  readonly hub: () => HubHandle;
  /** Stops the hub process (SIGTERM, 30 s grace) and returns when it has exited. */
  stopHub(): Promise<void>;
  startHub(): Promise<HubHandle>;
  create(plural: string, body: JsonObject): Promise<void>;
  /** Merge-patches the application's status subresource. */
  patchStatus(name: string, status: JsonObject): Promise<void>;
  /** Resolves with `check`'s first defined answer for the application (throwing aborts the wait). */
  readonly until: Until;
  /** Waits settled by the backup GET rather than a watch event. */
  settledByPoll(): number;
  stop(): Promise<void>;
}

async function spawnHub(fleet: Fleet): Promise<HubHandle> {
  const spawnedAtEpochMs = Date.now();
  const spawnedAt = performance.now();
  const hub = await startFleetHub({ fleet, timeoutMs: 180_000 });
  return {
    pid: hub.process.pid,
    metricsUrl: hub.metricsUrl,
    logFile: hub.process.logFile,
    spawnedAt,
    readyAt: performance.now(),
    spawnedAtEpochMs,
  };
}

export async function startWorld(): Promise<World> {
  const binaries = await ensureBinaries({ log });
  const fleet = await startFleet({
    binaries,
    clusters: [{ name: "local", hub: true, nodes: 1, pools: [] }],
  });
  let hub: HubHandle | undefined;
  let watch: AppWatch | undefined;
  const stopHub = async (): Promise<void> => {
    if (hub !== undefined) await stopPids([hub.pid], 30_000);
    hub = undefined;
  };
  const stop = async (): Promise<void> => {
    await watch?.stop();
    await stopHub();
    await fleet.stop({ keepWorkDir: KEEP_LOGS });
    if (KEEP_LOGS) log(`logs kept in ${fleet.logDir}`);
  };
  try {
    const hubKc = kubeConfigOf(hubOf(fleet));
    const api = hubKc.makeApiClient(CustomObjectsApi);
    const startHub = async (): Promise<HubHandle> => {
      hub = await spawnHub(fleet);
      log(`hub controller pid ${hub.pid} ready in ${Math.round(hub.readyAt - hub.spawnedAt)} ms`);
      return hub;
    };
    await startHub(); // installs the CRDs the informer lists
    const w = appWatch(hubKc, WAIT_MS);
    watch = w;
    await w.start();
    return {
      hub: () => {
        if (hub === undefined) throw new Error("the hub controller is not running");
        return hub;
      },
      stopHub,
      startHub,
      async create(plural, body) {
        const namespace = (body.metadata as { namespace: string }).namespace;
        await api.createNamespacedCustomObject({ ...GROUP, plural, namespace, body });
      },
      async patchStatus(name, status) {
        await api.patchNamespacedCustomObjectStatus(
          { ...GROUP, plural: "applications", namespace: NAMESPACE, name, body: { status } },
          merge,
        );
      },
      until: w.until,
      settledByPoll: () => w.settledByPoll(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
