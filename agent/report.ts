/**
 * The agent's report to the hub (`ClusterReport.status.report`) and the pure summaries it is
 * built from (house style §9). Nodes, pods and NodePools are reduced, as they arrive, to the
 * few fields the report needs (`summariseNode`, `summarisePod`, `summariseNodePool`), so the
 * agent never keeps whole objects; `buildReport` turns the summaries into the report.
 *
 * Objects are read loosely (plain JSON from a list or a watch, with core/json's `obj`, `str`
 * and `nonEmpty`): a missing or odd field counts as absent, never as an error.
 */
import {
  NODEPOOL_LABEL,
  type ClusterReport,
  type NodePoolReport,
  type NodePoolTaint,
} from "../core/cluster/agent-contract.js";
import { isSimulatedNode } from "../core/cluster/node-kind.js";
import { nonEmpty, obj, str } from "../core/json.js";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "./quantity.js";

/** The report without its timestamp: what decides whether it changed. */
export type ReportContent = Omit<ClusterReport, "observedTime">;

/** A node as the agent keeps it. */
export interface NodeSummary {
  readonly ready: boolean;
  /** Simulated by kwok (`isSimulatedNode`), not a real kubelet. */
  readonly simulated: boolean;
  readonly pool?: string;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** A non-terminal pod bound to a node, as the agent keeps it: its effective requests. */
export interface PodSummary {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** A NodePool as the agent keeps it. */
export interface NodePoolSummary {
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly NodePoolTaint[];
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Quantities that do not parse count as 0: one odd object must not stop the report. */
function amount(parse: (text: string) => number, text: unknown): number {
  if (typeof text !== "string" && typeof text !== "number") return 0;
  try {
    return parse(String(text));
  } catch {
    return 0;
  }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(obj(v) ?? {}))
    if (typeof value === "string") out[key] = value;
  return out;
}

/**
 * A node's summary: Ready condition True, whether kwok simulates it, its pool label, its
 * allocatable CPU and memory.
 */
export function summariseNode(node: unknown): NodeSummary {
  const { metadata, status } = obj(node) ?? {};
  const ready = arr(obj(status)?.conditions).some(
    (c) => obj(c)?.type === "Ready" && obj(c)?.status === "True",
  );
  const pool = nonEmpty(obj(obj(metadata)?.labels)?.[NODEPOOL_LABEL]);
  const allocatable = obj(obj(status)?.allocatable) ?? {};
  return {
    ready,
    simulated: isSimulatedNode(node),
    ...(pool === undefined ? {} : { pool }),
    cpuMillis: amount(parseCpu, allocatable.cpu),
    memoryBytes: amount(parseMemory, allocatable.memory),
  };
}

const requestsOf = (container: unknown): PodSummary => {
  const requests = obj(obj(obj(container)?.resources)?.requests) ?? {};
  return {
    cpuMillis: amount(parseCpu, requests.cpu),
    memoryBytes: amount(parseMemory, requests.memory),
  };
};
const plus = (a: PodSummary, b: PodSummary): PodSummary => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});
const larger = (a: PodSummary, b: PodSummary): PodSummary => ({
  cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});
const none: PodSummary = { cpuMillis: 0, memoryBytes: 0 };

/**
 * A pod's summary, or undefined when it does not count: not bound to a node, or terminal
 * (Succeeded / Failed). Its requests are the scheduler's: the larger of the app containers'
 * sum (plus restartable init containers, i.e. sidecars) and the largest plain init container,
 * plus the pod overhead.
 */
export function summarisePod(pod: unknown): PodSummary | undefined {
  const { spec: rawSpec, status } = obj(pod) ?? {};
  const spec = obj(rawSpec) ?? {};
  const phase = obj(status)?.phase;
  if (!str(spec.nodeName) || phase === "Succeeded" || phase === "Failed") return undefined;
  const inits = arr(spec.initContainers);
  const sidecars = inits.filter((c) => obj(c)?.restartPolicy === "Always");
  const plainInits = inits.filter((c) => obj(c)?.restartPolicy !== "Always");
  const running = [...arr(spec.containers), ...sidecars].map(requestsOf).reduce(plus, none);
  const initPeak = plainInits.map(requestsOf).reduce(larger, none);
  const overhead = obj(spec.overhead) ?? {};
  return plus(larger(running, initPeak), {
    cpuMillis: amount(parseCpu, overhead.cpu),
    memoryBytes: amount(parseMemory, overhead.memory),
  });
}

/** A NodePool's summary: name, `spec.type`, its labels and `spec.taints`. */
export function summariseNodePool(pool: unknown): NodePoolSummary {
  const { metadata, spec } = obj(pool) ?? {};
  const taints = arr(obj(spec)?.taints).flatMap((t): NodePoolTaint[] => {
    const { key, value, effect } = obj(t) ?? {};
    if (typeof key !== "string" || typeof effect !== "string") return [];
    return [{ key, ...(typeof value === "string" ? { value } : {}), effect }];
  });
  return {
    name: str(obj(metadata)?.name) ?? "",
    type: str(obj(spec)?.type) ?? "",
    labels: stringMap(obj(metadata)?.labels),
    taints,
  };
}

export interface ReportInput {
  /** `gitVersion` of the member's `/version`; "" while unknown. */
  readonly kubernetesVersion: string;
  readonly apiReady: boolean;
  /** Every node, with its published (hysteresis-held) readiness. */
  readonly nodes: Iterable<NodeSummary>;
  readonly pods: Iterable<PodSummary>;
  /** The NodePools; empty when the NodePool API is not served. */
  readonly pools: readonly NodePoolSummary[];
}

interface PoolCount {
  ready: number;
  notReady: number;
}

/** The report's content from the summaries — pure. Pools are sorted by name. */
export function buildReport(input: ReportInput): ReportContent {
  let [ready, notReady, kwok, cpu, memory] = [0, 0, 0, 0, 0];
  const byPool = new Map<string, PoolCount>();
  for (const node of input.nodes) {
    const counts = node.pool === undefined ? undefined : byPool.get(node.pool);
    const pool = counts ?? { ready: 0, notReady: 0 };
    if (node.pool !== undefined && counts === undefined) byPool.set(node.pool, pool);
    if (node.ready) [ready, pool.ready] = [ready + 1, pool.ready + 1];
    else [notReady, pool.notReady] = [notReady + 1, pool.notReady + 1];
    if (node.simulated) kwok += 1;
    [cpu, memory] = [cpu + node.cpuMillis, memory + node.memoryBytes];
  }
  const requested = [...input.pods].reduce(plus, none);
  const nodePools = [...input.pools]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((pool): NodePoolReport => {
      const counts = byPool.get(pool.name);
      return {
        name: pool.name,
        type: pool.type,
        readyNodes: counts?.ready ?? 0,
        notReadyNodes: counts?.notReady ?? 0,
        labels: pool.labels,
        taints: pool.taints,
      };
    });
  return {
    kubernetesVersion: input.kubernetesVersion,
    apiReady: input.apiReady,
    nodes: { total: ready + notReady, ready, notReady, kwok },
    resources: {
      allocatable: { cpu: formatCpu(cpu), memory: formatMemory(memory) },
      requested: {
        cpu: formatCpu(requested.cpuMillis),
        memory: formatMemory(requested.memoryBytes),
      },
    },
    nodePools,
  };
}
