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
import { createKeyedBackoff, type BackoffOptions, type KeyedBackoff } from "./backoff.js";
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
  return new RestartingInformer(options);
}

/** The informer's state, explicit: the ListWatch it restarts, its phase and its counters. */
class RestartingInformer<T extends KubernetesObject> implements Informer<T> {
  readonly #path: string;
  readonly #list: () => Promise<KubernetesListObject<T>>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #backoff: KeyedBackoff;
  readonly #listWatch: ListWatch<T>;
  readonly #state = { started: false, stopped: false, listed: false, synced: false, failed: false };
  readonly #stats = { connects: 0, failures: 0 };
  #restartTimer: TimerHandle;

  constructor(options: InformerOptions<T>) {
    this.#path = options.path;
    this.#list = options.list;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#backoff = createKeyedBackoff(options.backoff ?? defaultRestartBackoff);
    const timeout = options.watchTimeoutSeconds;
    const watch = new RenewingWatch(options.kubeconfig, () => timeout ?? randomWatchTimeout());
    const list = (): Promise<KubernetesListObject<T>> => this.#listOnce();
    this.#listWatch = new ListWatch<T>(options.path, watch, list, false, options.labelSelector);
    const enqueue = (obj: T): void => options.enqueue(objectKey(obj));
    this.#listWatch.on("add", enqueue);
    this.#listWatch.on("update", enqueue);
    this.#listWatch.on("delete", enqueue);
    this.#listWatch.on("connect", () => void this.#stats.connects++);
    this.#listWatch.on("error", (error: unknown) => this.#onError(error));
  }

  async start(): Promise<void> {
    if (this.#state.started) return;
    this.#state.started = true;
    await this.#attempt();
  }

  async stop(): Promise<void> {
    this.#state.stopped = true;
    if (this.#restartTimer !== undefined) this.#clock.clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    await this.#listWatch.stop();
  }

  hasSynced(): boolean {
    return this.#state.synced;
  }

  get(key: string): T | undefined {
    const { namespace, name } = splitKey(key);
    return this.#listWatch.get(name, namespace);
  }

  list(): readonly T[] {
    return this.#listWatch.list();
  }

  stats(): InformerStats {
    return { ...this.#stats };
  }

  async #listOnce(): Promise<KubernetesListObject<T>> {
    const result = await this.#list();
    this.#state.listed = true;
    return result;
  }

  /** One start of the ListWatch; a failure schedules the next one (`#onError`). */
  async #attempt(): Promise<void> {
    this.#restartTimer = undefined;
    if (this.#state.stopped) return;
    this.#state.failed = false;
    try {
      await this.#listWatch.start();
    } catch (error) {
      this.#onError(error);
    }
    if (this.#state.listed) this.#state.synced = true;
    if (!this.#state.failed) this.#backoff.forget(this.#path);
  }

  #onError(error: unknown): void {
    this.#state.failed = true;
    // Stopping aborts the watch request, which reports an abort error: not a failure.
    if (this.#state.stopped) return;
    this.#stats.failures++;
    if (this.#restartTimer !== undefined) return;
    const delayMs = this.#backoff.next(this.#path);
    this.#log.warn("list/watch failed; restarting", {
      path: this.#path,
      error: errorText(error),
      inMs: delayMs,
    });
    this.#restartTimer = this.#clock.setTimeout(() => void this.#attempt(), delayMs);
  }
}
