/**
 * One reflector (client-go's, in small) on the plain-JSON client, for every program that does
 * not load client-node: it lists a collection, then watches it from the list's
 * resourceVersion with bookmarks, asking the server to end each watch after `timeoutSeconds`
 * (300-600 s, as client-go does), and keeps one value per object (`transform`: the object
 * itself for the gateway, a small summary for the agent; `store.ts`).
 *
 * - A watch the server ends is opened again from the last resourceVersion seen, at once; one
 *   that ends within a second of opening is opened again after the backoff instead, so a
 *   server that ends every watch at once is not asked again and again.
 * - 410 Gone (the watch's status or an `ERROR` event) re-lists at once; the re-list reports
 *   the removals it finds.
 * - Any other failure (list, watch, stream, a broken line, an `ERROR` event) re-lists after a
 *   backoff on the injected clock (1 s doubling to 30 s). The backoff is reset only once a
 *   watch has proved healthy: it delivered an event (a change or a bookmark) or ran until the
 *   server ended it normally. Merely opening proves nothing: a server that opens every watch
 *   and then ends it at once or sends an `ERROR` is asked less and less often.
 * - A watch still open 30 s after its timeout is presumed dead and replaced.
 *
 * The listener hears every change (not updates that leave a value equal). Failures are
 * logged, never thrown: an API server that is down only delays the cache.
 */
import {
  createKeyedBackoff,
  type BackoffOptions,
  type KeyedBackoff,
} from "../controller/backoff.js";
import type { Clock, TimerHandle } from "../controller/clock.js";
import { errorText, type Logger } from "../controller/logger.js";
import { isObject, nonEmpty, obj, type JsonObject } from "../json.js";
import type { KubeClient } from "./client.js";
import { kubeStatusOf } from "./status.js";
import { ObjectStore, type Change } from "./store.js";
import { watchStep, type WatchEvent } from "./watch-events.js";

export type { Change } from "./store.js";

export interface ReflectorOptions<T> {
  readonly client: KubeClient;
  /** The collection, e.g. `/api/v1/namespaces/vela-system/secrets`. */
  readonly path: string;
  /** `labelSelector` / `fieldSelector`, the same for the list and the watch. */
  readonly selectors?: Readonly<Record<string, string>>;
  /** The value kept for an object; undefined: not kept. */
  readonly transform: (object: JsonObject) => T | undefined;
  /** Whether two values are the same (no change is reported); default: never. */
  readonly equal?: (a: T, b: T) => boolean;
  /** Hears every change (after it was applied). */
  readonly onChange?: (change: Change<T>) => void;
  readonly clock: Clock;
  readonly log: Logger;
  /** Default 1 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /** Seconds each watch asks the server for; default a random 300-600. */
  readonly watchTimeoutSeconds?: () => number;
  /** List from the API server's watch cache (`resourceVersion=0`): cheaper, maybe older. */
  readonly listFromCache?: boolean;
  /** Timeout of a list; default the client's. */
  readonly listTimeoutMs?: number;
}

/** How long past its timeout a watch may stay open before it is presumed dead. */
const DEAD_WATCH_GRACE_MS = 30_000;
/** A watch the server ends sooner than this after it opened is retried after the backoff. */
export const SHORTEST_WATCH_MS = 1_000;

const randomTimeout = (): number => 300 + Math.floor(Math.random() * 300);

interface Retry {
  handle: TimerHandle;
  relist: boolean;
}

/** A list + watch of one collection, started by `start` and ended by `stop`. */
export class Reflector<T> {
  readonly #options: ReflectorOptions<T>;
  readonly #store: ObjectStore<T>;
  readonly #backoff: KeyedBackoff;
  readonly #state = { started: false, stopped: false, synced: false, resourceVersion: "" };
  /** The current watch's number; events and ends of older watches are ignored. */
  #generation = 0;
  #abort: AbortController | undefined;
  #deadline: TimerHandle;
  #retry: Retry | undefined;

