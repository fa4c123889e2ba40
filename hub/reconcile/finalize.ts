/**
 * Deleting an application (it carries a deletionTimestamp and our finalizer): delete what its
 * resource tracker records in every cluster — except objects a garbage-collect rule marks
 * `never` — then the tracker, then release the finalizer so the API server removes the app.
 * When a cluster cannot be reached, what is left stays tracked and the app stays `deleting`;
 * the reconcile tries again after a short delay.
 */
import type { ReconcileResult } from "../../core/controller/controller.js";
import type { ApplicationPolicy } from "../../engine/oam/types.js";
import { isObject } from "../../core/json.js";
import { deleteObjects, undeleted } from "../tracker/delete.js";
import { garbageOnAppDelete } from "../tracker/garbage.js";
import {
  deleteTracker,
  readTracker,
  writeTracker,
  type TrackerStoreOptions,
} from "../tracker/store.js";
import { appMetaOf, type HubContext, type RawApp } from "./context.js";
import { FINALIZER } from "./app-api.js";
import { EventReason } from "./event-reasons.js";

const RETRY_MS = 5_000;

const policiesOf = (raw: RawApp): ApplicationPolicy[] => {
  const spec = isObject(raw.spec) ? raw.spec : {};
  return Array.isArray(spec.policies) ? (spec.policies as ApplicationPolicy[]) : [];
};

/** Deletes what the tracker holds; true when everything (but `never` objects) is gone. */
async function deleteDelivered(ctx: HubContext, raw: RawApp, store: TrackerStoreOptions) {
  const state = await readTracker(store);
  if (state === undefined) return true;
  const collected = garbageOnAppDelete(state.entries, policiesOf(raw));
  const results = await deleteObjects({
    clientFor: ctx.clientFor,
    refs: collected.delete,
    observe: ctx.metrics.dispatched,
    now: () => ctx.clock.now(),
  });
  const left = undeleted(results);
  if (left.length === 0) {
    await deleteTracker(store);
    return true;
  }
  const entries = [...collected.keep, ...left.map((e) => ({ ...e, deleted: true }))];
  await writeTracker({ ...store, state: { generation: state.generation, entries } });
  const reason = results.flatMap((r) => (r.ok ? [] : [r.error.message]))[0] ?? "";
  ctx.events.warning(
    raw,
    EventReason.failedGC,
    `${left.length} objects not deleted yet: ${reason}`,
  );
  return false;
}

export async function finalize(
  ctx: HubContext,
  raw: RawApp,
  key: string,
): Promise<ReconcileResult> {
  const meta = raw.metadata ?? {};
  if (meta.finalizers?.includes(FINALIZER) !== true) return {};
  const app = { name: meta.name ?? "", namespace: meta.namespace ?? "default" };
  if (isObject(raw.status) && raw.status.status !== "deleting") {
    await ctx.appApi.writeStatus(app, { status: "deleting" });
    ctx.events.normal(raw, EventReason.deleting, "deleting what the application delivered");
  }
  const store = { hub: ctx.tracker, app, clock: ctx.clock };
  if (!(await deleteDelivered(ctx, raw, store))) return { requeueAfterMs: RETRY_MS };
  await ctx.appApi.removeFinalizer(appMetaOf(raw));
  ctx.memory.delete(key);
  ctx.log.info("application deleted", { app: `${app.namespace}/${app.name}` });
  return {};
}
