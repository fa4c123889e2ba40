/**
 * A controller: a work queue of keys and `workers` loops that reconcile them, with
 * controller-runtime's contract (house style §3):
 *
 * - `reconcile(key)` is level-based: it reads the current state for the key and makes the
 *   world match, whatever happened before. It must be idempotent;
 * - it resolves `{}` when done (the key's backoff is forgotten), or `{ requeueAfterMs }` to be
 *   called again after that long (also forgetting the backoff);
 * - it throws to be retried with the key's exponential backoff;
 * - it throws a `TerminalError` (or an error caused by one) when retrying cannot help: the
 *   failure is logged and counted and the key is not retried until it is added again.
 *
 * One key is never reconciled by two workers at once; different keys run in parallel up to
 * `workers`. `stop()` stops taking keys, aborts the signal passed to running reconciles and
 * resolves when they have finished.
 */
import type { Registry } from "prom-client";
import { TerminalError } from "../errors.js";
import type { BackoffOptions } from "./backoff.js";
import { systemClock, type Clock } from "./clock.js";
import { errorText, silentLogger, type Logger } from "./logger.js";
import { controllerMetrics, type ControllerMetrics, type ReconcileOutcome } from "./metrics.js";
import { createWorkQueue, type WorkQueue } from "./queue.js";

export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds (for polling external state). */
  readonly requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** Aborted when the controller stops; long reconciles should give up early. */
  readonly signal: AbortSignal;
}

export type Reconciler = (
  key: string,
  context: ReconcileContext,
) => Promise<ReconcileResult | void>;

export interface ControllerOptions {
  /** Unique per program: the `controller` label of its metrics and logs. */
  readonly name: string;
  readonly reconcile: Reconciler;
  /** Keys reconciled in parallel; default 1. */
  readonly workers?: number;
  readonly clock?: Clock;
  /** The program's Registry; the controller registers (or joins) the shared metrics in it. */
  readonly metrics: Registry;
  readonly log?: Logger;
  /** Retry backoff per key; default 5 ms doubling to 5 min (see `defaultReconcileBackoff`). */
  readonly backoff?: BackoffOptions;
}

export interface Controller {
  readonly name: string;
  /** Asks for `key` to be reconciled (coalesced with a pending request for it). */
  enqueue(key: string): void;
  /** Asks for `key` to be reconciled after `delayMs`. */
  enqueueAfter(key: string, delayMs: number): void;
  /** Starts the workers; keys enqueued before are reconciled now. Idempotent. */
  start(): void;
  /** Stops taking keys and resolves when running reconciles have finished. Idempotent. */
  stop(): Promise<void>;
}

/** True when `error` is a `TerminalError` or was caused by one (its `cause` chain). */
export function isTerminal(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 16; e = e.cause, depth++) {
    if (e instanceof TerminalError) return true;
  }
  return false;
}

interface Deps {
  readonly name: string;
  readonly reconcile: Reconciler;
  readonly queue: WorkQueue;
  readonly clock: Clock;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** What the queue does after a reconcile, and how the reconcile is counted. */
function settle(deps: Deps, key: string, outcome: ReconcileResult | void): ReconcileOutcome {
  const requeueAfterMs = outcome?.requeueAfterMs ?? 0;
  deps.queue.forget(key);
  if (!(requeueAfterMs > 0)) return "success";
  deps.queue.addAfter(key, requeueAfterMs);
  return "requeue";
}

function fail(deps: Deps, key: string, error: unknown): ReconcileOutcome {
  const fields = { controller: deps.name, key, error: errorText(error) };
  if (isTerminal(error)) {
    deps.queue.forget(key);
    deps.log.error("reconcile failed for good; not retrying", fields);
    return "terminal";
  }
  deps.queue.addRateLimited(key);
  deps.log.error("reconcile failed; retrying with backoff", {
    ...fields,
    failures: deps.queue.numRequeues(key),
  });
  return "error";
}

async function reconcileOne(deps: Deps, key: string): Promise<void> {
  const started = deps.clock.now();
  let result: ReconcileOutcome;
  try {
    result = settle(deps, key, await deps.reconcile(key, { signal: deps.signal }));
  } catch (error) {
    result = fail(deps, key, error);
  }
  deps.metrics.reconciled(result, Math.max(0, deps.clock.now() - started) / 1000);
}

async function work(deps: Deps): Promise<void> {
  for (let key = await deps.queue.get(); key !== undefined; key = await deps.queue.get()) {
    try {
      await reconcileOne(deps, key);
    } finally {
      deps.queue.done(key);
    }
  }
}

/** Builds a controller; nothing runs until `start()`. */
export function createController(options: ControllerOptions): Controller {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new RangeError(`controller ${options.name}: workers must be a positive integer`);
  const clock = options.clock ?? systemClock;
  const metrics = controllerMetrics(options.metrics, options.name);
  const queue = createWorkQueue({
    clock,
    backoff: options.backoff,
    onDepthChange: (depth) => metrics.depth(depth),
  });
  const abort = new AbortController();
  const deps: Deps = {
    name: options.name,
    reconcile: options.reconcile,
    queue,
    clock,
    metrics,
    log: options.log ?? silentLogger,
    signal: abort.signal,
  };
  let running: Promise<unknown> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    name: options.name,
    enqueue: (key) => queue.add(key),
    enqueueAfter: (key, delayMs) => queue.addAfter(key, delayMs),
    start() {
      if (running !== undefined || stopped !== undefined) return;
      running = Promise.all(Array.from({ length: workers }, () => work(deps))).catch(
        (error: unknown) =>
          deps.log.error("controller worker crashed", { error: errorText(error) }),
      );
    },
    stop() {
      stopped ??= (async () => {
        abort.abort();
        await queue.shutDown();
        await running;
      })();
      return stopped;
    },
  };
}
