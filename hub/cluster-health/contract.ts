/**
 * The data contract between the agents and the hub (pure): the names of the heartbeat Lease
 * and the `ClusterReport` a cluster's agent keeps on the hub, and tolerant readers of both.
 *
 * - Heartbeat: `coordination.k8s.io/v1` Lease `flotilla-agent-<cluster>` in `vela-system`,
 *   whose `spec.renewTime` the agent renews (every 2 s by default).
 * - Report: `cluster.flotilla.dev/v1alpha1` `ClusterReport` named after the cluster in
 *   `vela-system`; the agent writes only `status.report`, the hub only `status.conditions`.
 *
 * The readers never throw: a field of the wrong type is left out, so one agent's odd report
 * cannot stop the hub from judging the others.
 */
import type { KubernetesObject, V1Lease } from "@kubernetes/client-node";
import {
  AGENT_NAMESPACE,
  CLUSTER_REPORT,
  agentName,
  type ClusterReportReading,
  type NodeCounts,
  type NodePoolReport,
  type NodePoolTaint,
  type ResourceAmounts,
} from "../../core/cluster/agent-contract.js";
import { recordOf } from "../../core/controller/lease-record.js";
import { isObject as isLoose, str } from "../../core/json.js";

export { CLUSTER_REPORT };

/** Where the Leases and ClusterReports live: the registry's namespace. */
export const HEALTH_NAMESPACE = AGENT_NAMESPACE;

export const AGENT_LEASE_PREFIX = agentName("");
export const agentLeaseName = agentName;

/** The cluster of an agent Lease's name, or undefined for any other Lease. */
export function clusterOfLease(name: string | undefined): string | undefined {
  if (name === undefined || !name.startsWith(AGENT_LEASE_PREFIX)) return undefined;
  const cluster = name.slice(AGENT_LEASE_PREFIX.length);
  return cluster === "" ? undefined : cluster;
}

/** The one condition type the hub writes on a ClusterReport. */
export const READY_CONDITION = "Ready";

/** A standard `metav1.Condition`. */
export interface StatusCondition {
  readonly type: string;
  readonly status: "True" | "False" | "Unknown";
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

export interface ClusterReportObject extends KubernetesObject {
  status?: { report?: unknown; conditions?: unknown };
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

function stringMap(v: unknown): Record<string, string> {
  if (!isLoose(v)) return {};
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function taintOf(v: unknown): NodePoolTaint[] {
  if (!isLoose(v) || typeof v.key !== "string" || typeof v.effect !== "string") return [];
  const value = str(v.value);
  return [{ key: v.key, ...(value === undefined ? {} : { value }), effect: v.effect }];
}

function poolOf(v: unknown): NodePoolReport[] {
  if (!isLoose(v) || typeof v.name !== "string" || v.name === "") return [];
  return [
    {
      name: v.name,
      type: str(v.type) ?? "",
      readyNodes: num(v.readyNodes),
      notReadyNodes: num(v.notReadyNodes),
      labels: stringMap(v.labels),
      taints: Array.isArray(v.taints) ? v.taints.flatMap(taintOf) : [],
    },
  ];
}

/** The node counts; `kwok` only when the agent wrote it (older agents do not). */
function nodesOf(v: unknown): NodeCounts | undefined {
  if (!isLoose(v)) return undefined;
  const kwok = typeof v.kwok === "number" && Number.isFinite(v.kwok) ? v.kwok : undefined;
  return {
    total: num(v.total),
    ready: num(v.ready),
    notReady: num(v.notReady),
    ...(kwok === undefined ? {} : { kwok }),
  };
}

function amountsOf(v: unknown): ResourceAmounts | undefined {
  if (!isLoose(v)) return undefined;
  const cpu = str(v.cpu);
  const memory = str(v.memory);
  return cpu === undefined || memory === undefined ? undefined : { cpu, memory };
}

function resourcesOf(v: unknown): ClusterReportReading["resources"] {
  if (!isLoose(v)) return undefined;
  const allocatable = amountsOf(v.allocatable);
  const requested = amountsOf(v.requested);
  return allocatable === undefined || requested === undefined
    ? undefined
    : { allocatable, requested };
}

/** The agent's report on a ClusterReport, or undefined when it has written none yet. */
export function reportOf(obj: ClusterReportObject | undefined): ClusterReportReading | undefined {
  const raw = obj?.status?.report;
  if (!isLoose(raw)) return undefined;
  const version = str(raw.kubernetesVersion);
  const observedTime = str(raw.observedTime);
  const nodes = nodesOf(raw.nodes);
  const resources = resourcesOf(raw.resources);
  return {
    ...(version === undefined ? {} : { kubernetesVersion: version }),
    ...(typeof raw.apiReady === "boolean" ? { apiReady: raw.apiReady } : {}),
    ...(observedTime === undefined ? {} : { observedTime }),
    ...(nodes === undefined ? {} : { nodes }),
    ...(resources === undefined ? {} : { resources }),
    nodePools: Array.isArray(raw.nodePools) ? raw.nodePools.flatMap(poolOf) : [],
  };
}

const STATUSES = new Set(["True", "False", "Unknown"]);

function conditionOf(v: unknown): StatusCondition[] {
  if (!isLoose(v) || typeof v.type !== "string" || !STATUSES.has(String(v.status))) return [];
  const generation = v.observedGeneration;
  return [
    {
      type: v.type,
      status: v.status as StatusCondition["status"],
      reason: str(v.reason) ?? "",
      message: str(v.message) ?? "",
      lastTransitionTime: str(v.lastTransitionTime) ?? "",
      ...(typeof generation === "number" ? { observedGeneration: generation } : {}),
    },
  ];
}

/** The conditions on a ClusterReport (malformed entries left out). */
export function conditionsOf(obj: ClusterReportObject | undefined): StatusCondition[] {
  const raw = obj?.status?.conditions;
  return Array.isArray(raw) ? raw.flatMap(conditionOf) : [];
}

/** A heartbeat as read from an agent Lease: the renewTime text and its time in ms. */
export interface Heartbeat {
  readonly renewTime: string;
  readonly renewedAt: number;
}

/**
 * The Lease's last renewal, or undefined when it was never renewed (a Lease pre-created for
 * an agent that has not started yet has no `renewTime`).
 */
export function heartbeatOf(lease: V1Lease | undefined): Heartbeat | undefined {
  if (lease === undefined) return undefined;
  const renewTime = recordOf(lease).renewTime;
  const renewedAt = Date.parse(renewTime);
  return renewTime === "" || Number.isNaN(renewedAt) ? undefined : { renewTime, renewedAt };
}
