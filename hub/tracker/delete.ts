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
  typedError,
  describeRef,
  type ClientFor,
  type ObjectClient,
  type ObjectRef,
} from "../dispatch/types.js";

export interface ClusterObjectRef extends ObjectRef {
  readonly cluster: string;
}

export type DeleteResult<T extends ClusterObjectRef> =
  | { readonly cluster: string; readonly ok: true; readonly deleted: readonly T[] }
  | {
      readonly cluster: string;
      readonly ok: false;
      readonly error: FlotillaError;
      readonly deleted: readonly T[];
      readonly failed: ReadonlyArray<{ readonly ref: T; readonly error: FlotillaError }>;
    };

export interface DeleteObjectsOptions<T extends ClusterObjectRef> {
  readonly clientFor: ClientFor;
  readonly refs: readonly T[];
  /** Clusters worked on at once; default 5. */
  readonly parallelism?: number;
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
      cluster,
      ok: false,
      error: fatal,
      deleted: [],
      failed: refs.map((ref) => ({ ref, error: fatal })),
    };
  }
  const deleted: T[] = [];
  const failed: Array<{ ref: T; error: FlotillaError }> = [];
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
  // The cluster's error is the first failure's.
  const first = failed[0];
  return first === undefined
    ? { cluster, ok: true, deleted }
    : { cluster, ok: false, error: first.error, deleted, failed };
}

/** Deletes `refs`; one result per cluster, in the order clusters first appear. */
export async function deleteObjects<T extends ClusterObjectRef>(
  options: DeleteObjectsOptions<T>,
): Promise<Array<DeleteResult<T>>> {
  const groups = new Map<string, T[]>();
  for (const ref of options.refs)
    groups.set(ref.cluster, [...(groups.get(ref.cluster) ?? []), ref]);
  return mapLimit([...groups], options.parallelism ?? 5, ([cluster, refs]) =>
    deleteInCluster(options.clientFor, cluster, refs),
  );
}

/** The refs whose deletion failed, over all clusters (pure). */
export const undeleted = <T extends ClusterObjectRef>(
  results: ReadonlyArray<DeleteResult<T>>,
): T[] => results.flatMap((r) => (r.ok ? [] : r.failed.map((f) => f.ref)));
