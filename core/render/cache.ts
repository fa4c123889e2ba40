/**
 * A render cache for the hub's resync sweeps: an application whose inputs have not changed
 * renders to the same objects, so the second render is a lookup. The key is everything a
 * render reads: the definition set (by identity: loading definitions again makes a new set,
 * which starts an empty cache), and the application's name, namespace, labels, annotations,
 * spec and revision. Other metadata (resourceVersion, managedFields, status) is not part of the
 * key, so a status write does not invalidate the entry.
 *
 * Cached results are deep-frozen and shared between callers; copy before changing them.
 * Failures are not cached. Entries per definition set are bounded (least recently used go).
 */
import type { Application } from "../oam/types.js";
import type { DefinitionSet } from "./definition-set.js";
import { renderApplication, type RenderedObject, type RenderInput } from "./render.js";

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

/** The cache key of an application render (pure). */
export function renderKey(app: Application, revision = 1): string {
  const { name, namespace, labels, annotations } = app.metadata;
  return JSON.stringify([name, namespace ?? "default", labels, annotations, app.spec, revision]);
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
      const key = renderKey(input.app, input.revision);
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
