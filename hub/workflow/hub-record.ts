/**
 * The hub's own part of the workflow context (`$hub`, pure helpers): what steps applied (one
 * record per component and target, or per object for `op.#Apply`) and the step memo (results
 * of side effects already performed). It lives and dies with the context: a new revision
 * starts both afresh, and `workflow restart` deletes them.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { refOf } from "../dispatch/types.js";
import { entryKey, trackerEntries, type TrackerEntry } from "../tracker/entries.js";
import { appliedKey, type WorkflowApplied } from "./release.js";

export const HUB_KEY = "$hub";

export interface HubRecord {
  applied: WorkflowApplied[];
  memo: Record<string, unknown>;
}

/** The record in `context` (a fresh one when absent or malformed). */
export function hubRecordOf(context: Record<string, unknown>): HubRecord {
  const value = context[HUB_KEY];
  if (!isObject(value)) return { applied: [], memo: {} };
  const applied = Array.isArray(value.applied) ? (value.applied as WorkflowApplied[]) : [];
  const memo = isObject(value.memo) ? { ...value.memo } : {};
  return { applied: [...applied], memo };
}

const sameObject = (a: WorkflowApplied, b: WorkflowApplied): boolean =>
  a.component === "" &&
  b.component === "" &&
  a.cluster === b.cluster &&
  JSON.stringify(a.objects) === JSON.stringify(b.objects);

const sameTarget = (a: WorkflowApplied, b: WorkflowApplied): boolean =>
  a.component !== "" && appliedKey(a) === appliedKey(b);

/** Records an apply, replacing an earlier one of the same component and target (or object). */
export function recordApplied(record: HubRecord, applied: WorkflowApplied): void {
  record.applied = [
    ...record.applied.filter((a) => !sameObject(a, applied) && !sameTarget(a, applied)),
    applied,
  ];
}

/** Forgets a deleted object (it is no longer the workflow's to track). */
export function forgetObject(record: HubRecord, cluster: string, object: JsonObject): void {
  const ref = refOf(object);
  const key = entryKey({ cluster, ...ref });
  record.applied = record.applied
    .map((a) => ({
      ...a,
      objects: a.objects.filter(
        (o) => a.cluster !== cluster || entryKey({ cluster, ...o }) !== key,
      ),
    }))
    .filter((a) => a.objects.length > 0);
}

/** Tracker entries for what the workflow applied, at `generation`. */
export function appliedEntries(record: HubRecord, generation: number): TrackerEntry[] {
  return trackerEntries(
    record.applied.map((a) => ({ cluster: a.cluster, ok: true as const, applied: a.objects })),
    generation,
  );
}
