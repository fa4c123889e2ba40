/**
 * `createClusterHealth`: the hub's per-cluster health, kept current from informers on the
 * registry Secrets, the agents' heartbeat Leases and the ClusterReports (the I/O edge around
 * the pure state machine in state.ts).
 *
 * - A cluster is judged again when its Lease or ClusterReport changes, when the registry
 *   changes, and when its verdict's `nextCheckAt` comes (one timer on the injected clock, for
 *   the earliest such time, rounded up to `CHECK_RESOLUTION_MS` so a large fleet's heartbeats
 *   do not wake it more than twice a second).
 * - A heartbeat counts from the moment the hub sees `renewTime` change, by the hub's clock (so
 *   agent clock skew does not matter), except for the first sighting after hub start, which
 *   counts from `renewTime` itself: a Lease that stopped long ago makes its cluster Unknown at
 *   once instead of looking alive for a grace period after every hub restart.
 * - `onChange(cluster)` is called when a cluster's state or reason, or its NodePools, change.
 * - The `Ready` condition is merge-patched onto the ClusterReport's status when it differs
 *   from the stored one. A missing ClusterReport is logged and written once it appears; a
 *   failed write is retried with backoff.
 */
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf } from "../../core/cluster/kube.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import { createKeyedBackoff } from "../../core/controller/backoff.js";
import type { Clock, TimerHandle } from "../../core/controller/clock.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import { conditionsToWrite, previousFromConditions, readyCondition } from "./conditions.js";
import {
  CLUSTER_REPORT,
  conditionsOf,
  HEALTH_NAMESPACE,
  heartbeatOf,
  reportOf,
} from "./contract.js";
import type { NodePoolReport } from "../../core/cluster/agent-contract.js";
import { createHealthSources } from "./sources.js";
import {
  advanceHealth,
  evaluateHealth,
  healthTiming,
  localHealth,
  reportFacts,
  type ClusterHealth,
  type HealthTiming,
} from "./state.js";

/** Timers fire on multiples of this (ms): detection is late by at most this much. */
export const CHECK_RESOLUTION_MS = 500;

export interface ClusterHealthOptions {
  readonly hub: KubeConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** A cluster's state or NodePools changed (also called once per cluster when first judged). */
  readonly onChange: (cluster: string) => void;
  /** Heartbeat interval, grace and startup grace; defaults in state.ts. */
  readonly options?: Partial<HealthTiming>;
  /**
   * Registered cluster names from the caller's own registry view (synced before `start`);
   * the caller calls `registryChanged()` when it changes. Default: a Secret informer here.
   */
  readonly registry?: () => readonly string[];
}

export interface ClusterHealthTracker {
  /** Starts the informers (resolves after their first lists) and judges every cluster. */
  start(): Promise<void>;
  /** Stops the informers and timers. Idempotent. */
  stop(): Promise<void>;
  /** True once every informer has listed. */
  synced(): boolean;
  /** With the `registry` option: the registered clusters changed. */
  registryChanged(): void;
  /** The health of `cluster` (`local` included); undefined for an unregistered cluster. */
  health(cluster: string): ClusterHealth | undefined;
  /** `local`, then every registered cluster by name. */
  all(): ClusterHealth[];
  /** The cluster's NodePools from its agent's report; undefined when it has not reported. */
  pools(cluster: string): NodePoolReport[] | undefined;
}

interface Memory {
  readonly firstSeenAt: number;
  heartbeat?: { renewTime: string; at: number };
  health?: ClusterHealth;
  poolsKey?: string;
  /** The condition last sent (or in flight) and not yet seen in the cache. */
  sent?: string;
  missingLogged?: boolean;
}

