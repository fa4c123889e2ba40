/**
 * Delivery of one application's rendered objects: dispatch to the clusters that need it, then
 * the resource tracker and garbage collection. What the hub remembers per application between
 * reconciles (`AppMemory`) decides which clusters need a dispatch:
 *
 * - the render changed (the render cache hands out the same frozen array while the inputs are
 *   unchanged, so identity is the test): every cluster, stage `update`;
 * - otherwise a cluster whose last dispatch failed, once its backoff is due (stage `update`),
 *   and a cluster last applied `stateKeepMs` ago or more (stage `stateKeep`: drift made on the
 *   member is corrected, apply-once paths are left alone).
 *
 * Every other cluster keeps its last result. The tracker then holds every rendered object
 * (failed ones too, so they never look like garbage); objects no longer rendered are deleted
 * as the garbage-collect policy says, and deletions that fail stay tracked and are retried.
 */
import type { RevisionSummary } from "../../engine/revision/revision.js";
import type { Clock } from "../../core/controller/clock.js";
import type { Application } from "../../engine/oam/types.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { dispatch } from "./dispatch.js";
import { createClusterRetries, type ClusterRetries } from "./retry.js";
import type { ClientFor, ClusterResult, ClusterTiming } from "./types.js";
import { deleteObjects, undeleted } from "../tracker/delete.js";
import { entryKey, trackerEntries, type TrackerEntry } from "../tracker/entries.js";
import { garbage, nextEntries } from "../tracker/garbage.js";
import type { TrackerState } from "../tracker/manifest.js";
import { readTracker, writeTracker, type TrackerClient } from "../tracker/store.js";
import { resumedAge, resumedResult } from "./resume.js";

export interface AppMemory {
  rendered?: readonly RenderedObject[];
  readonly results: Map<string, ClusterResult>;
  readonly appliedAt: Map<string, number>;
  readonly retries: ClusterRetries;
  tracker?: TrackerState;
  /** The objects last released by the workflow (kept so an unchanged release keeps its identity). */
  released?: readonly RenderedObject[];
  /** The latest ApplicationRevision as read or created (needed under a publishVersion). */
  revision?: RevisionSummary;
  /** The revision last marked succeeded. */
  succeededRevision?: string;
}

export const newMemory = (clock: Clock): AppMemory => ({
  results: new Map(),
  appliedAt: new Map(),
  retries: createClusterRetries({ clock }),
});

export interface DeliverOptions {
  readonly app: Application;
  readonly generation: number;
  readonly rendered: readonly RenderedObject[];
  readonly memory: AppMemory;
  readonly clientFor: ClientFor;
  readonly tracker: TrackerClient;
  readonly clock: Clock;
  readonly stateKeepMs: number;
  readonly parallelism: number;
  /** Also tracked: objects delivered another way (applied by workflow steps). */
  readonly extraEntries?: readonly TrackerEntry[];
  /**
   * False while a workflow is still running: objects no longer rendered stay tracked and in
   * place until it has finished (KubeVela collects garbage after the workflow succeeded).
   */
  readonly collectGarbage?: boolean;
  /** Told how long each cluster's apply or delete took (the hub's dispatch histogram). */
  readonly observe?: ClusterTiming;
}

export interface Delivery {
  /** One result per cluster the app is rendered for (fresh or remembered). */
  readonly results: readonly ClusterResult[];
  /** Tracked objects (current and kept), for `appliedResources`. */
  readonly entries: readonly TrackerEntry[];
  /** When a failed cluster or deletion should be tried again. */
  readonly requeueAfterMs?: number;
}

const clustersOf = (rendered: readonly RenderedObject[]): string[] => [
  ...new Set(rendered.map((r) => r.target.cluster)),
];

function plan(options: DeliverOptions, clusters: readonly string[], resumed: ReadonlySet<string>) {
  const { memory } = options;
  if (memory.rendered !== options.rendered)
    return { update: clusters.filter((c) => !resumed.has(c)), stateKeep: [] };
  const now = options.clock.now();
  const update = clusters.filter(
    (c) => memory.results.get(c)?.ok !== true && memory.retries.isDue(c),
  );
  const stateKeep = clusters.filter(
    (c) =>
      memory.results.get(c)?.ok === true &&
      now - (memory.appliedAt.get(c) ?? 0) >= options.stateKeepMs,
  );
  return { update, stateKeep };
}

