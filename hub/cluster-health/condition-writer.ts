/**
 * Writes a cluster's `Ready` condition onto its ClusterReport's status (a merge patch of the
 * conditions) when it differs from the stored one. A missing ClusterReport is logged once and
 * written when it appears; a condition already sent is not sent again until the cache shows
 * it or it changes; a failed write is retried with backoff (`retry(cluster)` after the delay,
 * which judges the cluster again and calls `write` anew). A 404 (the ClusterReport deleted
 * meanwhile) is not retried: the report's re-creation triggers the next write.
 */
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf } from "../../core/cluster/kube.js";
import { createKeyedBackoff, type KeyedBackoff } from "../../core/controller/backoff.js";
import type { Clock, TimerHandle } from "../../core/controller/clock.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import { conditionsToWrite, readyCondition } from "./conditions.js";
import {
  CLUSTER_REPORT,
  conditionsOf,
  HEALTH_NAMESPACE,
  type ClusterReportObject,
} from "./contract.js";
import type { ClusterHealth } from "./state.js";

export interface ConditionWriterOptions {
  readonly hub: KubeConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after a failed write's backoff, to judge the cluster again and write anew. */
  readonly retry: (cluster: string) => void;
}

/** What the writer remembers of one cluster (kept by the tracker with the rest of it). */
export interface WriteMemory {
  /** The condition last sent (or in flight) and not yet seen in the cache. */
  sent?: string;
  missingLogged?: boolean;
}

/** What to write for one cluster: its health now and its ClusterReport as cached. */
export interface WriteInput {
  readonly cluster: string;
  readonly health: ClusterHealth;
  readonly report: ClusterReportObject | undefined;
}

export class ConditionWriter {
  readonly #options: ConditionWriterOptions;
  readonly #api: CustomObjectsApi;
  readonly #mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
  readonly #retries: KeyedBackoff = createKeyedBackoff({ baseMs: 1_000, maxMs: 30_000 });
  /** Pending retries. */
  readonly #timers = new Set<TimerHandle>();
  #stopped = false;

  constructor(options: ConditionWriterOptions) {
    this.#options = options;
    this.#api = options.hub.makeApiClient(CustomObjectsApi);
  }

  /** Sends the Ready condition when it differs from the stored one and was not sent already. */
  write({ cluster, health, report }: WriteInput, mem: WriteMemory): void {
    if (report === undefined) {
      if (!mem.missingLogged)
        this.#options.log.info("cluster health: no ClusterReport yet", { cluster });
      mem.missingLogged = true;
      mem.sent = undefined;
      return;
    }
    mem.missingLogged = false;
    const desired = readyCondition(health, report.metadata?.generation);
    const conditions = conditionsToWrite(conditionsOf(report), desired);
    const key = JSON.stringify(desired);
    if (conditions === undefined) mem.sent = undefined;
    if (conditions === undefined || mem.sent === key) return;
    mem.sent = key;
    void this.#patch(cluster, conditions).then(
      () => this.#retries.forget(cluster),
      (error: unknown) => this.#failed(cluster, mem, error),
    );
  }

  /** Cancels pending retries; failures of writes in flight are dropped. */
  stop(): void {
    this.#stopped = true;
    for (const handle of this.#timers) this.#options.clock.clearTimeout(handle);
    this.#timers.clear();
  }

  #patch(cluster: string, conditions: unknown[]): Promise<unknown> {
    const { group, version, plural } = CLUSTER_REPORT;
    const body = { status: { conditions } };
    const where = { group, version, plural, namespace: HEALTH_NAMESPACE, name: cluster };
    return this.#api.patchNamespacedCustomObjectStatus({ ...where, body }, this.#mergePatch);
  }

  #failed(cluster: string, mem: WriteMemory, error: unknown): void {
    mem.sent = undefined;
    if (this.#stopped) return;
    // A ClusterReport deleted meanwhile is written again when it is re-created.
    if (apiStatusOf(error) === 404) return;
    const inMs = this.#retries.next(cluster);
    this.#options.log.warn("cluster health: writing the Ready condition failed; retrying", {
      cluster,
      error: errorText(error),
      inMs,
    });
    this.#after(inMs, () => this.#options.retry(cluster));
  }

  #after(ms: number, fn: () => void): void {
    const { clock } = this.#options;
    const handle = clock.setTimeout(() => {
      this.#timers.delete(handle);
      fn();
    }, ms);
    this.#timers.add(handle);
  }
}
