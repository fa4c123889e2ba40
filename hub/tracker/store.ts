/**
 * Reading and writing an application's ResourceTracker on the hub (the I/O edge of the
 * tracker). Writes are level-based: the caller passes the whole desired state; a write that
 * would change nothing is skipped; a conflict (409: someone else wrote in between, or created
 * it first) re-reads and tries again with backoff, up to `attempts` times.
 */
import type { CustomObjectsApi } from "@kubernetes/client-node";
import { apiStatusOf, kubeError } from "../../core/cluster/kube.js";
import { backoffDelay, type BackoffOptions } from "../../core/controller/backoff.js";
import { sleep, systemClock, type Clock } from "../../core/controller/clock.js";
import { ConflictError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import {
  TRACKER_GROUP,
  TRACKER_PLURAL,
  TRACKER_VERSION,
  trackerManifest,
  trackerName,
  trackerStateOf,
  type AppKey,
  type TrackerState,
} from "./manifest.js";

/** The calls the store makes (client-node's `CustomObjectsApi` on the hub). */
export type TrackerClient = Pick<
  CustomObjectsApi,
  | "getClusterCustomObject"
  | "createClusterCustomObject"
  | "replaceClusterCustomObject"
  | "deleteClusterCustomObject"
>;

export interface TrackerStoreOptions {
  readonly hub: TrackerClient;
  readonly app: AppKey;
  readonly clock?: Clock;
}

const where = { group: TRACKER_GROUP, version: TRACKER_VERSION, plural: TRACKER_PLURAL };
const conflictBackoff: BackoffOptions = { baseMs: 10, maxMs: 1_000 };

async function readObject(options: TrackerStoreOptions): Promise<JsonObject | undefined> {
  const name = trackerName(options.app);
  try {
    return (await options.hub.getClusterCustomObject({ ...where, name })) as JsonObject;
  } catch (error) {
    if (apiStatusOf(error) === 404) return undefined;
    throw kubeError(error, `read ResourceTracker ${name}`);
  }
}

/** The application's tracker, or undefined when it has none. */
export async function readTracker(options: TrackerStoreOptions): Promise<TrackerState | undefined> {
  const object = await readObject(options);
  return object === undefined ? undefined : trackerStateOf(object);
}

const specOf = (object: JsonObject | undefined): unknown =>
  isObject(object) ? object.spec : undefined;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The current metadata with the desired labels added (other labels are kept). */
function mergedMetadata(current: JsonObject, desired: JsonObject): JsonObject {
  const meta = isObject(current.metadata) ? current.metadata : {};
  const want = isObject(desired.metadata) ? desired.metadata : {};
  const labels = {
    ...(isObject(meta.labels) ? meta.labels : {}),
    ...(isObject(want.labels) ? want.labels : {}),
  };
  return { ...meta, labels };
}

/** One attempt: "done", or "conflict" when another writer got in between. */
async function writeOnce(
  options: TrackerStoreOptions,
  desired: JsonObject,
): Promise<"done" | "conflict"> {
  const current = await readObject(options);
  if (current !== undefined && same(specOf(current), desired.spec)) return "done";
  const name = trackerName(options.app);
  try {
    if (current === undefined) {
      await options.hub.createClusterCustomObject({ ...where, body: desired });
    } else {
      const body = { ...current, metadata: mergedMetadata(current, desired), spec: desired.spec };
      await options.hub.replaceClusterCustomObject({ ...where, name, body });
    }
    return "done";
  } catch (error) {
    if (apiStatusOf(error) === 409) return "conflict";
    throw kubeError(error, `write ResourceTracker ${name}`);
  }
}

/**
 * Makes the application's tracker hold `state` (creating it when missing). Throws the typed
 * error of a failed call, or `ConflictError` when every attempt met a conflict.
 */
export async function writeTracker(
  options: TrackerStoreOptions & { readonly state: TrackerState; readonly attempts?: number },
): Promise<void> {
  const desired = trackerManifest(options.app, options.state);
  const clock = options.clock ?? systemClock;
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if ((await writeOnce(options, desired)) === "done") return;
    const delay = backoffDelay(attempt, conflictBackoff);
    await sleep(clock, delay);
  }
  throw new ConflictError(
    `write ResourceTracker ${trackerName(options.app)}: still conflicting after ${attempts} attempts`,
  );
}

/** Deletes the application's tracker; false when there was none. */
export async function deleteTracker(options: TrackerStoreOptions): Promise<boolean> {
  const name = trackerName(options.app);
  try {
    await options.hub.deleteClusterCustomObject({ ...where, name });
    return true;
  } catch (error) {
    if (apiStatusOf(error) === 404) return false;
    throw kubeError(error, `delete ResourceTracker ${name}`);
  }
}
