/**
 * An informer for one collection: client-node's `ListWatch` (list, then watch from the
 * list's resourceVersion, re-list on 410 Gone) wrapped so that
 *
 * - events only enqueue keys (`namespace/name`, or `name` for cluster-scoped objects); the
 *   reconciler reads the object back from the cache (`get(key)`) or the API server;
 * - the watch is renewed regularly: it asks the server to end it after `watchTimeoutSeconds`
 *   (as client-go's reflector does), so a silently dead connection cannot stall events
 *   forever; ListWatch then watches again from the last resourceVersion;
 * - when the list or the watch fails (ListWatch stops for good on most errors), it restarts
 *   with exponential backoff until `stop()`, and resets the backoff after a good start.
 */
import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { createKeyedBackoff, type BackoffOptions } from "./backoff.js";
import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import { errorText, silentLogger, type Logger } from "./logger.js";

export interface InformerOptions<T extends KubernetesObject> {
  readonly kubeconfig: KubeConfig;
  /** API path of the collection, e.g. `/api/v1/namespaces/default/configmaps`. */
  readonly path: string;
  /** Lists the same collection (with the same label selector). */
  readonly list: () => Promise<KubernetesListObject<T>>;
  /** Receives the key of every object added, updated or deleted. */
  readonly enqueue: (key: string) => void;
  readonly labelSelector?: string;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Delay before restarting after a failure; default 1 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /** Server-side end of each watch; default a random 300-600 s per watch. */
  readonly watchTimeoutSeconds?: number;
}

export interface InformerStats {
  /** Watches started (the first one, renewals after a server-side end, restarts). */
  readonly connects: number;
  /** Failed lists or watches, each followed by a restart after backoff. */
  readonly failures: number;
}

export interface Informer<T extends KubernetesObject> {
  /** Lists and starts watching; resolves after the first attempt, retrying in the background. */
  start(): Promise<void>;
  /** Stops watching and cancels a pending restart. Idempotent. */
  stop(): Promise<void>;
  /** True once a list has been applied to the cache (it stays true). */
  hasSynced(): boolean;
  /** The cached object of `key`, or undefined. */
  get(key: string): T | undefined;
  list(): readonly T[];
  stats(): InformerStats;
}

/** Restarts: client-go's reflector backs off from 800 ms to 30 s; the same order here. */
export const defaultRestartBackoff: BackoffOptions = { baseMs: 1_000, maxMs: 30_000 };

/** client-go's reflector asks for 5 to 10 minutes, so renewals of many watches spread out. */
const randomWatchTimeout = (): number => 300 + Math.floor(Math.random() * 300);

/** The queue key of an object: `namespace/name`, or `name` when it has no namespace. */
export function objectKey(obj: KubernetesObject): string {
  const name = obj.metadata?.name ?? "";
  const namespace = obj.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/** The parts of a key made by `objectKey`. */
export function splitKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** client-node's Watch, asking the server to end each watch after a timeout. */
class RenewingWatch extends Watch {
  readonly #timeoutSeconds: () => number;

  constructor(config: KubeConfig, timeoutSeconds: () => number) {
    super(config);
    this.#timeoutSeconds = timeoutSeconds;
  }

  override watch(...[path, query, callback, done]: Parameters<Watch["watch"]>) {
    return super.watch(path, { ...query, timeoutSeconds: this.#timeoutSeconds() }, callback, done);
  }
}

/** Builds an informer; nothing is requested until `start()`. */
export function createInformer<T extends KubernetesObject>(
  options: InformerOptions<T>,
): Informer<T> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const backoff = createKeyedBackoff(options.backoff ?? defaultRestartBackoff);
  const timeout = options.watchTimeoutSeconds;
  const watch = new RenewingWatch(options.kubeconfig, () => timeout ?? randomWatchTimeout());
  const state = { started: false, stopped: false, listed: false, synced: false, failed: false };
  const stats = { connects: 0, failures: 0 };
  let restartTimer: TimerHandle;

  const list = async (): Promise<KubernetesListObject<T>> => {
    const result = await options.list();
    state.listed = true;
    return result;
  };
  const listWatch = new ListWatch<T>(options.path, watch, list, false, options.labelSelector);
  const enqueue = (obj: T): void => options.enqueue(objectKey(obj));

  const attempt = async (): Promise<void> => {
    restartTimer = undefined;
    if (state.stopped) return;
    state.failed = false;
    try {
      await listWatch.start();
    } catch (error) {
      onError(error);
    }
    if (state.listed) state.synced = true;
    if (!state.failed) backoff.forget(options.path);
  };

  function onError(error: unknown): void {
    state.failed = true;
    // Stopping aborts the watch request, which reports an abort error: not a failure.
    if (state.stopped) return;
    stats.failures++;
    if (restartTimer !== undefined) return;
    const delayMs = backoff.next(options.path);
    log.warn("list/watch failed; restarting", {
      path: options.path,
      error: errorText(error),
      inMs: delayMs,
    });
    restartTimer = clock.setTimeout(() => void attempt(), delayMs);
  }

  listWatch.on("add", enqueue);
  listWatch.on("update", enqueue);
  listWatch.on("delete", enqueue);
  listWatch.on("connect", () => void stats.connects++);
  listWatch.on("error", onError);

  return {
    async start() {
      if (state.started) return;
      state.started = true;
      await attempt();
    },
    async stop() {
      state.stopped = true;
      if (restartTimer !== undefined) clock.clearTimeout(restartTimer);
      restartTimer = undefined;
      await listWatch.stop();
    },
    hasSynced: () => state.synced,
    get(key) {
      const { namespace, name } = splitKey(key);
      return listWatch.get(name, namespace);
    },
    list: () => listWatch.list(),
    stats: () => ({ ...stats }),
  };
}
