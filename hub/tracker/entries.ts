/**
 * Resource tracker entries (pure): what an application has dispatched, one entry per object
 * per cluster, with the OAM origin garbage-collect rules select on and the application
 * generation that last rendered it.
 *
 * Every rendered object is tracked, applied or not (KubeVela records before it applies): an
 * object whose cluster was unreachable is still wanted, and must not look like garbage.
 */
import type { ClusterResult, DispatchedObject } from "../dispatch/types.js";

export interface TrackerEntry {
  readonly cluster: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  readonly component: string;
  readonly trait?: string;
  /** `workload.oam.dev/type` of a component's workload (for `componentTypes` selectors). */
  readonly workloadType?: string;
  /** The application generation that last rendered the object. */
  readonly generation: number;
  /** Covered by the `apply-once` policy when last rendered. */
  readonly applyOnce?: boolean;
  /** Digest of the object as last applied; absent when its last apply failed. */
  readonly digest?: string;
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

function entryOf(cluster: string, ref: DispatchedObject, generation: number): TrackerEntry {
  return {
    cluster,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace === undefined ? {} : { namespace: ref.namespace }),
    name: ref.name,
    component: ref.component,
    ...(ref.trait === undefined ? {} : { trait: ref.trait }),
    ...(ref.workloadType === undefined ? {} : { workloadType: ref.workloadType }),
    generation,
    ...(ref.applyOnce === true ? { applyOnce: true } : {}),
    ...(ref.digest === undefined ? {} : { digest: ref.digest }),
  };
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
