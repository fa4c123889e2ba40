/**
 * The hub's view of the registry: the credential Secrets in `vela-system`, kept current by an
 * informer, read as cluster records; and the client for each cluster. Members are reached
 * through the gateway (the hub's aggregated API path
 * `/apis/cluster.core.oam.dev/v1alpha1/clustergateways/<name>/proxy`, with the hub's own
 * credential, so hub RBAC decides); `local` is the hub itself. A Secret that cannot be read as
 * a cluster is logged and left out.
 */
import type { KubeConfig, V1Secret } from "@kubernetes/client-node";
import { gatewayKubeConfig } from "../../core/cluster/kube.js";
import { clusterSecretInformer } from "../../core/cluster/secret-informer.js";
import { recordFromSecret } from "../../core/cluster/secret.js";
import { LOCAL_CLUSTER, type ClusterRecord } from "../../core/cluster/types.js";
import type { Clock } from "../../core/controller/clock.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import { NotFoundError } from "../../core/errors.js";
import { objectClient } from "../dispatch/object-client.js";
import type { ClientFor, ObjectClient } from "../dispatch/types.js";

export interface ClusterView {
  start(): Promise<void>;
  stop(): Promise<void>;
  synced(): boolean;
  /** Registered clusters (not `local`), sorted by name. */
  records(): ClusterRecord[];
  /** The client for a cluster; `NotFoundError` for a cluster that is not registered. */
  clientFor: ClientFor;
}

export interface ClusterViewOptions {
  readonly hub: KubeConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after any cluster was added, changed or removed. */
  readonly onChange: () => void;
  /** Per-request timeout of member calls; default 30 s. */
  readonly timeoutMs?: number;
}

function readRecord(secret: V1Secret, log: Logger): ClusterRecord | undefined {
  try {
    return recordFromSecret(secret);
  } catch (error) {
    log.warn("ignoring a credential Secret", {
      secret: secret.metadata?.name,
      error: errorText(error),
    });
    return undefined;
  }
}

export function createClusterView(options: ClusterViewOptions): ClusterView {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const clients = new Map<string, ObjectClient>();
  const informer = clusterSecretInformer({
    kubeconfig: options.hub,
    enqueue: () => {
      current = undefined;
      options.onChange();
    },
    clock: options.clock,
    log: options.log,
  });
  // Parsed once per change of the Secrets, not per call.
  let current: ClusterRecord[] | undefined;
  const records = (): ClusterRecord[] =>
    (current ??= informer
      .list()
      .flatMap((s) => readRecord(s, options.log) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name)));
  const clientFor: ClientFor = (cluster) => {
    if (cluster !== LOCAL_CLUSTER && !records().some((r) => r.name === cluster)) {
      throw new NotFoundError(`cluster "${cluster}" is not registered`);
    }
    const known = clients.get(cluster);
    if (known !== undefined) return known;
    const kc = cluster === LOCAL_CLUSTER ? options.hub : gatewayKubeConfig(options.hub, cluster);
    const client = objectClient(kc, { timeoutMs });
    clients.set(cluster, client);
    return client;
  };
  return {
    start: () => informer.start(),
    stop: () => informer.stop(),
    synced: () => informer.hasSynced(),
    records,
    clientFor,
  };
}
