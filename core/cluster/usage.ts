/**
 * Which Applications on the hub target a cluster: lists `applications.core.oam.dev/v1beta1`
 * in all namespaces (none when the CRD is not installed) and applies the pure rules of
 * topology.ts. Used to refuse `cluster detach` while a cluster is in use.
 */
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "./kube.js";
import {
  applicationsTargeting,
  type ApplicationLike,
  type ClusterUse,
  type SelectableCluster,
} from "./topology.js";

export interface UsageOptions {
  readonly hub: KubeConfig;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

/** Every Application on the hub; `[]` when the Application CRD is not installed. */
export async function listApplications(options: UsageOptions): Promise<ApplicationLike[]> {
  const api = options.hub.makeApiClient(CustomObjectsApi);
  const request = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };
  try {
    const list = (await api.listClusterCustomObject(
      request,
      withTimeout(options.timeoutMs ?? 30_000),
    )) as {
      items?: ApplicationLike[];
    };
    return list.items ?? [];
  } catch (error) {
    if (apiStatusOf(error) === 404) return [];
    throw kubeError(error, "listing applications on the hub");
  }
}

/** The applications (and their topology policies) that target `cluster`. */
export async function clusterUsage(
  options: UsageOptions,
  cluster: SelectableCluster,
): Promise<ClusterUse[]> {
  return applicationsTargeting(await listApplications(options), cluster);
}
