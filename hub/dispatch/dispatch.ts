/**
 * `dispatch`: delivers an application's rendered objects to their clusters with server-side
 * apply (field manager `flotilla`, forced, so Flotilla owns what it renders, as KubeVela's
 * dispatcher does by overwriting), at most `parallelism` clusters at a time, and reports per
 * cluster as data. One unreachable or failing cluster never blocks or fails the others.
 *
 * Idempotent: applying the same objects again changes nothing on the clusters. Never throws
 * for cluster trouble; throws `InvalidInputError` before any I/O only when the application's
 * `apply-once` policy is malformed.
 */
import { systemClock, type Clock } from "../../core/controller/clock.js";
import type { ApplicationPolicy } from "../../engine/oam/types.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { applyOncePolicyOf, type ApplyStage } from "./apply-once.js";
import { applyCluster } from "./cluster-apply.js";
import { groupByCluster } from "./order.js";
import { mapLimit } from "./pool.js";
import type { ClientFor, ClusterResult, ClusterTiming } from "./types.js";

export const FIELD_MANAGER = "flotilla";

export interface DispatchOptions {
  /** The client for a cluster (through the gateway in the hub). */
  readonly clientFor: ClientFor;
  readonly objects: readonly RenderedObject[];
  /** Server-side apply field manager; default `flotilla`. */
  readonly fieldManager?: string;
  /** Clusters applied at once; default 5. */
  readonly parallelism?: number;
  readonly clock?: Clock;
  /** The application's policies: its `apply-once` policy says which fields may drift. */
  readonly policies?: readonly ApplicationPolicy[];
  /** `update` (default) after the application changed, `stateKeep` for a periodic re-apply. */
  readonly stage?: ApplyStage;
  /** How long to wait for freshly applied CRDs' kinds to be served; default 60 s. */
  readonly crdTimeoutMs?: number;
  /** Told how long each cluster's apply took. */
  readonly observe?: ClusterTiming;
}

/** Applies every object; one result per cluster, in the order clusters first appear. */
export async function dispatch(options: DispatchOptions): Promise<ClusterResult[]> {
  const applyOnce = applyOncePolicyOf(options.policies);
  const groups = [...groupByCluster(options.objects)];
  const clock = options.clock ?? systemClock;
  return mapLimit(groups, options.parallelism ?? 5, async ([cluster, objects]) => {
    const start = clock.now();
    const result = await applyCluster({
      cluster,
      objects,
      clientFor: options.clientFor,
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      clock,
      applyOnce,
      stage: options.stage ?? "update",
      crdTimeoutMs: options.crdTimeoutMs ?? 60_000,
    });
    const seconds = (clock.now() - start) / 1000;
    options.observe?.({ cluster, operation: "apply", ok: result.ok, seconds });
    return result;
  });
}