  constructor(options: ReflectorOptions<T>) {
    this.#options = options;
    this.#store = new ObjectStore({
      transform: options.transform,
      ...(options.equal === undefined ? {} : { equal: options.equal }),
    });
    this.#backoff = createKeyedBackoff(options.backoff ?? { baseMs: 1_000, maxMs: 30_000 });
  }

  /** Lists and opens the watch; resolves after the first attempt (retrying in the background). */
  async start(): Promise<void> {
    if (this.#state.started) return;
    this.#state.started = true;
    await this.#attempt(true);
  }

  /** Ends the watch and any pending retry. Idempotent. */
  stop(): void {
    this.#state.stopped = true;
    if (this.#retry !== undefined) this.#options.clock.clearTimeout(this.#retry.handle);
    this.#retry = undefined;
    this.#endWatch();
  }

  /** True once a list has been applied (it stays true). */
  synced(): boolean {
    return this.#state.synced;
  }

  /** The kept values by key (`namespace/name`, or `name`). */
  items(): ReadonlyMap<string, T> {
    return this.#store.items();
  }

  async #attempt(relist: boolean): Promise<void> {
    if (this.#state.stopped) return;
    try {
      if (relist) await this.#list();
    } catch (error) {
      this.#fail(error);
      return;
    }
    try {
      await this.#watch();
    } catch (error) {
      // 410 Gone: the resourceVersion is too old to watch from; list again.
      if (kubeStatusOf(error) === 410) this.#schedule(true, 0);
      else this.#fail(error);
    }
  }

  async #list(): Promise<void> {
    const { client, path, selectors, listFromCache, listTimeoutMs } = this.#options;
    const list = await client.json<JsonObject>({
      path,
      query: { ...selectors, ...(listFromCache === true ? { resourceVersion: "0" } : {}) },
      ...(listTimeoutMs === undefined ? {} : { timeoutMs: listTimeoutMs }),
    });
    if (this.#state.stopped) return;
    const items = Array.isArray(list.items) ? list.items.filter(isObject) : [];
    for (const change of this.#store.replace(items)) this.#notify(change);
    this.#state.resourceVersion = nonEmpty(obj(list.metadata)?.resourceVersion) ?? "";
    this.#state.synced = true;
  }

  async #watch(): Promise<void> {
    this.#endWatch();
    if (this.#state.stopped) return; // stopped while the list was on its way
    const { client, clock } = this.#options;
    const generation = this.#generation;
    const abort = new AbortController();
    this.#abort = abort;
    const seconds = (this.#options.watchTimeoutSeconds ?? randomTimeout)();
    const onEvent = (event: WatchEvent): void => this.#onEvent(generation, event);
    const open = await client.watch(this.#watchRequest(seconds), onEvent, abort.signal);
    if (generation !== this.#generation) return void abort.abort();
    const openedAt = clock.now();
    const dead = (): void => this.#dead(generation);
    this.#deadline = clock.setTimeout(dead, seconds * 1000 + DEAD_WATCH_GRACE_MS);
    void open.ended.then((error) => this.#ended(generation, openedAt, error));
  }

  #watchRequest(timeoutSeconds: number) {
    return {
      path: this.#options.path,
      query: {
        ...this.#options.selectors,
        resourceVersion: this.#state.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds,
      },
    };
  }

  #onEvent(generation: number, event: WatchEvent): void {
    if (generation !== this.#generation) return;
    const step = watchStep(event);
    if (step.kind === "relist") {
      this.#options.log.info("watch expired; re-listing", { path: this.#options.path });
      return this.#schedule(true, 0);
    }
    if (step.kind === "fail") return this.#fail(step.error);
    // A change or a bookmark: the watch works, so the next failure starts the backoff afresh.
    this.#backoff.forget(this.#options.path);
    if (step.kind === "upsert") this.#notify(this.#store.upsert(step.object));
    if (step.kind === "remove") this.#notify(this.#store.remove(step.object));
    if (step.resourceVersion !== undefined) this.#state.resourceVersion = step.resourceVersion;
  }

  #ended(generation: number, openedAt: number, error: Error | undefined): void {
    if (generation !== this.#generation || this.#state.stopped) return;
    if (error !== undefined) return this.#fail(error);
    // The server ended the watch (its timeout): watch again from where it stopped. One that
    // ran its course proved healthy; one that ended at once counts as a failure.
    const path = this.#options.path;
    const early = this.#options.clock.now() - openedAt < SHORTEST_WATCH_MS;
    if (!early) this.#backoff.forget(path);
    this.#schedule(false, early ? this.#backoff.next(path) : 0);
  }

  #dead(generation: number): void {
    if (generation !== this.#generation) return;
    this.#options.log.warn("watch silent past its timeout; replacing it", {
      path: this.#options.path,
    });
    this.#schedule(false, 0);
  }

  #fail(error: unknown): void {
    if (this.#state.stopped) return;
    const inMs = this.#backoff.next(this.#options.path);
    const path = this.#options.path;
    this.#options.log.warn("list/watch failed; re-listing", {
      path,
      error: errorText(error),
      inMs,
    });
    this.#schedule(true, inMs);
  }

  /** Ends the current watch and retries (listing first when `relist`) after `delayMs`. */
  #schedule(relist: boolean, delayMs: number): void {
    this.#endWatch();
    if (this.#state.stopped) return;
    if (this.#retry !== undefined) {
      this.#retry.relist ||= relist;
      return;
    }
    const retry: Retry = { handle: undefined, relist };
    retry.handle = this.#options.clock.setTimeout(() => {
      this.#retry = undefined;
      void this.#attempt(retry.relist);
    }, delayMs);
    this.#retry = retry;
  }

  /** Ends the current watch (its late events are ignored: they carry an old generation). */
  #endWatch(): void {
    this.#generation++;
    this.#abort?.abort();
    this.#abort = undefined;
    if (this.#deadline !== undefined) this.#options.clock.clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  #notify(change: Change<T> | undefined): void {
    if (change === undefined) return;
    try {
      this.#options.onChange?.(change);
    } catch (error) {
      this.#options.log.warn("a watch listener failed", {
        path: this.#options.path,
        error: errorText(error),
      });
    }
  }
}
