/**
 * A member's health as `flotilla cluster list` shows it (pure): the `Ready` condition the hub
 * controller wrote on the cluster's ClusterReport, except that a heartbeat older than its
 * Lease's duration always shows Unknown; without a condition, the heartbeat and the report
 * decide as the hub would (hub/cluster-health/state.ts).
 */
import type { V1Lease } from "@kubernetes/client-node";
import { DEFAULT_CLUSTER_GRACE_SECONDS } from "../../core/cluster/agent-contract.js";
import { recordOf } from "../../core/controller/lease-record.js";

/** The hub controller's default grace, for Leases that state no duration. */
const DEFAULT_GRACE_MS = DEFAULT_CLUSTER_GRACE_SECONDS * 1000;

export type HealthState = "Ready" | "NotReady" | "Unknown" | "Pending";

/**
 * The node counts as listed: the agent's, plus `real` and `kwok` (real = total - kwok) when
 * its report counts simulated nodes (an older agent's does not).
 */
export type NodesView = Readonly<Record<"total" | "ready" | "notReady", number>> &
  Readonly<Partial<Record<"real" | "kwok", number>>>;

/** One cluster's health as listed (what `-o json` prints under `health`). */
export interface ClusterHealthView {
  readonly state: HealthState;
  readonly reason: string;
  readonly message: string;
  readonly kubernetesVersion?: string;
  readonly nodes?: NodesView;
  readonly pools?: ReadonlyArray<{ name: string } & Record<"readyNodes" | "notReadyNodes", number>>;
  /** The agent's last heartbeat (RFC 3339). */
  readonly lastSeen?: string;
}

/** What the hub holds about one member's health, as read (either may be missing). */
export interface HealthRecord {
  readonly lease?: V1Lease;
  /** The ClusterReport as JSON. */
  readonly report?: unknown;
}

/** The value at `path` in plain JSON, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path)
    v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export const text = (v: unknown): string => (typeof v === "string" ? v : "");
const count = (v: unknown): number => (typeof v === "number" ? v : 0);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const counts = <K extends string>(v: unknown, keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, count(at(v, k))])) as Record<K, number>;

type Verdict = Pick<ClusterHealthView, "state" | "reason" | "message">;

function conditionVerdict(report: unknown): Verdict | undefined {
  const c = list(at(report, "status", "conditions")).find((x) => at(x, "type") === "Ready");
  if (c === undefined) return undefined;
  const [status, reason] = [at(c, "status"), text(at(c, "reason"))];
  const unknown = reason === "ClusterStatusPending" ? "Pending" : "Unknown";
  const state = status === "True" ? "Ready" : status === "False" ? "NotReady" : unknown;
  return { state, reason, message: text(at(c, "message")) };
}

/** Whether the Lease was renewed within its duration (the hub's default grace if it has none). */
function heartbeatFresh(lease: V1Lease | undefined, now: number): Verdict | undefined {
  const record = lease === undefined ? undefined : recordOf(lease);
  const renewedAt = Date.parse(record?.renewTime ?? "");
  if (Number.isNaN(renewedAt)) {
    const message = "the cluster's agent has never renewed its heartbeat Lease";
    return { state: "Unknown", reason: "NoHeartbeat", message };
  }
  const validMs = (record?.leaseDurationSeconds ?? 0) * 1000 || DEFAULT_GRACE_MS;
  if (now < renewedAt + validMs) return undefined;
  const message = `no heartbeat for longer than the Lease's ${validMs / 1000}s`;
  return { state: "Unknown", reason: "HeartbeatExpired", message };
}

/** Without a hub condition: the report decides, as the hub would (hub/cluster-health/state.ts). */
function reportVerdict(report: unknown): Verdict {
  if (at(report, "apiReady") === false) {
    const message = "the agent's heartbeat is current but it cannot reach the cluster's API server";
    return { state: "Unknown", reason: "ClusterNotReachable", message };
  }
  const nodes = counts(at(report, "nodes"), ["total", "ready"]);
  if (nodes.total > 0 && nodes.ready === 0) {
    const message = `the agent's heartbeat is current; none of the cluster's ${nodes.total} node(s) is Ready`;
    return { state: "NotReady", reason: "ClusterNotReady", message };
  }
  const message =
    at(report, "apiReady") === undefined
      ? "the agent's heartbeat is current; it has not reported yet"
      : "the agent's heartbeat is current; it reports the API server ready";
  return { state: "Ready", reason: "ClusterReady", message };
}

/** READY from the hub's condition, the heartbeat's age and the report (pure). */
function verdictOf(record: HealthRecord, now: number): Verdict {
  const stale = heartbeatFresh(record.lease, now);
  const judged = conditionVerdict(record.report);
  if (judged !== undefined) {
    // Verdicts the hub gives only while the heartbeat is current.
    const alive =
      judged.state === "Ready" ||
      judged.state === "NotReady" ||
      judged.reason === "ClusterNotReachable";
    return alive && stale !== undefined ? stale : judged;
  }
  return stale ?? reportVerdict(at(record.report, "status", "report"));
}

function nodesView(nodes: unknown): NodesView {
  const view = counts(nodes, ["total", "ready", "notReady"]);
  const kwok = at(nodes, "kwok");
  return typeof kwok === "number" ? { ...view, real: view.total - kwok, kwok } : view;
}

/** One member's health view at `now` (pure). */
export function memberHealth(record: HealthRecord, now: number): ClusterHealthView {
  const report = at(record.report, "status", "report");
  const renewTime = record.lease === undefined ? "" : recordOf(record.lease).renewTime;
  const version = text(at(report, "kubernetesVersion"));
  const nodes = at(report, "nodes");
  const pools = list(at(report, "nodePools")).filter((p) => typeof at(p, "name") === "string");
  return {
    ...verdictOf(record, now),
    ...(version === "" ? {} : { kubernetesVersion: version }),
    ...(nodes === undefined ? {} : { nodes: nodesView(nodes) }),
    ...(report === undefined
      ? {}
      : {
          pools: pools.map((p) => ({
            name: text(at(p, "name")),
            ...counts(p, ["readyNodes", "notReadyNodes"]),
          })),
        }),
    ...(renewTime === "" ? {} : { lastSeen: renewTime }),
  };
}
