/**
 * A render cache for the hub's resync sweeps: an application whose inputs have not changed
 * renders to the same objects, so the second render is a lookup. The key is everything a
 * render reads: the definition set (by identity: loading definitions again makes a new set,
 * which starts an empty cache), and the application's name, namespace, labels, annotations,
 * spec and revision, and — when the hub resolves cluster selectors or node pools — the clusters
 * each topology policy resolves to now and, for a topology targeting node pools, the pools (with
 * their taints) of each of those clusters, so a cluster joining or changing labels, or a pool
 * appearing, disappearing or changing taints, renders afresh. Other metadata (resourceVersion,
 * managedFields, status) is not part of the key, so a status write does not invalidate the entry.
 *
 * Cached results are deep-frozen and shared between callers; copy before changing them.
 * Failures are not cached. Entries per definition set are bounded (least recently used go).
 */
import { isObject } from "../../core/json.js";
import { type Application } from "../oam/types.js";
import type { DefinitionSet } from "./definition-set.js";
import { convertEnvBinding } from "./env-binding.js";
import { renderApplication, type RenderedObject, type RenderInput } from "./render.js";
import { targetsNodePools, type PoolResolver } from "./node-pools.js";
import { offlineResolver, type ClusterResolver } from "./targets.js";

export interface RenderCacheOptions {
  /** Entries kept per definition set; default 1,000. */
  readonly maxEntries?: number;
  /** The render to cache; default `renderApplication` (tests may count calls). */
  readonly render?: (input: RenderInput) => RenderedObject[];
}

export interface RenderCache {
  /** Same contract as `renderApplication`, but the result is frozen. */
  render(input: RenderInput): readonly RenderedObject[];
  stats(): { hits: number; misses: number };
}

/** What each topology policy resolves to (selectors looked up in the registry). */
function placementKey(
  app: Application,
  resolve: ClusterResolver | undefined,
  resolvePools: PoolResolver | undefined,
): unknown[] {
  if (resolve === undefined && resolvePools === undefined) return [];
  const clustersOf = resolve ?? offlineResolver;
  return (convertEnvBinding(app).spec.policies ?? [])
    .filter((p) => p.type === "topology")
    .map((p) => {
      const props = isObject(p.properties) ? p.properties : {};
      const clusters = clustersOf(props);
      if (resolvePools === undefined || !targetsNodePools(props)) return clusters;
      return clusters.map((c) => [c, resolvePools(c, props)]);
    });
}

/** What of a render's input the cache key needs besides the application. */
export interface RenderKeyOptions {
  readonly revision?: number;
  readonly resolveClusters?: ClusterResolver;
  readonly resolvePools?: PoolResolver;
}

/** The cache key of an application render (pure given the resolvers). */
export function renderKey(
  app: Application,
  revisionOrOptions: number | RenderKeyOptions = 1,
  resolve?: ClusterResolver,
): string {
  const options =
    typeof revisionOrOptions === "number"
      ? { revision: revisionOrOptions, resolveClusters: resolve }
      : revisionOrOptions;
  const { name, namespace, labels, annotations } = app.metadata;
  const placements = placementKey(app, options.resolveClusters, options.resolvePools);
  return JSON.stringify([
    name,
    namespace ?? "default",
    labels,
    annotations,
    app.spec,
    options.revision ?? 1,
    placements,
  ]);
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

export function renderCache(options: RenderCacheOptions = {}): RenderCache {
  const max = options.maxEntries ?? 1000;
  const render = options.render ?? renderApplication;
  const bySet = new WeakMap<DefinitionSet, Map<string, readonly RenderedObject[]>>();
  const counts = { hits: 0, misses: 0 };
  const entriesOf = (set: DefinitionSet): Map<string, readonly RenderedObject[]> => {
    let map = bySet.get(set);
    if (map === undefined) {
      map = new Map<string, readonly RenderedObject[]>();
      bySet.set(set, map);
    }
    return map;
  };
  return {
    render(input) {
      const map = entriesOf(input.definitions);
      const key = renderKey(input.app, input);
      const hit = map.get(key);
      if (hit !== undefined) {
        counts.hits++;
        map.delete(key); // re-insert: Map order is the recency order
        map.set(key, hit);
        return hit;
      }
      counts.misses++;
      const result = deepFreeze(render(input));
      map.set(key, result);
      if (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
      return result;
    },
    stats: () => ({ ...counts }),
  };
}
