/**
 * The hub's health state machine for one member cluster (pure). Inputs are what the hub has
 * observed — when it last saw the agent renew its heartbeat Lease (by the hub's own clock),
 * whether the agent's report says the API server is ready and how many nodes are, and when the
 * startup grace began
 * — plus the time now. The output is the state, a reason and message for the `Ready`
 * condition, and `nextCheckAt`: the time at which the verdict would change by itself (a grace
 * running out), so the caller sets one timer instead of polling.
 *
 * States (as Karmada's cluster controller and Kubernetes' node lifecycle controller judge
 * heartbeats, with a distinct `Pending` for Karmada's "no Ready condition yet"):
 *
 * | state    | when                                                                 |
 * | -------- | -------------------------------------------------------------------- |
 * | Ready    | a heartbeat within the grace period; the report (if any) says apiReady and, if the cluster has nodes, some are Ready |
 * | NotReady | a heartbeat within the grace period; the API answers but the cluster has nodes and none is Ready |
 * | Unknown  | a heartbeat within the grace period but the agent reports it cannot reach the API server (`ClusterNotReachable`); or the last heartbeat is older than the grace period; or none ever came and the startup grace is over |
 * | Pending  | no heartbeat yet, within the startup grace after hub start or registration (never for a cluster already judged Unknown) |
 *
 * An unreachable API server makes a cluster Unknown, not NotReady (Karmada says Ready=False,
 * `ClusterNotReachable`): the hub can neither read nor change anything there, so what it last
 * read is no longer known to be true — the same as for a silent agent.
 */
import { InvalidInputError } from "../../core/errors.js";
import {
  DEFAULT_CLUSTER_GRACE_SECONDS,
  type ClusterReportReading as ClusterReport,
} from "../../core/cluster/agent-contract.js";

