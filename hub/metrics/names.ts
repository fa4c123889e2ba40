/**
 * The names of the hub's own metrics (docs/metrics.md lists them with their labels). KubeVela's
 * names where KubeVela has a metric for the same thing, `flotilla_*` where it has none.
 */
export const hubMetricNames = {
  /** KubeVela's per-application gauges (`EnableApplicationStatusMetrics`). */
  appPhase: "kubevela_application_phase",
  appHealth: "kubevela_application_health_status",
  appWorkflowPhase: "kubevela_application_workflow_phase",
  /** KubeVela's counts by phase. */
  appPhaseNumber: "application_phase_number",
  stepPhaseNumber: "workflow_step_phase_number",
  /** KubeVela's cluster gauges (pkg/monitor/metrics/multicluster.go): cpu in millicores, memory in bytes. */
  clusterConnected: "cluster_isconnected",
  clusterNodes: "cluster_worker_node_number",
  clusterCpuAllocatable: "cluster_cpu_allocatable",
  clusterMemoryAllocatable: "cluster_memory_allocatable",
  /** Flotilla's own cluster gauges, same units as KubeVela's. */
  clusterState: "flotilla_cluster_health_state",
  clusterNodesByState: "flotilla_cluster_nodes",
  clusterCpuRequested: "flotilla_cluster_cpu_requested",
  clusterMemoryRequested: "flotilla_cluster_memory_requested",
  /** Delivery to members. */
  dispatchDuration: "flotilla_dispatch_duration_seconds",
  /** Workflows: KubeVela's name for finished workflows, Flotilla's for steps. */
  workflowFinished: "workflow_finished_time_seconds",
  stepDuration: "flotilla_workflow_step_duration_seconds",
} as const;

export type HubMetricName = (typeof hubMetricNames)[keyof typeof hubMetricNames];
