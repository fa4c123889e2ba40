/**
 * What the health tracker watches on the hub, as three informers: the registry's credential
 * Secrets (which clusters exist), the agents' heartbeat Leases and the ClusterReports, all in
 * `vela-system`. Events only name the cluster concerned (or "all" for registry changes); the
 * tracker reads the current objects back from the caches.
 */
import {
  CoordinationV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type V1Lease,
  type V1Secret,
} from "@kubernetes/client-node";
import { clusterSecretInformer } from "../../core/cluster/secret-informer.js";
import { recordFromSecret } from "../../core/cluster/secret.js";
import type { Clock } from "../../core/controller/clock.js";
import { createInformer, splitKey, type Informer } from "../../core/controller/informer.js";
import { errorText, type Logger } from "../../core/controller/logger.js";
import {
  agentLeaseName,
  CLUSTER_REPORT,
  clusterOfLease,
  HEALTH_NAMESPACE,
  type ClusterReportObject,
} from "./contract.js";

export interface HealthSourcesOptions {
  readonly hub: KubeConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** A cluster's Lease or ClusterReport changed. */
  readonly onCluster: (cluster: string) => void;
  /** The set of registered clusters may have changed. */
  readonly onRegistry: () => void;
  /**
   * The registered clusters' names from a registry view the caller already keeps (the hub's
   * cluster view), so the Secrets are not watched twice; the caller then reports changes
   * through `onRegistry` itself. Without it, the Secrets get an informer of their own.
   */
  readonly registry?: () => readonly string[];
}

export interface HealthSources {
  start(): Promise<void>;
  stop(): Promise<void>;
  synced(): boolean;
  /** Names of the registered clusters (readable credential Secrets), not `local`. */
  clusters(): string[];
  lease(cluster: string): V1Lease | undefined;
  report(cluster: string): ClusterReportObject | undefined;
}

function clusterName(secret: V1Secret, log: Logger): string[] {
  try {
    return [recordFromSecret(secret).name];
  } catch (error) {
    const name = secret.metadata?.name;
    log.warn("cluster health: ignoring a credential Secret", {
      secret: name,
      error: errorText(error),
    });
    return [];
  }
}

export function createHealthSources(options: HealthSourcesOptions): HealthSources {
  const { hub, clock, log } = options;
  const namespace = HEALTH_NAMESPACE;
  const common = { kubeconfig: hub, clock, log };
  const coordination = hub.makeApiClient(CoordinationV1Api);
  const custom = hub.makeApiClient(CustomObjectsApi);
  const secrets =
    options.registry === undefined
      ? clusterSecretInformer({ ...common, enqueue: () => options.onRegistry() })
      : undefined;
  const registry = options.registry;
  const leases: Informer<V1Lease> = createInformer<V1Lease>({
    ...common,
    path: `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`,
    list: () => coordination.listNamespacedLease({ namespace }),
    enqueue: (key) => {
      const cluster = clusterOfLease(splitKey(key).name);
      if (cluster !== undefined) options.onCluster(cluster);
    },
  });
  const { group, version, plural } = CLUSTER_REPORT;
  const reports: Informer<ClusterReportObject> = createInformer<ClusterReportObject>({
    ...common,
    path: `/apis/${group}/${version}/namespaces/${namespace}/${plural}`,
    list: () =>
      custom.listNamespacedCustomObject({ group, version, namespace, plural }) as Promise<
        KubernetesListObject<ClusterReportObject>
      >,
    enqueue: (key) => options.onCluster(splitKey(key).name),
  });
  return {
    async start() {
      await secrets?.start();
      await Promise.all([leases.start(), reports.start()]);
    },
    async stop() {
      await Promise.all([secrets?.stop(), leases.stop(), reports.stop()]);
    },
    synced: () => (secrets?.hasSynced() ?? true) && leases.hasSynced() && reports.hasSynced(),
    clusters: () =>
      registry !== undefined
        ? [...registry()]
        : (secrets?.list() ?? []).flatMap((s) => clusterName(s, log)),
    lease: (cluster) => leases.get(`${namespace}/${agentLeaseName(cluster)}`),
    report: (cluster) => reports.get(`${namespace}/${cluster}`),
  };
}
