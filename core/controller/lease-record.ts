/**
 * The pure part of leader election (ADR 0007): timing settings, the Lease record as we read
 * and write it, and the decision — acquire, renew or wait — from what we observed, by our own
 * clock. `leader.ts` runs the loop around it.
 */
import type { V1Lease } from "@kubernetes/client-node";

export interface ElectionTiming {
  /** How long a record must stay unchanged before a candidate takes the Lease over. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it stops leading. */
  readonly renewDeadlineMs: number;
  /** Time between attempts (candidates add up to 120 % jitter, as client-go). */
  readonly retryPeriodMs: number;
}

/** client-go's and controller-runtime's defaults. */
export const defaultElectionTiming: ElectionTiming = {
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
};

const JITTER = 1.2;

/** The timing with defaults applied; throws a RangeError when the values cannot work. */
export function electionTiming(given: Partial<ElectionTiming>): ElectionTiming {
  const d = defaultElectionTiming;
  const t: ElectionTiming = {
    leaseDurationMs: given.leaseDurationMs ?? d.leaseDurationMs,
    renewDeadlineMs: given.renewDeadlineMs ?? d.renewDeadlineMs,
    retryPeriodMs: given.retryPeriodMs ?? d.retryPeriodMs,
  };
  if (!(t.retryPeriodMs > 0)) throw new RangeError("retryPeriodMs must be greater than 0");
  if (!(t.renewDeadlineMs > t.retryPeriodMs * JITTER))
    throw new RangeError("renewDeadlineMs must be greater than 1.2 × retryPeriodMs");
  if (!(t.leaseDurationMs > t.renewDeadlineMs))
    throw new RangeError("leaseDurationMs must be greater than renewDeadlineMs");
  return t;
}

/** A candidate's wait before its next attempt: the retry period plus 0-120 % (`random` in [0,1)). */
export function candidateDelay(retryPeriodMs: number, random: number): number {
  return retryPeriodMs * (1 + random * JITTER);
}

/** A Lease's election record; timestamps as the server's RFC 3339 text, "" when unset. */
export interface LeaseRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

/** A record and when (by our clock) we first saw it with these exact values. */
export interface Observation {
  readonly record: LeaseRecord;
  readonly observedAt: number;
}

export type LeaseDecision =
  | { readonly action: "acquire" }
  | { readonly action: "renew" }
  | { readonly action: "wait"; readonly holder: string; readonly expiresAt: number };

/** client-node returns MicroTime as the server's text (it has no model for it); Dates as ISO. */
function timeText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  return typeof value === "string" ? value : "";
}

/** A MicroTime as the API server writes it: RFC 3339 with six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "000Z");
}

export function recordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? "",
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: timeText(spec.acquireTime),
    renewTime: timeText(spec.renewTime),
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

const sameRecord = (a: LeaseRecord, b: LeaseRecord): boolean =>
  (Object.keys(a) as Array<keyof LeaseRecord>).every((key) => a[key] === b[key]);

/** Keeps `previous` while the record is unchanged, so expiry counts from the first sighting. */
export function observe(
  previous: Observation | undefined,
  record: LeaseRecord,
  now: number,
): Observation {
  return previous !== undefined && sameRecord(previous.record, record)
    ? previous
    : { record, observedAt: now };
}

export interface DecideInput {
  readonly observation: Observation;
  readonly identity: string;
  readonly now: number;
  /** Ours; the record's own duration is used when it is longer (the holder promised that). */
  readonly leaseDurationMs: number;
}

/** What to do about the observed record — pure. */
export function decideLease(input: DecideInput): LeaseDecision {
  const { record, observedAt } = input.observation;
  if (record.holderIdentity === "") return { action: "acquire" };
  if (record.holderIdentity === input.identity) return { action: "renew" };
  const durationMs = Math.max(record.leaseDurationSeconds * 1000, input.leaseDurationMs);
  const expiresAt = observedAt + durationMs;
  if (input.now < expiresAt) return { action: "wait", holder: record.holderIdentity, expiresAt };
  return { action: "acquire" };
}

/** The record to write for an acquire or renew at `now` (`previous` undefined: no Lease yet). */
export function nextRecord(
  previous: LeaseRecord | undefined,
  identity: string,
  now: number,
  leaseDurationMs: number,
): LeaseRecord {
  const renewing = previous?.holderIdentity === identity;
  const transitions = previous?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1000)),
    acquireTime: renewing && previous.acquireTime !== "" ? previous.acquireTime : microTime(now),
    renewTime: microTime(now),
    leaseTransitions: previous === undefined || renewing ? transitions : transitions + 1,
  };
}

/** The record `stop()` writes: no holder, so candidates take over at once (as client-go). */
export function releasedRecord(previous: LeaseRecord, now: number): LeaseRecord {
  const [time, leaseTransitions] = [microTime(now), previous.leaseTransitions];
  return {
    ...previous,
    holderIdentity: "",
    leaseDurationSeconds: 1,
    leaseTransitions,
    acquireTime: time,
    renewTime: time,
  };
}

/** What one attempt found: we hold the Lease, someone else does, or the attempt failed. */
export type AttemptOutcome = "held" | "other" | "failed";

/** The change of role after an attempt — pure. A failed renewal waits for the deadline. */
export function roleChange(leading: boolean, outcome: AttemptOutcome): "start" | "stop" | "none" {
  if (!leading) return outcome === "held" ? "start" : "none";
  return outcome === "other" ? "stop" : "none";
}
