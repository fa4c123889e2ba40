/**
 * The clusters the gateway can reach, in memory: the reserved `local` cluster (the hub itself,
 * reached with the gateway's own hub credential) plus one record per valid credential Secret
 * in `vela-system` — a watched cache of what `core/cluster/registry.ts` stores on the hub, so
 * no request waits for the hub. Fed by the Secret watch; read by the pipeline, the health
 * prober and the clustergateways endpoints. Listeners hear about every change (the proxy pool
 * drops stale proxies with it).
 */
import { LOCAL_CLUSTER, type ClusterRecord } from "../../core/cluster/types.js";
import { isClusterSecret, recordFromSecret, type SecretObject } from "../../core/cluster/secret.js";
import { errorText, type Logger } from "../deps.js";

export interface ClusterCache {
  get(name: string): ClusterRecord | undefined;
  /** Every cluster, `local` first, then by name. */
  list(): ClusterRecord[];
  /** Called with the name and the new record (undefined when removed). */
  subscribe(listener: (name: string, record: ClusterRecord | undefined) => void): void;
}

export interface SecretSink {
  /** Adds or replaces the cluster a Secret describes; invalid Secrets are logged and dropped. */
  upsertSecret(secret: SecretObject): void;
  deleteSecret(secret: SecretObject): void;
}

export function createClusterCache(
  local: ClusterRecord | undefined,
  log: Logger,
): ClusterCache & SecretSink {
  const records = new Map<string, ClusterRecord>();
  const listeners: Array<(name: string, record: ClusterRecord | undefined) => void> = [];
  const notify = (name: string, record: ClusterRecord | undefined): void => {
    for (const listener of listeners) listener(name, record);
  };
  const set = (name: string, record: ClusterRecord | undefined): void => {
    if (record === undefined) {
      if (records.delete(name)) notify(name, undefined);
      return;
    }
    records.set(name, record);
    notify(name, record);
  };
  const upsertSecret = (secret: SecretObject): void => {
    const name = secret.metadata?.name ?? "";
    if (name === LOCAL_CLUSTER || !isClusterSecret(secret)) {
      if (name === LOCAL_CLUSTER)
        log.warn("ignoring a credential Secret for the reserved cluster", { name });
      return;
    }
    try {
      set(name, recordFromSecret(secret));
    } catch (error) {
      log.warn("skipping invalid cluster Secret", { name, error: errorText(error) });
      set(name, undefined);
    }
  };
  return {
    get: (name) => (name === LOCAL_CLUSTER ? local : records.get(name)),
    list: () => [
      ...(local === undefined ? [] : [local]),
      ...[...records.values()].sort((a, b) => a.name.localeCompare(b.name)),
    ],
    subscribe: (listener) => void listeners.push(listener),
    upsertSecret,
    deleteSecret: (secret) => set(secret.metadata?.name ?? "", undefined),
  };
}
