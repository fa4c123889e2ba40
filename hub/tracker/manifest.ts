/**
 * The ResourceTracker object (pure): one cluster-scoped `core.oam.dev/v1beta1`
 * ResourceTracker per application, named `<app>-<namespace>` (KubeVela's root tracker name)
 * and labelled `app.oam.dev/name` / `app.oam.dev/namespace` as KubeVela's, so `vela` and
 * `kubectl get rt` find it. Flotilla keeps one tracker per application instead of KubeVela's
 * root + one per generation: the generation lives on each entry (docs/adr/0006).
 *
 * `spec.managedResources` uses KubeVela's field names (`cluster`, `apiVersion`, `kind`,
 * `namespace`, `name`, `component`, `trait`, `deleted`). What KubeVela has no field for — the
 * component type, the generation that last rendered the object, apply-once, the digest of what
 * was last applied (so a restarted hub knows what is already delivered) — rides in `raw`,
 * which KubeVela uses for a copy of the dispatched object and the CRD preserves: here a
 * metadata-only copy (its OAM labels, plus `flotilla.dev/*` annotations).
 */
import { isObject, nonEmpty, type JsonObject } from "../../core/json.js";
import type { TrackerEntry } from "./entries.js";

export const TRACKER_GROUP = "core.oam.dev";
export const TRACKER_VERSION = "v1beta1";
export const TRACKER_PLURAL = "resourcetrackers";

const GENERATION = "flotilla.dev/generation";
const APPLY_ONCE = "flotilla.dev/apply-once";
const DIGEST = "flotilla.dev/digest";

export interface AppKey {
  readonly name: string;
  readonly namespace: string;
}

/** What a tracker holds, as Flotilla reads it. */
export interface TrackerState {
  readonly generation: number;
  readonly entries: readonly TrackerEntry[];
}

export const trackerName = (app: AppKey): string => `${app.name}-${app.namespace}`;

function rawOf(entry: TrackerEntry): JsonObject {
  const labels: Record<string, string> = { "app.oam.dev/component": entry.component };
  if (entry.workloadType !== undefined) labels["workload.oam.dev/type"] = entry.workloadType;
  if (entry.trait !== undefined) labels["trait.oam.dev/type"] = entry.trait;
  const annotations: Record<string, string> = { [GENERATION]: String(entry.generation) };
  if (entry.applyOnce === true) annotations[APPLY_ONCE] = "true";
  if (entry.digest !== undefined) annotations[DIGEST] = entry.digest;
  const metadata = {
    name: entry.name,
    ...(entry.namespace === undefined ? {} : { namespace: entry.namespace }),
    labels,
    annotations,
  };
  return { apiVersion: entry.apiVersion, kind: entry.kind, metadata };
}

function managedResource(entry: TrackerEntry): JsonObject {
  return {
    cluster: entry.cluster,
    apiVersion: entry.apiVersion,
    kind: entry.kind,
    ...(entry.namespace === undefined ? {} : { namespace: entry.namespace }),
    name: entry.name,
    component: entry.component,
    ...(entry.trait === undefined ? {} : { trait: entry.trait }),
    ...(entry.deleted === true ? { deleted: true } : {}),
    raw: rawOf(entry),
  };
}

/** The tracker's manifest (no resourceVersion) for `app` at `state`. */
export function trackerManifest(app: AppKey, state: TrackerState): JsonObject {
  return {
    apiVersion: `${TRACKER_GROUP}/${TRACKER_VERSION}`,
    kind: "ResourceTracker",
    metadata: {
      name: trackerName(app),
      labels: { "app.oam.dev/name": app.name, "app.oam.dev/namespace": app.namespace },
    },
    spec: {
      type: "versioned",
      applicationGeneration: state.generation,
      managedResources: state.entries.map(managedResource),
    },
  };
}

/** The Flotilla-only fields kept in an item's `raw` metadata copy. */
function extrasOf(item: JsonObject, generation: number): Partial<TrackerEntry> {
  const meta = isObject(item.raw) && isObject(item.raw.metadata) ? item.raw.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  const notes = isObject(meta.annotations) ? meta.annotations : {};
  const recorded = nonEmpty(notes[GENERATION]);
  const workloadType = nonEmpty(labels["workload.oam.dev/type"]);
  const digest = nonEmpty(notes[DIGEST]);
  return {
    generation: recorded !== undefined && /^\d+$/.test(recorded) ? Number(recorded) : generation,
    ...(workloadType === undefined ? {} : { workloadType }),
    ...(notes[APPLY_ONCE] === "true" ? { applyOnce: true } : {}),
    ...(digest === undefined ? {} : { digest }),
  };
}

function entryOf(item: JsonObject, generation: number): TrackerEntry | undefined {
  const [apiVersion, kind, name] = [
    nonEmpty(item.apiVersion),
    nonEmpty(item.kind),
    nonEmpty(item.name),
  ];
  if (apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  const [namespace, trait] = [nonEmpty(item.namespace), nonEmpty(item.trait)];
  return {
    // KubeVela leaves `cluster` empty for the hub.
    cluster: nonEmpty(item.cluster) ?? "local",
    apiVersion,
    kind,
    ...(namespace === undefined ? {} : { namespace }),
    name,
    component: nonEmpty(item.component) ?? "",
    ...(trait === undefined ? {} : { trait }),
    generation,
    ...extrasOf(item, generation),
    ...(item.deleted === true ? { deleted: true } : {}),
  };
}

/** A tracker object read from the hub, as entries; malformed items are skipped. */
export function trackerStateOf(object: unknown): TrackerState {
  const spec = isObject(object) && isObject(object.spec) ? object.spec : {};
  const generation =
    typeof spec.applicationGeneration === "number" ? spec.applicationGeneration : 0;
  const items = Array.isArray(spec.managedResources) ? spec.managedResources.filter(isObject) : [];
  const entries = items
    .map((item) => entryOf(item, generation))
    .filter((e): e is TrackerEntry => e !== undefined);
  return { generation, entries };
}
