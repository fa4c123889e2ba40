/**
 * Reading the objects an application delivered, where they live (the I/O edge of
 * `status --tree`): cluster `local` is the hub itself; any other cluster is reached through
 * the hub's gateway, at the hub's server URL plus `gatewayProxyPath(cluster)`, with the hub
 * kubeconfig's own credential (hub RBAC decides, as for `cluster export-config`).
 *
 * Partial failure is data (house style §7): each cluster is first asked for `/version`; when
 * that fails, every object of the cluster is `unknown` with the reason, and the other clusters
 * are still read. An object that is not there (404, or a kind its cluster does not serve) is
 * `missing`. Objects come back as the server's plain JSON.
 */
import {
  ApiException,
  ServerConfiguration,
  createConfiguration,
  VersionApi,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf, gatewayKubeConfig, kubeError, withTimeout } from "../../core/cluster/kube.js";
import { PlainObjectApi } from "../../core/cluster/plain-object-api.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import { NotFoundError } from "../../core/errors.js";
import type { AppliedResource } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";

export type LiveResult =
  | { readonly state: "found"; readonly object: JsonObject }
  | { readonly state: "missing"; readonly reason?: string }
  | { readonly state: "unknown"; readonly reason: string };

const serverOf = (kc: KubeConfig): string => {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new NotFoundError("the hub kubeconfig has no current cluster");
  return cluster.server;
};

const reasonOf = (error: unknown, what: string): string => kubeError(error, what).message;

async function readOne(api: PlainObjectApi, ref: AppliedResource): Promise<LiveResult> {
  const what = `${ref.kind} ${ref.namespace === undefined ? "" : `${ref.namespace}/`}${ref.name}`;
  try {
    if (!(await api.serves(ref.apiVersion, ref.kind))) {
      return { state: "missing", reason: `the cluster serves no ${ref.kind} in ${ref.apiVersion}` };
    }
    const spec = {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: {
        name: ref.name,
        ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
      },
    };
    return { state: "found", object: (await api.read(spec)) as unknown as JsonObject };
  } catch (error) {
    // 404: the object is gone, or discovery does not know the group/version at all.
    if (error instanceof ApiException && error.code === 404) return { state: "missing" };
    return { state: "unknown", reason: reasonOf(error, `reading ${what}`) };
  }
}

/** Why a cluster did not answer; a 404 for a member means the hub has no gateway route to it. */
function unreachable(cluster: string, error: unknown): string {
  const what = `cluster "${cluster}" cannot be reached`;
  if (cluster === LOCAL_CLUSTER || apiStatusOf(error) !== 404) return reasonOf(error, what);
  return `${what}: the hub's gateway does not serve it (HTTP 404: is the cluster registered and the gateway running?)`;
}

export interface LiveOptions {
  readonly hub: KubeConfig;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

/** The objects of one cluster, after checking the cluster answers at all. */
async function readCluster(
  cluster: string,
  refs: readonly AppliedResource[],
  options: LiveOptions,
): Promise<LiveResult[]> {
  const kc = cluster === LOCAL_CLUSTER ? options.hub : gatewayKubeConfig(options.hub, cluster);
  const timeout = withTimeout(options.timeoutMs ?? 10_000);
  try {
    await kc.makeApiClient(VersionApi).getCode(timeout);
  } catch (error) {
    const reason = unreachable(cluster, error);
    return refs.map(() => ({ state: "unknown", reason }));
  }
  const api = new PlainObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(serverOf(kc), {}),
      authMethods: { default: kc },
      middleware: timeout.middleware,
    }),
  );
  return Promise.all(refs.map((ref) => readOne(api, ref)));
}

/** What each of `refs` looks like now, in the same order; clusters are read in parallel. */
export async function readLiveObjects(
  refs: readonly AppliedResource[],
  options: LiveOptions,
): Promise<LiveResult[]> {
  const clusters = [...new Set(refs.map((r) => r.cluster || LOCAL_CLUSTER))];
  const perCluster = await Promise.all(
    clusters.map(async (cluster) => {
      const mine = refs.filter((r) => (r.cluster || LOCAL_CLUSTER) === cluster);
      const results = await readCluster(cluster, mine, options);
      return new Map(mine.map((ref, i) => [ref, results[i]]));
    }),
  );
  return refs.map((ref) => {
    const found = perCluster.map((m) => m.get(ref)).find((r) => r !== undefined);
    return found ?? { state: "unknown", reason: "not read" };
  });
}
