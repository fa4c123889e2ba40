/**
 * `deleteObjects`: deletes tracked objects in their clusters (background propagation), at
 * most `parallelism` clusters at a time, and reports per cluster as data. An object that is
 * already gone counts as deleted, so deleting again is harmless. Once a cluster fails
 * (`UpstreamUnavailable`) its remaining objects fail with that error without further
 * requests; other errors fail only their object.
 */
import type { FlotillaError } from "../../core/errors.js";
import { mapLimit } from "../dispatch/pool.js";
import {
  clusterOutcome,
  typedError,
  describeRef,
  type ClientFor,
  type ClusterOutcome,
  type ClusterTiming,
  type ObjectClient,
  type ObjectFailure,
  type ObjectRef,
} from "../dispatch/types.js";

export interface ClusterObjectRef extends ObjectRef {
  readonly cluster: string;
}

/** What deletion did in one cluster: the objects deleted (or already gone), and failures. */
export type DeleteResult<T extends ClusterObjectRef> = ClusterOutcome<T> & {
  readonly deleted: readonly T[];
};

export interface DeleteObjectsOptions<T extends ClusterObjectRef> {
  readonly clientFor: ClientFor;
  readonly refs: readonly T[];
  /** Clusters worked on at once; default 5. */
  readonly parallelism?: number;
  /** Told how long each cluster's deletions took (timed with `now`, ms). */
  readonly observe?: ClusterTiming;
  readonly now?: () => number;
}

async function deleteInCluster<T extends ClusterObjectRef>(
  clientFor: ClientFor,
  cluster: string,
  refs: readonly T[],
): Promise<DeleteResult<T>> {
  let client: ObjectClient;
  try {
    client = clientFor(cluster);
  } catch (error) {
    const fatal = typedError(error, `cluster ${cluster}`);
    return {
      ...clusterOutcome(
        cluster,
        refs.map((ref) => ({ ref, error: fatal })),
      ),
      deleted: [],
    };
  }
  const deleted: T[] = [];
  const failed: Array<ObjectFailure<T>> = [];
  let fatal: FlotillaError | undefined;
  for (const ref of refs) {
    if (fatal !== undefined) {
      failed.push({ ref, error: fatal });
      continue;
    }
    try {
      await client.delete(ref);
      deleted.push(ref);
    } catch (error) {
      const typed = typedError(error, `delete ${describeRef(ref)}`);
      failed.push({ ref, error: typed });
      if (typed.code === "UpstreamUnavailable") fatal = typed;
    }
  }
  return { ...clusterOutcome(cluster, failed), deleted };
}

/** Deletes `refs`; one result per cluster, in the order clusters first appear. */
export async function deleteObjects<T extends ClusterObjectRef>(
  options: DeleteObjectsOptions<T>,
): Promise<Array<DeleteResult<T>>> {
  const groups = new Map<string, T[]>();
  for (const ref of options.refs)
    groups.set(ref.cluster, [...(groups.get(ref.cluster) ?? []), ref]);
  const now = options.now ?? Date.now;
  return mapLimit([...groups], options.parallelism ?? 5, async ([cluster, refs]) => {
    const start = now();
    const result = await deleteInCluster(options.clientFor, cluster, refs);
    const seconds = (now() - start) / 1000;
    options.observe?.({ cluster, operation: "delete", ok: result.ok, seconds });
    return result;
  });
}

/** The refs whose deletion failed, over all clusters (pure). */
export const undeleted = <T extends ClusterObjectRef>(
  results: ReadonlyArray<DeleteResult<T>>,
): T[] => results.flatMap((r) => (r.ok ? [] : r.failed.map((f) => f.ref)));
