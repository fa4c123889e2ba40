/**
 * A render cache for the hub's resync sweeps: an application whose inputs have not changed
 * renders to the same objects, so the second render is a lookup. The key is everything a
 * render reads: the definition set (by identity: loading definitions again makes a new set,
 * which starts an empty cache), and the application's name, namespace, labels, annotations,
 * spec and revision, and — when the hub resolves cluster selectors — the clusters each topology
 * policy resolves to now, so a cluster joining or changing labels renders afresh. Other metadata (resourceVersion, managedFields, status) is not part of the
 * key, so a status write does not invalidate the entry.
 *
 * Cached results are deep-frozen and shared between callers; copy before changing them.
 * Failures are not cached. Entries per definition set are bounded (least recently used go).
 */
import { isObject, type Application } from "../oam/types.js";
import type { DefinitionSet } from "./definition-set.js";
import { convertEnvBinding } from "./env-binding.js";
import { renderApplication, type RenderedObject, type RenderInput } from "./render.js";
import type { ClusterResolver } from "./targets.js";

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
function placementKey(app: Application, resolve: ClusterResolver | undefined): unknown[] {
  if (resolve === undefined) return [];
  return (convertEnvBinding(app).spec.policies ?? [])
    .filter((p) => p.type === "topology")
    .map((p) => resolve(isObject(p.properties) ? p.properties : {}));
}

/** The cache key of an application render (pure given the resolver). */
export function renderKey(app: Application, revision = 1, resolve?: ClusterResolver): string {
  const { name, namespace, labels, annotations } = app.metadata;
  const placements = placementKey(app, resolve);
  return JSON.stringify([
    name,
    namespace ?? "default",
    labels,
    annotations,
    app.spec,
    revision,
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
      const key = renderKey(input.app, input.revision, input.resolveClusters);
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
