/**
 * What every Flotilla program exports besides its own metrics: prom-client's default
 * `process_*` and `nodejs_*` series (CPU, resident memory, open file descriptors, heap, event
 * loop lag, GC) and `flotilla_build_info{version}` (always 1), as Karmada exports
 * `karmada_build_info`. Registered in the program's own Registry, at most once per Registry.
 */
import { collectDefaultMetrics, Gauge, type Registry } from "prom-client";
import { flotillaVersion } from "../version.js";

export const BUILD_INFO = "flotilla_build_info";

/** Names of default series dashboards rely on (prom-client's, unprefixed). */
export const processMetricNames = [
  "process_cpu_seconds_total",
  "process_resident_memory_bytes",
  "nodejs_heap_size_used_bytes",
  "nodejs_eventloop_lag_p99_seconds",
] as const;

/** Adds the default and build-info metrics to `registry` (a no-op when already there). */
export function registerProcessMetrics(
  registry: Registry,
  version: string = flotillaVersion(),
): void {
  if (registry.getSingleMetric(BUILD_INFO) !== undefined) return;
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({
    name: BUILD_INFO,
    help: "Always 1; the version label says which Flotilla build runs.",
    labelNames: ["version"],
    registers: [registry],
  });
  info.set({ version }, 1);
}
