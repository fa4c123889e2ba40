/**
 * Small pure readings for the status: per-cluster failures, the applied resources from the
 * tracker, and the `deploy` step's parallelism.
 */
import { errorText } from "../../core/controller/logger.js";
import type { AppliedResource } from "../../engine/oam/status.js";
import { isObject } from "../../core/json.js";
import { type Application } from "../../engine/oam/types.js";
import type { ClusterResult } from "../dispatch/types.js";
import type { TrackerEntry } from "../tracker/entries.js";

/** The first error of each failed cluster. */
export function clusterErrors(
  results: readonly ClusterResult[],
): Array<{ cluster: string; message: string }> {
  return results.flatMap((r) =>
    r.ok ? [] : [{ cluster: r.cluster, message: errorText(r.error) }],
  );
}

/** Tracked objects that exist (garbage awaiting deletion left out), as KubeVela lists them. */
export function appliedResources(entries: readonly TrackerEntry[]): AppliedResource[] {
  return entries
    .filter((e) => e.deleted !== true)
    .map((e) => ({
      cluster: e.cluster,
      creator: "workflow",
      apiVersion: e.apiVersion,
      kind: e.kind,
      ...(e.namespace === undefined ? {} : { namespace: e.namespace }),
      name: e.name,
    }));
}

/** The first `deploy` step's `parallelism` (KubeVela's default 5). */
export function deployParallelism(app: Application): number {
  const step = app.spec.workflow?.steps?.find((s) => s.type === "deploy");
  const value = isObject(step?.properties) ? step.properties.parallelism : undefined;
  return typeof value === "number" && value >= 1 ? Math.floor(value) : 5;
}
