/**
 * An informer over the registry's credential Secrets on the hub (`vela-system`, those with the
 * credential-type label): list, then watch, renewed and restarted by the controller runtime.
 * The gateway and the hub each keep their view of the registry from one.
 */
import { CoreV1Api, type KubeConfig, type V1Secret } from "@kubernetes/client-node";
import type { Clock } from "../controller/clock.js";
import { createInformer, type Informer } from "../controller/informer.js";
import type { Logger } from "../controller/logger.js";
import { CREDENTIAL_TYPE_LABEL, REGISTRY_NAMESPACE } from "./types.js";

export interface ClusterSecretInformerOptions {
  readonly kubeconfig: KubeConfig;
  /** Receives the key of every Secret added, changed or removed (the cache is current). */
  readonly enqueue: (key: string) => void;
  readonly clock: Clock;
  readonly log: Logger;
}

export function clusterSecretInformer(options: ClusterSecretInformerOptions): Informer<V1Secret> {
  const core = options.kubeconfig.makeApiClient(CoreV1Api);
  return createInformer<V1Secret>({
    kubeconfig: options.kubeconfig,
    path: `/api/v1/namespaces/${REGISTRY_NAMESPACE}/secrets`,
    labelSelector: CREDENTIAL_TYPE_LABEL,
    list: () =>
      core.listNamespacedSecret({
        namespace: REGISTRY_NAMESPACE,
        labelSelector: CREDENTIAL_TYPE_LABEL,
      }),
    enqueue: options.enqueue,
    clock: options.clock,
    log: options.log,
  });
}
