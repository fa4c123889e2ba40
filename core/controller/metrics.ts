/**
 * Controller metrics, named after controller-runtime's and registered in the program's own
 * prom-client Registry (no global registry):
 *
 * - `flotilla_reconcile_total{controller,result}`, result one of `reconcileResults`;
 * - `flotilla_reconcile_duration_seconds{controller}`;
 * - `flotilla_workqueue_depth{controller}`: keys ready to be handed to a worker.
 *
 * Several controllers share one Registry, so each metric is created by the first controller
 * and found by the next ones. Every series of a controller starts at 0 when it is created, so
 * dashboards and alerts see a controller before its first reconcile.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export const reconcileResults = ["success", "error", "requeue", "terminal"] as const;
export type ReconcileOutcome = (typeof reconcileResults)[number];

export interface ControllerMetrics {
  /** Counts one reconcile of `seconds` that ended as `result`. */
  reconciled(result: ReconcileOutcome, seconds: number): void;
  depth(keys: number): void;
}

const names = {
  total: "flotilla_reconcile_total",
  duration: "flotilla_reconcile_duration_seconds",
  depth: "flotilla_workqueue_depth",
} as const;

/** Reconciles are mostly short API round-trips; the long tail is a slow member cluster. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

function sharedMetrics(registry: Registry): {
  total: Counter<"controller" | "result">;
  duration: Histogram<"controller">;
  depth: Gauge<"controller">;
} {
  const registers = [registry];
  const total =
    existing<Counter<"controller" | "result">>(registry, names.total) ??
    new Counter({
      name: names.total,
      help: "Reconciles by controller and result (success, error, requeue, terminal).",
      labelNames: ["controller", "result"],
      registers,
    });
  const duration =
    existing<Histogram<"controller">>(registry, names.duration) ??
    new Histogram({
      name: names.duration,
      help: "Time a reconcile took, by controller.",
      labelNames: ["controller"],
      buckets: durationBuckets,
      registers,
    });
  const depth =
    existing<Gauge<"controller">>(registry, names.depth) ??
    new Gauge({
      name: names.depth,
      help: "Keys waiting in a controller's work queue.",
      labelNames: ["controller"],
      registers,
    });
  return { total, duration, depth };
}

/** The metrics of controller `controller` in `registry`, every series initialised to 0. */
export function controllerMetrics(registry: Registry, controller: string): ControllerMetrics {
  const { total, duration, depth } = sharedMetrics(registry);
  for (const result of reconcileResults) total.inc({ controller, result }, 0);
  duration.zero({ controller });
  depth.set({ controller }, 0);
  return {
    reconciled(result, seconds) {
      total.inc({ controller, result });
      duration.observe({ controller }, seconds);
    },
    depth: (keys) => depth.set({ controller }, keys),
  };
}
