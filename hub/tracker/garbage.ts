/**
 * Garbage collection decisions (pure), with KubeVela's `garbage-collect` policy:
 *
 * - On update, an object tracked before and not rendered now is garbage and is deleted —
 *   unless `keepLegacyResource: true` (every outdated object is kept, until the application
 *   is deleted), or the first rule selecting it says `never` or `onAppDelete`. Kept objects
 *   stay in the tracker with the generation that last rendered them.
 * - On application deletion every tracked object is deleted except those a rule marks
 *   `never` (left in place; KubeVela also strips their owner labels — Flotilla does not yet).
 * - An entry already marked `deleted` (an earlier deletion failed) is deleted again.
 *
 * Rules are read from the policy at collection time, against the tracked origin of each
 * object (component, component type, trait, kind, name); KubeVela decides at record time.
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject } from "../../core/json.js";
import { type ApplicationPolicy } from "../../engine/oam/types.js";
import { parseSelector, selects, type ResourceSelector } from "../dispatch/resource-selector.js";
import { entryKey, type TrackerEntry } from "./entries.js";

export type GcStrategy = "onAppUpdate" | "onAppDelete" | "never";

export interface GcRule {
  readonly selector: ResourceSelector;
  readonly strategy: GcStrategy;
}

export interface GarbageCollectPolicy {
  readonly keepLegacyResource: boolean;
  readonly rules: readonly GcRule[];
}

/** What to delete now, and what to keep tracking though it is no longer rendered. */
export interface Garbage {
  readonly delete: readonly TrackerEntry[];
  readonly keep: readonly TrackerEntry[];
}

const strategies: readonly string[] = ["onAppUpdate", "onAppDelete", "never"];

function parseRule(value: unknown, where: string): GcRule {
  if (!isObject(value)) throw new InvalidInputError(`${where}: a rule must be an object`);
  const strategy = value.strategy ?? "onAppUpdate";
  if (typeof strategy !== "string" || !strategies.includes(strategy))
    throw new InvalidInputError(`${where}: strategy must be one of ${strategies.join(", ")}`);
  return { selector: parseSelector(value.selector, where), strategy: strategy as GcStrategy };
}

/**
 * The application's `garbage-collect` policy (the first one); without one, KubeVela's
 * defaults. Malformed properties are an `InvalidInputError` naming the policy.
 */
export function gcPolicyOf(policies: readonly ApplicationPolicy[] = []): GarbageCollectPolicy {
  const policy = policies.find((p) => p.type === "garbage-collect");
  if (policy === undefined) return { keepLegacyResource: false, rules: [] };
  const where = `policy "${policy.name}" (garbage-collect)`;
  const props = policy.properties ?? {};
  const keep = props.keepLegacyResource ?? false;
  if (typeof keep !== "boolean")
    throw new InvalidInputError(`${where}: keepLegacyResource must be a boolean`);
  const rules = props.rules ?? [];
  if (!Array.isArray(rules)) throw new InvalidInputError(`${where}: rules must be a list`);
  return {
    keepLegacyResource: keep,
    rules: rules.map((r, i) => parseRule(r, `${where} rule ${i}`)),
  };
}

/** The strategy of the first rule selecting `entry`; `onAppUpdate` when none does. */
export const strategyOf = (entry: TrackerEntry, policy: GarbageCollectPolicy): GcStrategy =>
  policy.rules.find((r) => selects(r.selector, entry))?.strategy ?? "onAppUpdate";

/**
 * Keys under which current entries count as "still rendered". A cluster-scoped object is
 * tracked without a namespace once applied, but with the namespace render gave it when its
 * cluster could not be asked; either spelling of the same object counts as present.
 */
function presentKeys(current: readonly TrackerEntry[]): Set<string> {
  const keys = new Set<string>();
  for (const entry of current) {
    keys.add(entryKey(entry));
    keys.add(entryKey({ ...entry, namespace: undefined }));
  }
  return keys;
}

const isPresent = (keys: Set<string>, entry: TrackerEntry): boolean =>
  keys.has(entryKey(entry)) ||
  (entry.namespace === undefined && keys.has(entryKey({ ...entry, namespace: undefined })));

/** Garbage of an update from `previous` to `current` entries under the app's policies. */
export function garbage(
  previous: readonly TrackerEntry[],
  current: readonly TrackerEntry[],
  policies: readonly ApplicationPolicy[] = [],
): Garbage {
  const policy = gcPolicyOf(policies);
  const keys = presentKeys(current);
  const result = { delete: [] as TrackerEntry[], keep: [] as TrackerEntry[] };
  for (const entry of previous) {
    if (isPresent(keys, entry)) continue;
    const strategy = strategyOf(entry, policy);
    const kept = policy.keepLegacyResource || strategy !== "onAppUpdate";
    if (kept && entry.deleted !== true) result.keep.push(entry);
    else result.delete.push(entry);
  }
  return result;
}

/** What deleting the application deletes: everything but what a rule marks `never`. */
export function garbageOnAppDelete(
  entries: readonly TrackerEntry[],
  policies: readonly ApplicationPolicy[] = [],
): Garbage {
  const policy = gcPolicyOf(policies);
  const never = (e: TrackerEntry): boolean =>
    e.deleted !== true && strategyOf(e, policy) === "never";
  return { delete: entries.filter((e) => !never(e)), keep: entries.filter(never) };
}

/**
 * The tracker's entries after an update: the current ones, the kept ones, and garbage whose
 * deletion failed marked `deleted` so the next reconcile deletes it again (pure).
 */
export function nextEntries(
  current: readonly TrackerEntry[],
  collected: Garbage,
  undeleted: readonly TrackerEntry[],
): TrackerEntry[] {
  return [...current, ...collected.keep, ...undeleted.map((e) => ({ ...e, deleted: true }))];
}
