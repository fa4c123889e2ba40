/**
 * The hub's verdict on the benchmark's member, as the hub controller computes it: the real
 * tracker (`createClusterHealth`, hub/cluster-health/tracker.ts) run in this process against the hub's
 * API server with its default timing (heartbeat 2 s, grace 10 s, checks on a 0.5 s grid), and
 * a way to wait for a given state with the moment the tracker reached it.
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { systemClock } from "../../core/controller/clock.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import { createClusterHealth } from "../../hub/cluster-health/tracker.js";
import type { HealthState } from "../../hub/cluster-health/state.js";

export interface HealthWatch {
  state(): HealthState | undefined;
  /** The last heartbeat the tracker saw (ms since the epoch, hub clock). */
  lastSeen(): number | undefined;
  /**
   * Resolves with `performance.now()` at the moment the tracker judged the cluster `state`
   * (at once when it already is); rejects after `timeoutMs`.
   */
  when(state: HealthState, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

interface Waiter {
  readonly state: HealthState;
  resolve(at: number): void;
}

/** Warnings and errors of the tracker go to stderr; its info lines are dropped. */
function stderrLogger(prefix: string): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    console.error(`${prefix} ${level}: ${message} ${JSON.stringify(fields ?? {})}`);
  return { info: () => undefined, warn: write("warn"), error: write("error") };
}

export async function watchHealth(hub: KubeConfig, cluster: string): Promise<HealthWatch> {
  const waiters = new Set<Waiter>();
  const tracker = createClusterHealth({
    hub,
    clock: systemClock,
    log: stderrLogger("[agent] hub health"),
    registry: () => [cluster],
    onChange: (changed) => {
      if (changed !== cluster) return;
      const now = performance.now();
      const state = tracker.health(cluster)?.state;
      for (const waiter of waiters) if (waiter.state === state) waiter.resolve(now);
    },
  });
  await tracker.start();
  return {
    state: () => tracker.health(cluster)?.state,
    lastSeen: () => tracker.health(cluster)?.lastSeen,
    when(state, timeoutMs) {
      if (tracker.health(cluster)?.state === state) return Promise.resolve(performance.now());
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const now = tracker.health(cluster)?.state ?? "not judged";
          reject(new Error(`${cluster} was not ${state} within ${timeoutMs} ms (it is ${now})`));
        }, timeoutMs);
        const waiter: Waiter = {
          state,
          resolve(at) {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(at);
          },
        };
        waiters.add(waiter);
      });
    },
    async stop() {
      waiters.clear();
      await tracker.stop().catch((e: unknown) => console.error(`[agent] ${errorText(e)}`));
    },
  };
}
