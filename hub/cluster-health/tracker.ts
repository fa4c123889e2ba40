/**
 * `createClusterHealth`: the hub's per-cluster health, kept current from informers on the
 * registry Secrets, the agents' heartbeat Leases and the ClusterReports (the I/O edge around
 * the pure state machine in state.ts).
 *
 * - A cluster is judged again when its Lease or ClusterReport changes, when the registry
 *   changes, and when its verdict's `nextCheckAt` comes (one timer on the injected clock, for
 *   the earliest such time, rounded up to `CHECK_RESOLUTION_MS` so a large fleet's heartbeats
 *   do not wake it more than twice a second; check-timer.ts).
 * - A heartbeat counts from the moment the hub sees `renewTime` change, by the hub's clock (so
 *   agent clock skew does not matter), except for the first sighting after hub start, which
 *   counts from `renewTime` itself: a Lease that stopped long ago makes its cluster Unknown at
 *   once instead of looking alive for a grace period after every hub restart.
 * - `onChange(cluster)` is called when a cluster's state or reason, or its NodePools, change.
 * - The `Ready` condition is merge-patched onto the ClusterReport's status when it differs
 *   from the stored one. A missing ClusterReport is logged and written once it appears; a
 *   failed write is retried with backoff (condition-writer.ts).
 *
 * The tracker is a class whose state is its private fields: what it remembers per cluster
 * (`Memory`), the informers (sources.ts), the check timer and the condition writer.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import type { ClusterReportReading, NodePoolReport } from "../../core/cluster/agent-contract.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import type { Clock } from "../../core/controller/clock.js";
import type { Logger } from "../../core/controller/logger.js";
import { CheckTimer } from "./check-timer.js";
import { ConditionWriter, type WriteMemory } from "./condition-writer.js";
import { previousFromConditions } from "./conditions.js";
import { conditionsOf, heartbeatOf, reportOf } from "./contract.js";
import { createHealthSources, type HealthSources } from "./sources.js";
import {
  advanceHealth,
  evaluateHealth,
  healthTiming,
  localHealth,
  reportFacts,
  type ClusterHealth,
  type HealthTiming,
} from "./state.js";

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
  /** The cluster's agent report (nodes, resources); undefined when it has not reported. */
  report(cluster: string): ClusterReportReading | undefined;
}

/** What the hub remembers of one registered cluster. */
interface Memory extends WriteMemory {
  /** When (hub clock) the cluster was first seen registered: its startup grace counts from it. */
  readonly firstSeenAt: number;
  heartbeat?: { renewTime: string; at: number };
  health?: ClusterHealth;
  /** The NodePools last reported, as JSON, to notice their change. */
  poolsKey?: string;
}

/** Builds the tracker; nothing is requested until `start()`. */
export function createClusterHealth(options: ClusterHealthOptions): ClusterHealthTracker {
  return new HealthTracker(options);
}

class HealthTracker implements ClusterHealthTracker {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #onChange: (cluster: string) => void;
  readonly #timing: HealthTiming;
  readonly #startedAt: number;
  readonly #memory = new Map<string, Memory>();
  readonly #state = { running: false, stopped: false };
  readonly #sources: HealthSources;
  readonly #checks: CheckTimer;
  readonly #writer: ConditionWriter;

