/**
 * List + watch of one collection on the hub, with the raw client (client-go's reflector, in
 * small): list, then watch from the list's resourceVersion; a watch the server ends (each asks
 * for `timeoutSeconds`, 5-10 minutes, as client-go does) is opened again from the last
 * resourceVersion seen; 410 Gone (as an HTTP status or an `ERROR` event) re-lists at once; any
 * other failure re-lists after a backoff (1 s doubling to 30 s, reset by a good watch). A watch
 * that outlives its timeout by 30 s is presumed dead and replaced. The listener hears every
 * change to the cache, including the removals a re-list finds. Failures are logged, never
 * thrown: a hub that is down never crashes the gateway, it only delays the cache.
 */
import type { IncomingMessage } from "node:http";
import { createKeyedBackoff, type BackoffOptions } from "../controller/backoff.js";
import type { TimerHandle } from "../controller/clock.js";
import type { Clock } from "../controller/clock.js";
import { errorText, type Logger } from "../controller/logger.js";
import type { KubeClient } from "./client.js";
import { statusError } from "./status.js";
import {
  applyChange,
  createLineSplitter,
  listChanges,
  parseWatchEvent,
  watchStep,
  type Change,
  type KubeObject,
} from "./watch-events.js";

export interface ListWatchOptions<T extends KubeObject> {
  readonly client: KubeClient;
  /** The collection, e.g. `/api/v1/namespaces/vela-system/secrets`. */
  readonly path: string;
  readonly labelSelector?: string;
  /** Hears every change to the cache (after it was applied). */
  readonly onChange: (change: Change<T>) => void;
  readonly clock: Clock;
  readonly log: Logger;
  /** Default 1 s doubling to 30 s. */
  readonly backoff?: BackoffOptions;
  /** Seconds each watch asks the server for; default a random 300-600. */
  readonly watchTimeoutSeconds?: () => number;
}

export interface ListWatch {
  /** Lists and opens the watch; resolves after the first attempt (retrying in the background). */
  start(): Promise<void>;
  /** True once a list has been applied (it stays true). */
  synced(): boolean;
  /** Ends the watch and any pending retry. Idempotent. */
  stop(): Promise<void>;
}

const randomTimeout = (): number => 300 + Math.floor(Math.random() * 300);

export function createListWatch<T extends KubeObject>(options: ListWatchOptions<T>): ListWatch {
  const { client, clock, log, path } = options;
  const cache = new Map<string, T>();
  const backoff = createKeyedBackoff(options.backoff ?? { baseMs: 1_000, maxMs: 30_000 });
  const timeoutSeconds = options.watchTimeoutSeconds ?? randomTimeout;
  const selector = options.labelSelector;
  const state = { started: false, stopped: false, synced: false, resourceVersion: "" };
  let generation = 0;
  let abort: AbortController | undefined;
  let retry: TimerHandle;
  let deadline: TimerHandle;

  const apply = (change: Change<T>): void => {
    applyChange(cache, change);
    try {
      options.onChange(change);
    } catch (error) {
      log.warn("a watch listener failed", { path, error: errorText(error) });
    }
  };

  /** Ends the current watch (its late events are ignored: they carry an old generation). */
  const endWatch = (): void => {
    generation++;
    abort?.abort();
    abort = undefined;
    if (deadline !== undefined) clock.clearTimeout(deadline);
    deadline = undefined;
  };

  const schedule = (relist: boolean, delayMs: number): void => {
    endWatch();
    if (state.stopped || retry !== undefined) return;
    retry = clock.setTimeout(() => {
      retry = undefined;
      void attempt(relist);
    }, delayMs);
  };

  const fail = (error: unknown): void => {
    if (state.stopped) return;
    const inMs = backoff.next(path);
    log.warn("list/watch failed; restarting", { path, error: errorText(error), inMs });
    schedule(true, inMs);
  };

  const list = async (): Promise<void> => {
    const result = await client.json<{ metadata?: { resourceVersion?: string }; items?: T[] }>({
      path,
      query: { labelSelector: selector },
    });
    for (const change of listChanges(cache, result.items ?? [])) apply(change);
    state.resourceVersion = result.metadata?.resourceVersion ?? "";
    state.synced = true;
  };

  /** Handles one line of watch `gen`; false when the watch must end. */
  const onLine = (gen: number, line: string): boolean => {
    if (gen !== generation) return false;
    const step = watchStep<T>(parseWatchEvent(line));
    if (step.kind === "relist") schedule(true, 0);
    if (step.kind === "fail") fail(step.error);
    if (step.kind === "relist" || step.kind === "fail") return false;
    if (step.kind === "change") apply(step.change);
    if (step.resourceVersion !== undefined) state.resourceVersion = step.resourceVersion;
    return true;
  };

  const consume = (gen: number, res: IncomingMessage): void => {
    const lines = createLineSplitter();
    const each = (batch: string[]): void => {
      for (const line of batch) if (!onLine(gen, line)) return;
    };
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      try {
        each(lines.push(chunk));
      } catch (error) {
        if (gen === generation) fail(error);
      }
    });
    res.on("error", (error) => {
      if (gen === generation) fail(error);
    });
    res.on("end", () => {
      if (gen !== generation) return;
      try {
        each(lines.flush());
      } catch (error) {
        if (gen === generation) fail(error);
      }
      // The server ended the watch (its timeout): watch again from where it stopped.
      if (gen === generation) schedule(false, 0);
    });
  };

  const openWatch = async (): Promise<void> => {
    endWatch();
    if (state.stopped) return; // stopped while the list was on its way
    const gen = generation;
    const controller = new AbortController();
    abort = controller;
    const seconds = timeoutSeconds();
    const res = await client.stream(
      {
        path,
        query: {
          watch: true,
          labelSelector: selector,
          resourceVersion: state.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: seconds,
        },
      },
      controller.signal,
    );
    if (gen !== generation || res.statusCode === 410) {
      res.destroy();
      // 410 Gone: the resourceVersion is too old to watch from; list again.
      if (gen === generation) schedule(true, 0);
      return;
    }
    if (res.statusCode !== 200) throw await watchRefused(res, path);
    deadline = clock.setTimeout(
      () => {
        if (gen === generation) schedule(false, 0);
      },
      seconds * 1000 + 30_000,
    );
    consume(gen, res);
    backoff.forget(path);
  };

  async function attempt(relist: boolean): Promise<void> {
    if (state.stopped) return;
    try {
      if (relist) await list();
      await openWatch();
    } catch (error) {
      fail(error);
    }
  }

  return {
    async start() {
      if (state.started) return;
      state.started = true;
      await attempt(true);
    },
    synced: () => state.synced,
    stop() {
      state.stopped = true;
      if (retry !== undefined) clock.clearTimeout(retry);
      retry = undefined;
      endWatch();
      return Promise.resolve();
    },
  };
}

/** The typed error for a watch the hub refused (body read for its message). */
async function watchRefused(res: IncomingMessage, path: string): Promise<Error> {
  let text = "";
  res.setEncoding("utf8");
  for await (const chunk of res) text += String(chunk);
  return statusError(res.statusCode ?? 0, `hub watch ${path}`, text, "upstream");
}
