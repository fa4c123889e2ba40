/**
 * Resource tracker entries (pure): what an application has dispatched, one entry per object
 * per cluster, with the OAM origin garbage-collect rules select on and the application
 * generation that last rendered it.
 *
 * Every rendered object is tracked, applied or not (KubeVela records before it applies): an
 * object whose cluster was unreachable is still wanted, and must not look like garbage.
 */
import type { ClusterResult, DispatchedObject } from "../dispatch/types.js";

/**
 * One tracked object: the dispatched object (its reference, OAM origin, apply-once and the
 * digest of what was last applied, absent when its last apply failed), the cluster it went to
 * and the application generation that last rendered it.
 */
export interface TrackerEntry extends DispatchedObject {
  readonly cluster: string;
  /** The application generation that last rendered the object. */
  readonly generation: number;
  /** Garbage whose deletion has not succeeded yet (KubeVela's `deleted`). */
  readonly deleted?: boolean;
}

const groupOf = (apiVersion: string): string =>
  apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";

/**
 * Identity of the object an entry tracks: cluster, API group (not version: a new apiVersion of
 * the same kind is the same object, which must not be collected as garbage), kind, namespace,
 * name.
 */
export function entryKey(entry: Omit<TrackerEntry, "generation" | "component">): string {
  return [
    entry.cluster,
    groupOf(entry.apiVersion),
    entry.kind,
    entry.namespace ?? "",
    entry.name,
  ].join("|");
}

/** The entry recording `object`, dispatched to `cluster` at `generation` (pure). */
export function entryOf(
  cluster: string,
  object: DispatchedObject,
  generation: number,
): TrackerEntry {
  return { cluster, ...object, generation };
}

/** The dispatched object an entry records: the inverse of `entryOf` (pure). */
export function trackedObject({
  cluster: _cluster,
  generation: _generation,
  deleted: _deleted,
  ...object
}: TrackerEntry): DispatchedObject {
  return object;
}

/** The entries of one dispatch at `generation`: every object, applied or failed (pure). */
export function trackerEntries(
  results: readonly ClusterResult[],
  generation: number,
): TrackerEntry[] {
  const seen = new Set<string>();
  const entries: TrackerEntry[] = [];
  for (const result of results) {
    const refs = [...result.applied, ...(result.ok ? [] : result.failed.map((f) => f.ref))];
    for (const ref of refs) {
      const entry = entryOf(result.cluster, ref, generation);
      const key = entryKey(entry);
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push(entry);
    }
  }
  return entries;
}