export function createClusterHealth(options: ClusterHealthOptions): ClusterHealthTracker {
  const { clock, log } = options;
  const timing = healthTiming(options.options);
  const startedAt = clock.now();
  const memory = new Map<string, Memory>();
  const retries = createKeyedBackoff({ baseMs: 1_000, maxMs: 30_000 });
  const api = options.hub.makeApiClient(CustomObjectsApi);
  const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
  const state = { running: false, stopped: false };
  const timers = new Set<TimerHandle>();
  let check: { handle: TimerHandle; due: number } | undefined;

  const sources = createHealthSources({
    hub: options.hub,
    clock,
    log,
    onCluster: (cluster) => {
      if (state.running) evaluate(cluster);
    },
    onRegistry: () => {
      if (state.running) syncRegistry();
    },
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  });

  function syncRegistry(): void {
    const registered = new Set(sources.clusters());
    for (const cluster of memory.keys()) {
      if (registered.has(cluster)) continue;
      memory.delete(cluster);
      options.onChange(cluster);
    }
    for (const cluster of registered) {
      if (cluster === LOCAL_CLUSTER) continue;
      if (!memory.has(cluster)) memory.set(cluster, { firstSeenAt: clock.now() });
      evaluate(cluster);
    }
  }

  /** Records a changed renewTime (see the module comment for which time it counts from). */
  function observeHeartbeat(cluster: string, mem: Memory, now: number): void {
    const beat = heartbeatOf(sources.lease(cluster));
    if (beat === undefined || beat.renewTime === mem.heartbeat?.renewTime) return;
    const at = mem.heartbeat === undefined ? Math.min(now, beat.renewedAt) : now;
    mem.heartbeat = { renewTime: beat.renewTime, at };
  }

  /** The cluster's health now, from the caches and what the hub remembers of it. */
  function judge(cluster: string, mem: Memory, now: number): ClusterHealth {
    const object = sources.report(cluster);
    const before = mem.health ?? previousFromConditions(conditionsOf(object));
    const verdict = evaluateHealth(
      {
        heartbeatAt: mem.heartbeat?.at,
        ...reportFacts(reportOf(object)),
        since: mem.firstSeenAt,
        now,
        previous: before?.state,
      },
      timing,
    );
    return advanceHealth(cluster, before, verdict, now);
  }

  function evaluate(cluster: string): void {
    const mem = memory.get(cluster);
    if (mem === undefined || state.stopped) return;
    const now = clock.now();
    observeHeartbeat(cluster, mem, now);
    const next = judge(cluster, mem, now);
    const poolsKey = JSON.stringify(reportOf(sources.report(cluster))?.nodePools ?? null);
    const was = mem.health;
    const changed =
      was?.state !== next.state || was.reason !== next.reason || mem.poolsKey !== poolsKey;
    mem.health = next;
    mem.poolsKey = poolsKey;
    schedule(next.nextCheckAt);
    if (changed) {
      log.info("cluster health", { cluster, state: next.state, reason: next.reason });
      options.onChange(cluster);
    }
    writeCondition(cluster, mem);
  }

  function writeCondition(cluster: string, mem: Memory): void {
    const object = sources.report(cluster);
    if (object === undefined || mem.health === undefined) {
      if (!mem.missingLogged) log.info("cluster health: no ClusterReport yet", { cluster });
      mem.missingLogged = true;
      mem.sent = undefined;
      return;
    }
    mem.missingLogged = false;
    const desired = readyCondition(mem.health, object.metadata?.generation);
    const conditions = conditionsToWrite(conditionsOf(object), desired);
    const key = JSON.stringify(desired);
    if (conditions === undefined) mem.sent = undefined;
    if (conditions === undefined || mem.sent === key) return;
    mem.sent = key;
    void patchConditions(cluster, conditions).then(
      () => retries.forget(cluster),
      (error: unknown) => onWriteError(cluster, mem, error),
    );
  }

  function patchConditions(cluster: string, conditions: unknown[]): Promise<unknown> {
    const { group, version, plural } = CLUSTER_REPORT;
    const body = { status: { conditions } };
    const where = { group, version, plural, namespace: HEALTH_NAMESPACE, name: cluster };
    return api.patchNamespacedCustomObjectStatus({ ...where, body }, mergePatch);
  }

  function onWriteError(cluster: string, mem: Memory, error: unknown): void {
    mem.sent = undefined;
    if (state.stopped) return;
    // A ClusterReport deleted meanwhile is written again when it is re-created.
    if (apiStatusOf(error) === 404) return;
    const inMs = retries.next(cluster);
    log.warn("cluster health: writing the Ready condition failed; retrying", {
      cluster,
      error: errorText(error),
      inMs,
    });
    after(inMs, () => evaluate(cluster));
  }

  function after(ms: number, fn: () => void): void {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
  }

  /** Makes sure a check runs at `at` (rounded up to the resolution) or earlier. */
  function schedule(at: number | undefined): void {
    if (at === undefined || state.stopped) return;
    const due = Math.ceil(at / CHECK_RESOLUTION_MS) * CHECK_RESOLUTION_MS;
    if (check !== undefined && check.due <= due) return;
    if (check !== undefined) clock.clearTimeout(check.handle);
    check = { due, handle: clock.setTimeout(runChecks, due - clock.now()) };
  }

  function runChecks(): void {
    check = undefined;
    const now = clock.now();
    for (const [cluster, mem] of memory) {
      const at = mem.health?.nextCheckAt;
      if (at !== undefined && at <= now) evaluate(cluster);
      else schedule(at);
    }
  }

  const healthOf = (cluster: string): ClusterHealth | undefined =>
    cluster === LOCAL_CLUSTER
      ? localHealth(LOCAL_CLUSTER, startedAt, clock.now())
      : memory.get(cluster)?.health;

  return {
    async start() {
      if (state.running || state.stopped) return;
      await sources.start();
      if (state.stopped) return;
      state.running = true;
      syncRegistry();
    },
    async stop() {
      state.stopped = true;
      state.running = false;
      if (check !== undefined) clock.clearTimeout(check.handle);
      for (const handle of timers) clock.clearTimeout(handle);
      timers.clear();
      await sources.stop();
    },
    synced: () => sources.synced(),
    registryChanged: () => {
      if (state.running) syncRegistry();
    },
    health: healthOf,
    all: () => {
      const names = [...memory.keys()].sort((a, b) => a.localeCompare(b));
      return [LOCAL_CLUSTER, ...names].flatMap((name) => healthOf(name) ?? []);
    },
    pools(cluster) {
      if (!memory.has(cluster)) return undefined;
      const report = reportOf(sources.report(cluster));
      return report === undefined ? undefined : [...report.nodePools];
    },
  };
}
