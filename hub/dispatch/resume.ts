/**
 * Resuming delivery after a hub restart (pure). A fresh hub remembers nothing, so without help
 * its first reconcile of every application would apply everything again: a storm of applies
 * at startup that grows with the fleet. Instead, a cluster whose tracked objects are exactly
 * the ones rendered now (same set of content digests, none pending deletion) counts as
 * delivered: its result is rebuilt from the tracker and its next state-keep apply is spread
 * over the state-keep period, so drift made while the hub was down is corrected within one
 * period, as if the hub had kept running. A cluster with any difference (a changed definition,
 * a failed apply, an object never applied) is dispatched as usual.
 */
import { createHash } from "node:crypto";
import { objectDigest } from "./digest.js";
import type { ClusterResult } from "./types.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { trackedObject, type TrackerEntry } from "../tracker/entries.js";

/** The remembered result of `cluster`, or undefined when it needs a dispatch. */
export function resumedResult(
  cluster: string,
  objects: readonly RenderedObject[],
  entries: readonly TrackerEntry[],
): ClusterResult | undefined {
  const rendered = objects.filter((o) => o.target.cluster === cluster);
  const tracked = entries.filter((e) => e.cluster === cluster && e.deleted !== true);
  if (rendered.length === 0 || rendered.length !== tracked.length) return undefined;
  const want = rendered.map((o) => objectDigest(o.object)).sort();
  const have = tracked.map((e) => e.digest ?? "").sort();
  if (want.some((digest, i) => digest !== have[i])) return undefined;
  return { cluster, ok: true, applied: tracked.map(trackedObject) };
}

/**
 * How long ago a resumed cluster counts as applied: a fixed point in [0, period) per
 * application and cluster, so resumed clusters come due for state-keep evenly over one period
 * instead of all at once.
 */
export function resumedAge(key: string, stateKeepMs: number): number {
  if (!(stateKeepMs > 0)) return 0;
  const hash = createHash("sha256").update(key).digest();
  return hash.readUInt32BE(0) % Math.floor(stateKeepMs);
}
