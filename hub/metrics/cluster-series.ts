/**
 * The per-cluster series, from the hub's cluster health (hub/cluster-health) and the agents'
 * ClusterReports. Pure: a cluster no longer registered is not in the input, so its series are
 * gone at the next scrape.
 *
 * - connected: KubeVela's `cluster_isconnected`, 1 when the hub judges the cluster Ready.
 * - state: the health state (Ready, NotReady, Unknown, Pending) for a one-hot gauge.
 * - nodes and resources: only when the cluster's agent has reported them (`local` has none).
 */
import type { ClusterReportReading } from "../../core/cluster/agent-contract.js";
import { HEALTH_STATES, type ClusterHealth, type HealthState } from "../cluster-health/state.js";
import type { ClusterHealthTracker } from "../cluster-health/tracker.js";
import { approximateQuantity, millicores } from "./quantity.js";

export interface ClusterFacts {
  readonly cluster: string;
  readonly health?: ClusterHealth;
  readonly report?: ClusterReportReading;
}

export interface ClusterSeries {
  readonly cluster: string;
  readonly connected: 0 | 1;
  /** Undefined while the cluster has not been judged yet. */
  readonly state?: HealthState;
  readonly nodes?: { readonly total: number; readonly ready: number; readonly notReady: number };
  readonly cpuAllocatable?: number;
  readonly memoryAllocatable?: number;
  readonly cpuRequested?: number;
  readonly memoryRequested?: number;
}

/** Only the fields with a value (a quantity that does not parse is left out). */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

function resourcesOf(report: ClusterReportReading | undefined): Partial<ClusterSeries> {
  const r = report?.resources;
  if (r === undefined) return {};
  return defined({
    cpuAllocatable: millicores(r.allocatable.cpu),
    memoryAllocatable: approximateQuantity(r.allocatable.memory),
    cpuRequested: millicores(r.requested.cpu),
    memoryRequested: approximateQuantity(r.requested.memory),
  });
}

/** Every judged cluster (`local` first) with its health and its agent's report. */
export function clusterFacts(
  tracker: Pick<ClusterHealthTracker, "all" | "report">,
): ClusterFacts[] {
  return tracker.all().map((health) => {
    const report = tracker.report(health.cluster);
    return { cluster: health.cluster, health, ...(report === undefined ? {} : { report }) };
  });
}

export function clusterSeriesOf(facts: ClusterFacts): ClusterSeries {
  const { cluster, health, report } = facts;
  const n = report?.nodes;
  return {
    cluster,
    connected: health?.state === "Ready" ? 1 : 0,
    ...(health === undefined ? {} : { state: health.state }),
    ...(n === undefined ? {} : { nodes: { total: n.total, ready: n.ready, notReady: n.notReady } }),
    ...resourcesOf(report),
  };
}

/** `flotilla_cluster_health_state{cluster,state}`: 1 for the cluster's state, 0 for the others. */
export function stateRows(
  series: readonly ClusterSeries[],
): Array<[{ cluster: string; state: string }, number]> {
  return series.flatMap((s) =>
    s.state === undefined
      ? []
      : HEALTH_STATES.map((state): [{ cluster: string; state: string }, number] => [
          { cluster: s.cluster, state },
          s.state === state ? 1 : 0,
        ]),
  );
}
