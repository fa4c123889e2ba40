/**
 * Periodic health of every registered cluster, for `status.healthy` of the clustergateways and
 * their `health` subresource. Each round probes all clusters concurrently; a round never
 * overlaps the previous one. Time and interval are injected; `probeAll()` runs one round now.
 */
import type { ClusterRecord } from "../core/cluster/types.js";
import { errorText, type Clock, type Logger } from "./deps.js";
import type { TimerHandle } from "../core/controller/clock.js";
import type { ProbeOutcome } from "./proxy/probe.js";
import type { ClusterCache } from "./registry/cluster-cache.js";

export interface ClusterHealth {
  readonly healthy: boolean;
  /** `Ready`, `NotReady` (the member answered, not 200) or `Unreachable`. */
  readonly reason: "Ready" | "NotReady" | "Unreachable";
  readonly message?: string;
  readonly lastProbeTime: string;
}

export interface HealthSource {
  /** The last probe result; undefined before the first probe of that cluster. */
  healthOf(cluster: string): ClusterHealth | undefined;
}

export interface HealthProber extends HealthSource {
  probeAll(): Promise<void>;
  start(): void;
  stop(): void;
}

export interface HealthProberOptions {
  readonly registry: ClusterCache;
  readonly probe: (record: ClusterRecord) => Promise<ProbeOutcome>;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly log: Logger;
}

/** The health a probe outcome means (pure). */
export function healthFrom(outcome: ProbeOutcome, at: number): ClusterHealth {
  const lastProbeTime = new Date(at).toISOString();
  if (!outcome.reachable) {
    return { healthy: false, reason: "Unreachable", message: outcome.error, lastProbeTime };
  }
  return outcome.status === 200
    ? { healthy: true, reason: "Ready", lastProbeTime }
    : {
        healthy: false,
        reason: "NotReady",
        message: `/readyz answered ${outcome.status}`,
        lastProbeTime,
      };
}

export function createHealthProber(options: HealthProberOptions): HealthProber {
  const results = new Map<string, ClusterHealth>();
  let timer: TimerHandle;

  const probeOne = async (record: ClusterRecord): Promise<void> => {
    const outcome = await options
      .probe(record)
      .catch((error: unknown): ProbeOutcome => ({ reachable: false, error: errorText(error) }));
    const next = healthFrom(outcome, options.clock.now());
    const previous = results.get(record.name);
    if (previous !== undefined && previous.healthy !== next.healthy) {
      options.log.info("cluster health changed", {
        cluster: record.name,
        healthy: next.healthy,
        reason: next.reason,
      });
    }
    results.set(record.name, next);
  };

  const probeAll = async (): Promise<void> => {
    const records = options.registry.list();
    await Promise.all(records.map(probeOne));
    const names = new Set(records.map((r) => r.name));
    for (const name of [...results.keys()]) if (!names.has(name)) results.delete(name);
  };

  let stopped = true;
  const schedule = (): void => {
    if (stopped) return;
    timer = options.clock.setTimeout(round, options.intervalMs);
  };
  const round = (): void => {
    probeAll()
      .catch((error: unknown) =>
        options.log.error("health round failed", { error: errorText(error) }),
      )
      .finally(schedule);
  };

  return {
    healthOf: (cluster) => results.get(cluster),
    probeAll,
    start() {
      if (!stopped) return;
      stopped = false;
      round();
    },
    stop() {
      stopped = true;
      options.clock.clearTimeout(timer);
    },
  };
}
