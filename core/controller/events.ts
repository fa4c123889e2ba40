/**
 * An event recorder: core/v1 Events about objects on the hub, for users (`kubectl describe`,
 * `vela status`), with client-go's correlator simplified to its de-duplication:
 *
 * - an event identical to one recorded within the window (same source, object, type, reason
 *   and message; default 10 minutes since its last occurrence) updates that Event's `count`
 *   and `lastTimestamp` instead of creating another one; if that Event is gone (events expire
 *   on the server), a new one is created;
 * - the cache behind it holds at most `cacheSize` events (least recently seen dropped first);
 * - recording is best effort: `recordEvent` never rejects; failures are logged.
 *
 * The Event goes to the object's namespace (`default` for cluster-scoped objects, as
 * client-go). Identical events recorded concurrently are written one after the other, so the
 * second updates the first.
 */
import { randomBytes } from "node:crypto";
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "../cluster/kube.js";
import { systemClock, type Clock } from "./clock.js";
import { errorText, silentLogger, type Logger } from "./logger.js";

export interface ObjectReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly fieldPath?: string;
}

export interface EventInput {
  readonly involvedObject: ObjectReference;
  readonly type: "Normal" | "Warning";
  /** UpperCamelCase, machine-readable: `Rendered`, `FailedApply` (KubeVela's reasons). */
  readonly reason: string;
  /** For people; longer messages are cut at `maxMessageLength`. */
  readonly message: string;
}

export interface EventSource {
  /** `source.component` and `reportingComponent`, e.g. `flotilla-hub`. */
  readonly component: string;
  /** `source.host` and `reportingInstance`, e.g. the pod name. */
  readonly host?: string;
}

export interface EventRecorderOptions extends EventSource {
  readonly kubeconfig: KubeConfig;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Identical events this close to the last one are counted on it; default 10 minutes. */
  readonly windowMs?: number;
  /** Events remembered for de-duplication; default 4096 (client-go's). */
  readonly cacheSize?: number;
  /** Per-request timeout; default 10 s. */
  readonly timeoutMs?: number;
}

export interface EventRecorder {
  /** Records `event`; resolves when it was written or its failure logged. Never rejects. */
  recordEvent(event: EventInput): Promise<void>;
}

export const maxMessageLength = 1024;

/** An Event we wrote, as remembered for de-duplication. */
export interface SeenEvent {
  readonly name: string;
  readonly namespace: string;
  readonly count: number;
  /** When (our clock) it last occurred. */
  readonly lastSeen: number;
}

export type EventAction =
  | { readonly action: "create" }
  | { readonly action: "update"; readonly seen: SeenEvent; readonly count: number };

/** What makes two events identical (client-go's `getEventKey`). */
export function eventKey(event: EventInput, source: EventSource): string {
  const o = event.involvedObject;
  return JSON.stringify([
    source.component,
    source.host ?? "",
    o.apiVersion,
    o.kind,
    o.namespace ?? "",
    o.name,
    o.uid ?? "",
    o.fieldPath ?? "",
    event.type,
    event.reason,
    event.message.slice(0, maxMessageLength),
  ]);
}

/** Create a new Event, or count this occurrence on the one seen within the window — pure. */
export function correlate(seen: SeenEvent | undefined, now: number, windowMs: number): EventAction {
  if (seen === undefined || now - seen.lastSeen > windowMs) return { action: "create" };
  return { action: "update", seen, count: seen.count + 1 };
}

/** Events of cluster-scoped objects go to `default`, as client-go's recorder does. */
export const eventNamespace = (ref: ObjectReference): string => ref.namespace || "default";

/** `<object>.<suffix>`, the object's part shortened so the name stays within 253 characters. */
export function eventName(objectName: string, suffix: string): string {
  return `${objectName.slice(0, 252 - suffix.length)}.${suffix}`;
}

/** RFC 3339 in whole seconds, as the API server stores `metav1.Time`. */
const seconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/** The Event to create for `event` at `now` under `name` — pure. */
export function eventBody(
  event: EventInput,
  source: EventSource,
  at: { readonly now: number; readonly name: string },
): CoreV1Event {
  const time = seconds(at.now) as unknown as Date;
  const { host } = source;
  return {
    metadata: { name: at.name, namespace: eventNamespace(event.involvedObject) },
    involvedObject: { ...event.involvedObject },
    type: event.type,
    reason: event.reason,
    message: event.message.slice(0, maxMessageLength),
    source: { component: source.component, ...(host ? { host } : {}) },
    reportingComponent: source.component,
    ...(host ? { reportingInstance: host } : {}),
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
}

/** A map that keeps its `max` most recently used entries. */
export interface BoundedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  readonly size: number;
}