  constructor(options: ClusterHealthOptions) {
    const { clock, log } = options;
    this.#clock = clock;
    this.#log = log;
    this.#onChange = options.onChange;
    this.#timing = healthTiming(options.options);
    this.#startedAt = clock.now();
    this.#checks = new CheckTimer(clock, () => this.#runChecks());
    const retry = (cluster: string): void => this.#evaluate(cluster);
    this.#writer = new ConditionWriter({ hub: options.hub, clock, log, retry });
    this.#sources = createHealthSources({
      hub: options.hub,
      clock,
      log,
      onCluster: (cluster) => {
        if (this.#state.running) this.#evaluate(cluster);
      },
      onRegistry: () => this.registryChanged(),
      ...(options.registry === undefined ? {} : { registry: options.registry }),
    });
  }

  async start(): Promise<void> {
    if (this.#state.running || this.#state.stopped) return;
    await this.#sources.start();
    if (this.#state.stopped) return;
    this.#state.running = true;
    this.#syncRegistry();
  }

  async stop(): Promise<void> {
    this.#state.stopped = true;
    this.#state.running = false;
    this.#checks.stop();
    this.#writer.stop();
    await this.#sources.stop();
  }

  synced(): boolean {
    return this.#sources.synced();
  }

  registryChanged(): void {
    if (this.#state.running) this.#syncRegistry();
  }

  health(cluster: string): ClusterHealth | undefined {
    return cluster === LOCAL_CLUSTER
      ? localHealth(LOCAL_CLUSTER, this.#startedAt, this.#clock.now())
      : this.#memory.get(cluster)?.health;
  }

  all(): ClusterHealth[] {
    const names = [...this.#memory.keys()].sort((a, b) => a.localeCompare(b));
    return [LOCAL_CLUSTER, ...names].flatMap((name) => this.health(name) ?? []);
  }

  pools(cluster: string): NodePoolReport[] | undefined {
    const report = this.report(cluster);
    return report === undefined ? undefined : [...report.nodePools];
  }

  report(cluster: string): ClusterReportReading | undefined {
    return this.#memory.has(cluster) ? reportOf(this.#sources.report(cluster)) : undefined;
  }

  /** Forgets unregistered clusters and judges every registered one. */
  #syncRegistry(): void {
    const registered = new Set(this.#sources.clusters());
    for (const cluster of this.#memory.keys()) {
      if (registered.has(cluster)) continue;
      this.#memory.delete(cluster);
      this.#onChange(cluster);
    }
    for (const cluster of registered) {
      if (cluster === LOCAL_CLUSTER) continue;
      if (!this.#memory.has(cluster)) this.#memory.set(cluster, { firstSeenAt: this.#clock.now() });
      this.#evaluate(cluster);
    }
  }

  /** Judges `cluster` now: remembers the verdict, schedules its next check, writes it. */
  #evaluate(cluster: string): void {
    const mem = this.#memory.get(cluster);
    if (mem === undefined || this.#state.stopped) return;
    const now = this.#clock.now();
    this.#observeHeartbeat(cluster, mem, now);
    const next = this.#judge(cluster, mem, now);
    const report = this.#sources.report(cluster);
    const poolsKey = JSON.stringify(reportOf(report)?.nodePools ?? null);
    const was = mem.health;
    const changed =
      was?.state !== next.state || was.reason !== next.reason || mem.poolsKey !== poolsKey;
    mem.health = next;
    mem.poolsKey = poolsKey;
    this.#checks.schedule(next.nextCheckAt);
    if (changed) {
      this.#log.info("cluster health", { cluster, state: next.state, reason: next.reason });
      this.#onChange(cluster);
    }
    this.#writer.write({ cluster, health: next, report }, mem);
  }

  /** Records a changed renewTime (see the module comment for which time it counts from). */
  #observeHeartbeat(cluster: string, mem: Memory, now: number): void {
    const beat = heartbeatOf(this.#sources.lease(cluster));
    if (beat === undefined || beat.renewTime === mem.heartbeat?.renewTime) return;
    const at = mem.heartbeat === undefined ? Math.min(now, beat.renewedAt) : now;
    mem.heartbeat = { renewTime: beat.renewTime, at };
  }

  /** The cluster's health now, from the caches and what the hub remembers of it. */
  #judge(cluster: string, mem: Memory, now: number): ClusterHealth {
    const object = this.#sources.report(cluster);
    const before = mem.health ?? previousFromConditions(conditionsOf(object));
    const verdict = evaluateHealth(
      {
        heartbeatAt: mem.heartbeat?.at,
        ...reportFacts(reportOf(object)),
        since: mem.firstSeenAt,
        now,
        previous: before?.state,
      },
      this.#timing,
    );
    return advanceHealth(cluster, before, verdict, now);
  }

  /** Judges the clusters whose check is due and schedules the next check for the others. */
  #runChecks(): void {
    const now = this.#clock.now();
    for (const [cluster, mem] of this.#memory) {
      const at = mem.health?.nextCheckAt;
      if (at !== undefined && at <= now) this.#evaluate(cluster);
      else this.#checks.schedule(at);
    }
  }
}
