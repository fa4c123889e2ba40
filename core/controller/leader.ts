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
 * the pure `decideLease`; the loop around it (the `LeaseElector` class, its state in private
 * fields) only reads and writes, through lease-client.ts.
 */
import type { KubeConfig, V1Lease } from "@kubernetes/client-node";
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
  type Observation,
} from "./lease-record.js";
import { leaseClient, type LeaseClient } from "./lease-client.js";
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
  return new LeaseElector(options);
}

/**
 * The elector's state, explicit: the record last observed, the current term (if leading), the
 * pending retry timer and the promises `stop()` waits for. A term that ends bumps `generation`,
 * so an attempt that was in flight then does not act on the ended term.
 */
class LeaseElector implements LeaderElector {
  readonly #options: LeaderElectionOptions;
  readonly #timing: ElectionTiming;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #client: LeaseClient;
  /** Written into log lines. */
  readonly #fields: { readonly lease: string; readonly identity: string };
  readonly #state = { started: false, stopped: false, generation: 0 };
  #observation: Observation | undefined;
  #term: Term | undefined;
  #timer: TimerHandle;
  /** The attempt in progress (or the last one). */
  #running: Promise<void> = Promise.resolve();
  /** `onStoppedLeading` of the last term. */
  #ending: Promise<void> = Promise.resolve();
  #stopping: Promise<void> | undefined;

  constructor(options: LeaderElectionOptions) {
    this.#options = options;
    this.#timing = electionTiming(options);
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    const { kubeconfig, namespace, name } = options;
    this.#client = leaseClient({
      kubeconfig,
      namespace,
      name,
      timeoutMs: this.#timing.renewDeadlineMs,
    });
    this.#fields = { lease: `${namespace}/${name}`, identity: options.identity };
  }

  start(): void {
    if (this.#state.started || this.#state.stopped) return;
    this.#state.started = true;
    this.#running = this.#tick();
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutDown();
    return this.#stopping;
  }

  isLeader(): boolean {
    return this.#term !== undefined;
  }

  leader(): string | undefined {
    return this.#observation?.record.holderIdentity;
  }

  async #shutDown(): Promise<void> {
    this.#state.stopped = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    await this.#running;
    this.#endTerm("stopping", "info");
    await this.#ending;
    await this.#release();
  }

  /** One attempt, then the next one scheduled. */
  async #tick(): Promise<void> {
    await this.#ending;
    if (this.#state.stopped) return;
    const generation = this.#state.generation;
    const result = await this.#attempt().catch((error: unknown) => this.#failed(error));
    if (this.#state.stopped) return;
    // A term that ended during the attempt stays ended; the next attempt may start a new one.
    if (generation === this.#state.generation) this.#apply(result);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#state.stopped) return;
    const retryPeriodMs = this.#timing.retryPeriodMs;
    const delay =
      this.#term === undefined ? candidateDelay(retryPeriodMs, Math.random()) : retryPeriodMs;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#tick();
    }, delay);
  }

  /** Reads the Lease and takes or renews it when the decision says so. */
  async #attempt(): Promise<Attempt> {
    const lease = await this.#client.read();
    const now = this.#clock.now();
    if (lease === undefined) return this.#create(now);
    const observation = observe(this.#observation, recordOf(lease), now);
    this.#observation = observation;
    const { identity } = this.#options;
    const leaseDurationMs = this.#timing.leaseDurationMs;
    const decision = decideLease({ observation, identity, now, leaseDurationMs });
    if (decision.action === "wait") return { outcome: "other", at: now };
    const record = nextRecord(observation.record, identity, now, leaseDurationMs);
    this.#observed(await this.#client.replace(lease, record));
    return { outcome: "held", at: now };
  }

  async #create(now: number): Promise<Attempt> {
    const { identity } = this.#options;
    const record = nextRecord(undefined, identity, now, this.#timing.leaseDurationMs);
    this.#observed(await this.#client.create(record));
    return { outcome: "held", at: now };
  }

  /** Remembers the Lease we just wrote as freshly observed. */
  #observed(written: V1Lease): void {
    this.#observation = observe(undefined, recordOf(written), this.#clock.now());
  }

  #failed(error: unknown): Attempt {
    const lost = error instanceof ConflictError;
    const message = lost ? "another writer changed the Lease first" : "Lease request failed";
    const leading = this.#term !== undefined;
    this.#log.warn(message, { ...this.#fields, leading, error: errorText(error) });
    return { outcome: "failed", at: this.#clock.now() };
  }

  /** Starts, ends or extends the term after an attempt. */
  #apply({ outcome, at }: Attempt): void {
    const change = roleChange(this.#term !== undefined, outcome);
    if (change === "start") this.#startTerm(at);
    else if (change === "stop")
      this.#endTerm(`the Lease is held by ${this.#observation?.record.holderIdentity}`);
    else if (this.#term !== undefined && outcome === "held") {
      this.#clock.clearTimeout(this.#term.deadline);
      this.#term.deadline = this.#deadlineAfter(at);
    }
  }

  #startTerm(at: number): void {
    const abort = new AbortController();
    this.#term = { abort, deadline: this.#deadlineAfter(at) };
    this.#log.info("started leading", this.#fields);
    void Promise.resolve()
      .then(() => this.#options.onStartedLeading(abort.signal))
      .catch((error: unknown) =>
        this.#log.error("onStartedLeading failed", { ...this.#fields, error: errorText(error) }),
      );
  }

  #endTerm(reason: string, level: "info" | "warn" = "warn"): void {
    if (this.#term === undefined) return;
    this.#clock.clearTimeout(this.#term.deadline);
    this.#term.abort.abort();
    this.#term = undefined;
    this.#state.generation++;
    this.#log[level]("stopped leading", { ...this.#fields, reason });
    this.#ending = this.#stoppedLeading();
  }

  async #stoppedLeading(): Promise<void> {
    try {
      await this.#options.onStoppedLeading?.();
    } catch (error) {
      this.#log.error("onStoppedLeading failed", { ...this.#fields, error: errorText(error) });
    }
  }

  /** The renew deadline of a term last renewed by a write sent at `at`. */
  #deadlineAfter(at: number): TimerHandle {
    const renewDeadlineMs = this.#timing.renewDeadlineMs;
    return this.#clock.setTimeout(
      () => this.#endTerm(`no renewal for ${renewDeadlineMs} ms`),
      at + renewDeadlineMs - this.#clock.now(),
    );
  }

  /** Clears the holder if it is still us, so a successor need not wait for expiry. */
  async #release(): Promise<void> {
    const identity = this.#options.identity;
    if (this.#observation?.record.holderIdentity !== identity) return;
    try {
      const lease = await this.#client.read();
      if (lease === undefined || recordOf(lease).holderIdentity !== identity) return;
      await this.#client.replace(lease, releasedRecord(recordOf(lease), this.#clock.now()));
      this.#log.info("released the Lease", this.#fields);
    } catch (error) {
      this.#log.warn("could not release the Lease; a successor waits for it to expire", {
        ...this.#fields,
        error: errorText(error),
      });
    }
  }
}
