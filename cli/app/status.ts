/**
 * `flotilla status <app> [-n ns] [--tree [--detail]] [-o yaml|json]`: an application's state
 * as the hub reports it. Without flags a summary (summary.ts); `-o` prints the status object;
 * `--tree` reads every applied resource where it lives (live.ts) and prints KubeVela's
 * resource tree (tree.ts), with each object's details under `--detail`; copies delivered to
 * edge node pools are placed under their pool with its readiness. The flags are checked
 * before the hub is contacted.
 */
import { stringify } from "yaml";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Clock } from "../../core/controller/clock.js";
import type { AppliedResource, ServiceStatus } from "../../engine/oam/status.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { NODEPOOL_LABEL } from "../../core/cluster/agent-contract.js";
import { podSpecPath } from "../../engine/render/pool-placement.js";
import { CliError, type Output } from "../output.js";
import type { ApplicationsClient } from "./applications.js";
import { applyTimeOf, detailOf } from "./detail.js";
import { describeApp, statusView, type AppRef, type LiveApplication } from "./live-app.js";
import { readLiveObjects, type LiveResult } from "./live.js";
import { summaryLines } from "./summary.js";
import { treeLines, type TreeRow } from "./tree.js";

export type StatusMode = "summary" | "tree" | "yaml" | "json";

export interface StatusFlags {
  readonly tree?: boolean;
  readonly detail?: boolean;
  readonly output?: string;
}

/** What to print, from the flags; `CliError` for a combination that makes no sense. */
export function statusMode(flags: StatusFlags): StatusMode {
  if (flags.output !== undefined && flags.output !== "yaml" && flags.output !== "json") {
    throw new CliError(`unknown output format "${flags.output}" (use yaml or json)`);
  }
  if (flags.output !== undefined && flags.tree === true) {
    throw new CliError("--tree and -o cannot be used together");
  }
  if (flags.detail === true && flags.tree !== true) {
    throw new CliError("--detail only works with --tree");
  }
  return flags.output ?? (flags.tree === true ? "tree" : "summary");
}

/** One tree row from an applied resource and what its cluster said about it (pure). */
export function treeRow(ref: AppliedResource, live: LiveResult, now: number): TreeRow {
  const base = {
    cluster: ref.cluster || "local",
    namespace: ref.namespace ?? "-",
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
  };
  if (live.state === "found") {
    const object = live.object;
    return {
      ...base,
      status: "updated",
      applyTime: applyTimeOf(object),
      detail: detailOf(object, now),
    };
  }
  const detail = live.reason === undefined ? "" : `Error: ${live.reason}`;
  return { ...base, status: live.state, applyTime: "", detail };
}

/** One component's copy in an edge node pool, as the app's status reports it. */
interface PoolCopy {
  readonly component: string;
  readonly pool: string;
  /** `beijing (Ready)`: the pool and its readiness. */
  readonly label: string;
}

/** Pool copies by `cluster|namespace`. */
export type PoolCopies = ReadonlyMap<string, readonly PoolCopy[]>;

const placeKey = (cluster: string, namespace: string): string => `${cluster}|${namespace}`;

/** Ready / NotReady as the pool's agent reported it; Unknown when not reported or stale. */
function poolState(s: ServiceStatus): string {
  if (s.stale === true || s.nodePool?.ready === undefined) return "Unknown";
  return s.nodePool.ready ? "Ready" : "NotReady";
}

/** The app's pool copies, from the services with a `nodePool` (pure). */
export function poolCopies(services: readonly ServiceStatus[]): PoolCopies {
  const copies = new Map<string, PoolCopy[]>();
  for (const s of services) {
    if (s.nodePool === undefined) continue;
    const key = placeKey(s.cluster, s.namespace);
    const label = `${s.nodePool.name} (${poolState(s)})`;
    copies.set(key, [
      ...(copies.get(key) ?? []),
      { component: s.name, pool: s.nodePool.name, label },
    ]);
  }
  return copies;
}

/** The value at `path` in plain JSON, or undefined. */
function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isObject(v) ? v[key] : undefined;
  return v;
}

/** The pool a live workload's pods are pinned to (its pod spec's nodeSelector), if any. */
function pinnedPool(object: JsonObject | undefined): string | undefined {
  const path = object === undefined ? undefined : podSpecPath(object);
  const pool =
    path === undefined ? undefined : at(object, [...path, "nodeSelector", NODEPOOL_LABEL]);
  return typeof pool === "string" ? pool : undefined;
}

/**
 * The pool (with its readiness) of an applied resource that is a pool copy, else undefined
 * (pure). Candidates are the pool copies in the resource's cluster and namespace — of its
 * component when the live object names one (`app.oam.dev/component`). A workload pinned to a
 * candidate pool by its nodeSelector belongs to it; otherwise the resource belongs to the
 * pool its name ends with (`-<pool>`: the hub names per-pool copies so), the longest such.
 * Objects shared by the pools of a cluster (a Service, a HelmRepository) belong to none.
 */
export function poolOf(
  ref: AppliedResource,
  live: LiveResult,
  copies: PoolCopies,
): string | undefined {
  if (ref.namespace === undefined) return undefined;
  const candidates = copies.get(placeKey(ref.cluster || "local", ref.namespace)) ?? [];
  const object = live.state === "found" ? live.object : undefined;
  const component = at(object, ["metadata", "labels", "app.oam.dev/component"]);
  const mine =
    typeof component === "string"
      ? candidates.filter((c) => c.component === component)
      : candidates;
  const pinned = pinnedPool(object);
  const byPlacement = mine.find((c) => c.pool === pinned);
  if (byPlacement !== undefined) return byPlacement.label;
  const byName = mine
    .filter((c) => ref.name.endsWith(`-${c.pool}`))
    .sort((a, b) => b.pool.length - a.pool.length);
  return byName[0]?.label;
}

export interface StatusInput {
  readonly apps: ApplicationsClient;
  readonly hub: KubeConfig;
  readonly ref: AppRef;
  readonly mode: StatusMode;
  readonly detail: boolean;
  readonly clock: Clock;
  readonly io: Output;
}

/** The lines of the summary or of the status object (pure). */
export function statusLines(app: LiveApplication, mode: Exclude<StatusMode, "tree">): string[] {
  if (mode === "json") return [JSON.stringify(app.status ?? {}, null, 2)];
  if (mode === "yaml") return [stringify(app.status ?? {}).trimEnd()];
  return summaryLines(app, statusView(app));
}

/** The tree's lines, after reading every applied resource where it lives. */
async function treeOf(app: LiveApplication, input: StatusInput): Promise<string[]> {
  const applied = statusView(app).appliedResources;
  if (applied.length === 0) {
    input.io.err(`${describeApp(input.ref)} has no applied resources yet`);
    return [];
  }
  const live = await readLiveObjects(applied, { hub: input.hub });
  const now = input.clock.now();
  const copies = poolCopies(statusView(app).services);
  const rows = applied.map((ref, i): TreeRow => {
    const found = live[i] ?? { state: "unknown", reason: "not read" };
    const pool = poolOf(ref, found, copies);
    return { ...treeRow(ref, found, now), ...(pool === undefined ? {} : { pool }) };
  });
  return treeLines(rows, { detail: input.detail });
}

export async function appStatus(input: StatusInput): Promise<void> {
  const app = await input.apps.get(input.ref);
  const lines = input.mode === "tree" ? await treeOf(app, input) : statusLines(app, input.mode);
  for (const line of lines) input.io.out(line);
}
