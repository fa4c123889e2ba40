/**
 * Keeps the registry in step with the credential Secrets in `vela-system` on the hub, through
 * the controller runtime's informer (list, then watch; renewed regularly; restarted with
 * backoff after failures), filtered to Secrets carrying the credential-type label. Events
 * only name a Secret; the registry is updated from the informer's cache, so a missed or
 * coalesced event never leaves a stale record.
 */
import type { KubeConfig, V1Secret } from "@kubernetes/client-node";
import { clusterSecretInformer } from "../../core/cluster/secret-informer.js";
import { splitKey, type Informer } from "../../core/controller/informer.js";
import type { Clock, Logger } from "../deps.js";
import type { SecretSink } from "./cluster-cache.js";

export interface SecretWatch {
  /** Starts listing and watching; resolves after the first attempt (see `synced`). */
  start(): Promise<void>;
  /** True once a list has been applied (readiness). */
  synced(): boolean;
  stop(): Promise<void>;
}

export interface SecretWatchOptions {
  readonly kubeConfig: KubeConfig;
  readonly sink: SecretSink;
  readonly log: Logger;
  readonly clock: Clock;
}

export function watchClusterSecrets(options: SecretWatchOptions): SecretWatch {
  const { kubeConfig, sink } = options;
  const informer: Informer<V1Secret> = clusterSecretInformer({
    kubeconfig: kubeConfig,
    enqueue: (key) => {
      const secret = informer.get(key);
      if (secret === undefined) sink.deleteSecret({ metadata: { name: splitKey(key).name } });
      else sink.upsertSecret(secret);
    },
    clock: options.clock,
    log: options.log,
  });
  return {
    start: () => informer.start(),
    synced: () => informer.hasSynced(),
    stop: () => informer.stop(),
  };
}
