import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { WorkflowStatus } from "../../engine/workflow/types.js";
import type { ClusterHealth } from "../cluster-health/state.js";
import type { RawApp } from "../reconcile/context.js";
import type { ClusterFacts } from "./cluster-series.js";
import { hubMetrics } from "./hub-metrics.js";

const app = (name: string, status: unknown): RawApp => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name, namespace: "team" },
  status,
});

const health = (cluster: string, state: ClusterHealth["state"]): ClusterHealth => ({
  cluster,
  state,
  reason: "",
  message: "",
  lastTransitionTime: 0,
});

function world() {
  const registry = new Registry();
  const state = {
    apps: [] as RawApp[],
    clusters: [] as ClusterFacts[],
  };
  const metrics = hubMetrics(registry, { apps: () => state.apps, clusters: () => state.clusters });
  return { registry, state, metrics, text: () => registry.metrics() };
}

describe("hub metrics", () => {
  it("exports each application's phase, health and workflow phase, and forgets deleted ones", async () => {
    const w = world();
    w.state.apps = [
      app("web", { status: "running", services: [{ healthy: true }] }),
      app("api", {
        status: "runningWorkflow",
        services: [{ healthy: true }, { healthy: false }],
        workflow: { phase: "executing", steps: [{ type: "deploy", phase: "running" }] },
      }),
      app("new", undefined),
    ];
    const before = await w.text();
    expect(before).toContain('kubevela_application_phase{app_name="web",namespace="team"} 1');
    expect(before).toContain('kubevela_application_phase{app_name="api",namespace="team"} 4');
    expect(before).toContain(
      'kubevela_application_health_status{app_name="web",namespace="team"} 1',
    );
    expect(before).toContain(
      'kubevela_application_health_status{app_name="api",namespace="team"} 0',
    );
    expect(before).toContain(
      'kubevela_application_workflow_phase{app_name="api",namespace="team"} 2',
    );
    expect(before).not.toContain('app_name="new"');
    expect(before).toContain('application_phase_number{phase="running"} 1');
    expect(before).toContain('workflow_step_phase_number{step_type="deploy",phase="running"} 1');

    w.state.apps = w.state.apps.filter((a) => a.metadata?.name !== "api");
    const after = await w.text();
    expect(after).not.toContain('app_name="api"');
    expect(after).not.toContain('application_phase_number{phase="runningWorkflow"}');
    expect(after).toContain('kubevela_application_phase{app_name="web",namespace="team"} 1');
  });

  it("exports cluster readiness and the capacity the agents report", async () => {
    const w = world();
    w.state.clusters = [
      { cluster: "local", health: health("local", "Ready") },
      {
        cluster: "member-1",
        health: health("member-1", "Unknown"),
        report: {
          nodePools: [],
          nodes: { total: 3, ready: 2, notReady: 1 },
          resources: {
            allocatable: { cpu: "3500m", memory: "8Gi" },
            requested: { cpu: "1", memory: "512Mi" },
          },
        },
      },
    ];
    const text = await w.text();
    expect(text).toContain('cluster_isconnected{cluster="local"} 1');
    expect(text).toContain('cluster_isconnected{cluster="member-1"} 0');
    expect(text).toContain('flotilla_cluster_health_state{cluster="member-1",state="Unknown"} 1');
    expect(text).toContain('flotilla_cluster_health_state{cluster="member-1",state="Ready"} 0');
    expect(text).toContain('cluster_worker_node_number{cluster="member-1"} 3');
    expect(text).toContain('flotilla_cluster_nodes{cluster="member-1",state="not_ready"} 1');
    expect(text).toContain('cluster_cpu_allocatable{cluster="member-1"} 3500');
    expect(text).toContain(`cluster_memory_allocatable{cluster="member-1"} ${8 * 2 ** 30}`);
    expect(text).toContain('flotilla_cluster_cpu_requested{cluster="member-1"} 1000');
    expect(text).toContain(`flotilla_cluster_memory_requested{cluster="member-1"} ${2 ** 29}`);
    expect(text).not.toContain('cluster_worker_node_number{cluster="local"}');

    w.state.clusters = w.state.clusters.slice(0, 1);
    expect(await w.text()).not.toContain('cluster="member-1"');
  });

  it("observes dispatch per cluster, operation and result", async () => {
    const w = world();
    w.metrics.dispatched({ cluster: "member-1", operation: "apply", ok: true, seconds: 0.2 });
    w.metrics.dispatched({ cluster: "member-2", operation: "delete", ok: false, seconds: 3 });
    const text = await w.text();
    expect(text).toContain(
      'flotilla_dispatch_duration_seconds_count{cluster="member-1",operation="apply",result="success"} 1',
    );
    expect(text).toContain(
      'flotilla_dispatch_duration_seconds_bucket{le="0.25",cluster="member-1",operation="apply",result="success"} 1',
    );
    expect(text).toContain(
      'flotilla_dispatch_duration_seconds_count{cluster="member-2",operation="delete",result="error"} 1',
    );
  });

  it("observes finished steps and workflows once", async () => {
    const w = world();
    const running: WorkflowStatus = {
      mode: "StepByStep-DAG",
      phase: "executing",
      suspend: false,
      terminated: false,
      finished: false,
      startTime: "2025-01-01T00:00:00Z",
      steps: [
        {
          id: "a",
          name: "deploy",
          type: "deploy",
          phase: "running",
          firstExecuteTime: "2025-01-01T00:00:00Z",
        },
      ],
    };
    const done: WorkflowStatus = {
      ...running,
      phase: "succeeded",
      finished: true,
      endTime: "2025-01-01T00:00:12Z",
      steps: [
        {
          ...running.steps[0]!,
          phase: "succeeded",
          lastExecuteTime: "2025-01-01T00:00:10Z",
        },
      ],
    };
    w.metrics.workflowAdvanced(undefined, running);
    w.metrics.workflowAdvanced(running, done);
    w.metrics.workflowAdvanced(done, done);
    const text = await w.text();
    expect(text).toContain(
      'flotilla_workflow_step_duration_seconds_count{step_type="deploy",phase="succeeded"} 1',
    );
    expect(text).toContain(
      'flotilla_workflow_step_duration_seconds_sum{step_type="deploy",phase="succeeded"} 10',
    );
    expect(text).toContain('workflow_finished_time_seconds_count{phase="succeeded"} 1');
    expect(text).toContain('workflow_finished_time_seconds_sum{phase="succeeded"} 12');
  });

  it("replaces its gauges when built again on the same registry", async () => {
    const registry = new Registry();
    hubMetrics(registry, { apps: () => [app("old", { status: "running" })], clusters: () => [] });
    hubMetrics(registry, { apps: () => [app("new", { status: "running" })], clusters: () => [] });
    const text = await registry.metrics();
    expect(text).toContain('app_name="new"');
    expect(text).not.toContain('app_name="old"');
  });
});
