/**
 * The hub's metrics beyond the controller's reconcile counters (core/controller/metrics.ts),
 * in the hub's own Registry. Names in names.ts, labels and units in docs/metrics.md.
 *
 * - State gauges (applications, clusters) are computed at scrape time from the hub's caches
 *   through `sources`, with the pure functions of application-series.ts and
 *   cluster-series.ts: what is gone from the caches is gone from /metrics, with no bookkeeping.
 * - Event histograms are fed by the reconcile: `dispatched` for each cluster an apply or a
 *   delete worked on, `workflowAdvanced` with the workflow status before and after an advance.
 */
import { Gauge, Histogram, type Registry } from "prom-client";
import type { WorkflowStatus } from "../../engine/workflow/types.js";
import type { RawApp } from "../reconcile/context.js";
import {
  appPhaseValue,
  appSeriesOf,
  phaseCounts,
  stepPhaseCounts,
  workflowPhaseValue,
  type AppSeries,
} from "./application-series.js";
import {
  clusterSeriesOf,
  stateRows,
  type ClusterFacts,
  type ClusterSeries,
} from "./cluster-series.js";
import { hubMetricNames as names } from "./names.js";
import { finishedSteps, finishedWorkflow } from "./workflow-observations.js";

export interface HubMetricsSources {
  readonly apps: () => readonly RawApp[];
  readonly clusters: () => readonly ClusterFacts[];
}

export type DispatchOperation = "apply" | "delete";

export interface DispatchObservation {
  readonly cluster: string;
  readonly operation: DispatchOperation;
  readonly ok: boolean;
  readonly seconds: number;
}

/** Plain functions (no `this`), so they can be handed on as callbacks. */
export interface HubMetrics {
  readonly dispatched: (observation: DispatchObservation) => void;
  readonly workflowAdvanced: (previous: WorkflowStatus | undefined, next: WorkflowStatus) => void;
}

type Labels = Record<string, string>;
type Rows = () => ReadonlyArray<readonly [Labels, number]>;

interface GaugeSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly rows: Rows;
}

/** A gauge whose series are exactly `rows()` at each scrape (replacing one already there). */
function snapshotGauge(registry: Registry, spec: GaugeSpec): void {
  registry.removeSingleMetric(spec.name);
  const { rows } = spec;
  new Gauge({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames,
    registers: [registry],
    collect(this: Gauge) {
      this.reset();
      for (const [labels, value] of rows()) this.set(labels, value);
    },
  });
}

interface HistogramSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: number[];
}

/** The histogram `spec.name` of `registry`, created when not there yet. */
function histogram(registry: Registry, spec: HistogramSpec): Histogram {
  const found = registry.getSingleMetric(spec.name);
  if (found instanceof Histogram) return found;
  return new Histogram({ ...spec, registers: [registry] });
}

const appLabelNames = ["app_name", "namespace"];
const appLabels = (a: AppSeries): Labels => ({ app_name: a.app_name, namespace: a.namespace });

function applicationGauges(apps: () => AppSeries[]): GaugeSpec[] {
  return [
    {
      name: names.appPhase,
      help: "Application phase as KubeVela numbers it (running 1, unhealthy 8, ...; -1 unknown).",
      labelNames: appLabelNames,
      rows: () => apps().map((a) => [appLabels(a), appPhaseValue(a.phase)] as const),
    },
    {
      name: names.appHealth,
      help: "1 when every service of the application is healthy, else 0.",
      labelNames: appLabelNames,
      rows: () => apps().map((a) => [appLabels(a), a.healthy ? 1 : 0] as const),
    },
    {
      name: names.appWorkflowPhase,
      help: "Workflow phase as KubeVela numbers it (succeeded 1, executing 2, ...; -1 unknown).",
      labelNames: appLabelNames,
      rows: () =>
        apps().flatMap((a) =>
          a.workflowPhase === undefined
            ? []
            : [[appLabels(a), workflowPhaseValue(a.workflowPhase)] as const],
        ),
    },
    {
      name: names.appPhaseNumber,
      help: "Applications per phase.",
      labelNames: ["phase"],
      rows: () => phaseCounts(apps()).map(([phase, n]) => [{ phase }, n] as const),
    },
    {
      name: names.stepPhaseNumber,
      help: "Top-level workflow steps per step type and phase.",
      labelNames: ["step_type", "phase"],
      rows: () => stepPhaseCounts(apps()),
    },
  ];
}