async function dispatchTo(
  options: DeliverOptions,
  clusters: readonly string[],
  stage: "update" | "stateKeep",
): Promise<ClusterResult[]> {
  if (clusters.length === 0) return [];
  const wanted = new Set(clusters);
  return dispatch({
    clientFor: options.clientFor,
    objects: options.rendered.filter((r) => wanted.has(r.target.cluster)),
    parallelism: options.parallelism,
    clock: options.clock,
    policies: options.app.spec.policies ?? [],
    stage,
    ...(options.observe === undefined ? {} : { observe: options.observe }),
  });
}

function storeOf(options: DeliverOptions) {
  const app = {
    name: options.app.metadata.name,
    namespace: options.app.metadata.namespace ?? "default",
  };
  return { hub: options.tracker, app, clock: options.clock };
}

async function trackerOf(options: DeliverOptions): Promise<TrackerState> {
  options.memory.tracker ??= (await readTracker(storeOf(options))) ?? {
    generation: 0,
    entries: [],
  };
  return options.memory.tracker;
}

/**
 * After a restart (nothing remembered yet): clusters the tracker shows as already holding
 * exactly this render (hub/dispatch/resume.ts) are remembered as applied, not dispatched.
 */
async function resume(options: DeliverOptions, clusters: readonly string[]): Promise<Set<string>> {
  const { memory } = options;
  if (memory.rendered !== undefined || memory.results.size > 0) return new Set();
  const { entries } = await trackerOf(options);
  const now = options.clock.now();
  const resumed = new Set<string>();
  for (const cluster of clusters) {
    const result = resumedResult(cluster, options.rendered, entries);
    if (result === undefined) continue;
    const key = `${options.app.metadata.namespace ?? "default"}/${options.app.metadata.name}/${cluster}`;
    memory.results.set(cluster, result);
    memory.appliedAt.set(cluster, now - resumedAge(key, options.stateKeepMs));
    resumed.add(cluster);
  }
  return resumed;
}

async function collect(
  options: DeliverOptions,
  current: TrackerEntry[],
): Promise<{ entries: TrackerEntry[]; failed: number }> {
  const { memory } = options;
  const store = storeOf(options);
  const tracked = await trackerOf(options);
  const found = garbage(tracked.entries, current, options.app.spec.policies ?? []);
  const collected =
    options.collectGarbage === false
      ? { delete: [], keep: [...found.keep, ...found.delete] }
      : found;
  const results = await deleteObjects({
    clientFor: options.clientFor,
    refs: collected.delete,
    parallelism: options.parallelism,
    now: () => options.clock.now(),
    ...(options.observe === undefined ? {} : { observe: options.observe }),
  });
  const failed = undeleted(results);
  const entries = nextEntries(current, collected, failed);
  const state = { generation: options.generation, entries };
  if (JSON.stringify(state) !== JSON.stringify(memory.tracker)) {
    await writeTracker({ ...store, state });
    memory.tracker = state;
  }
  return { entries, failed: failed.length };
}

function withExtra(entries: TrackerEntry[], extra: readonly TrackerEntry[] = []): TrackerEntry[] {
  const keys = new Set(entries.map(entryKey));
  return [...entries, ...extra.filter((e) => !keys.has(entryKey(e)))];
}

export async function deliver(options: DeliverOptions): Promise<Delivery> {
  const { memory } = options;
  const clusters = clustersOf(options.rendered);
  const todo = plan(options, clusters, await resume(options, clusters));
  const fresh = [
    ...(await dispatchTo(options, todo.update, "update")),
    ...(await dispatchTo(options, todo.stateKeep, "stateKeep")),
  ];
  const now = options.clock.now();
  for (const result of fresh) {
    memory.results.set(result.cluster, result);
    if (result.ok) memory.appliedAt.set(result.cluster, now);
  }
  for (const cluster of [...memory.results.keys()]) {
    if (!clusters.includes(cluster)) memory.results.delete(cluster);
  }
  memory.rendered = options.rendered;
  const retry = memory.retries.record(fresh);
  const results = clusters.flatMap((c) => memory.results.get(c) ?? []);
  const current = withExtra(trackerEntries(results, options.generation), options.extraEntries);
  const { entries, failed } = await collect(options, current);
  const requeueAfterMs =
    failed > 0 ? Math.min(retry.requeueAfterMs ?? 5_000, 5_000) : retry.requeueAfterMs;
  return { results, entries, ...(requeueAfterMs === undefined ? {} : { requeueAfterMs }) };
}