export function boundedCache<V>(max: number): BoundedCache<V> {
  if (!Number.isInteger(max) || max < 1) throw new RangeError("cache size must be at least 1");
  const entries = new Map<string, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      for (const oldest of entries.keys()) {
        if (entries.size <= max) break;
        entries.delete(oldest);
      }
    },
    get size() {
      return entries.size;
    },
  };
}

/** Builds a recorder; no I/O until an event is recorded. */
export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  return new DedupingRecorder(options);
}

type UpdateAction = Extract<EventAction, { action: "update" }>;

/** The recorder's state, explicit: the Events seen (for de-duplication) and the writes in flight. */
class DedupingRecorder implements EventRecorder {
  readonly #api: CoreV1Api;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #windowMs: number;
  readonly #timeout: ReturnType<typeof withTimeout>;
  readonly #mergePatch: ReturnType<typeof setHeaderOptions>;
  readonly #source: EventSource;
  readonly #seen: BoundedCache<SeenEvent>;
  /** The last write queued per event key: identical events are written one after the other. */
  readonly #writing = new Map<string, Promise<void>>();

  constructor(options: EventRecorderOptions) {
    this.#api = options.kubeconfig.makeApiClient(CoreV1Api);
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#windowMs = options.windowMs ?? 10 * 60_000;
    this.#timeout = withTimeout(options.timeoutMs ?? 10_000);
    this.#mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch, this.#timeout);
    this.#source = { component: options.component, host: options.host };
    this.#seen = boundedCache<SeenEvent>(options.cacheSize ?? 4096);
  }

  recordEvent(event: EventInput): Promise<void> {
    let key: string;
    try {
      key = eventKey(event, this.#source);
    } catch (error) {
      this.#log.warn("could not record event", { error: errorText(error) });
      return Promise.resolve();
    }
    const done = (this.#writing.get(key) ?? Promise.resolve())
      .then(() => this.#write(key, event))
      .catch((error: unknown) => this.#failed(event, error))
      .finally(() => {
        if (this.#writing.get(key) === done) this.#writing.delete(key);
      });
    this.#writing.set(key, done);
    return done;
  }

  async #write(key: string, event: EventInput): Promise<void> {
    const now = this.#clock.now();
    const action = correlate(this.#seen.get(key), now, this.#windowMs);
    if (action.action === "update" && (await this.#update(action, now))) {
      this.#seen.set(key, { ...action.seen, count: action.count, lastSeen: now });
      return;
    }
    this.#seen.set(key, await this.#create(event, now));
  }

  /** Counts one more occurrence on `seen`; false when that Event no longer exists. */
  async #update(action: UpdateAction, now: number): Promise<boolean> {
    const { name, namespace } = action.seen;
    const body = { count: action.count, lastTimestamp: seconds(now) };
    try {
      await this.#api.patchNamespacedEvent({ name, namespace, body }, this.#mergePatch);
      return true;
    } catch (error) {
      if (apiStatusOf(error) === 404) return false;
      throw kubeError(error, `updating Event ${namespace}/${name}`);
    }
  }

  async #create(event: EventInput, now: number): Promise<SeenEvent> {
    const name = eventName(event.involvedObject.name, randomBytes(8).toString("hex"));
    const body = eventBody(event, this.#source, { now, name });
    const namespace = eventNamespace(event.involvedObject);
    await this.#api.createNamespacedEvent({ namespace, body }, this.#timeout).catch((error) => {
      throw kubeError(error, `creating Event ${namespace}/${name}`);
    });
    return { name, namespace, count: 1, lastSeen: now };
  }

  #failed(event: EventInput, error: unknown): void {
    const o = event.involvedObject;
    const object = `${o.kind} ${eventNamespace(o)}/${o.name}`;
    this.#log.warn("could not record event", {
      object,
      reason: event.reason,
      error: errorText(error),
    });
  }
}