/** One `{cluster}` gauge per entry: its name, help and the value it takes from a cluster. */
const perClusterGauges: ReadonlyArray<
  readonly [string, string, (s: ClusterSeries) => number | undefined]
> = [
  [names.clusterConnected, "1 when the hub judges the cluster Ready, else 0.", (s) => s.connected],
  [names.clusterNodes, "Nodes of the cluster (agent report).", (s) => s.nodes?.total],
  [
    names.clusterCpuAllocatable,
    "Allocatable CPU of the cluster's nodes, in millicores (agent report).",
    (s) => s.cpuAllocatable,
  ],
  [
    names.clusterMemoryAllocatable,
    "Allocatable memory of the cluster's nodes, in bytes (agent report).",
    (s) => s.memoryAllocatable,
  ],
  [
    names.clusterCpuRequested,
    "CPU requested by the cluster's pods, in millicores (agent report).",
    (s) => s.cpuRequested,
  ],
  [
    names.clusterMemoryRequested,
    "Memory requested by the cluster's pods, in bytes (agent report).",
    (s) => s.memoryRequested,
  ],
];

function nodeRows(clusters: () => ClusterSeries[]): Rows {
  return () =>
    clusters().flatMap((s) =>
      s.nodes === undefined
        ? []
        : [
            [{ cluster: s.cluster, state: "ready" }, s.nodes.ready] as const,
            [{ cluster: s.cluster, state: "not_ready" }, s.nodes.notReady] as const,
          ],
    );
}

function clusterGauges(clusters: () => ClusterSeries[]): GaugeSpec[] {
  const single = perClusterGauges.map(([name, help, pick]): GaugeSpec => ({
    name,
    help,
    labelNames: ["cluster"],
    rows: () =>
      clusters().flatMap((s) => {
        const value = pick(s);
        return value === undefined ? [] : [[{ cluster: s.cluster }, value] as const];
      }),
  }));
  return [
    ...single,
    {
      name: names.clusterState,
      help: "1 for the cluster's health state (Ready, NotReady, Unknown, Pending), 0 for the others.",
      labelNames: ["cluster", "state"],
      rows: () => stateRows(clusters()),
    },
    {
      name: names.clusterNodesByState,
      help: "Nodes of the cluster by readiness (ready, not_ready), from its agent's report.",
      labelNames: ["cluster", "state"],
      rows: nodeRows(clusters),
    },
  ];
}

/** Dispatch is a few API round-trips per object through the gateway; slow members take long. */
const dispatchBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Steps and workflows wait for health, so they run from milliseconds to many minutes. */
const workflowBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const histograms = {
  dispatch: {
    name: names.dispatchDuration,
    help: "Time to apply or delete an application's objects in one member cluster, by cluster, operation (apply, delete) and result (success, error).",
    labelNames: ["cluster", "operation", "result"],
    buckets: dispatchBuckets,
  },
  steps: {
    name: names.stepDuration,
    help: "Time a workflow step ran until it ended, by step type and final phase (succeeded, failed, skipped).",
    labelNames: ["step_type", "phase"],
    buckets: workflowBuckets,
  },
  workflows: {
    name: names.workflowFinished,
    help: "Time from a workflow's start until it finished, by final phase.",
    labelNames: ["phase"],
    buckets: workflowBuckets,
  },
} as const satisfies Record<string, HistogramSpec>;

export function hubMetrics(registry: Registry, sources: HubMetricsSources): HubMetrics {
  const apps = (): AppSeries[] => sources.apps().flatMap((a) => appSeriesOf(a) ?? []);
  const clusters = (): ClusterSeries[] => sources.clusters().map(clusterSeriesOf);
  for (const spec of [...applicationGauges(apps), ...clusterGauges(clusters)])
    snapshotGauge(registry, spec);
  const dispatch = histogram(registry, { ...histograms.dispatch, buckets: [...dispatchBuckets] });
  const steps = histogram(registry, { ...histograms.steps, buckets: [...workflowBuckets] });
  const workflows = histogram(registry, { ...histograms.workflows, buckets: [...workflowBuckets] });
  return {
    dispatched: ({ cluster, operation, ok, seconds }) => {
      dispatch.observe({ cluster, operation, result: ok ? "success" : "error" }, seconds);
    },
    workflowAdvanced: (previous, next) => {
      for (const s of finishedSteps(previous, next))
        steps.observe({ step_type: s.stepType, phase: s.phase }, s.seconds);
      const done = finishedWorkflow(previous, next);
      if (done !== undefined) workflows.observe({ phase: done.phase }, done.seconds);
    },
  };
}
