/**
 * Distribution latency: applications changed one at a time (the value of their first
 * ConfigMap), each timed from the moment the update call to the hub returned to the moment a
 * watch on member-1's ConfigMaps (opened directly on member-1, before the first change) sees
 * the object with the new value.
 */
import { Watch, type KubeConfig } from "@kubernetes/client-node";
import { summarize, type Summary } from "../stats.js";
import { appName, configMapName, setValue } from "./apps.js";
import { log, round } from "./probe.js";

interface ConfigMapEvent {
  metadata?: { name?: string };
  data?: Record<string, string>;
}

/** A watch that remembers when it first saw each (ConfigMap name, value). */
async function valueWatch(member: KubeConfig, namespace: string) {
  const seen = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const failures: string[] = [];
  const onEvent = (phase: string, object: ConfigMapEvent): void => {
    const at = performance.now();
    if (phase !== "ADDED" && phase !== "MODIFIED") return;
    const key = `${object.metadata?.name}=${object.data?.value}`;
    if (!seen.has(key)) seen.set(key, at);
    waiters.get(key)?.(at);
    waiters.delete(key);
  };
  const abort = await new Watch(member).watch(
    `/api/v1/namespaces/${namespace}/configmaps`,
    {},
    onEvent,
    (error: unknown) => {
      if (error instanceof Error) failures.push(error.message);
    },
  );
  return {
    /** Resolves with the time the watch saw `name` holding `value` (at once if it has). */
    seen(name: string, value: string, timeoutMs: number): Promise<number> {
      const key = `${name}=${value}`;
      const at = seen.get(key);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`member-1 never showed ${key} (${failures.join("; ") || "no error"})`));
        }, timeoutMs);
        waiters.set(key, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
    },
    close: () => abort.abort(),
  };
}

export interface DistributionResult {
  readonly changes: number;
  /** From the update call returning to the new value in member-1. */
  readonly latency: Summary;
  /** How long the update call to the hub's API server took. */
  readonly update_call: Summary;
}

/** Changes `changes` applications one after the other, spread over the `count` there are. */
export async function distributionPhase(
  world: { hubKc: KubeConfig; member: (name: string) => KubeConfig },
  namespace: string,
  count: number,
  changes: number,
): Promise<DistributionResult> {
  const watch = await valueWatch(world.member("member-1"), namespace);
  const latencies: number[] = [];
  const calls: number[] = [];
  try {
    const step = Math.max(1, Math.floor(count / changes));
    for (let k = 0; k < changes; k++) {
      const name = appName((k * step) % count);
      const value = `v2-${k}`;
      const started = performance.now();
      await setValue(world.hubKc, { namespace, name }, value);
      const returned = performance.now();
      const at = await watch.seen(configMapName(name, "a"), value, 120_000);
      calls.push(returned - started);
      latencies.push(Math.max(0, at - returned));
    }
  } finally {
    watch.close();
  }
  const latency = summarize(latencies);
  log(
    `distribution: ${changes} changes, p50 ${round(latency.p50_ms, 0)} ms, p99 ${round(latency.p99_ms, 0)} ms`,
  );
  return { changes, latency, update_call: summarize(calls) };
}
