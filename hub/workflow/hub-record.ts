/**
 * The hub's own part of the workflow context (`$hub`, pure helpers): which run it belongs to
 * (the application's uid and revision), what steps applied (one record per component and
 * target, or per object for `op.#Apply`) and the step memo (results of side effects already
 * performed). It lives and dies with the context: a new revision starts both afresh, and
 * `workflow restart` deletes them.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { refOf } from "../dispatch/types.js";
import { entryKey, trackerEntries, type TrackerEntry } from "../tracker/entries.js";
import { appliedKey, type WorkflowApplied } from "./release.js";

export const HUB_KEY = "$hub";

/** The run a context belongs to: one revision of one application (by uid). */
export interface RunOwner {
  readonly revision: string;
  readonly uid?: string;
}

export interface HubRecord {
  /** Absent in contexts written before the run was recorded. */
  run?: RunOwner;
  applied: WorkflowApplied[];
  memo: Record<string, unknown>;
}

function ownerOf(value: unknown): RunOwner | undefined {
  if (!isObject(value) || typeof value.revision !== "string") return undefined;
  return typeof value.uid === "string"
    ? { revision: value.revision, uid: value.uid }
    : { revision: value.revision };
}

/** The record in `context` (a fresh one when absent or malformed). */
export function hubRecordOf(context: Record<string, unknown>): HubRecord {
  const value = context[HUB_KEY];
  if (!isObject(value)) return { applied: [], memo: {} };
  const applied = Array.isArray(value.applied) ? (value.applied as WorkflowApplied[]) : [];
  const memo = isObject(value.memo) ? { ...value.memo } : {};
  const run = ownerOf(value.run);
  return { ...(run === undefined ? {} : { run }), applied: [...applied], memo };
}

/**
 * Whether a stored context belongs to the run of `current` and is to be continued: its
 * recorded owner is the same revision of the same application. The application's cached
 * status does not decide: it may lag behind the context (a reconcile running before the last
 * status write is cached, or after it met a conflict), and starting afresh then would repeat
 * side effects the memo records. A context written before the owner was recorded belongs to
 * the run when the status says the workflow already ran at this revision (`previousRevision`).
 */
export function continuesRun(
  stored: Record<string, unknown>,
  current: RunOwner,
  previousRevision: string | undefined,
): boolean {
  const owner = hubRecordOf(stored).run;
  if (owner === undefined) return previousRevision === current.revision;
  return owner.revision === current.revision && owner.uid === current.uid;
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
