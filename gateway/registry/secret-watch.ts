/**
 * Keeps the registry in step with the credential Secrets in `vela-system` on the hub, through
 * the controller runtime's informer (list, then watch; renewed regularly; restarted with
 * backoff after failures), filtered to Secrets carrying the credential-type label. Events
 * only name a Secret; the registry is updated from the informer's cache, so a missed or
 * coalesced event never leaves a stale record.
 */
import { CoreV1Api, type KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { CREDENTIAL_TYPE_LABEL, REGISTRY_NAMESPACE } from "../../core/cluster/types.js";
import { createInformer, splitKey } from "../../core/controller/informer.js";
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
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const informer = createInformer<V1Secret>({
    kubeconfig: kubeConfig,
    path: `/api/v1/namespaces/${REGISTRY_NAMESPACE}/secrets`,
    labelSelector: CREDENTIAL_TYPE_LABEL,
    list: () =>
      core.listNamespacedSecret({
        namespace: REGISTRY_NAMESPACE,
        labelSelector: CREDENTIAL_TYPE_LABEL,
      }),
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
