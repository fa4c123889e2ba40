/**
 * Leader election on a `coordination.k8s.io/v1` Lease, with client-go's `leaderelection`
 * semantics (ADR 0007):
 *
 * - a candidate takes the Lease when it has no holder, or when the record has not changed for
 *   a lease duration by OUR clock, counted from when we first saw that record: the holder's
 *   timestamps are compared for change only, never trusted as times (clock skew);
 * - the leader renews every retry period; it stops leading (the signal given to
 *   `onStartedLeading` aborts, then `onStoppedLeading`) as soon as it sees another holder, or
 *   when no renewal has succeeded for the renew deadline;
 * - every write carries the read's resourceVersion, so of two racing writers one gets 409;
 * - `stop()` ends the term, waits for `onStoppedLeading`, then releases the Lease (clears the
 *   holder) so a successor takes over at its next retry instead of after a lease duration.
 *
 * After losing a term the elector campaigns again; a program that cannot restart its work
 * cleanly should exit from `onStoppedLeading` (as controller-runtime does). The decision is
 * the pure `decideLease`; the loop around it only reads and writes.
 */
import {
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "../cluster/kube.js";
import { ConflictError } from "../errors.js";
import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import {
  candidateDelay,
  decideLease,
  electionTiming,
  nextRecord,
  observe,
  recordOf,
  releasedRecord,
  roleChange,
  type AttemptOutcome,
  type ElectionTiming,
  type LeaseRecord,
  type Observation,
} from "./lease-record.js";
import { errorText, silentLogger, type Logger } from "./logger.js";

export * from "./lease-record.js";

export interface LeaderElectionOptions extends Partial<ElectionTiming> {
  /** Reaches the API server that holds the Lease (the hub). */
  readonly kubeconfig: KubeConfig;
  readonly namespace: string;
  /** The Lease's name, shared by every replica. */
  readonly name: string;
  /** Unique per replica (e.g. the pod name); written as `holderIdentity`. */
  readonly identity: string;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Called when this replica starts leading; `signal` aborts when the term ends. Not awaited. */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called when a term ends; awaited before the Lease is released or sought again. */
  readonly onStoppedLeading?: () => void | Promise<void>;
}

export interface LeaderElector {
  /** Starts campaigning. Idempotent. */
  start(): void;
  /** Ends the term (if any), waits for `onStoppedLeading`, releases the Lease. Never rejects. */
  stop(): Promise<void>;
  isLeader(): boolean;
  /** The holder last observed ("" when free), undefined before the first read. */
  leader(): string | undefined;
}

interface LeaseClient {
  read(): Promise<V1Lease | undefined>;
  create(record: LeaseRecord): Promise<V1Lease>;
  replace(lease: V1Lease, record: LeaseRecord): Promise<V1Lease>;
}

/** Our record's timestamps are MicroTime text; client-node passes them through unchanged. */
const specOf = (record: LeaseRecord): V1LeaseSpec => ({ ...record }) as unknown as V1LeaseSpec;

function leaseClient(options: LeaderElectionOptions, timeoutMs: number): LeaseClient {
  const api = options.kubeconfig.makeApiClient(CoordinationV1Api);
  const { namespace, name } = options;
  const what = `Lease ${namespace}/${name}`;
  const failed = (action: string) => (error: unknown) => {
    throw kubeError(error, `${action} ${what}`);
  };
  return {
    read: () =>
      api.readNamespacedLease({ namespace, name }, withTimeout(timeoutMs)).catch((error) => {
        if (apiStatusOf(error) === 404) return undefined;
        throw kubeError(error, `reading ${what}`);
      }),
    create: (record) => {
      const body: V1Lease = { metadata: { name, namespace }, spec: specOf(record) };
      return api
        .createNamespacedLease({ namespace, body }, withTimeout(timeoutMs))
        .catch(failed("creating"));
    },
    replace: (lease, record) => {
      const body: V1Lease = { ...lease, spec: specOf(record) };
      return api
        .replaceNamespacedLease({ namespace, name, body }, withTimeout(timeoutMs))
        .catch(failed("updating"));
    },
  };
}

interface Term {
  readonly abort: AbortController;
  deadline: TimerHandle;
}

interface Attempt {
  readonly outcome: AttemptOutcome;
  /** When the successful write was sent (by our clock): the renew deadline counts from it. */
  readonly at: number;
}

/** Builds an elector; nothing is requested until `start()`. Throws a RangeError on bad timing. */
export function createLeaderElector(options: LeaderElectionOptions): LeaderElector {
  const timing = electionTiming(options);
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const client = leaseClient(options, timing.renewDeadlineMs);
  const identity = options.identity;
  const fields = { lease: `${options.namespace}/${options.name}`, identity };
  const s = { started: false, stopped: false, generation: 0 };
  let observation: Observation | undefined;
  let term: Term | undefined;
  let timer: TimerHandle;
  let running: Promise<void> = Promise.resolve();
  let ending: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;

  async function attempt(): Promise<Attempt> {
    const lease = await client.read();
    const now = clock.now();
    if (lease === undefined) {
      const created = await client.create(
        nextRecord(undefined, identity, now, timing.leaseDurationMs),
      );
      observation = observe(undefined, recordOf(created), clock.now());
      return { outcome: "held", at: now };
    }
    observation = observe(observation, recordOf(lease), now);
    const decision = decideLease({
      observation,
      identity,
      now,
      leaseDurationMs: timing.leaseDurationMs,
    });
    if (decision.action === "wait") return { outcome: "other", at: now };
    const record = nextRecord(observation.record, identity, now, timing.leaseDurationMs);
    observation = observe(undefined, recordOf(await client.replace(lease, record)), clock.now());
    return { outcome: "held", at: now };
  }

  function failed(error: unknown): Attempt {
    const lost = error instanceof ConflictError;
    const message = lost ? "another writer changed the Lease first" : "Lease request failed";
    log.warn(message, { ...fields, leading: term !== undefined, error: errorText(error) });
    return { outcome: "failed", at: clock.now() };
  }

  function endTerm(reason: string, level: "info" | "warn" = "warn"): void {
    if (term === undefined) return;
    clock.clearTimeout(term.deadline);
    term.abort.abort();
    term = undefined;
    s.generation++;
    log[level]("stopped leading", { ...fields, reason });
    ending = (async () => {
      try {
        await options.onStoppedLeading?.();
      } catch (error) {
        log.error("onStoppedLeading failed", { ...fields, error: errorText(error) });
      }
    })();
  }

  const deadlineAfter = (at: number): TimerHandle =>
    clock.setTimeout(
      () => endTerm(`no renewal for ${timing.renewDeadlineMs} ms`),
      at + timing.renewDeadlineMs - clock.now(),
    );

  function startTerm(at: number): void {
    const abort = new AbortController();
    term = { abort, deadline: deadlineAfter(at) };
    log.info("started leading", fields);
    void Promise.resolve()
      .then(() => options.onStartedLeading(abort.signal))
      .catch((error: unknown) =>
        log.error("onStartedLeading failed", { ...fields, error: errorText(error) }),
      );
  }

  function apply({ outcome, at }: Attempt): void {
    const change = roleChange(term !== undefined, outcome);
    if (change === "start") startTerm(at);
    else if (change === "stop")
      endTerm(`the Lease is held by ${observation?.record.holderIdentity}`);
    else if (term !== undefined && outcome === "held") {
      clock.clearTimeout(term.deadline);
      term.deadline = deadlineAfter(at);
    }
  }

  function schedule(): void {
    if (s.stopped) return;
    const delay =
      term === undefined
        ? candidateDelay(timing.retryPeriodMs, Math.random())
        : timing.retryPeriodMs;
    timer = clock.setTimeout(() => {
      timer = undefined;
      running = tick();
    }, delay);
  }

  async function tick(): Promise<void> {
    await ending;
    if (s.stopped) return;
    const generation = s.generation;
    const result = await attempt().catch(failed);
    if (s.stopped) return;
    // A term that ended during the attempt stays ended; the next attempt may start a new one.
    if (generation === s.generation) apply(result);
    schedule();
  }

  async function release(): Promise<void> {
    if (observation?.record.holderIdentity !== identity) return;
    try {
      const lease = await client.read();
      if (lease === undefined || recordOf(lease).holderIdentity !== identity) return;
      await client.replace(lease, releasedRecord(recordOf(lease), clock.now()));
      log.info("released the Lease", fields);
    } catch (error) {
      log.warn("could not release the Lease; a successor waits for it to expire", {
        ...fields,
        error: errorText(error),
      });
    }
  }

  return {
    start() {
      if (s.started || s.stopped) return;
      s.started = true;
      running = tick();
    },
    stop() {
      stopping ??= (async () => {
        s.stopped = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        await running;
        endTerm("stopping", "info");
        await ending;
        await release();
      })();
      return stopping;
    },
    isLeader: () => term !== undefined,
    leader: () => observation?.record.holderIdentity,
  };
}
