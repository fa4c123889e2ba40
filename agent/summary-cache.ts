/**
 * A list-watch that keeps summaries, not objects: every listed or watched object is reduced
 * at once by `summarise` to the few fields the agent needs, so 1,000 nodes or 10,000 pods cost
 * a few hundred bytes each instead of whole objects (core's informer caches whole objects).
 *
 * It lists (from the API server's watch cache, `resourceVersion=0`), then watches from the
 * list's resourceVersion with bookmarks, asking the server to end each watch after a few
 * minutes (as client-go's reflector does) and watching again from the last resourceVersion.
 * A 410 Gone re-lists at once; any other failure re-lists after exponential backoff, until
 * `stop()`. The summaries of the last good state are kept meanwhile. `onChange` is called
 * when a summary was added, changed or removed — not for updates that leave it equal.
 */
import { createKeyedBackoff, type BackoffOptions } from "../core/controller/backoff.js";
import { systemClock, type Clock, type TimerHandle } from "../core/controller/clock.js";
import { errorText, silentLogger, type Logger } from "../core/controller/logger.js";
import { jsonEqual } from "./diff.js";
import { statusOf, type KubeClient } from "./kube-client.js";

export interface ListResult {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
}

export interface SummaryCacheOptions<S> {
  readonly client: KubeClient;
  /** The collection's API path, e.g. `/api/v1/nodes`. */
  readonly path: string;
  /** Extra watch query parameters (e.g. a `fieldSelector`, the same the list uses). */
  readonly query?: Readonly<Record<string, string>>;
  /** Lists the collection (with the same selectors), preferably with `resourceVersion=0`. */
  readonly list: () => Promise<ListResult>;
  /** The summary of an object, or undefined when it should not be kept. */
  readonly summarise: (obj: unknown) => S | undefined;
  readonly onChange?: () => void;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Re-list delay after failures; default 1 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /** Server-side end of each watch; default a random 300-600 s. */
  readonly watchTimeoutSeconds?: number;
}

export interface SummaryCache<S> {
  /** Starts listing and watching in the background. Idempotent. */
  start(): void;
  /** Stops watching and cancels a pending retry. Idempotent. */
  stop(): void;
  /** True once a list has succeeded (it stays true). */
  synced(): boolean;
  /** The current summaries by key (`namespace/name`, or `name`). */
  summaries(): ReadonlyMap<string, S>;
}

type Loose = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

const keyOf = (obj: unknown): string => {
  const meta = (obj as Loose | null)?.metadata ?? {};
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ""}` : (meta.name ?? "");
};

export function createSummaryCache<S>(options: SummaryCacheOptions<S>): SummaryCache<S> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const backoff = createKeyedBackoff(options.backoff ?? { baseMs: 1_000, maxMs: 30_000 });
  const state = {
    started: false,
    stopped: false,
    synced: false,
    gone: false,
    rv: "",
    watchedAt: 0,
  };
  let cache = new Map<string, S>();
  let timer: TimerHandle;
  let abort: (() => void) | undefined;

  /** Applies one object; true when its summary changed. */
  const apply = (obj: unknown, deleted: boolean): boolean => {
    const key = keyOf(obj);
    const summary = deleted ? undefined : options.summarise(obj);
    const previous = cache.get(key);
    if (summary === undefined) return cache.delete(key);
    if (previous !== undefined && jsonEqual(previous, summary)) return false;
    cache.set(key, summary);
    return true;
  };

  const retry = (delayMs: number, why: unknown): void => {
    if (state.stopped || timer !== undefined) return;
    if (why !== undefined)
      log.warn("list/watch failed; retrying", {
        path: options.path,
        error: errorText(why),
        inMs: delayMs,
      });
    timer = clock.setTimeout(() => {
      timer = undefined;
      void relist();
    }, delayMs);
  };

  const onEvent = (type: string, obj: unknown): void => {
    if (type === "ERROR") {
      state.gone = (obj as { code?: number } | null)?.code === 410;
      return;
    }
    const rv = (obj as Loose | null)?.metadata?.resourceVersion;
    if (rv !== undefined) state.rv = rv;
    if (type === "BOOKMARK") return;
    if (apply(obj, type === "DELETED")) options.onChange?.();
  };

  const onDone = (error?: unknown): void => {
    abort = undefined;
    if (state.stopped) return;
    if (state.gone || statusOf(error) === 410) retry(0, undefined);
    else if (error !== null && error !== undefined) retry(backoff.next(options.path), error);
    // A watch the server ends at once, again and again, must not spin: back off then too.
    else if (clock.now() - state.watchedAt < 1_000) retry(backoff.next(options.path), undefined);
    else watch();
  };

  function watch(): void {
    state.gone = false;
    state.watchedAt = clock.now();
    const timeoutSeconds = options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const query = {
      ...options.query,
      resourceVersion: state.rv,
      allowWatchBookmarks: "true",
      timeoutSeconds: String(timeoutSeconds),
    };
    abort = options.client.watch(options.path, query, onEvent, onDone);
  }

  async function relist(): Promise<void> {
    if (state.stopped) return;
    try {
      const listed = await options.list();
      const previous = cache;
      cache = new Map();
      for (const item of listed.items) apply(item, false);
      state.rv = listed.resourceVersion;
      state.synced = true;
      backoff.forget(options.path);
      const changed =
        previous.size !== cache.size ||
        [...cache].some(([key, value]) => !jsonEqual(previous.get(key), value));
      if (changed) options.onChange?.();
    } catch (error) {
      retry(backoff.next(options.path), error);
      return;
    }
    watch();
  }

  return {
    start() {
      if (state.started) return;
      state.started = true;
      void relist();
    },
    stop() {
      state.stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      abort?.();
      abort = undefined;
    },
    synced: () => state.synced,
    summaries: () => cache,
  };
}