export const HEALTH_STATES = ["Ready", "NotReady", "Unknown", "Pending"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** Reasons of the `Ready` condition (Karmada's names where Karmada has one). */
export const HealthReason = {
  ready: "ClusterReady",
  notReady: "ClusterNotReady",
  notReachable: "ClusterNotReachable",
  unknown: "ClusterStatusUnknown",
  neverUpdated: "ClusterStatusNeverUpdated",
  pending: "ClusterStatusPending",
  local: "LocalCluster",
} as const;

export interface HealthTiming {
  /** How often agents renew their Lease (the agent's own setting; checked against the grace). */
  readonly heartbeatIntervalMs: number;
  /** A cluster with no heartbeat for this long is Unknown. */
  readonly gracePeriodMs: number;
  /** How long a never-heard-from cluster stays Pending after hub start or registration. */
  readonly startupGraceMs: number;
}

/** The hub's defaults (its `--cluster-grace-period` and `--cluster-startup-grace-period`). */
export const defaultHealthTiming: HealthTiming = {
  heartbeatIntervalMs: 2_000,
  gracePeriodMs: DEFAULT_CLUSTER_GRACE_SECONDS * 1000,
  startupGraceMs: 30_000,
};

/**
 * The timing with defaults applied. `InvalidInputError` naming the setting when a value is not
 * positive, or when the grace is not longer than two heartbeat intervals (then a single missed
 * heartbeat could flip a cluster to Unknown).
 */
export function healthTiming(given: Partial<HealthTiming> = {}): HealthTiming {
  const t: HealthTiming = { ...defaultHealthTiming, ...given };
  for (const [name, value] of Object.entries(t)) {
    if (!(typeof value === "number" && value > 0))
      throw new InvalidInputError(`cluster health: ${name} must be a positive number of ms`);
  }
  if (!(t.gracePeriodMs > 2 * t.heartbeatIntervalMs))
    throw new InvalidInputError(
      `cluster health: gracePeriodMs (${t.gracePeriodMs}) must be longer than two heartbeat intervals (${2 * t.heartbeatIntervalMs})`,
    );
  return t;
}

export interface HealthInput {
  /** When the hub last saw the Lease renewed, by its own clock; undefined: never. */
  readonly heartbeatAt?: number;
  /** The agent report's `apiReady`; undefined when there is no report yet. */
  readonly apiReady?: boolean;
  /** The report's node counts; undefined when it has none. */
  readonly nodes?: { readonly total: number; readonly ready: number };
  /**
   * When the report's content last changed (its `observedTime`, ms): with `apiReady: false`,
   * when the agent published that it lost the API server.
   */
  readonly reportedAt?: number;
  /** Start of the startup grace: the later of hub start and the cluster's registration. */
  readonly since: number;
  readonly now: number;
  /**
   * The state before (after a hub restart: the one stored in the condition). A cluster
   * already judged Unknown gets no new startup grace, so a restart never turns it Pending.
   */
  readonly previous?: HealthState;
}

/** What `evaluateHealth` reads from an agent's report (none of it when there is no report). */
export function reportFacts(
  report: ClusterReport | undefined,
): Pick<HealthInput, "apiReady" | "nodes" | "reportedAt"> {
  if (report === undefined) return {};
  const reportedAt = Date.parse(report.observedTime ?? "");
  return {
    ...(report.apiReady === undefined ? {} : { apiReady: report.apiReady }),
    ...(report.nodes === undefined ? {} : { nodes: report.nodes }),
    ...(Number.isNaN(reportedAt) ? {} : { reportedAt }),
  };
}

export interface HealthVerdict {
  readonly state: HealthState;
  readonly reason: string;
  /** Stable while the state holds (no ages in it), so the condition is written once. */
  readonly message: string;
  /**
   * The last heartbeat seen (ms); undefined when none was. For `ClusterNotReachable`: when the
   * agent reported losing the API server (the report's `observedTime`), the last news of it.
   */
  readonly lastSeen?: number;
  /** When this verdict expires by itself; undefined when only a new observation changes it. */
  readonly nextCheckAt?: number;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;

/** The verdict at `input.now` — pure. */
export function evaluateHealth(
  input: HealthInput,
  timing: HealthTiming = defaultHealthTiming,
): HealthVerdict {
  const { heartbeatAt, now } = input;
  if (heartbeatAt === undefined) return neverHeard(input, timing);
  const expiresAt = heartbeatAt + timing.gracePeriodMs;
  if (now >= expiresAt) {
    return {
      state: "Unknown",
      reason: HealthReason.unknown,
      message: `the agent stopped renewing its heartbeat: none for ${seconds(timing.gracePeriodMs)} since ${new Date(heartbeatAt).toISOString()}`,
      lastSeen: heartbeatAt,
    };
  }
  return aliveVerdict(input, heartbeatAt, expiresAt);
}

/** The verdict while the heartbeat is current: the report decides. */
function aliveVerdict(input: HealthInput, heartbeatAt: number, expiresAt: number): HealthVerdict {
  const alive = { lastSeen: heartbeatAt, nextCheckAt: expiresAt };
  if (input.apiReady === false) {
    // Stable while the outage lasts (the heartbeat moves on), so the stale marks it puts on
    // application entries are written once.
    const since = input.reportedAt ?? heartbeatAt;
    return {
      state: "Unknown",
      reason: HealthReason.notReachable,
      message: `the agent is alive but cannot reach the cluster's API server (reported at ${new Date(since).toISOString()})`,
      lastSeen: since,
      nextCheckAt: expiresAt,
    };
  }
  const nodes = input.nodes;
  if (nodes !== undefined && nodes.total > 0 && nodes.ready === 0) {
    return {
      state: "NotReady",
      reason: HealthReason.notReady,
      message: `the API server answers but none of the cluster's ${nodes.total} node(s) is Ready`,
      ...alive,
    };
  }
  const message =
    input.apiReady === undefined
      ? "the agent's heartbeat is current; it has not reported yet"
      : "the agent's heartbeat is current and it reports the API server ready";
  return { state: "Ready", reason: HealthReason.ready, message, ...alive };
}

function neverHeard(input: HealthInput, timing: HealthTiming): HealthVerdict {
  const graceEndsAt = input.since + timing.startupGraceMs;
  if (input.now < graceEndsAt && input.previous !== "Unknown") {
    return {
      state: "Pending",
      reason: HealthReason.pending,
      message: `waiting for the agent's first heartbeat (startup grace ${seconds(timing.startupGraceMs)})`,
      nextCheckAt: graceEndsAt,
    };
  }
  return {
    state: "Unknown",
    reason: HealthReason.neverUpdated,
    message: `the agent never renewed its heartbeat (startup grace ${seconds(timing.startupGraceMs)} over)`,
  };
}

/** A cluster's health as the hub keeps it: the verdict and when the state last changed. */
export interface ClusterHealth extends HealthVerdict {
  readonly cluster: string;
  readonly lastTransitionTime: number;
}

/** What a new verdict transitions from: the state and since when it held. */
export interface PreviousHealth {
  readonly state: HealthState;
  readonly lastTransitionTime: number;
}

/**
 * The health after `verdict` at `now`: `lastTransitionTime` is kept while the state is the
 * same as before and set to `now` when it changes (or when there was no previous state).
 */
export function advanceHealth(
  cluster: string,
  previous: PreviousHealth | undefined,
  verdict: HealthVerdict,
  now: number,
): ClusterHealth {
  const same = previous !== undefined && previous.state === verdict.state;
  return { cluster, ...verdict, lastTransitionTime: same ? previous.lastTransitionTime : now };
}

/** `local` (the hub itself) has no agent and is Ready for as long as the hub runs. */
export function localHealth(cluster: string, since: number, now: number): ClusterHealth {
  return {
    cluster,
    state: "Ready",
    reason: HealthReason.local,
    message: "the hub's own cluster",
    lastSeen: now,
    lastTransitionTime: since,
  };
}

/** The `Ready` condition status of a state (Pending is Unknown, with its own reason). */
export function conditionStatusOf(state: HealthState): "True" | "False" | "Unknown" {
  if (state === "Ready") return "True";
  return state === "NotReady" ? "False" : "Unknown";
}
